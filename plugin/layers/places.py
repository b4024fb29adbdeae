"""Is each feature the object its chip was cut from? The QGIS side of core/chips/placement.py.

A feature's bounding-box centre is computed as chipvlm:cutchips computed it (the geometry
transformed to the raster's CRS when the layer's differs and both are known, then its bounding box),
and checked against the centre chips_index.csv recorded for the feature's fid. Used by the write-back
(the dock and chipvlm:writeclasses, in place or to a copy) and the accuracy report's join.
"""
import math
from dataclasses import dataclass, field
from typing import Container, List, Optional, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
)

from ..core.chips.index import ChipIndexError
from ..core.chips.placement import CutPlaces, PlaceCheck, cut_index_of, read_cut_places
from ..core.errors import ChipVLMError, Message
from ..core.review import results_path, run_info_for


def raster_crs(places: CutPlaces, run_info: Optional[dict]) -> QgsCoordinateReferenceSystem:
    """The CRS the chips were cut in: run.json's (QGIS's own name of the raster's CRS), else the index's."""
    for text in ((run_info or {}).get("crs"), places.crs):
        if text:
            crs = QgsCoordinateReferenceSystem()
            crs.createFromUserInput(str(text))
            if crs.isValid():
                return crs
    return QgsCoordinateReferenceSystem()


class FeatureCentres:
    """Bounding-box centre of a geometry in the raster's CRS, the way the cut computed it."""

    def __init__(self, layer_crs, places: CutPlaces, run_info: Optional[dict] = None, transform_context=None):
        self.target = raster_crs(places, run_info)
        self.context = transform_context or QgsProject.instance().transformContext()
        self._transform = None
        # as the cut: no transform when either CRS is unknown (coordinates taken to be the same) or both agree
        if layer_crs is not None and layer_crs.isValid() and self.target.isValid() and layer_crs != self.target:
            self._transform = QgsCoordinateTransform(layer_crs, self.target, self.context)

    @property
    def transforms(self) -> bool:
        return self._transform is not None

    def __call__(self, geometry: QgsGeometry) -> Optional[Tuple[float, float]]:
        """One geometry's centre (a feature read without Placing.prepare: the accuracy report's units)."""
        if geometry.isNull() or geometry.isEmpty():
            return None
        if self._transform is not None:
            geometry = QgsGeometry(geometry)
            try:
                geometry.transform(self._transform)
            except QgsCsException:
                return None
        box = geometry.boundingBox()
        return (box.xMinimum() + box.xMaximum()) / 2.0, (box.yMinimum() + box.yMaximum()) / 2.0


@dataclass
class RunRecord:
    """What a run knows of the layer it was cut from: run.json and where every chip was cut.

    `places` is None when the run has no chips_index.csv to check against (a run folder without it,
    results merged from CSV files); `index_error` says why an index that exists cannot be used, and
    `info_error` why a run.json that exists cannot be read (a write is refused then, with that sentence).
    """

    info: Optional[dict] = None
    places: Optional[CutPlaces] = None
    index_error: Optional[ChipIndexError] = None
    info_error: Optional[ChipVLMError] = None

    @classmethod
    def of_results(cls, results) -> "RunRecord":
        """The record of a results.sqlite (or its run folder); never raises for a damaged file."""
        try:
            info, info_error = run_info_for(results), None
        except ChipVLMError as exc:  # run.json damaged: the run is still readable, its link unknown
            info, info_error = None, exc
        index = cut_index_of(results_path(results))
        if index is None:
            return cls(info, info_error=info_error)
        try:
            return cls(info, read_cut_places(index), info_error=info_error)
        except ChipIndexError as exc:
            return cls(info, index_error=exc, info_error=info_error)

    def placing(self, layer_crs, wanted: Container[int], transform_context=None) -> Optional["Placing"]:
        """A check of the features whose fid is in `wanted` (None when there is no index to check against)."""
        if self.places is None:
            return None
        return Placing(PlaceCheck(self.places), FeatureCentres(layer_crs, self.places, self.info, transform_context),
                       wanted)


@dataclass
class Placing:
    """While a layer is read, each wanted fid's feature noted (its bbox centre in the raster's CRS);
    finish() then checks them all against where their chips were cut, in one numpy pass."""

    check: PlaceCheck
    centres: FeatureCentres
    wanted: Container[int]  # the fids whose features are checked (the results, the reference units)
    _seen: List[Tuple[int, int, float, float]] = field(default_factory=list)  # fid, feature id, 2 x centre
    _transformed: bool = False  # the request that reads the features transforms them (prepare)

    def prepare(self, request: QgsFeatureRequest) -> QgsFeatureRequest:
        """Have `request` give the geometries in the raster's CRS (QGIS transforms them as it reads them,
        as the cut did one by one; a geometry that cannot be transformed comes without one)."""
        if self.centres.transforms:
            request.setDestinationCrs(self.centres.target, self.centres.context)
            self._transformed = True
        return request

    def see(self, key: int, feature) -> None:
        """Note `feature`, read as the object of fid `key` (200,000 times a write: as few calls as can be)."""
        if key not in self.wanted:
            return
        geometry = feature.geometry()
        if self._transformed or not self.centres.transforms:
            box = geometry.boundingBox()
            x0, x1, y0, y1 = box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum()
            if not (x1 > x0 and y1 > y0) and (geometry.isNull() or geometry.isEmpty()):
                x0 = x1 = y0 = y1 = math.nan
            self._seen.append((key, feature.id(), x0 + x1, y0 + y1))
            return
        centre = self.centres(geometry)
        self._seen.append((key, feature.id()) + ((math.nan, math.nan) if centre is None
                                                   else (2.0 * centre[0], 2.0 * centre[1])))

    def finish(self) -> PlaceCheck:
        """The check of every feature seen so far (see PlaceCheck.refuse)."""
        if self._seen:
            fids, ids, xs, ys = zip(*self._seen)
            self.check.add_many(fids, ids, np.asarray(xs) / 2.0, np.asarray(ys) / 2.0)
            self._seen = []
        return self.check


def fid_words(fid_field: str) -> Message:
    """How a write matches results to features, in a sentence."""
    return Message("the field '{0}'", fid_field) if fid_field else Message("the feature id")
