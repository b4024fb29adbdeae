"""Which feature of a layer is the object of which result: the fids read from the layer, checked
against the run (run.json: layer and fid field; chips_index.csv: where each chip was cut) before a
write-back (plugin/layers/write_back.py, the dock, chipvlm:writeclasses) changes anything.
"""
from dataclasses import dataclass, field
from typing import Container, Dict, List, Optional, Tuple, Union

from qgis.core import NULL, QgsFeatureRequest, QgsVectorLayer

from ..core.chips.placement import NOTHING_WRITTEN, PlaceCheck, PlacementError
from ..core.fids import FidError
from ..core.review import ReviewError, check_link
from ..i18n import tr, tr_error
from .features import attribute_fid, is_null
from .places import FilePlacing, Placing, RunRecord, fid_words, layer_placing

PROGRESS_EVERY = 2000  # features read between two progress reports (and cancel checks)
READ_SHARE = 10.0  # percent of a write's progress for reading the layer's fids


class WriteBackError(Exception):
    """Classes cannot be written; the message names the layer, field or feature and what to do."""


class MisplacedFeaturesError(WriteBackError):
    """Features that are not where their chips were cut: nothing was written (the message says which,
    and which features of the layer already hold a class no result of the run supports)."""

    def __init__(self, message: str, misplaced, unsupported):
        super().__init__(message)
        self.misplaced = misplaced  # core.chips.placement.Misplaced, by fid
        self.unsupported = unsupported  # feature ids holding a class no result of the run supports


UNSUPPORTED_LISTED = 200  # feature ids in the expression that selects them


@dataclass
class KeptValues:
    """The values of some fields of each wanted fid's feature, read in the pass that reads the keys:
    what the edit buffer's changes replace."""

    indexes: List[int]  # the fields read (those that exist before the write)
    wanted: Container[int]
    values: Dict[int, list] = field(default_factory=dict)  # feature id -> its attributes (`indexes` read)

    def see(self, key: int, feature) -> None:
        if key in self.wanted:
            self.values[feature.id()] = feature.attributes()  # one call: 200,000 features a write

    def old(self, feature_id: int, indexes: List[int]) -> Dict[int, object]:
        """What the fields `indexes` of a feature hold now (NULL in a field added since: it holds nothing)."""
        attributes = self.values.get(feature_id)
        return {index: _or_null(attributes[index]) if attributes is not None and index in self.indexes else NULL
                for index in indexes}


def _or_null(value):
    return NULL if value is None else value


def feature_keys(layer: QgsVectorLayer, fid_field: str = "", feedback=None, refused: Optional[List[str]] = None,
                 placing: Union[Placing, FilePlacing, None] = None, kept: Optional[KeptValues] = None
                 ) -> Dict[int, int]:
    """Result fid -> feature id: the feature id itself, or the value of the fid field.

    With a `feedback`, reading the layer is the first READ_SHARE percent of the progress, and a
    cancel stops it (the keys read so far are returned: check feedback.isCanceled()). A feature whose
    fid field holds no fid by core.fids' rule (12.7) is left out, and its sentence added to `refused`.
    With `placing`, the geometry of every feature whose fid has a result is noted in the same pass (to
    be checked by placing.finish()); with `kept`, the values of its fields.
    """
    request, index = _keys_request(layer, fid_field, placing, kept)
    see = placing.see if placing is not None and placing.sees_features else None
    total = max(layer.featureCount(), 1)
    keys: Dict[int, int] = {}
    for count, feature in enumerate(layer.getFeatures(request)):
        if feedback is not None and count % PROGRESS_EVERY == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(READ_SHARE * min(count / total, 1.0))
        try:
            key = feature.id() if index < 0 else attribute_fid(feature.attribute(index), fid_field)
        except FidError as exc:
            if refused is not None:
                refused.append(refused_feature(feature.id(), exc))
            continue
        if key is not None:
            keys[key] = feature.id()
            if see is not None:
                see(key, feature)
            if kept is not None:
                kept.see(key, feature)
    return keys


def _keys_request(layer: QgsVectorLayer, fid_field: str, placing: Union[Placing, FilePlacing, None],
                  kept: Optional[KeptValues]) -> Tuple[QgsFeatureRequest, int]:
    """The request of feature_keys' one pass (what it reads, nothing more) and the fid field's index (-1: feature id)."""
    request = QgsFeatureRequest()
    if placing is None:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    else:
        placing.prepare(request)  # geometries in the raster's CRS, transformed by QGIS as they are read (or none)
    index = -1
    if fid_field:
        index = layer.fields().lookupField(fid_field)
        if index < 0:
            raise WriteBackError(
                tr("Layer '{0}' has no field '{1}' to match the results' fids.").format(layer.name(), fid_field)
            )
    attributes = list(dict.fromkeys(([index] if index >= 0 else []) + (kept.indexes if kept is not None else [])))
    if attributes:
        request.setSubsetOfAttributes(attributes)
    else:
        request.setNoAttributes()
    return request, index


def check_keys(run_info: Optional[dict], fid_field: str, layer_name: str, finals, keys) -> None:
    """WriteBackError when the layer's keys do not fit the run (see core.review.check_link)."""
    try:
        check_link(run_info, fid_field, layer_name, len(finals), sum(1 for fid in finals if fid in keys))
    except ReviewError as exc:
        raise WriteBackError(tr_error(exc)) from exc


