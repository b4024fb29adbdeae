"""The review dock's filters: scope (with the Audit entry), class, reviewed or not, order, fids typed,
confidence under a threshold, the features selected on the map, and (once chipvlm:secondopinion ran on
the file) whether the second opinion differs, with its order "disagreements first".

`FilterBar` says `changed` when the list must be made again; the dock asks it for a ReviewFilter.
"""
from typing import Iterable, Optional, Tuple

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.review import (
    SCOPE_ALL,
    SCOPE_ERRORS,
    SCOPE_NEEDS_REVIEW,
    SORT_CLASS,
    SORT_CONFIDENCE,
    SORT_FID,
    SORT_SECOND,
    ReviewFilter,
    parse_fids,
)
from ...i18n import tr
from .audit_view import SCOPE_AUDIT


class FilterBar(QWidget):
    """Which chips the grid lists."""

    changed = pyqtSignal()  # the list must be made again
    fidsTyped = pyqtSignal()  # Enter in the fid box
    mapSelectionToggled = pyqtSignal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.grid = QGridLayout()
        self.grid.setSpacing(4)
        self.scope_combo = QComboBox()
        for text, scope in ((tr("Needs review"), SCOPE_NEEDS_REVIEW), (tr("All results"), SCOPE_ALL),
                            (tr("Errors"), SCOPE_ERRORS)):
            self.scope_combo.addItem(text, scope)
        self.scope_combo.addItem(tr("Audit (blind sample)"), SCOPE_AUDIT)
        self.class_combo = QComboBox()
        self.class_combo.addItem(tr("Any class"), None)
        self.reviewed_combo = QComboBox()
        for text, value in ((tr("Reviewed or not"), None), (tr("Not reviewed"), False), (tr("Reviewed"), True)):
            self.reviewed_combo.addItem(text, value)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem(tr("By fid"), SORT_FID)
        self.sort_combo.addItem(tr("By class"), SORT_CLASS)
        self.sort_combo.addItem(tr("Least sure first"), SORT_CONFIDENCE)
        # the second opinion's filter (and its order) only on a file chipvlm:secondopinion ran on
        self.second_combo = QComboBox()
        for text, value in ((tr("Second opinion: any"), None), (tr("Second opinion differs"), True),
                            (tr("Second opinion agrees"), False)):
            self.second_combo.addItem(text, value)
        self.second_combo.setToolTip(tr("List only the results where the second opinion (chipvlm:secondopinion, "
                                        "trained on your decisions) gives another class than the model, or the "
                                        "same"))
        self.second_combo.hide()
        for combo in self.combos():
            # a long entry ("Audit (blind sample of 640)") must not make the dock wider than a side dock
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
            # in one row the four must not hold the dock wider than the panel, or it could never be
            # made narrow enough to put them two by two
            combo.setMinimumWidth(60)
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # after a click the keys still go to the chips
            combo.currentIndexChanged.connect(self.changed)
        self.place(wide=False)
        layout.addLayout(self.grid)
        layout.addLayout(self._second_row())
        self.map_fids: Optional[frozenset] = None  # the features selected on the map, while listed

    def _second_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.fid_edit = QLineEdit()
        self.fid_edit.setPlaceholderText(tr("fids, e.g. 12, 40-45"))
        self.fid_edit.setClearButtonEnabled(True)
        row.addWidget(self.fid_edit, 1)
        self.confidence_spin = QDoubleSpinBox()
        self.confidence_spin.setRange(0, 100)
        self.confidence_spin.setDecimals(0)
        self.confidence_spin.setSingleStep(5)
        self.confidence_spin.setSuffix(" %")
        self.confidence_spin.setPrefix(tr("Conf. < "))
        self.confidence_spin.setSpecialValueText(tr("Conf.: any"))
        self.confidence_spin.setToolTip(tr("List only the results the model was less sure of than this "
                                           "(results without a confidence are left out); 0 = any"))
        self.confidence_spin.setKeyboardTracking(False)
        row.addWidget(self.confidence_spin)
        self.map_selection_button = QPushButton(tr("Map selection"))
        self.map_selection_button.setCheckable(True)
        self.map_selection_button.setToolTip(tr("List only the chips of the features selected on the map"))
        self.map_selection_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(self.map_selection_button)
        self.fid_edit.returnPressed.connect(self.fidsTyped)
        self.fid_edit.textChanged.connect(self._fid_text_changed)
        self.confidence_spin.valueChanged.connect(self.changed)
        self.map_selection_button.toggled.connect(self.mapSelectionToggled)
        return row

    def combos(self) -> Tuple[QComboBox, ...]:
        return self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo, self.second_combo

    def place(self, wide: bool) -> None:
        """The combos in one row when the dock is wide, else two by two (the second opinion's, when
        shown, in a row of its own)."""
        for position, combo in enumerate(self.combos()):
            self.grid.removeWidget(combo)
            self.grid.addWidget(combo, 0 if wide else position // 2, position if wide else position % 2)

    def _fid_text_changed(self, text: str) -> None:
        if not text:  # the clear button
            self.changed.emit()

    @property
    def scope(self):
        return self.scope_combo.currentData()

    def review_filter(self) -> ReviewFilter:
        """The filter of the review's list (ReviewError for fids typed wrong)."""
        fids = None
        text = self.fid_edit.text().strip()
        if text:
            fids = frozenset(parse_fids(text))
        if self.map_fids is not None:
            fids = self.map_fids if fids is None else fids & self.map_fids
        below = self.confidence_spin.value()
        return ReviewFilter(scope=self.scope, class_id=self.class_combo.currentData(),
                            reviewed=self.reviewed_combo.currentData(), fids=fids, sort=self.sort_combo.currentData(),
                            confidence_below=below / 100 if below > 0 else None,
                            second_differs=None if self.second_combo.isHidden() else self.second_combo.currentData())

    def set_classes(self, classes: Iterable[Tuple[int, str]]) -> None:
        """The class filter's entries: the open run's classes (the one chosen stays when it is there)."""
        current = self.class_combo.currentData()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(tr("Any class"), None)
        for class_id, name in classes:
            self.class_combo.addItem(f"{class_id} {name}", class_id)
        if current is not None and self.class_combo.findData(current) >= 0:
            self.class_combo.setCurrentIndex(self.class_combo.findData(current))
        self.class_combo.blockSignals(False)

    def set_second_opinion(self, present: bool) -> None:
        """Offer the second opinion's filter and order when the open file has one; else take them away
        (a run without one must not keep listing by a filter that no longer applies)."""
        self.second_combo.setVisible(present)
        index = self.sort_combo.findData(SORT_SECOND)
        if present and index < 0:
            self.sort_combo.addItem(tr("Second opinion: disagreements first"), SORT_SECOND)
        elif not present and index >= 0:
            self.sort_combo.blockSignals(True)
            chosen = self.sort_combo.currentIndex() == index
            self.sort_combo.removeItem(index)
            if chosen:  # the order chosen falls back to the fid's
                self.sort_combo.setCurrentIndex(self.sort_combo.findData(SORT_FID))
            self.sort_combo.blockSignals(False)
        if not present and self.second_combo.currentIndex():
            self.second_combo.blockSignals(True)
            self.second_combo.setCurrentIndex(0)
            self.second_combo.blockSignals(False)

    def set_review_filters_enabled(self, on: bool) -> None:
        """The review's own filters, off in the audit (it lists its sample as drawn)."""
        for widget in (self.class_combo, self.reviewed_combo, self.sort_combo, self.confidence_spin, self.fid_edit,
                       self.map_selection_button, self.second_combo):
            widget.setEnabled(on)

    def set_audit_entry(self, size: Optional[int]) -> None:
        """The Audit scope is there when the file has a sample; else it says how to draw one."""
        index = self.scope_combo.findData(SCOPE_AUDIT)
        item = self.scope_combo.model().item(index)
        if size:
            item.setEnabled(True)
            item.setText(tr("Audit (blind sample of {0})").format(size))
            tip = tr("The chips of the audit sample, without the model's class, reason or confidence: choose "
                     "the class you see. Stored apart from the review, for the accuracy report.")
        else:
            item.setEnabled(False)
            item.setText(tr("Audit: no sample drawn"))
            tip = tr("This results file has no audit sample. Draw one with the Processing algorithm "
                     "'Draw audit sample' (chipvlm:drawsample), then open the run again.")
        self.scope_combo.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        if not size and self.scope == SCOPE_AUDIT:
            self.scope_combo.blockSignals(True)
            self.scope_combo.setCurrentIndex(self.scope_combo.findData(SCOPE_NEEDS_REVIEW))
            self.scope_combo.blockSignals(False)
