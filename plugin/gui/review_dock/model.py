"""The chips of the current filter as a Qt list model, fetched page by page as the grid scrolls."""
import os
from typing import Dict, List, Optional

from qgis.PyQt.QtCore import QAbstractListModel, QModelIndex, Qt, QThreadPool, QTimer

from ...core.review import ChipReview, ReviewFilter, ReviewSession
from ...i18n import tr
from .common import (
    CAPTION_ROLE,
    CHIP_ROLE,
    FID_ROLE,
    THUMB,
    confidence_text,
    model_class,
    plain_tooltip,
    second_opinion_text,
    tile_caption,
    utc_text,
)
from .images import ImageCache

PAGE_SIZE = 200  # rows per page of the grid


class ChipPaths:
    """Where each chip of the open run is, looked up once: finding it tries several places on disk
    (a moved run), and the grid asks again on every paint. A chip not found is looked for again."""

    def __init__(self):
        self.session: Optional[ReviewSession] = None
        self._found: Dict[str, str] = {}

    def reset(self, session: Optional[ReviewSession]) -> None:
        if session is not self.session:
            self.session = session
            self._found = {}

    def __call__(self, chip_path: str) -> str:
        path = self._found.get(chip_path)
        if path is None:
            path = self.session.resolve_chip_path(chip_path)
            if os.path.isfile(path):
                self._found[chip_path] = path
        return path


class ChipListModel(QAbstractListModel):
    """The chips of the current filter, fetched page by page as the grid scrolls (keyset paging)."""

    def __init__(self, pool: QThreadPool, parent=None):
        super().__init__(parent)
        self.session: Optional[ReviewSession] = None
        self.filter = ReviewFilter()
        self.rows: List[ChipReview] = []
        self._row_of: Dict[int, int] = {}
        self._cursor = None
        self._exhausted = True
        self.thumbnails = ImageCache(THUMB, 600, pool, self)
        self.thumbnails.loaded.connect(self._thumbnail_loaded)
        self._repaint_soon = False
        self._waiting: Dict[str, set] = {}  # thumbnail path -> rows that showed it as loading
        self._landed: set = set()
        self.paths = ChipPaths()

    # -- loading ---------------------------------------------------------------------------------
    def reset(self, session: Optional[ReviewSession], flt: Optional[ReviewFilter] = None) -> None:
        self.beginResetModel()
        self.session = session
        self.paths.reset(session)
        if flt is not None:
            self.filter = flt
        self.rows = []
        self._row_of = {}
        self._waiting = {}
        self._landed = set()
        self._cursor = None
        self._exhausted = session is None
        self.endResetModel()
        if session is None:
            self.thumbnails.clear()
        else:
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self.session is None:
            return
        self._append(self.session.page(self.filter, after=self._cursor, limit=PAGE_SIZE), PAGE_SIZE)

    def fetch_until(self, chip: ChipReview) -> Optional[int]:
        """Load every row up to this chip (a jump beyond what is loaded); returns its row."""
        if chip.fid in self._row_of:
            return self._row_of[chip.fid]
        if self.session is None or self._exhausted:
            return None
        rows = self.session.page(self.filter, after=self._cursor, until=chip.sort_key(self.filter.sort))
        self._append(rows, None)
        return self._row_of.get(chip.fid)

    def _append(self, rows: List[ChipReview], limit: Optional[int]) -> None:
        if limit is not None and len(rows) < limit:
            self._exhausted = True
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for offset, chip in enumerate(rows):
            self._row_of[chip.fid] = first + offset
        self.rows.extend(rows)
        self._cursor = rows[-1].sort_key(self.filter.sort)
        self.endInsertRows()

    def refresh(self, fids) -> None:
        """Re-read these chips after a decision (they stay in the list even if the filter drops them)."""
        if self.session is None:
            return
        fresh = self.session.chips([fid for fid in fids if fid in self._row_of])
        for fid, chip in fresh.items():
            row = self._row_of[fid]
            self.rows[row] = chip
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _thumbnail_loaded(self, path: str) -> None:
        self._landed.update(self._waiting.pop(path, ()))
        # many land together while scrolling: one repaint for all of them
        if not self._repaint_soon and self._landed:
            self._repaint_soon = True
            QTimer.singleShot(30, self._repaint)

    def _repaint(self) -> None:
        """Repaint the tiles whose thumbnail arrived (and only those: a tile is costly to paint)."""
        self._repaint_soon = False
        rows, self._landed = sorted(r for r in self._landed if r < len(self.rows)), set()
        start = None
        for position, row in enumerate(rows):
            if start is None:
                start = row
            if position + 1 == len(rows) or rows[position + 1] != row + 1:
                self.dataChanged.emit(self.index(start, 0), self.index(row, 0), [Qt.ItemDataRole.DecorationRole])
                start = None

    def next_unreviewed_row(self, current: int) -> Optional[int]:
        """The row of the next chip of the list not reviewed yet (loading further pages when needed,
        then wrapping to the top); None when every one is reviewed."""
        for row in range(current + 1, len(self.rows)):
            if not self.rows[row].is_reviewed:
                return row
        if self.canFetchMore():
            chip = self.session.next_unreviewed(self.filter, after=self._cursor, wrap=False)
            if chip is not None:
                row = self.fetch_until(chip)
                if row is not None:
                    return row
        for row in range(0, min(max(current, 0) + 1, len(self.rows))):
            if not self.rows[row].is_reviewed:
                return row
        return None

    # -- access ----------------------------------------------------------------------------------
    def row_of(self, fid: int) -> Optional[int]:
        return self._row_of.get(int(fid))

    def chip_at(self, row: int) -> Optional[ChipReview]:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        chip = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{chip.fid}  {chip.final_class_name}"
        if role == Qt.ItemDataRole.DecorationRole:
            path = self.paths(chip.chip_path)
            pixmap = self.thumbnails.cached(path)
            if pixmap is None:
                self._waiting.setdefault(path, set()).add(index.row())
                self.thumbnails.request(path)
            return pixmap
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(chip)
        if role == FID_ROLE:
            return chip.fid
        if role == CHIP_ROLE:
            return chip
        if role == CAPTION_ROLE:
            return tile_caption(chip, self.class_name)
        return None

    def class_name(self, class_id: int) -> str:
        return self.session.class_name(class_id) if self.session is not None else str(class_id)

    def tooltip(self, chip: ChipReview) -> str:
        text = tr("fid {0}: model says {1} {2}").format(chip.fid, *model_class(chip, self.class_name))
        if chip.reason:
            text += f" — {chip.reason}"
        for line in (second_opinion_text(chip, self.class_name), confidence_text(chip, self.class_name)):
            if line:
                text += "\n" + line
        if chip.is_reviewed:
            text += "\n" + tr("reviewed: {0} {1} ({2}, {3})").format(
                chip.reviewed_class_id, chip.reviewed_class_name, chip.reviewer or "?", utc_text(chip.reviewed_at or "")
            )
        return plain_tooltip(text)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
