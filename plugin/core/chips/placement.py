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
import threading
from dataclasses import dataclass, field
from typing import List, NamedTuple, Optional, Tuple, Union

import numpy as np

from ..errors import ChipVLMError, Message
from .index import INDEX_NAME, STATUS_OK, read_index_columns

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
    """Where each chip was cut (rows with status ok and a centre), from one chips_index.csv: arrays
    by fid in ascending order, so 200,000 features are checked in one numpy pass."""

    index_path: str
    crs: str  # the raster's CRS as the cut wrote it ("" = none: coordinates taken as the layer's)
    fids: np.ndarray  # int64, ascending
    x: np.ndarray  # the chip's recorded centre (its feature's bbox centre), in the raster's CRS
    y: np.ndarray
    pixel: np.ndarray  # the raster's pixel size, in the units of its CRS

    def __len__(self) -> int:
        return len(self.fids)

    def positions(self, fids: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """For each fid, where its place is in the arrays and whether it has one."""
        return sorted_positions(self.fids, fids)

    def place(self, fid: int) -> Optional[CutPlace]:
        """Where the chip of `fid` was cut (None: no chip with a recorded centre)."""
        at, known = self.positions(np.array([fid], dtype=np.int64))
        if not known[0]:
            return None
        return CutPlace(float(self.x[at[0]]), float(self.y[at[0]]), float(self.pixel[at[0]]))


def sorted_positions(ascending: np.ndarray, wanted: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """For each of `wanted`, its position in the ascending array `ascending` (a valid index even when it is
    not there) and whether it is there."""
    if not len(ascending):
        return np.zeros(len(wanted), dtype=np.intp), np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(ascending, wanted), len(ascending) - 1)
    return at, ascending[at] == wanted


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


def _numbers(texts: Optional[np.ndarray], count: int) -> np.ndarray:
    """A column of the index as floats, NaN where a value is missing or no finite number (_number's rule)."""
    if texts is None:
        return np.full(count, np.nan)
    values = np.full(count, np.nan)
    filled = texts != b""  # an empty cell: a chip not cut
    try:
        values[filled] = texts[filled].astype(np.float64)  # a whole column of numbers, at C speed
    except ValueError:  # text: value by value
        values = np.array([_number(text.decode("utf-8")) for text in texts.tolist()], dtype=np.float64)  # None: NaN
    values[~np.isfinite(values)] = np.nan
    return values


def read_cut_places(index_path: str) -> CutPlaces:
    """Every chip's centre and pixel size (chips/index.py's reader; ChipIndexError when unreadable).

    The last index read is kept while its file stays the same (same inode, size and times): the dock
    writes a run again and again, and reading 200,000 rows each time was most of the check's cost.
    """
    try:
        status = os.stat(index_path)
        signature = (os.path.abspath(index_path), status.st_ino, status.st_size, status.st_mtime_ns,
                     status.st_ctime_ns)
    except OSError:
        signature = None
    with _LAST_LOCK:
        if signature is not None and _LAST.get("signature") == signature:
            return _LAST["places"]
    places = _read_cut_places(index_path)
    if signature is not None:
        with _LAST_LOCK:
            _LAST.update(signature=signature, places=places)
    return places


_LAST: dict = {}  # the last index read: its file's signature and its places (read only: arrays not writeable)
_LAST_LOCK = threading.Lock()  # the dock and Processing algorithms in their threads


def _read_cut_places(index_path: str) -> CutPlaces:
    read = read_index_columns(index_path, required=("fid", "status"), columns=PLACE_COLUMNS)
    count = len(read.fids)
    x, y = _numbers(read.columns.get("center_x"), count), _numbers(read.columns.get("center_y"), count)
    pixel = _numbers(read.columns.get("scale"), count)
    ok = read.columns["status"] == STATUS_OK.encode()
    with np.errstate(invalid="ignore"):
        kept = np.flatnonzero(ok & np.isfinite(x) & np.isfinite(y) & (pixel > 0))
    crs_column = read.columns.get("crs", np.full(count, b""))
    named = kept[crs_column[kept] != b""]
    crs = crs_column[named[0]].decode("utf-8") if len(named) else ""
    fids = read.fids[kept]
    order = np.argsort(fids, kind="stable")
    arrays = [fids[order], x[kept][order], y[kept][order], pixel[kept][order]]
    for array in arrays:
        array.flags.writeable = False  # shared by every check of the same index
    return CutPlaces(read.path, crs, *arrays)


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
        x, y = centre if centre is not None else (math.nan, math.nan)
        return not self.add_many([fid], [feature_id], [x], [y])

    def add_many(self, fids, feature_ids, xs, ys) -> int:
        """add() for many features at once, in one numpy pass: `xs`, `ys` their bbox centres in the
        raster's CRS (NaN: no geometry). Returns how many of them are misplaced."""
        fids = np.asarray(fids, dtype=np.int64)
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        at, known = self.places.positions(fids)
        self.unchecked += int(np.count_nonzero(~known))
        self.checked += int(np.count_nonzero(known))
        at, pixel = at[known], self.places.pixel[at[known]]
        dx, dy = xs[known] - self.places.x[at], ys[known] - self.places.y[at]
        with np.errstate(invalid="ignore"):
            wrong = np.flatnonzero(~(dx * dx + dy * dy <= (PIXEL_TOLERANCE * pixel) ** 2))  # NaN: no geometry
        rows = np.flatnonzero(known)[wrong]
        for row, at_wrong in zip(rows.tolist(), wrong.tolist()):
            distance = math.hypot(dx[at_wrong], dy[at_wrong])
            self.misplaced.append(Misplaced(int(fids[row]), int(feature_ids[row]),
                                            None if math.isnan(distance) else distance / float(pixel[at_wrong])))
        return len(rows)

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
