"""The review dock's counter: how many chips are decided, as a line and a progress bar."""
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from ...i18n import tr


class Counter(QWidget):
    """'Reviewed 12 of 40 needing review · 200 chips listed' and its share as a bar."""

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setWordWrap(True)  # a long count must not widen the dock
        row.addWidget(self.label, 1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(self.label.sizeHint().height())
        self.progress.setToolTip(tr("Reviewed out of needing review"))
        row.addWidget(self.progress)

    def show_none(self) -> None:
        self.label.setText(tr("No run open"))
        self._show(0, 0)

    def show_review(self, reviewed: int, needing: int, listed: int) -> None:
        self.progress.setToolTip(tr("Reviewed out of needing review"))
        self._show(reviewed, needing)
        text = tr("Reviewed {0} of {1} needing review").format(reviewed, needing)
        self.label.setText(text + " · " + tr("{0} chips listed").format(listed))

    def show_audit(self, decided: int, total: int, text: str) -> None:
        self.progress.setToolTip(tr("Decided out of the audit sample"))
        self._show(decided, total)
        self.label.setText(text)

    def _show(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
