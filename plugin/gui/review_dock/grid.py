"""The review dock's chip grid: the thumbnails of the list (the review's results, or the audit's
sample), the current chip and the selection a decision applies to.

`ChipGrid` says which row is current (`rowShown`, once per change, also when asked to show the row
it is on) and remembers which way the analyst moved (`direction`: the chips on that side are decoded
ahead).
"""
from typing import List

from qgis.PyQt.QtCore import QItemSelectionModel, QSize, pyqtSignal
from qgis.PyQt.QtWidgets import QAbstractItemView, QListView

from .common import THUMB
from .tiles import ChipDelegate


class ChipGrid(QListView):
    """The thumbnails, paged in as the analyst scrolls or jumps."""

    rowShown = pyqtSignal(int)  # the current row (-1: none)

    def __init__(self, review_model, parent=None):
        super().__init__(parent)
        self.review_model = review_model
        self.chip_delegate = ChipDelegate(self)
        self.direction = 1
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setMinimumHeight(THUMB + 50)  # one row: drag the splitter down to give the chip room
        self.show_list(review_model, self.chip_delegate)

    def show_list(self, model, delegate) -> None:
        """List the review's results or the audit's sample."""
        old = self.selectionModel()
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.selectionModel().currentChanged.connect(self._current_changed)
        if old is not None:
            old.deleteLater()

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_fids(self) -> List[int]:
        """The chips a decision applies to: the selected ones, else the current one."""
        rows = sorted({index.row() for index in self.selectionModel().selectedIndexes()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        listed = self.model()
        return [listed.rows[row].fid for row in rows if 0 <= row < len(listed.rows)]

    def select_row(self, row: int) -> None:
        listed = self.model()
        while row >= listed.rowCount() and listed.canFetchMore():
            listed.fetchMore()
        if not 0 <= row < listed.rowCount():
            self.rowShown.emit(self.current_row())
            return
        index = listed.index(row, 0)
        moved = index != self.currentIndex()
        self.direction = -1 if row < self.current_row() else 1
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
        if not moved:  # a new current chip is shown through currentChanged, once
            self.rowShown.emit(row)

    def move(self, step: int) -> None:
        row = self.current_row()
        self.select_row(max(0, row + step) if row >= 0 else 0)

    def _current_changed(self, current, _previous) -> None:
        self.rowShown.emit(current.row() if current.isValid() else -1)
