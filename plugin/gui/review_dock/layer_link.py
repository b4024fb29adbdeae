"""The review dock's link to the layer the chips were cut from: the layer and fid field combos, the
check that the layer still has the linked field (writing is off while it does not), result fid ->
feature id, the highlight of the current chip on the map, and the Map selection filter.

The highlight itself is drawn by map_link.MapLink; this part decides what it shows.
"""
from typing import List, Optional

from qgis.core import QgsFeatureRequest, QgsVectorLayer
from qgis.gui import QgsHighlight
from qgis.PyQt.QtCore import QTimer

from ...core.fids import FidError
from ...core.review import ChipReview
from ...i18n import tr, tr_error
from ...layers.features import attribute_fid
from ...layers.write_back import WriteBackError, feature_keys


class LayerLinkMixin:
    """The run's layer link, its fid field, the map highlight and the map-selection filter."""

    def _map_selection_toggled(self, checked: bool) -> None:
        layer = self.layer()
        if self._watched_layer is not None:
            try:
                self._watched_layer.selectionChanged.disconnect(self._map_selection_changed)
            except (TypeError, RuntimeError):
                pass
            self._watched_layer = None
        if not checked:
            self._map_fids = None
            self.apply_filter()
            return
        if layer is None:
            self.show_message(tr("Choose the layer the chips were cut from first."), error=True)
            self.map_selection_button.setChecked(False)
            return
        layer.selectionChanged.connect(self._map_selection_changed)
        self._watched_layer = layer
        self._map_selection_changed()

    def _map_selection_changed(self, *_args) -> None:
        layer = self.layer()
        if layer is None:
            return
        self._map_fids = frozenset(self.selected_feature_fids(layer))
        self.apply_filter()
        if self._link_broken:
            self.show_message(self._link_broken, error=True)
        elif not self._map_fids:
            self.show_message(tr("No feature is selected on the map: the list is empty."))

    def selected_feature_fids(self, layer: QgsVectorLayer) -> List[int]:
        """The result fids of the features selected on the map."""
        field = self._link_field
        if not field:
            return [int(fid) for fid in layer.selectedFeatureIds()]
        index = layer.fields().lookupField(field)
        if index < 0:  # the link is broken: no feature says which result it is
            return []
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes([index])
        fids = []
        for feature in layer.getSelectedFeatures(request):
            try:
                value = attribute_fid(feature.attribute(index), field)
            except FidError:  # such a feature has no result: the write-back names it
                continue
            if value is not None:
                fids.append(value)
        return fids

    def layer(self) -> Optional[QgsVectorLayer]:
        layer = self.layer_combo.currentLayer()
        return layer if isinstance(layer, QgsVectorLayer) and layer.isValid() else None

    def link_layer(self, layer: Optional[QgsVectorLayer], fid_field: str = "") -> None:
        """Link the run to a layer and the field its chips were named by ("" = feature id)."""
        self._link_field = fid_field or ""
        if layer is not self.layer_combo.currentLayer():
            self.layer_combo.setLayer(layer)  # _layer_changed checks the link
        else:
            self._check_link()

    @property
    def link_field(self) -> str:
        """The field results are matched by: the one chosen (or recorded at cut time), never a fallback."""
        return self._link_field

    def _layer_changed(self, layer) -> None:
        if self._watched_fields is not None:
            try:
                self._watched_fields.updatedFields.disconnect(self._check_link)
            except (TypeError, RuntimeError):
                pass
            self._watched_fields = None
        self.fid_field_combo.setLayer(layer)
        if isinstance(layer, QgsVectorLayer):
            # after the combo's model (connected first): re-select the linked field once the fields changed
            layer.updatedFields.connect(self._check_link)
            self._watched_fields = layer
        self._keys_cache = None
        self._clear_highlight()
        if self.map_selection_button.isChecked():
            self.map_selection_button.setChecked(False)
        self._check_link()
        self._show_on_map(self.current_chip())

    def _fid_field_chosen(self, _index) -> None:
        """The analyst picked a fid field in the combo: that is the link now."""
        self._link_field = self.fid_field_combo.currentField() or ""
        self._check_link()
        self._show_on_map(self.current_chip())

    def _fid_field_changed(self, _name) -> None:
        # The combo also changes by itself (its layer's fields changed): never take that as the
        # analyst's choice; put the linked field back once the combo has settled.
        if (self.fid_field_combo.currentField() or "") != self._link_field:
            QTimer.singleShot(0, self._check_link)

    def _check_link(self, *_args) -> None:
        """Show the linked field in the combo, or say loudly that the layer lost it (writing is off)."""
        self._keys_cache = None
        layer = self.layer()
        broken = ""
        if layer is not None and self._link_field and layer.fields().lookupField(self._link_field) < 0:
            broken = tr("Layer '{0}' has no field '{1}' (the field the chips were named by): the link is "
                        "broken and writing classes is off. Choose the fid field again.").format(
                layer.name(), self._link_field)
        elif layer is not None and (self.fid_field_combo.currentField() or "") != self._link_field:
            self.fid_field_combo.blockSignals(True)
            self.fid_field_combo.setField(self._link_field)
            self.fid_field_combo.blockSignals(False)
        was_broken = bool(self._link_broken)
        self._link_broken = broken
        self._update_actions()
        if broken and not was_broken:
            self.show_message(broken, error=True, bar=True)

    def feature_id(self, fid: int) -> Optional[int]:
        """The layer's feature id of a result fid."""
        layer = self.layer()
        if layer is None or self._link_broken:
            return None
        field = self._link_field
        if not field:
            return int(fid)
        if self._keys_cache is None:
            try:
                self._keys_cache = feature_keys(layer, field)
            except WriteBackError as exc:
                self.show_message(tr_error(exc), error=True)
                self._keys_cache = {}
        return self._keys_cache.get(int(fid))

    @property
    def highlight(self) -> Optional[QgsHighlight]:
        """The current chip's feature on the map (None when it has none there)."""
        return self.map_link.highlight

    def _clear_highlight(self) -> None:
        self.map_link.clear()

    def _show_on_map(self, chip: Optional[ChipReview]) -> None:
        self.map_link.clear()
        layer = self.layer()
        if chip is None or layer is None or self.canvas is None:
            return
        feature_id = self.feature_id(chip.fid)
        if feature_id is not None:
            self.map_link.show(layer, feature_id)
