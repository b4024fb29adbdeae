"""The review dock's link to the layer the chips were cut from: the layer and fid field combos, the
check that the layer still has the linked field, result fid -> feature id, and the features selected
on the map.

A link that broke stays broken until the analyst chooses the fid field again (or a run links it):
a field deleted and added back may hold other values (a neighbour's fid, issue 17), so its return
alone proves nothing. Writing is off while the link is broken; the write-back checks the rest.
"""
from typing import Dict, List, Optional

from qgis.core import QgsFeatureRequest, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QSize, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QWidget

from ...compat import integer_field_filter, vector_layer_filter
from ...core.fids import FidError
from ...i18n import tr, tr_error
from ...layers.features import attribute_fid
from ...layers.write_back import WriteBackError, feature_keys


class LayerLink(QWidget):
    """The Layer and Fid field row, and what the dock asks of the link."""

    # the layer or the field changed: what the map shows of the current chip may have changed
    linkChanged = pyqtSignal()
    # the link broke or is whole again ("": whole)
    brokenChanged = pyqtSignal(str)
    # the features selected on the map changed, while the dock lists them
    selectionChanged = pyqtSignal()
    message = pyqtSignal(str, bool)  # text, error

    def __init__(self, parent=None):
        super().__init__(parent)
        self.field = ""  # the field the results are matched by ("" = feature id)
        self.broken = ""  # why the link is broken, else ""
        self._keys: Optional[Dict[int, int]] = None
        self._fields_of: Optional[QgsVectorLayer] = None  # the linked layer, whose field changes we follow
        self._selection_of: Optional[QgsVectorLayer] = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Layer")))
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(vector_layer_filter())
        self.layer_combo.setAllowEmptyLayer(True)
        self.layer_combo.setLayer(None)
        self.layer_combo.setToolTip(tr("The layer the chips were cut from"))
        row.addWidget(self.layer_combo, 2)
        row.addWidget(QLabel(tr("Fid field")))
        self.fid_field_combo = QgsFieldComboBox()
        self.fid_field_combo.setAllowEmptyFieldName(True)
        # chips are named by whole numbers: a text or decimal field cannot be what they were cut with
        self.fid_field_combo.setFilters(integer_field_filter())
        # the field's name alone: the type icon in front of it read as part of the name ("123 fid")
        self.fid_field_combo.setIconSize(QSize(0, 0))
        self.fid_field_combo.setToolTip(tr("The field the chips were named by (empty = feature id)"))
        row.addWidget(self.fid_field_combo, 1)
        self.layer_combo.layerChanged.connect(self._layer_changed)
        self.fid_field_combo.fieldChanged.connect(self._field_changed)
        self.fid_field_combo.activated.connect(self._field_chosen)

    # -- the link --------------------------------------------------------------------------------
    def layer(self) -> Optional[QgsVectorLayer]:
        layer = self.layer_combo.currentLayer()
        return layer if isinstance(layer, QgsVectorLayer) and layer.isValid() else None

    def link(self, layer: Optional[QgsVectorLayer], fid_field: str = "") -> None:
        """Link to a layer and the field its chips were named by ("" = feature id)."""
        self.field = fid_field or ""
        self._set_broken("")
        if layer is not self.layer_combo.currentLayer():
            self.layer_combo.setLayer(layer)  # _layer_changed checks the link
        else:
            self.check()

    def feature_id(self, fid: int) -> Optional[int]:
        """The layer's feature id of a result fid (None: no such feature, or no link)."""
        layer = self.layer()
        if layer is None or self.broken:
            return None
        if not self.field:
            return int(fid)
        if self._keys is None:
            try:
                self._keys = feature_keys(layer, self.field)
            except WriteBackError as exc:
                self.message.emit(tr_error(exc), True)
                self._keys = {}
        return self._keys.get(int(fid))

    def check(self, *_args) -> None:
        """Show the linked field in the combo, or say loudly that the layer lost it (writing is off)."""
        self._keys = None
        layer = self.layer()
        if layer is None or self.broken:  # broken stays broken: only a choice of the analyst mends it
            return
        if self.field and layer.fields().lookupField(self.field) < 0:
            self._set_broken(tr("Layer '{0}' has no field '{1}' (the field the chips were named by): the link is "
                                "broken and writing classes is off. Choose the fid field again.").format(
                layer.name(), self.field))
        elif (self.fid_field_combo.currentField() or "") != self.field:
            self.fid_field_combo.blockSignals(True)
            self.fid_field_combo.setField(self.field)
            self.fid_field_combo.blockSignals(False)

    def _set_broken(self, why: str) -> None:
        if why != self.broken:
            self.broken = why
            self.brokenChanged.emit(why)

    def _layer_changed(self, layer) -> None:
        if self._fields_of is not None:
            try:
                self._fields_of.updatedFields.disconnect(self.check)
            except (TypeError, RuntimeError):
                pass
            self._fields_of = None
        self.fid_field_combo.setLayer(layer)
        if isinstance(layer, QgsVectorLayer):
            # after the combo's model (connected first): re-select the linked field once the fields changed
            layer.updatedFields.connect(self.check)
            self._fields_of = layer
        self._set_broken("")  # another layer: judged afresh
        self.watch_selection(False)
        self.check()
        self.linkChanged.emit()

    def _field_chosen(self, _index) -> None:
        """The analyst picked a fid field in the combo: that is the link now (a broken one is mended)."""
        self.field = self.fid_field_combo.currentField() or ""
        self._set_broken("")
        self.check()
        self.linkChanged.emit()

    def _field_changed(self, _name) -> None:
        # The combo also changes by itself (its layer's fields changed): never take that as the
        # analyst's choice; put the linked field back once the combo has settled.
        if (self.fid_field_combo.currentField() or "") != self.field:
            QTimer.singleShot(0, self.check)

    # -- the features selected on the map --------------------------------------------------------
    def watch_selection(self, on: bool) -> bool:
        """Follow the layer's selection (selectionChanged) or stop; False when there is no layer."""
        if self._selection_of is not None:
            try:
                self._selection_of.selectionChanged.disconnect(self.selectionChanged)
            except (TypeError, RuntimeError):
                pass
            self._selection_of = None
        layer = self.layer()
        if not on or layer is None:
            return not on
        layer.selectionChanged.connect(self.selectionChanged)
        self._selection_of = layer
        return True

    def selected_fids(self) -> List[int]:
        """The result fids of the features selected on the map."""
        layer = self.layer()
        if layer is None:
            return []
        if not self.field:
            return [int(fid) for fid in layer.selectedFeatureIds()]
        index = layer.fields().lookupField(self.field)
        if index < 0 or self.broken:  # no feature says which result it is
            return []
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes([index])
        fids = []
        for feature in layer.getSelectedFeatures(request):
            try:
                value = attribute_fid(feature.attribute(index), self.field)
            except FidError:  # such a feature has no result: the write-back names it
                continue
            if value is not None:
                fids.append(value)
        return fids
