"""Is each feature the object its chip was cut from? The QGIS side of core/chips/placement.py.

A feature's bounding-box centre is computed as chipvlm:cutchips computed it (the geometry
transformed to the raster's CRS when the layer's differs and both are known, then its bounding box),
and checked against the centre chips_index.csv recorded for the feature's fid. Used by the write-back
(the dock and chipvlm:writeclasses, in place or to a copy) and the accuracy report's join.
"""
from dataclasses import dataclass
from typing import Container, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsGeometry,
    QgsProject,
)

from ..core.chips.index import ChipIndexError
from ..core.chips.placement import CutPlaces, PlaceCheck, cut_index_of, read_cut_places
from ..core.errors import Message
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
        target = raster_crs(places, run_info)
        self._transform = None
        # as the cut: no transform when either CRS is unknown (coordinates taken to be the same) or both agree
        if layer_crs is not None and layer_crs.isValid() and target.isValid() and layer_crs != target:
            context = transform_context or QgsProject.instance().transformContext()
            self._transform = QgsCoordinateTransform(layer_crs, target, context)

    def __call__(self, geometry: QgsGeometry) -> Optional[Tuple[float, float]]:
        if self._transform is None:  # the usual case, 200,000 times a write: as few calls into QGIS as can be
            box = geometry.boundingBox()
            if box.isEmpty() and (geometry.isNull() or geometry.isEmpty()):
                return None
            return (box.xMinimum() + box.xMaximum()) / 2.0, (box.yMinimum() + box.yMaximum()) / 2.0
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
    results merged from CSV files); `index_error` says why an index that exists cannot be used.
    """

    info: Optional[dict] = None
    places: Optional[CutPlaces] = None
    index_error: Optional[ChipIndexError] = None

    @classmethod
    def of_results(cls, results) -> "RunRecord":
        """The record of a results.sqlite (or its run folder)."""
        info = run_info_for(results)
        index = cut_index_of(results_path(results))
        if index is None:
            return cls(info)
        try:
            return cls(info, read_cut_places(index))
        except ChipIndexError as exc:
            return cls(info, index_error=exc)

    def placing(self, layer_crs, wanted: Container[int], transform_context=None) -> Optional["Placing"]:
        """A check of the features whose fid is in `wanted` (None when there is no index to check against)."""
        if self.places is None:
            return None
        return Placing(PlaceCheck(self.places), FeatureCentres(layer_crs, self.places, self.info, transform_context),
                       wanted)


@dataclass
class Placing:
    """While a layer is read, each wanted fid's feature checked against where its chip was cut."""

    check: PlaceCheck
    centres: FeatureCentres
    wanted: Container[int]  # the fids whose features are checked (the results, the reference units)

    def see(self, key: int, feature) -> None:
        if key in self.wanted:
            self.check.add(key, feature.id(), self.centres(feature.geometry()))


def fid_words(fid_field: str) -> Message:
    """How a write matches results to features, in a sentence."""
    return Message("the field '{0}'", fid_field) if fid_field else Message("the feature id")
