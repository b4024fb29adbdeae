"""Where each chip was cut, and the one rule that says a feature is still the object its chip shows.

A write-back (the dock, chipvlm:writeclasses) and the accuracy report's join match results to
features by a fid: the feature id or a fid field's value. A fid field deleted and filled again, or
features copied in another order, keeps every fid valid and gives each feature another object's
class. The geometry tells: chips_index.csv holds, for every chip, the centre of its feature's
bounding box in the raster's CRS (the geometry transformed to that CRS first, then its bounding
box; written with repr(), so exactly) and the raster's pixel size (`scale`). A feature whose
bounding-box centre, computed the same way, lies farther than PIXEL_TOLERANCE raster pixels from its
chip's centre is not the object its chip was cut from.

Why raster pixels, whatever the framing: the recorded centre is the feature's own, not the window's
(whose offsets are snapped to whole pixels), so the same feature lands within float noise of it.
A chip pixel would be the wrong unit: with `fit` at zoom 4 it is a quarter of a raster pixel, and
for a 400 m field that `auto` shrinks into a 512 px chip it is several raster pixels, wide enough
for a small neighbour's centre. `scale` is sqrt(|det|) of the geotransform, so on a rotated raster
it is a pixel's side too, and the distance is measured in the raster's CRS, where rotation does not
change it. One pixel leaves room for a reprojection that differs in the last decimals, while two
objects whose centres lie within one pixel of each other are, at the raster's resolution, the same
place.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Tuple, Union

from ..errors import ChipVLMError, Message
from .index import INDEX_NAME, STATUS_OK, read_index_rows

PIXEL_TOLERANCE = 1.0  # raster pixels between a feature's bbox centre and its chip's recorded centre
LISTED = 5  # misplaced features named in the message; the rest are counted
PLACE_COLUMNS = ("status", "center_x", "center_y", "scale", "crs")


class PlacementError(ChipVLMError):
    """Features that are not where their chips were cut: nothing may be written or joined."""


class CutPlace(NamedTuple):
    x: float
    y: float
    pixel: float  # the raster's pixel size, in the units of its CRS


@dataclass
class CutPlaces:
    """fid -> where its chip was cut (rows with status ok and a centre), from one chips_index.csv."""

    index_path: str
    crs: str  # the raster's CRS as the cut wrote it ("" = none: coordinates taken as the layer's)
    places: Dict[int, CutPlace]


def cut_index_of(results: Union[str, os.PathLike]) -> Optional[str]:
    """The chips_index.csv a results.sqlite was classified from: beside it, else where its meta
    table says (None when neither exists: a run cut before the index had centres, or merged CSVs)."""
    from ..review.files import run_folders

    candidates = (os.path.join(folder, INDEX_NAME) for folder in run_folders(results))
    return next((c for c in candidates if os.path.isfile(c)), None)


def _number(text: str) -> Optional[float]:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def read_cut_places(index_path: str) -> CutPlaces:
    """Every chip's centre and pixel size (chips/index.py's reader; ChipIndexError when unreadable)."""
    read = read_index_rows(index_path, required=("fid", "status"), columns=PLACE_COLUMNS)
    places: Dict[int, CutPlace] = {}
    crs = ""
    for fid, row in read.rows.items():
        if row["status"] != STATUS_OK:
            continue
        x, y, pixel = _number(row.get("center_x")), _number(row.get("center_y")), _number(row.get("scale"))
        if x is None or y is None or not pixel or pixel <= 0:
            continue
        places[fid] = CutPlace(x, y, pixel)
        crs = crs or row.get("crs", "")
    return CutPlaces(index_path=read.path, crs=crs, places=places)


@dataclass
class Misplaced:
    fid: int
    feature_id: int
    pixels: Optional[float]  # distance from the chip's centre in raster pixels; None: no geometry

    def sentence(self) -> Message:
        if self.pixels is None:
            return Message("fid {0} (feature {1}) has no geometry.", self.fid, self.feature_id)
        return Message("fid {0} (feature {1}) lies {2} raster pixels from where its chip was cut.",
                       self.fid, self.feature_id, f"{self.pixels:,.1f}")


@dataclass
class PlaceCheck:
    """Features checked one by one against their chips; `refuse()` raises when one was misplaced."""

    places: CutPlaces
    checked: int = 0
    unchecked: int = 0  # results with a feature whose chip has no recorded centre (cut outside, old index)
    misplaced: List[Misplaced] = field(default_factory=list)

    def add(self, fid: int, feature_id: int, centre: Optional[Tuple[float, float]]) -> bool:
        """Whether the feature `feature_id` (bbox centre in the raster's CRS, None without geometry)
        is where the chip of `fid` was cut; a fid without a recorded centre counts as unchecked."""
        place = self.places.places.get(fid)
        if place is None:
            self.unchecked += 1
            return True
        self.checked += 1
        if centre is None:
            self.misplaced.append(Misplaced(fid, feature_id, None))
            return False
        x, y, pixel = place
        dx, dy = centre[0] - x, centre[1] - y
        if dx * dx + dy * dy <= (PIXEL_TOLERANCE * pixel) ** 2:  # 200,000 features: no sqrt for those that fit
            return True
        self.misplaced.append(Misplaced(fid, feature_id, math.hypot(dx, dy) / pixel))
        return False

    def refuse(self, layer_name: str, fid_words: str, doing: Message) -> None:
        """PlacementError naming the first misplaced features and what to do; nothing when all fit."""
        if not self.misplaced:
            return
        first = sorted(self.misplaced, key=lambda m: m.fid)[:LISTED]
        more = len(self.misplaced) - len(first)
        listed = [m.sentence() for m in first]
        if more:
            listed.append(Message("... and {0} more.", more))
        raise PlacementError(
            "{0} of the {1} features of layer '{2}' checked against the chips are not where their chips were "
            "cut ({3}): {4} Matched by {5}, they would get another object's class, so {6} Restore the fid values "
            "the chips were cut with, or choose the layer and fid field they were cut from; if these geometries "
            "were edited on purpose since the cut, cut and classify their chips again.",
            len(self.misplaced), self.checked, layer_name, self.places.index_path, listed, fid_words, doing)


# What was refused, for PlaceCheck.refuse's `doing`
NOTHING_WRITTEN = Message("nothing was written.")
NOTHING_JOINED = Message("no report was made.")
