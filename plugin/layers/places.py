"""Is each feature the object its chip was cut from? The QGIS side of core/chips/placement.py.

A feature's bounding-box centre is computed as chipvlm:cutchips computed it (the geometry
transformed to the raster's CRS when the layer's differs and both are known, then its bounding box),
and checked against the centre chips_index.csv recorded for the feature's fid. Used by the write-back
(the dock and chipvlm:writeclasses, in place or to a copy) and the accuracy report's join.
"""
import math
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Container, Dict, List, Optional, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsVectorLayerEditPassthrough,
)

from ..core.chips.envelopes import read_envelopes
from ..core.chips.index import ChipIndexError
from ..core.chips.placement import CutPlaces, PlaceCheck, cut_index_of, read_cut_places
from ..core.errors import ChipVLMError, Message
from ..core.review import results_path, run_info_for


def raster_crs(index_crs: Callable[[], str], run_info: Optional[dict]) -> QgsCoordinateReferenceSystem:
    """The CRS the chips were cut in: run.json's (QGIS's own name of the raster's CRS), else the index's
    (asked for only then: the index may still be being read)."""
    crs = _crs((run_info or {}).get("crs"))
    return crs if crs.isValid() else _crs(index_crs())


def _crs(text: Optional[str]) -> QgsCoordinateReferenceSystem:
    crs = QgsCoordinateReferenceSystem()
    if text:
        crs.createFromUserInput(str(text))
    return crs


class FeatureCentres:
    """Bounding-box centre of a geometry in the raster's CRS, the way the cut computed it."""

    def __init__(self, layer_crs, index_crs: Callable[[], str], run_info: Optional[dict] = None,
                 transform_context=None):
        self.target = raster_crs(index_crs, run_info)
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

    `index` is None when the run has no chips_index.csv to check against (a run folder without it,
    results merged from CSV files); `places` are read from it in a thread from the moment the record
    is made (200,000 rows: a few tenths of a second a write-back's pass over the layer hides), and
    waited for when asked. `index_error` says why an index that exists cannot be used, and `info_error`
    why a run.json that exists cannot be read (a write is refused then, with that sentence).
    """

    info: Optional[dict] = None
    info_error: Optional[ChipVLMError] = None
    index: Optional[str] = None
    _reading: Optional[Future] = None  # read_cut_places(index)

    @classmethod
    def of_results(cls, results) -> "RunRecord":
        """The record of a results.sqlite (or its run folder); never raises for a damaged file."""
        try:
            info, info_error = run_info_for(results), None
        except ChipVLMError as exc:  # run.json damaged: the run is still readable, its link unknown
            info, info_error = None, exc
        index = cut_index_of(results_path(results))
        return cls(info, info_error, index, None if index is None else in_background(read_cut_places, index))

    @property
    def places(self) -> Optional[CutPlaces]:
        """Where every chip was cut (None: no index, or one that cannot be used: see index_error)."""
        return None if self._reading is None or self._reading.exception() else self._reading.result()

    @property
    def index_error(self) -> Optional[ChipIndexError]:
        """Why the index cannot be used (None: it can, or there is none). Other errors are raised."""
        error = None if self._reading is None else self._reading.exception()
        if error is not None and not isinstance(error, ChipIndexError):
            raise error
        return error

    def placing(self, layer_crs, wanted: Container[int], transform_context=None) -> Optional["Placing"]:
        """A check of the features whose fid is in `wanted` (None when there is no index to check against);
        the places are waited for only when the check needs them (finish), or the CRS when run.json has none."""
        if self.index is None:
            return None
        return Placing(self, FeatureCentres(layer_crs, lambda: self.places.crs if self.places else "", self.info,
                                            transform_context), wanted)


@dataclass
class Placing:
    """While a layer is read, each wanted fid's feature noted (its bbox centre in the raster's CRS);
    finish() then checks them all against where their chips were cut, in one numpy pass."""

    run: RunRecord
    centres: FeatureCentres
    wanted: Container[int]  # the fids whose features are checked (the results, the reference units)
    _seen: List[Tuple[int, int, float, float]] = field(default_factory=list)  # fid, feature id, 2 x centre
    _transformed: bool = False  # the request that reads the features transforms them (prepare)
    _check: Optional[PlaceCheck] = None
    sees_features: ClassVar[bool] = True  # the layer's pass gives it every feature (see)

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

    @property
    def check(self) -> PlaceCheck:
        """The check against the run's places (waits for them; the caller has seen that index_error is None)."""
        if self._check is None:
            self._check = PlaceCheck(self.run.places)
        return self._check

    def finish(self, keys: Optional[Dict[int, int]] = None) -> PlaceCheck:
        """The check of every feature seen so far (see PlaceCheck.refuse); `keys` is for FilePlacing."""
        if self._seen:
            fids, ids, xs, ys = zip(*self._seen)
            self.check.add_many(fids, ids, np.asarray(xs) / 2.0, np.asarray(ys) / 2.0)
            self._seen = []
        return self.check


