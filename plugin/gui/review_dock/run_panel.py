"""The review dock's Run row: the results file typed, pasted or chosen, and the Model endpoints button.

`RunBar` only says which file the analyst asked for (`openRequested`); the dock opens it (a run that
cannot be opened leaves the one being reviewed open, and `show_path` names that one again).
"""
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ... import settings
from ...i18n import tr


class RunBar(QWidget):
    """Run: [path] [Open…] [Endpoints…]"""

    openRequested = pyqtSignal(str)  # a path typed (may be "") or chosen
    endpointsRequested = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Run")))
        self.run_edit = QLineEdit()
        self.run_edit.setPlaceholderText(tr("results.sqlite of a run, or its folder"))
        self.run_edit.setToolTip(tr("Type or paste the results.sqlite of a run or its folder and press Enter, "
                                    "or drop one on the dock"))
        row.addWidget(self.run_edit, 1)
        self.open_button = QToolButton()
        self.open_button.setText(tr("Open…"))
        self.open_button.setToolTip(tr("Open the results.sqlite of a run"))
        row.addWidget(self.open_button)
        self.endpoints_button = QToolButton()
        self.endpoints_button.setText(tr("Endpoints…"))
        self.endpoints_button.setToolTip(tr("Add, edit and test the model servers that classify chips"))
        row.addWidget(self.endpoints_button)
        for button in (self.open_button, self.endpoints_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # after a click the keys still go to the chips
        self.open_button.clicked.connect(self.choose)
        self.endpoints_button.clicked.connect(self.endpointsRequested)
        self.run_edit.returnPressed.connect(lambda: self.openRequested.emit(self.run_edit.text().strip()))

    def choose(self) -> None:
        start = self.run_edit.text().strip() or settings.REVIEW_LAST_RUN.read()
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open the results of a run"), start or "", tr("Results (results.sqlite *.sqlite)")
        )
        if path:
            self.openRequested.emit(path)

    def show_path(self, path: str) -> None:
        """Name the run that is open (its own folder and file are the end of the path: shown)."""
        self.run_edit.setText(path)
        self.run_edit.setCursorPosition(len(path))