def placing_for(layer: QgsVectorLayer, finals, run: Optional[RunRecord]) -> Union[Placing, FilePlacing, None]:
    """How the features of `layer` are checked against the run's chips (None: nothing to check against)."""
    if run is None:
        return None
    if run.info_error is not None:
        raise WriteBackError(
            tr("The run record of this run cannot be read, so the layer cannot be checked against the run: {0} "
               "Repair or restore run.json, then write again.").format(tr_error(run.info_error)))
    return layer_placing(run.placing(layer.crs(), finals), layer)


def check_index(run: RunRecord) -> None:
    """WriteBackError when the run's chips index exists but cannot be used (it is read while the layer's
    pass goes on: asked after it)."""
    if run.index_error is not None:
        raise WriteBackError(
            tr("The chips index of this run cannot be read, so no feature can be checked against its chip: {0} "
               "Repair or restore chips_index.csv, then write again.").format(tr_error(run.index_error)))


def linked_keys(layer: QgsVectorLayer, finals, fid_field: str = "", run: Optional[RunRecord] = None,
                feedback=None, refused: Optional[List[str]] = None, class_field: str = "class_id",
                kept: Optional[KeptValues] = None) -> Tuple[Dict[int, int], Optional[PlaceCheck]]:
    """The layer's keys (see feature_keys), checked against the run before anything is written: its
    run.json (layer, fid field; check_keys) and, where the run has a chips index, every result's feature
    against where its chip was cut (MisplacedFeaturesError, naming the features). Returns the keys and
    the check made (None without an index). After a cancel (feedback) nothing is checked."""
    placing = placing_for(layer, finals, run)
    keys = feature_keys(layer, fid_field, feedback, refused, placing, kept)
    if feedback is not None and feedback.isCanceled():
        return keys, None
    check_keys(run.info if run is not None else None, fid_field, layer.name(), finals, keys)
    if placing is None:
        return keys, None
    check_index(run)
    check = placing.finish(keys)  # every result's feature against its chip, in one pass
    refuse_misplaced(layer, fid_field, finals, check, class_field)
    return keys, check


def refuse_misplaced(layer: QgsVectorLayer, fid_field: str, finals, check: PlaceCheck, class_field: str) -> None:
    """MisplacedFeaturesError when a checked feature is not where its chip was cut."""
    try:
        check.refuse(layer.name(), fid_words(fid_field), NOTHING_WRITTEN)
    except PlacementError as exc:
        misplaced_ids = {m.feature_id for m in check.misplaced}
        unsupported = unsupported_classes(layer, fid_field, class_field, finals, misplaced_ids)
        text = tr_error(exc)
        if unsupported:
            text += " " + unsupported_sentence(layer.name(), class_field, unsupported)
        raise MisplacedFeaturesError(text, list(check.misplaced), unsupported) from exc


def unsupported_classes(layer: QgsVectorLayer, fid_field: str, class_field: str, finals,
                        misplaced_ids) -> List[int]:
    """Feature ids of the layer holding a class in `class_field` that no result of the run supports:
    no result for their fid, a feature not where its chip was cut, or another class than the result's."""
    fields = layer.fields()
    class_index = fields.lookupField(class_field)
    key_index = fields.lookupField(fid_field) if fid_field else -1
    if class_index < 0 or (fid_field and key_index < 0):
        return []
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes([i for i in (class_index, key_index) if i >= 0])
    unsupported = []
    for feature in layer.getFeatures(request):
        value = feature.attribute(class_index)
        if is_null(value):
            continue
        try:
            key = feature.id() if key_index < 0 else attribute_fid(feature.attribute(key_index), fid_field)
        except FidError:
            key = None
        final = finals.get(key) if key is not None else None
        if final is None or feature.id() in misplaced_ids or _class_id(value) != final.class_id:
            unsupported.append(feature.id())
    return sorted(unsupported)


def _class_id(value) -> Optional[int]:
    """A class field's value as a class id (2, 2.0 and "2" alike); None for anything else."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def unsupported_sentence(layer_name: str, class_field: str, feature_ids: List[int]) -> str:
    shown = ", ".join(str(i) for i in feature_ids[:UNSUPPORTED_LISTED])
    text = tr("{0} features of '{1}' already hold a class in '{2}' that no result of this run supports (written "
              "while their fids named other objects?): do not use those classes. Select them with the expression "
              "$id IN ({3}) and clear their class fields.").format(len(feature_ids), layer_name, class_field, shown)
    if len(feature_ids) > UNSUPPORTED_LISTED:
        text += " " + tr("(The expression names the first {0}.)").format(UNSUPPORTED_LISTED)
    return text


def refused_feature(feature_id: int, error: FidError) -> str:
    """The sentence for a feature whose fid field holds no usable fid (12.7, text)."""
    return tr("Feature {0} gets no class: {1}").format(feature_id, tr_error(error))


def placed_note(run: Optional[RunRecord], check: Optional[PlaceCheck]) -> str:
    """What the report says of the check against the chips ("" when there was no run to check against)."""
    if run is None:
        return ""
    if check is None:
        return tr("The features were not checked against their chips: the run has no chips_index.csv beside "
                  "its results. Make sure this is the layer and fid field the chips were cut from.")
    if check.unchecked:
        return tr("{0} features checked against their chips; {1} results have no recorded chip centre and "
                  "were not checked.").format(check.checked, check.unchecked)
    return ""