def geopackage_of(layer: QgsVectorLayer) -> Optional[Tuple[str, str]]:
    """The GeoPackage file and table `layer` reads, when the file tells its features' envelopes: an OGR
    layer on a GeoPackage whose edits, if any, wait in QGIS's edit buffer. Not in a transaction group:
    there edits are in the file already, uncommitted, where another connection cannot see them, and
    may come from another layer of the group or from SQL, which no edit buffer lists."""
    provider = layer.dataProvider()
    if layer.providerType() != "ogr" or provider is None or provider.storageType() != "GPKG":
        return None
    if isinstance(layer.editBuffer(), QgsVectorLayerEditPassthrough):
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, table, index = parts.get("path") or "", parts.get("layerName") or "", parts.get("layerId")
    if not path or (not table and index not in (None, 0, "0")):
        return None
    return path, table  # no table: the file's only one (a file of several is read the slow way)


@dataclass
class FilePlacing:
    """A Placing of a GeoPackage layer in the raster's CRS: the layer's one pass reads no geometry; at
    finish, the centres come from the file's envelopes (core/chips/envelopes.py) for the features the
    pass found, and only features the file cannot tell (no envelope, a geometry changed or added in
    the edit buffer) are read through QGIS. Writing 200,000 features, that takes the check from about
    2 s to a quarter of one (bench/write_cost.py)."""

    placing: Placing  # the way features are read one by one, for those the file cannot tell
    layer: QgsVectorLayer
    path: str
    table: str
    sees_features: ClassVar[bool] = False
    _envelopes: Optional[Future] = None  # read_envelopes' answer, read while the layer's pass goes on

    def prepare(self, request: QgsFeatureRequest) -> QgsFeatureRequest:
        """The pass reads no geometry; meanwhile a thread reads the envelopes (SQLite leaves the GIL
        while it reads, so the pass's Python loop goes on)."""
        self._envelopes = in_background(read_envelopes, self.path, self.table)
        return request.setFlags(request.flags() | QgsFeatureRequest.Flag.NoGeometry)

    def finish(self, keys: Optional[Dict[int, int]] = None) -> PlaceCheck:
        """The check of the features `keys` maps the wanted fids to (fid -> feature id)."""
        pairs = [(key, feature_id) for key, feature_id in (keys or {}).items() if key in self.placing.wanted]
        reading, self._envelopes = self._envelopes, None
        envelopes = (reading.result() if reading is not None else read_envelopes(self.path, self.table)) if pairs else None
        fids = [key for key, _ in pairs]
        feature_ids = np.array([feature_id for _, feature_id in pairs], dtype=np.int64)
        if envelopes is None:
            x = y = np.full(len(pairs), np.nan)
            known = np.zeros(len(pairs), dtype=bool)
        else:
            x, y, known = envelopes.centres(feature_ids)
            known &= ~np.isin(feature_ids, self._edited())
        check = self.placing.check
        at = np.flatnonzero(known)
        check.add_many(np.asarray(fids, dtype=np.int64)[at], feature_ids[at], x[at], y[at])
        self._read_slowly({int(feature_ids[i]): fids[i] for i in np.flatnonzero(~known)})
        return self.placing.finish()

    def _edited(self) -> np.ndarray:
        """Feature ids whose geometry in the edit buffer is not the file's (changed or added)."""
        buffer = self.layer.editBuffer()
        if buffer is None:
            return np.zeros(0, dtype=np.int64)
        return np.array(list(buffer.changedGeometries()) + list(buffer.addedFeatures()), dtype=np.int64)

    def _read_slowly(self, keys_by_id: Dict[int, int]) -> None:
        """Each of these features read with its geometry (by feature id) and noted by the Placing."""
        if not keys_by_id:
            return
        request = self.placing.prepare(QgsFeatureRequest().setFilterFids(list(keys_by_id)))
        for feature in self.layer.getFeatures(request):
            self.placing.see(keys_by_id[feature.id()], feature)


def in_background(function, *args) -> Future:
    """function(*args) run in a daemon thread of its own (one that nobody waits for, after a cancel,
    ends with its function)."""
    future: Future = Future()

    def run():
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="chipvlm-background", daemon=True).start()
    return future


def layer_placing(placing: Optional[Placing], layer: QgsVectorLayer):
    """The fastest way to check `layer`'s features: FilePlacing for a GeoPackage layer in the raster's
    CRS (its envelopes are the bounding boxes the cut computed), else `placing` itself."""
    if placing is None or placing.centres.transforms:
        return placing
    source = geopackage_of(layer)
    return placing if source is None else FilePlacing(placing, layer, *source)


def fid_words(fid_field: str) -> Message:
    """How a write matches results to features, in a sentence."""
    return Message("the field '{0}'", fid_field) if fid_field else Message("the feature id")
