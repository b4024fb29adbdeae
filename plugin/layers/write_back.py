"""Writing the final classes of a run into a vector layer (the dock's button and chipvlm:writeclasses).

No widget: the QGIS side of the last step, shared by plugin/gui/review_dock/ and plugin/processing/.

The final class of a fid is the analyst's where there is one, else the model's
(plugin/core/review/). Three fields receive it: the class id (integer), the class name (text) and
the review status (text: reviewed, to_review, error, model). A layer in edit mode gets the values in
its edit buffer as one undoable edit command (saving is the analyst's call). A layer not in edit mode
is written through its data provider in chunks, with progress and cancel between them: a county of
200,000 features takes seconds, where the edit buffer and its commit took three times as long in one
unresponsive block.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from qgis.core import (
    QgsField,
    QgsFields,
    QgsVectorDataProvider,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType

from .. import compat
from ..core.review import FinalClass
from ..i18n import tr
from .link import (  # noqa: F401  (feature_keys, WriteBackError, MisplacedFeaturesError: the dock imports them from here)
    READ_SHARE,
    KeptValues,
    MisplacedFeaturesError,
    WriteBackError,
    feature_keys,
    linked_keys,
    placed_note,
)
from .places import RunRecord

CLASS_FIELD = "class_id"
NAME_FIELD = "class_name"
STATUS_FIELD = "review"

INTEGER_TYPES = compat.INTEGER_FIELD_TYPES
WRITE_CHUNK = 2000  # features per provider call when the layer is not in edit mode, and per progress report
SHAPEFILE_NAME_LENGTH = 10  # dBASE field names
TEXT_TYPES = compat.TEXT_FIELD_TYPES
REFUSED_LISTED = 10  # features without a usable fid named in a message; the rest are counted


@dataclass(frozen=True)
class ClassFields:
    """The three fields the final class goes into."""

    class_field: str = CLASS_FIELD
    name_field: str = NAME_FIELD
    status_field: str = STATUS_FIELD


def _type_value(kind) -> int:
    return compat.type_value(kind)


def _writable_origins() -> Tuple[int, int]:
    """Fields of the file itself, or added in the edit buffer (not virtual, not joined)."""
    return compat.writable_field_origins()


def _new_field(name: str, integer: bool, length: int = 0) -> QgsField:
    created = compat.new_field(name, QMetaType.Type.Int if integer else QMetaType.Type.QString)
    if integer:
        created.setLength(10)
    elif length:
        created.setLength(length)
    return created


@dataclass
class FieldPlan:
    """Which of the three fields exist, which must be created, at which index each ends up."""

    names: Tuple[str, str, str]
    missing: List[QgsField] = field(default_factory=list)


def plan_fields(fields: QgsFields, layer_name: str, class_field: str = CLASS_FIELD,
                name_field: str = NAME_FIELD, status_field: str = STATUS_FIELD) -> FieldPlan:
    """Check the fields the classes go into; an existing one of the wrong type is an error."""
    names = (class_field, name_field, status_field)
    if len({n.lower() for n in names}) != 3 or not all(n.strip() for n in names):
        raise WriteBackError(
            tr("The class field, the class name field and the review field need three different names "
               "(got '{0}', '{1}', '{2}').").format(*names)
        )
    plan = FieldPlan(names)
    wants = ((class_field, True, 0), (name_field, False, 80), (status_field, False, 20))
    for name, integer, length in wants:
        index = fields.lookupField(name)
        if index < 0:
            plan.missing.append(_new_field(name, integer, length))
            continue
        existing = fields.at(index)
        kind = _type_value(existing.type())
        accepted = INTEGER_TYPES if integer else TEXT_TYPES
        if kind not in [_type_value(t) for t in accepted]:
            wanted = tr("a whole number") if integer else tr("a text")
            raise WriteBackError(
                tr("The field '{0}' of layer '{1}' is of type {2}, but ChipVLM writes {3} there. "
                   "Choose another field name, or rename or delete that field.").format(
                    existing.name(), layer_name, existing.typeName() or existing.displayType(), wanted
                )
            )
    return plan


@dataclass
class WriteReport:
    layer_name: str
    written: int = 0  # features that got a class
    without_result: int = 0  # features of the layer that have no result (left as they are)
    not_found: List[int] = field(default_factory=list)  # results whose fid no feature has
    created_fields: List[str] = field(default_factory=list)
    committed: bool = False  # False: the values wait in the layer's edit buffer
    canceled: bool = False  # stopped midway: the features written so far keep their class
    to_write: int = 0  # features with a result
    refused: List[str] = field(default_factory=list)  # features whose fid field holds no fid (12.7)
    placed: str = ""  # what the check against the chips could not do ("" = every feature checked, or no run)

    def message(self) -> str:
        if self.canceled:
            return tr("Writing the classes was canceled after {0} of {1} features of '{2}'; those keep their "
                      "new class. Write again to finish.").format(self.written, self.to_write, self.layer_name)
        text = tr("{0} features of '{1}' got their class.").format(self.written, self.layer_name)
        if self.created_fields:
            text += " " + tr("New fields: {0}.").format(", ".join(self.created_fields))
        if not self.committed and self.written:
            text += " " + tr("The layer is in edit mode: save its edits to keep them (Ctrl+Z undoes them).")
        if self.without_result:
            text += " " + tr("{0} features have no result and were left as they are.").format(
                self.without_result
            )
        if self.refused:
            text += " " + " ".join(self.refused[:REFUSED_LISTED])
            if len(self.refused) > REFUSED_LISTED:
                text += " " + tr("... and {0} more features without a usable fid.").format(
                    len(self.refused) - REFUSED_LISTED)
        if self.placed:
            text += " " + self.placed
        if self.not_found:
            shown = ", ".join(str(f) for f in self.not_found[:10])
            more = "…" if len(self.not_found) > 10 else ""
            text += " " + tr("{0} results have no feature in the layer (fids {1}{2}): is it the layer the "
                             "chips were cut from, with the same fid field?").format(
                len(self.not_found), shown, more
            )
        return text


def class_values(final: FinalClass) -> Tuple[int, str, str]:
    return final.class_id, final.class_name, final.status


def check_writable(layer: QgsVectorLayer, plan: FieldPlan) -> None:
    if layer is None or not layer.isValid():
        raise WriteBackError(tr("The layer to write classes into is not valid."))
    fields = layer.fields()
    for name in plan.names:
        index = fields.lookupField(name)
        if index >= 0 and _type_value(fields.fieldOrigin(index)) not in _writable_origins():
            raise WriteBackError(
                tr("The field '{0}' of layer '{1}' is a virtual or joined field: ChipVLM cannot write into it. "
                   "Remove it, or choose another field name.").format(fields.at(index).name(), layer.name())
            )
    if layer.dataProvider().storageType() == "ESRI Shapefile":
        too_long = [f.name() for f in plan.missing if len(f.name()) > SHAPEFILE_NAME_LENGTH]
        if too_long:
            raise WriteBackError(
                tr("A shapefile's field names have at most 10 characters: '{0}' would be cut short. Choose a "
                   "shorter name, or save the layer as a GeoPackage.").format("', '".join(too_long))
            )
    capabilities = layer.dataProvider().capabilities()
    if layer.readOnly() or not capabilities & QgsVectorDataProvider.Capability.ChangeAttributeValues:
        raise WriteBackError(
            tr("Layer '{0}' is read-only: ChipVLM cannot write classes into it. Save it as a GeoPackage "
               "(or run 'Write classes' to a new layer) and try again.").format(layer.name())
        )
    if plan.missing and not capabilities & QgsVectorDataProvider.Capability.AddAttributes:
        raise WriteBackError(
            tr("Layer '{0}' cannot get new fields ({1}). Add them yourself, or write to a new layer.").format(
                layer.name(), ", ".join(f.name() for f in plan.missing)
            )
        )


def write_classes(
    layer: QgsVectorLayer,
    finals: Dict[int, FinalClass],
    fid_field: str = "",
    fields: ClassFields = ClassFields(),
    feedback=None,
    run: Optional[RunRecord] = None,
) -> WriteReport:
    """Write the final classes into the layer itself.

    `feedback` is an optional QgsFeedback (progress, cancel). A layer in edit mode gets one undoable
    edit command in its edit buffer; any other layer is written and saved chunk by chunk. With the
    run's record (`RunRecord.of_results`), a layer or fid field the run was not cut from is refused
    first (WriteBackError), and so is a layer where a result's feature is not where its chip was cut
    (MisplacedFeaturesError): nothing is written then.
    """
    plan = plan_fields(layer.fields(), layer.name(), fields.class_field, fields.name_field, fields.status_field)
    check_writable(layer, plan)
    refused: List[str] = []
    # in edit mode, what each change replaces is read in the same pass as the fids and geometries
    existing = _existing_indexes(layer, plan)
    kept = KeptValues(existing, finals if existing else ()) if layer.isEditable() else None  # () : all new
    keys, check = linked_keys(layer, finals, fid_field, run, feedback, refused, fields.class_field, kept)
    report = WriteReport(layer.name(), refused=refused)
    report.placed = placed_note(run, check)
    report.not_found = sorted(fid for fid in finals if fid not in keys)
    report.without_result = sum(1 for key in keys if key not in finals)
    # feature id -> (class id, class name, status), in the layer's order
    changes = [(feature_id, class_values(finals[key])) for key, feature_id in keys.items() if key in finals]
    report.to_write = len(changes)
    if feedback is not None and feedback.isCanceled():  # while reading: nothing written yet
        report.canceled = True
        return report
    if kept is not None:
        _write_edit_buffer(layer, plan, changes, report, feedback, kept)
    else:
        _write_provider(layer, plan, changes, report, feedback)
    if feedback is not None and not report.canceled:
        feedback.setProgress(100.0)
    return report


def _existing_indexes(layer, plan: FieldPlan) -> List[int]:
    """The indexes of the class fields the layer already has."""
    fields = layer.fields()
    return [fields.lookupField(name) for name in plan.names if fields.lookupField(name) >= 0]


def _write_edit_buffer(layer, plan: FieldPlan, changes, report: WriteReport, feedback, kept: KeptValues) -> None:
    """One edit command: one Ctrl+Z (or a rollback) takes back the new fields and every value.

    Every change carries the value it replaces (`kept`, read with the fids): without it, QGIS reads
    each old value back from a clone of the layer when undoing, which takes hours for a county (and
    seconds for a village).
    """
    layer.beginEditCommand(tr("Write ChipVLM classes"))
    try:
        for new_field in plan.missing:
            if not layer.addAttribute(new_field):
                raise WriteBackError(
                    tr("The field '{0}' cannot be added to layer '{1}'.").format(new_field.name(), layer.name())
                )
            report.created_fields.append(new_field.name())
        indexes = _field_indexes(layer.fields(), plan, layer.name())
        total = max(len(changes), 1)
        for count, (feature_id, values) in enumerate(changes):
            if feedback is not None and count % WRITE_CHUNK == 0:
                if feedback.isCanceled():
                    raise WriteBackError(tr("Writing the classes was canceled; the layer is unchanged."))
                feedback.setProgress(_write_progress(count, total))
            old = kept.old(feature_id, indexes)
            if not layer.changeAttributeValues(feature_id, dict(zip(indexes, values)), old):
                raise WriteBackError(
                    tr("Feature {0} of layer '{1}' could not be changed.").format(feature_id, layer.name())
                )
            report.written += 1
    except BaseException:
        layer.destroyEditCommand()
        raise
    layer.endEditCommand()


def _write_provider(layer, plan: FieldPlan, changes, report: WriteReport, feedback) -> None:
    """Straight into the file, a chunk per call: saved as it goes, cancel stops between chunks."""
    provider = layer.dataProvider()
    if plan.missing:
        if not provider.addAttributes(plan.missing):
            raise WriteBackError(
                tr("The fields {0} cannot be added to layer '{1}': {2}").format(
                    ", ".join(f.name() for f in plan.missing), layer.name(), "; ".join(provider.errors())
                )
            )
        layer.updateFields()
        report.created_fields = [f.name() for f in plan.missing]
    indexes = _field_indexes(provider.fields(), plan, layer.name())
    total = max(len(changes), 1)
    for start in range(0, len(changes), WRITE_CHUNK):
        if feedback is not None:
            if feedback.isCanceled():
                report.canceled = True
                break
            feedback.setProgress(_write_progress(start, total))
        chunk = changes[start:start + WRITE_CHUNK]
        if not provider.changeAttributeValues({fid: dict(zip(indexes, values)) for fid, values in chunk}):
            raise WriteBackError(
                tr("Layer '{0}' could not save the classes ({1} features saved before): {2}").format(
                    layer.name(), report.written, "; ".join(provider.errors())
                )
            )
        report.written += len(chunk)
    report.committed = True
    layer.triggerRepaint()


def _write_progress(done: int, total: int) -> float:
    return READ_SHARE + (100.0 - READ_SHARE) * done / total


def _field_indexes(fields: QgsFields, plan: FieldPlan, layer_name: str) -> List[int]:
    indexes = [fields.lookupField(name) for name in plan.names]
    if min(indexes) < 0:
        raise WriteBackError(
            tr("The new fields of layer '{0}' could not be found after adding them.").format(layer_name)
        )
    return indexes


def output_fields(fields: QgsFields, plan: FieldPlan) -> Tuple[QgsFields, List[int]]:
    """The fields of a copy of the layer with the class fields, and the index of each class field."""
    out = QgsFields(fields)
    for new_field in plan.missing:
        out.append(new_field)
    return out, [out.lookupField(name) for name in plan.names]
