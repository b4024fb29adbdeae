"""The dock's Audit scope: the blind sample of a results file (drawn by chipvlm:drawsample), decided
with the review keys and stored through plugin/core/assess/audit.py, apart from review decisions.

Blind by construction: this part only ever holds `AuditItem`s (fid, position, chip path, the
analyst's own reference class), never a `ChipReview`, so no tile, tooltip, caption or info line here
can show the model's class, reason or confidence.
"""
from typing import List, Optional, Tuple

from qgis.PyQt.QtCore import QAbstractListModel, QModelIndex, Qt, QThreadPool
from qgis.PyQt.QtGui import QColor

from ...core.assess.audit import Audit, AuditItem
from ...core.review import ReviewError, ReviewSession
from ...i18n import tr
from .common import CHIP_ROLE, FID_ROLE, STATUS_COLORS, THUMB, html_text, plain_tooltip, utc_text
from .images import ImageCache
from .tiles import Tile, TileDelegate

SCOPE_AUDIT = "audit"  # the dock's own scope: not a ReviewFilter scope (it lists another table)
UNDECIDED_COLOR = QColor("#9e9e9e")
DECIDED_COLOR = STATUS_COLORS["reviewed"]


def sample_size(path: str) -> Optional[int]:
    """How many chips the file's audit sample holds; None when no sample was drawn (or unreadable)."""
    try:
        with Audit(path) as audit:
            design = audit.design()
            return None if design is None else audit.progress().total
    except ReviewError:
        return None


class AuditListModel(QAbstractListModel):
    """The sampled chips in audit order (a sample is a few hundred chips: loaded at once)."""

    def __init__(self, pool: QThreadPool, parent=None):
        super().__init__(parent)
        self.audit: Optional[Audit] = None
        self.session: Optional[ReviewSession] = None  # only to find chips of a moved run
        self.rows: List[AuditItem] = []
        self._row_of = {}
        self._rows_of_path = {}  # resolved chip path -> rows, to repaint a tile when its picture lands
        self.thumbnails = ImageCache(THUMB, 600, pool, self)
        self.thumbnails.loaded.connect(self._thumbnail_loaded)

    def reset(self, audit: Optional[Audit], session: Optional[ReviewSession]) -> None:
        self.beginResetModel()
        self.audit, self.session = audit, session
        self.rows = audit.items() if audit is not None else []
        self._row_of = {item.fid: row for row, item in enumerate(self.rows)}
        self._rows_of_path = {}
        self.endResetModel()
        if audit is None:
            self.thumbnails.clear()

    def refresh(self, fids) -> None:
        """Re-read these chips after a decision."""
        if self.audit is None:
            return
        fresh = {item.fid: item for item in self.audit.items()}
        for fid in fids:
            row = self._row_of.get(int(fid))
            if row is not None and int(fid) in fresh:
                self.rows[row] = fresh[int(fid)]
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0))

    def resolve(self, item: AuditItem) -> str:
        return self.session.resolve_chip_path(item.chip_path) if self.session is not None else item.chip_path

    def _thumbnail_loaded(self, path: str) -> None:
        for row in self._rows_of_path.get(path, ()):
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0), [Qt.ItemDataRole.DecorationRole])

    # the same access as ChipListModel: the dock moves through either the same way
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return False

    def fetchMore(self, parent=QModelIndex()) -> None:
        return None

    def row_of(self, fid: int) -> Optional[int]:
        return self._row_of.get(int(fid))

    def chip_at(self, row: int) -> Optional[AuditItem]:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def class_name(self, class_id: Optional[int]) -> str:
        return "" if class_id is None or self.session is None else self.session.class_name(class_id)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return caption(item, self.class_name(item.reference_class_id))
        if role == Qt.ItemDataRole.DecorationRole:
            path = self.resolve(item)
            pixmap = self.thumbnails.cached(path)
            if pixmap is None:
                self._rows_of_path.setdefault(path, set()).add(index.row())
                self.thumbnails.request(path)
            return pixmap
        if role == Qt.ItemDataRole.ToolTipRole:
            text = tr("Audit {0} of {1}: fid {2}").format(item.position, len(self.rows), item.fid)
            if item.is_decided:
                text += "\n" + tr("Reference: {0} {1}").format(item.reference_class_id,
                                                              self.class_name(item.reference_class_id))
            return plain_tooltip(text)
        if role == FID_ROLE:
            return item.fid
        if role == CHIP_ROLE:
            return item
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def caption(item: AuditItem, reference_name: str) -> str:
    """A sampled chip's caption: its place in the audit and the analyst's own class, if any."""
    if item.is_decided:
        return f"#{item.position} · {item.reference_class_id} {reference_name}"
    return f"#{item.position} · fid {item.fid}"


class AuditDelegate(TileDelegate):
    """A sampled chip's tile: the thumbnail, grey until decided, then green with the reference class."""

    height = THUMB + 30  # one line of text: the caption

    def tile(self, item: AuditItem, index) -> Tile:
        return Tile(color=DECIDED_COLOR if item.is_decided else UNDECIDED_COLOR,
                    title=str(index.data(Qt.ItemDataRole.DisplayRole)),
                    badge=str(item.reference_class_id) if item.is_decided else None)


class AuditMode:
    """The audit of the open run while the dock's scope is Audit: its session, list and texts."""

    def __init__(self, pool: QThreadPool, parent=None):
        self.audit: Optional[Audit] = None
        self.model = AuditListModel(pool, parent)
        self.delegate = AuditDelegate(parent)

    @property
    def active(self) -> bool:
        return self.audit is not None

    def start(self, session: ReviewSession, reviewer: str) -> None:
        self.stop()
        self.audit = Audit(session.path, reviewer=reviewer)
        self.model.reset(self.audit, session)

    def stop(self) -> None:
        self.model.reset(None, None)
        if self.audit is not None:
            self.audit.close()
            self.audit = None

    def counter(self) -> Tuple[int, int]:
        progress = self.audit.progress()
        return progress.decided, progress.total

    def counter_text(self) -> str:
        decided, total = self.counter()
        return tr("audit {0} of {1}").format(decided, total)

    def info_html(self, item: AuditItem) -> str:
        """The info box of a sampled chip: where it is in the audit and the analyst's decision."""
        lines = [tr("<b>fid {0}</b> · audit {1} of {2}").format(item.fid, item.position, len(self.model.rows)),
                 tr("Blind audit: the model's answer is hidden. Choose the class you see (0–9).")]
        decision = self.audit.decision(item.fid)
        if decision is not None:
            class_id, name, who, when = decision
            lines.append(tr("Reference: <b>{0} {1}</b> by {2}, {3}").format(
                class_id, html_text(name), html_text(who or "?"), utc_text(when)))
        return "<br>".join(lines)

    def set_reference(self, fids: List[int], class_id: int) -> Optional[int]:
        return self.audit.set_reference(fids, class_id)

    def clear_reference(self, fids: List[int]) -> Optional[int]:
        return self.audit.clear_reference(fids)

    def undo(self) -> Tuple[List[int], List[Tuple[int, str]]]:
        fids = self.audit.undo()
        skipped = list(self.audit.last_undo_skipped)
        self.model.refresh(fids + [fid for fid, _ in skipped])
        return fids, skipped

    def next_undecided(self, after_position: int) -> Optional[int]:
        """The row of the next sampled chip without a reference (wrapping), None when all are decided."""
        item = self.audit.next_undecided(after_position)
        return None if item is None else self.model.row_of(item.fid)
