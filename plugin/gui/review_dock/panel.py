"""The review dock's decision panel, beside or under the large view: what is known of the current chip
(the info box), one button per class, and Confirm, Next to review, Undo and Write.

`DecisionPanel` says what was clicked (`classChosen`, its buttons' `clicked`); the dock decides.
"""
from typing import Dict, Iterable, Optional, Tuple

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...i18n import tr
from .common import plain_tooltip
from .tiles import ClassButton

QWIDGETSIZE_MAX = 16777215
INFO_LINES = 5  # the info box's fixed height, in lines


class DecisionPanel(QWidget):
    """Info box, class buttons and the review's buttons."""

    classChosen = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.class_buttons: Dict[int, ClassButton] = {}
        side = QVBoxLayout(self)
        side.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a fixed box: a longer reason must not re-layout (and rescale) the large view on every chip
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.info_label.setFixedHeight(self.info_label.fontMetrics().lineSpacing() * INFO_LINES + 4)
        side.addWidget(self.info_label)
        self.class_grid = QGridLayout()
        self.class_grid.setSpacing(3)
        side.addLayout(self.class_grid)
        # in a narrow panel the classes are a keyed drop-down instead of buttons (set_compact)
        self.class_list = QComboBox()
        self.class_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.class_list.setToolTip(tr("The class of the chip: choose one, or press its number key"))
        self.class_list.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.class_list.setMinimumContentsLength(8)
        self.class_list.activated.connect(self._listed_class_chosen)
        self.class_list.hide()
        side.addWidget(self.class_list)
        self.compact = False
        self._bold: Optional[int] = None  # the class shown in bold in the drop-down
        self._marked: Tuple[Optional[int], Optional[int]] = (None, None)  # (chosen, predicted) now
        self.confirm_button = QPushButton(tr("Confirm (Space)"))
        self.confirm_button.setToolTip(tr("Accept the model's class (Space or Enter)"))
        self.next_button = QPushButton(tr("Next to review (N)"))
        self.next_button.setToolTip(tr("Jump to the next chip not reviewed yet (N or Tab)"))
        self.undo_button = QPushButton(tr("Undo (Ctrl+Z)"))
        self.write_button = QPushButton(tr("Write classes to layer"))
        self.write_button.setToolTip(tr("Write the final classes (reviewed, else the model's) into the linked layer"))
        for pair in ((self.confirm_button, self.next_button), (self.undo_button, self.write_button)):
            buttons = QHBoxLayout()
            for button in pair:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # after a click the keys still go to the chips
                buttons.addWidget(button)
            side.addLayout(buttons)
        side.addStretch(1)

    def buttons(self) -> Tuple[QPushButton, ...]:
        return self.confirm_button, self.next_button, self.undo_button, self.write_button

    def set_classes(self, classes: Iterable[Tuple[int, str]], key_filter) -> None:
        """One button per class an analyst may choose, its number key in front."""
        while self.class_grid.count():
            item = self.class_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.class_buttons = {}
        self.class_list.clear()
        self._bold = None
        self.class_list.addItem(tr("Class… (0–9)"), None)
        for position, (class_id, name) in enumerate(classes):
            key = f"[{class_id}] " if 0 <= class_id <= 9 else ""
            button = ClassButton(f"{key}{name}")
            button.setToolTip(plain_tooltip(tr("Set class {0} {1}").format(class_id, name)))
            button.clicked.connect(lambda _checked=False, cid=class_id: self.classChosen.emit(cid))
            button.installEventFilter(key_filter)
            self.class_grid.addWidget(button, position // 2, position % 2)
            button.setVisible(not self.compact)
            self.class_buttons[class_id] = button
            self.class_list.addItem(f"{key}{name}", class_id)

    def set_compact(self, on: bool) -> None:
        """Classes as a keyed drop-down (a narrow side panel) or as buttons."""
        self.compact = on
        for button in self.class_buttons.values():
            button.setVisible(not on)
        self.class_list.setVisible(on)
        if on:
            self._mark_list(*self._marked)
        # compact, the panel is never taller than it needs: every other pixel is the chip's
        self.layout().activate()
        self.setMaximumHeight(self.minimumSizeHint().height() if on else QWIDGETSIZE_MAX)

    def _listed_class_chosen(self, index: int) -> None:
        class_id = self.class_list.itemData(index)
        if class_id is not None:
            self.classChosen.emit(class_id)

    def mark(self, chosen: Optional[int], predicted: Optional[int]) -> None:
        """Check the analyst's class, frame the model's (what Space would accept)."""
        self._marked = (chosen, predicted)
        for class_id, button in self.class_buttons.items():
            button.setChecked(class_id == chosen)
            button.set_predicted(class_id == predicted)
        if self.compact:  # the drop-down only while it is shown: a key costs no more in a wide dock
            self._mark_list(chosen, predicted)

    def _mark_list(self, chosen: Optional[int], predicted: Optional[int]) -> None:
        if predicted != self._bold:  # the model's class in bold, as its button is framed
            self._bold = predicted
            for index in range(1, self.class_list.count()):
                font = self.class_list.font()
                font.setBold(self.class_list.itemData(index) == predicted)
                self.class_list.setItemData(index, font, Qt.ItemDataRole.FontRole)
        found = self.class_list.findData(chosen) if chosen is not None else -1
        self.class_list.setCurrentIndex(max(found, 0))

    def set_confirm(self, enabled: bool, tip: str) -> None:
        self.confirm_button.setEnabled(enabled)
        self.confirm_button.setToolTip(plain_tooltip(tip))

    def set_actions(self, has_run: bool, can_write: bool) -> None:
        """What can be done: nothing but opening a run while none is open."""
        for button in (self.next_button, self.undo_button):
            button.setEnabled(has_run)
        self.write_button.setEnabled(has_run and can_write)
        if not has_run:
            self.confirm_button.setEnabled(False)
