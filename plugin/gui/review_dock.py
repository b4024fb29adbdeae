"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

Keyboard first (0-9 set the class, Space/Enter confirm the prediction, N jumps to the next chip not
reviewed, Ctrl+Z undoes, Delete forgets a decision); the grid loads lazily from results.sqlite
through plugin/core/review.py, which commits every decision at once.
"""
import os
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Dict, List, Optional

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsFeedback,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsFieldComboBox, QgsHighlight, QgsMapLayerComboBox
from qgis.PyQt.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    pyqtSignal,
)
from qgis.PyQt.QtGui import QBrush, QColor, QFont, QImage, QImageReader, QPainter, QPen, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..compat import integer_field_filter, vector_layer_filter
from ..core.errors import ChipVLMError
from ..core.review import (
    SCOPE_ALL,
    SCOPE_ERRORS,
    SCOPE_NEEDS_REVIEW,
    SORT_CLASS,
    SORT_FID,
    STATUS_ERROR,
    STATUS_MODEL,
    STATUS_REVIEWED,
    STATUS_TO_REVIEW,
    ChipReview,
    ReviewError,
    ReviewFilter,
    ReviewSession,
    default_reviewer,
    parse_fids,
    recorded_fid_field,
    run_info_for,
)
from ..core.schemes import ERROR_CLASS
from ..i18n import tr, tr_error
from .write_back import WriteBackError, feature_keys, fid_value, write_classes

SETTINGS_LAST_RUN = "chipvlm/review/last_run"
THUMB = 112
PAGE_SIZE = 200

STATUS_COLORS = {
    STATUS_REVIEWED: QColor("#2e7d32"),
    STATUS_TO_REVIEW: QColor("#f9a825"),
    STATUS_ERROR: QColor("#c62828"),
    STATUS_MODEL: QColor("#607d8b"),
}

PREDICTED_COLOR = QColor("#1e88e5")

FID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
CHIP_ROLE = int(Qt.ItemDataRole.UserRole) + 2


def _v(enum_value) -> int:
    """An enum member or flag as an int, under PyQt5 and PyQt6 alike."""
    return int(getattr(enum_value, "value", enum_value))


def status_text(status: str) -> str:
    return {
        STATUS_REVIEWED: tr("reviewed"),
        STATUS_TO_REVIEW: tr("to review"),
        STATUS_ERROR: tr("error"),
        STATUS_MODEL: tr("model"),
    }.get(status, status)


def read_image(path: str, size: int) -> QImage:
    """A chip image, scaled down to fit `size` (0: as it is) while decoding; null when unreadable."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if size:
        original = reader.size()
        if original.isValid():
            reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class _LoadImage(QRunnable):
    """Decodes one chip off the main thread (PyQt lets go of the GIL while Qt decodes)."""

    def __init__(self, cache: "ImageCache", path: str):
        super().__init__()
        self.cache = cache
        self.path = path
        self.size = cache.size

    def run(self):
        image = read_image(self.path, self.size)
        try:
            self.cache.image_ready.emit(self.path, image)
        except RuntimeError:  # the dock was closed meanwhile
            pass


class ImageCache(QObject):
    """A small LRU of chip images, filled on demand or in the background.

    Thumbnails come from background loads, so scrolling through a county never waits for PNG
    decoding; the large view loads its chip at once and the next one ahead of time.
    """

    image_ready = pyqtSignal(str, QImage)  # from a worker thread
    loaded = pyqtSignal(str)  # on the main thread, once the pixmap is in the cache

    def __init__(self, size: int, capacity: int, pool: QThreadPool, parent=None):
        super().__init__(parent)
        self.size = size
        self.capacity = capacity
        self.pool = pool
        self._items: OrderedDict = OrderedDict()
        self._pending = set()
        self._priority = 0
        self.loads = 0
        self.image_ready.connect(self._store, Qt.ConnectionType.QueuedConnection)

    def __len__(self) -> int:
        return len(self._items)

    def cached(self, path: str) -> Optional[QPixmap]:
        pixmap = self._items.get(path)
        if pixmap is not None:
            self._items.move_to_end(path)
        return pixmap

    def get(self, path: str) -> QPixmap:
        """The image now (decoded here when not cached)."""
        pixmap = self.cached(path)
        if pixmap is None:
            self.loads += 1
            pixmap = self._put(path, read_image(path, self.size))
        return pixmap

    def request(self, path: str) -> None:
        """Load in the background; `loaded` tells when. The newest request goes first."""
        if path in self._items or path in self._pending:
            return
        if len(self._pending) > 4 * self.capacity // 3:
            # scrolled far past them: what is on screen now asks again
            self.pool.clear()
            self._pending.clear()
        self._pending.add(path)
        self._priority += 1
        self.pool.start(_LoadImage(self, path), self._priority)

    def clear(self) -> None:
        self.pool.clear()
        self._pending.clear()
        self._items.clear()

    def _store(self, path: str, image: QImage) -> None:
        if path not in self._pending:
            return  # cleared meanwhile
        self._pending.discard(path)
        self.loads += 1
        self._put(path, image)
        self.loaded.emit(path)

    def _put(self, path: str, image: QImage) -> QPixmap:
        pixmap = placeholder(self.size) if image.isNull() else QPixmap.fromImage(image)
        self._items[path] = pixmap
        self._items.move_to_end(path)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return pixmap


class PreviewLoader:
    """Full-size chips for the large view: the current one now, the next ones decoded ahead.

    A chip already being decoded ahead is waited for rather than decoded twice.
    """

    def __init__(self, capacity: int = 8, ahead: int = 2):
        self.capacity = capacity
        self.ahead = ahead
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chipvlm-preview")
        self._items: OrderedDict = OrderedDict()
        self._futures: Dict[str, Future] = {}
        self.loads = 0

    def get(self, path: str) -> Optional[QPixmap]:
        """The chip at full size; None when the file is missing or unreadable (not cached: it may come)."""
        pixmap = self._items.get(path)
        if pixmap is not None:
            self._items.move_to_end(path)
            return pixmap
        future = self._futures.pop(path, None)
        image = None
        if future is not None and not future.cancel():
            try:
                image = future.result(timeout=5)
            except Exception:  # an unreadable file: decoded again below, shown as a placeholder
                image = None
        if image is None:
            image = read_image(path, 0)
        self.loads += 1
        if image.isNull():
            return None
        pixmap = QPixmap.fromImage(image)
        self._items[path] = pixmap
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return pixmap

    def prefetch(self, paths: List[str]) -> None:
        for path in paths[: self.ahead]:
            if path not in self._items and path not in self._futures:
                self._futures[path] = self._executor.submit(read_image, path, 0)
        while len(self._futures) > 4 * self.ahead:  # ahead of where the analyst no longer is
            self._futures.pop(next(iter(self._futures))).cancel()

    def clear(self) -> None:
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        self._items.clear()

    def shutdown(self) -> None:
        self.clear()
        self._executor.shutdown(wait=False)


def placeholder(size: int) -> QPixmap:
    side = size or 256
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("#d0d0d0"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#606060"))
    painter.drawText(pixmap.rect().adjusted(4, 4, -4, -4),
                     int(_v(Qt.AlignmentFlag.AlignCenter) | _v(Qt.TextFlag.TextWordWrap)), tr("no chip image"))
    painter.end()
    return pixmap


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

    # -- loading ---------------------------------------------------------------------------------
    def reset(self, session: Optional[ReviewSession], flt: Optional[ReviewFilter] = None) -> None:
        self.beginResetModel()
        self.session = session
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
            path = self.session.resolve_chip_path(chip.chip_path)
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
        return None

    def tooltip(self, chip: ChipReview) -> str:
        text = tr("fid {0}: model says {1} {2}").format(chip.fid, chip.class_id, chip.class_name)
        if chip.reason:
            text += f" — {chip.reason}"
        if chip.is_reviewed:
            text += "\n" + tr("reviewed: {0} {1} ({2}, {3})").format(
                chip.reviewed_class_id, chip.reviewed_class_name, chip.reviewer or "?", chip.reviewed_at or "?"
            )
        return plain_tooltip(text)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ChipDelegate(QStyledItemDelegate):
    """A chip tile: the thumbnail framed in the colour of its review status, the fid and the class."""

    def sizeHint(self, option, index) -> QSize:
        return QSize(THUMB + 14, THUMB + 44)

    def paint(self, painter, option, index):
        chip = index.data(CHIP_ROLE)
        if chip is None:
            return super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = option.rect.adjusted(2, 2, -2, -2)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.highlight())
            painter.drawRoundedRect(QRectF(rect), 5, 5)
        color = STATUS_COLORS.get(chip.status, QColor("#607d8b"))
        image_rect = rect.adjusted(5, 5, -5, 0)
        image_rect.setHeight(THUMB)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.size().scaled(image_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = image_rect.x() + (image_rect.width() - scaled.width()) // 2
            y = image_rect.y() + (image_rect.height() - scaled.height()) // 2
            target = image_rect.adjusted(0, 0, 0, 0)
            target.setRect(x, y, scaled.width(), scaled.height())
            painter.drawPixmap(target, pixmap)
            image_rect = target
        else:  # still loading in the background
            painter.fillRect(image_rect, QColor("#e4e4e4"))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(color, 3))
        painter.drawRect(image_rect.adjusted(1, 1, -1, -1))
        # the final class id as a badge, where the analyst's eye goes
        badge = QRectF(image_rect.right() - 24, image_rect.top() + 3, 21, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor("white"))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(badge, int(_v(Qt.AlignmentFlag.AlignCenter)), str(chip.final_class_id))
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        line1 = QRectF(rect.left() + 4, image_rect.bottom() + 4, rect.width() - 8, 17)
        painter.setPen(text_color)
        metrics = painter.fontMetrics()
        painter.drawText(
            line1,
            int(_v(Qt.AlignmentFlag.AlignLeft) | _v(Qt.AlignmentFlag.AlignVCenter)),
            metrics.elidedText(f"{chip.fid} · {chip.final_class_name}", Qt.TextElideMode.ElideRight,
                               int(line1.width())),
        )
        font.setBold(False)
        font.setPointSizeF(max(font.pointSizeF() - 1, 6))
        painter.setFont(font)
        line2 = QRectF(line1.left(), line1.bottom(), line1.width(), 15)
        painter.setPen(text_color if selected else QColor("#666666"))
        painter.drawText(
            line2,
            int(_v(Qt.AlignmentFlag.AlignLeft) | _v(Qt.AlignmentFlag.AlignVCenter)),
            painter.fontMetrics().elidedText(chip.reason or "", Qt.TextElideMode.ElideRight, int(line2.width())),
        )
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.highlight().color(), 2, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(QRectF(rect), 5, 5)
        painter.restore()


class ClassButton(QPushButton):
    """A class to choose, its number key in front. The model's class is framed (what Space accepts),
    the analyst's is checked. The frame is painted over the native button, so marking another class
    changes no size and re-lays nothing out on each chip."""

    def __init__(self, text: str, parent=None):
        super().__init__(text, parent)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("QPushButton { text-align: left; padding: 2px 6px; }")
        self.setProperty("predicted", False)

    def set_predicted(self, predicted: bool) -> None:
        if bool(self.property("predicted")) != predicted:
            self.setProperty("predicted", predicted)
            self.update()

    def paintEvent(self, event):
        super().paintEvent(event)
        if self.property("predicted"):
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(PREDICTED_COLOR, 2.5))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 3, 3)
            painter.end()


class ChipPreview(QLabel):
    """The current chip, as large as the dock allows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pixmap: Optional[QPixmap] = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 160)
        # Ignored: neither a chip nor a long path of a missing one may resize the dock
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("QLabel { background: #202020; color: #c0c0c0; }")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a chip path is shown as it is
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_chip_pixmap(self, pixmap: Optional[QPixmap]) -> None:
        self._pixmap = pixmap
        if pixmap is None:
            self.clear()
            self.setText(tr("No chip selected"))
        self._rescale()

    def set_missing(self, path: str) -> None:
        """No image for this chip: say so, and where it was looked for (a moved or deleted run)."""
        self._pixmap = None
        self.clear()
        if os.path.isfile(path):
            self.setText(tr("The chip image cannot be read:") + "\n" + path)
        else:
            self.setText(tr("Chip image not found:") + "\n" + (path or tr("(no path recorded)")))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None or self._pixmap.isNull():
            return
        self.setPixmap(
            self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation)
        )

    def sizeHint(self) -> QSize:
        return QSize(320, 320)


class ReviewDock(QgsDockWidget):
    """Opens a run, links it to the layer it was cut from, and drives the review from the keyboard."""

    # the plugin opens its Model endpoints dialog (the dock does not import other GUI modules)
    endpointsRequested = pyqtSignal()

    def __init__(self, iface, parent=None):
        super().__init__(tr("ChipVLM review"), parent)
        self.setObjectName("ChipVLMReviewDock")
        self.setAcceptDrops(True)
        self.iface = iface
        self.canvas = iface.mapCanvas() if iface is not None else None
        self.session: Optional[ReviewSession] = None
        self.run_path: Optional[str] = None
        self._resume_fid: Optional[int] = None
        self._map_fids: Optional[frozenset] = None
        self._keys_cache: Optional[Dict[int, int]] = None
        self._watched_layer: Optional[QgsVectorLayer] = None
        self._watched_fields: Optional[QgsVectorLayer] = None  # the linked layer, whose field changes we follow
        self._link_field = ""  # the field the results are matched by ("" = feature id)
        self._link_broken = ""  # why the link is broken (the layer lost that field), else ""
        self.run_info: Optional[dict] = None  # run.json of the open run (None: an older run)
        self.highlight: Optional[QgsHighlight] = None
        self.class_buttons: Dict[int, ClassButton] = {}
        self._listed = 0
        # our own pool: QGIS's global one renders the map
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, min(2, QThread.idealThreadCount() - 1)))
        self.model = ChipListModel(self.pool, self)
        self.previews = PreviewLoader()
        self._build()
        self._connect()
        self._update_counter()

    # -- widgets ---------------------------------------------------------------------------------
    def _build(self) -> None:
        container = QWidget(self)
        self.container = container
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        row = QHBoxLayout()
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
        layout.addLayout(row)

        row = QHBoxLayout()
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
        self.fid_field_combo.setToolTip(tr("The field the chips were named by (empty = feature id)"))
        row.addWidget(self.fid_field_combo, 1)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.scope_combo = QComboBox()
        for text, scope in ((tr("Needs review"), SCOPE_NEEDS_REVIEW), (tr("All results"), SCOPE_ALL),
                            (tr("Errors"), SCOPE_ERRORS)):
            self.scope_combo.addItem(text, scope)
        row.addWidget(self.scope_combo)
        self.class_combo = QComboBox()
        self.class_combo.addItem(tr("Any class"), None)
        row.addWidget(self.class_combo)
        self.reviewed_combo = QComboBox()
        for text, value in ((tr("Reviewed or not"), None), (tr("Not reviewed"), False), (tr("Reviewed"), True)):
            self.reviewed_combo.addItem(text, value)
        row.addWidget(self.reviewed_combo)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem(tr("By fid"), SORT_FID)
        self.sort_combo.addItem(tr("By class"), SORT_CLASS)
        row.addWidget(self.sort_combo)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.fid_edit = QLineEdit()
        self.fid_edit.setPlaceholderText(tr("fids, e.g. 12, 40-45"))
        self.fid_edit.setClearButtonEnabled(True)
        row.addWidget(self.fid_edit, 1)
        self.map_selection_button = QPushButton(tr("Filter to map selection"))
        self.map_selection_button.setCheckable(True)
        self.map_selection_button.setToolTip(tr("List only the chips of the features selected on the map"))
        row.addWidget(self.map_selection_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.counter_label = QLabel()
        self.counter_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.counter_label.font()
        font.setBold(True)
        self.counter_label.setFont(font)
        row.addWidget(self.counter_label, 1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(self.counter_label.sizeHint().height())
        self.progress.setToolTip(tr("Reviewed out of needing review"))
        row.addWidget(self.progress)
        layout.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        self.preview = ChipPreview()
        top.addWidget(self.preview)
        side_panel = QWidget()
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a fixed box: a longer reason must not re-layout (and rescale) the large view on every chip
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.info_label.setFixedHeight(self.info_label.fontMetrics().lineSpacing() * 5 + 4)
        side.addWidget(self.info_label)
        self.class_grid = QGridLayout()
        self.class_grid.setSpacing(3)
        side.addLayout(self.class_grid)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(tr("Confirm (Space)"))
        self.confirm_button.setToolTip(tr("Accept the model's class (Space or Enter)"))
        buttons.addWidget(self.confirm_button)
        self.next_button = QPushButton(tr("Next to review (N)"))
        self.next_button.setToolTip(tr("Jump to the next chip not reviewed yet (N or Tab)"))
        buttons.addWidget(self.next_button)
        side.addLayout(buttons)
        buttons = QHBoxLayout()
        self.undo_button = QPushButton(tr("Undo (Ctrl+Z)"))
        buttons.addWidget(self.undo_button)
        self.write_button = QPushButton(tr("Write classes to layer"))
        self.write_button.setToolTip(
            tr("Write the final classes (reviewed, else the model's) into the linked layer")
        )
        buttons.addWidget(self.write_button)
        side.addLayout(buttons)
        side.addStretch(1)
        top.addWidget(side_panel)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        splitter.addWidget(top)

        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(ChipDelegate(self.view))
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(2)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.setMinimumHeight(THUMB + 60)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

        self.keys_label = QLabel(
            tr("0–9 class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · "
               "Del forget")
        )
        self.keys_label.setWordWrap(True)
        self.keys_label.setStyleSheet("color: #666666;")
        layout.addWidget(self.keys_label)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote class names and paths
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.setWidget(container)

        # Review keys work where the focus is on the review, never in a text box. Buttons and filters
        # are for the mouse and take no focus: after a click the keys still go to the chips.
        for widget in (self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo,
                       self.confirm_button, self.next_button, self.undo_button, self.write_button,
                       self.map_selection_button, self.open_button, self.endpoints_button):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for widget in (self.view, self.preview, self.confirm_button, self.next_button, self.undo_button,
                       self.write_button, self.map_selection_button):
            widget.installEventFilter(self)

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.choose_run)
        self.endpoints_button.clicked.connect(self.endpointsRequested)
        self.run_edit.returnPressed.connect(self._run_typed)
        self.layer_combo.layerChanged.connect(self._layer_changed)
        self.fid_field_combo.fieldChanged.connect(self._fid_field_changed)
        self.fid_field_combo.activated.connect(self._fid_field_chosen)
        for combo in (self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.fid_edit.returnPressed.connect(self._fids_typed)
        self.fid_edit.textChanged.connect(self._fid_text_changed)
        self.map_selection_button.toggled.connect(self._map_selection_toggled)
        self.confirm_button.clicked.connect(self.confirm)
        self.next_button.clicked.connect(self.next_unreviewed)
        self.undo_button.clicked.connect(self.undo)
        self.write_button.clicked.connect(self.write_back)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

    # -- run -------------------------------------------------------------------------------------
    def choose_run(self) -> None:
        start = self.run_path or QgsSettings().value(SETTINGS_LAST_RUN, "")
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open the results of a run"), start or "", tr("Results (results.sqlite *.sqlite)")
        )
        if path:
            self.open_run(path)

    def _run_typed(self) -> None:
        path = self.run_edit.text().strip()
        if path and self.open_run(path):
            return
        if not path:
            self.show_message(tr("Type the results.sqlite of a run, or its folder."), error=True)

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event):
        """A results.sqlite or a run folder dropped from the file manager opens."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return super().dropEvent(event)
        event.acceptProposedAction()
        self.open_run(paths[0])

    def open_run(self, path: str, layer: Optional[QgsVectorLayer] = None, fid_field: Optional[str] = None) -> bool:
        """Open a run (its results.sqlite or its folder); optionally link it to a layer at once."""
        try:
            session = ReviewSession(path, reviewer=self.reviewer_name())
        except ReviewError as exc:  # a mistyped path leaves the run being reviewed open
            self.show_message(tr_error(exc), error=True)
            return False
        if not session.has_scheme and session.counts().total == 0:
            # what a classification that failed before its first batch leaves: no class to show
            session.close()
            self.show_message(tr("{0} holds no results yet and no class scheme: its classification stopped "
                                 "before the first batch. Classify the chips (again), then review.").format(
                session.path), error=True)
            return False
        same_run = session.path == self.run_path
        self.close_run()
        if not same_run:  # another run: its chips start from the top, not at this run's fid
            self._resume_fid = None
        self.session = session
        self.run_path = self.session.path
        QgsSettings().setValue(SETTINGS_LAST_RUN, self.run_path)
        self.run_edit.setText(self.run_path)
        self.run_edit.setCursorPosition(len(self.run_path))  # the run's own folder and file are the end
        notes = []
        try:
            self.run_info = run_info_for(self.run_path)
        except ChipVLMError as exc:  # a damaged run.json: the run is still reviewable, without its checks
            self.run_info = None
            notes.append(tr_error(exc))
        recorded = recorded_fid_field(self.run_info)
        if layer is None and self.run_info is not None:
            layer = self.recorded_layer(self.run_info)
            if layer is None:
                notes.append(tr("The layer this run was cut from ('{0}') is not in the project: add it, then "
                                "choose it as the layer.").format(
                    self.run_info.get("layer_name") or self.run_info.get("layer_source") or "?"))
        if fid_field is None and recorded is not None:
            fid_field = recorded
        if layer is not None or fid_field is not None:
            self.link_layer(layer if layer is not None else self.layer_combo.currentLayer(),
                            fid_field if fid_field is not None else self._link_field)
        self._fill_classes()
        resume, self._resume_fid = self._resume_fid, None
        self.apply_filter(select_fid=resume)
        total = self.session.counts().total
        if total:
            text = tr("Opened {0}: {1} results.").format(self.run_path, total)
        else:
            text = tr("Opened {0}: no results yet (the classification has not stored its first "
                      "batch); they are listed as you filter again.").format(self.run_path)
        self.show_message(" ".join([text] + notes), error=bool(notes))
        self.view.setFocus()
        return True

    def close_run(self) -> None:
        """Let go of the results file (every decision is already in it)."""
        current = self.current_chip()
        if current is not None:
            self._resume_fid = current.fid
        self._clear_highlight()
        if self.session is not None:
            self.model.reset(None)
            self.session.close()
            self.session = None
            self.previews.clear()
        self._update_counter()
        self._show_current(None)

    def reviewer_name(self) -> str:
        return QgsApplication.userLoginName() or default_reviewer()

    def dispose(self) -> None:
        """Before the plugin unloads: let go of the file and stop the image loaders."""
        self.close_run()
        self.previews.shutdown()
        self.pool.clear()
        self.pool.waitForDone(2000)

    def closeEvent(self, event):
        self.close_run()
        super().closeEvent(event)

    def showEvent(self, event):
        super().showEvent(event)
        if self.session is None and self.run_path:
            self.open_run(self.run_path)

    def _fill_classes(self) -> None:
        while self.class_grid.count():
            item = self.class_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.class_buttons = {}
        current_class = self.class_combo.currentData()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(tr("Any class"), None)
        for class_id, name in self.session.classes:
            self.class_combo.addItem(f"{class_id} {name}", class_id)
        if current_class is not None and self.class_combo.findData(current_class) >= 0:
            self.class_combo.setCurrentIndex(self.class_combo.findData(current_class))
        self.class_combo.blockSignals(False)
        for position, (class_id, name) in enumerate(self.session.reviewable_classes()):
            key = f"[{class_id}] " if 0 <= class_id <= 9 else ""
            button = ClassButton(f"{key}{name}")
            button.setToolTip(plain_tooltip(tr("Set class {0} {1}").format(class_id, name)))
            button.clicked.connect(lambda _checked=False, cid=class_id: self.set_class(cid))
            button.installEventFilter(self)
            self.class_grid.addWidget(button, position // 2, position % 2)
            self.class_buttons[class_id] = button

    # -- filter ----------------------------------------------------------------------------------
    def current_filter(self) -> ReviewFilter:
        fids = None
        text = self.fid_edit.text().strip()
        if text:
            fids = frozenset(parse_fids(text))
        if self._map_fids is not None:
            fids = self._map_fids if fids is None else fids & self._map_fids
        return ReviewFilter(
            scope=self.scope_combo.currentData(),
            class_id=self.class_combo.currentData(),
            reviewed=self.reviewed_combo.currentData(),
            fids=fids,
            sort=self.sort_combo.currentData(),
        )

    def apply_filter(self, *_args, select_fid: Optional[int] = None) -> None:
        if self.session is None:
            return
        try:
            flt = self.current_filter()
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return
        self.model.reset(self.session, flt)
        self._listed = self.session.count(flt)
        row = 0
        if select_fid is not None:
            chip = self.session.chip(select_fid)
            found = self.model.fetch_until(chip) if chip is not None else None
            row = found if found is not None else 0
        self.select_row(row)
        self._update_counter()

    def _fids_typed(self) -> None:
        self.apply_filter()
        if not self.status_label.styleSheet():  # typed right: back to reviewing
            self.view.setFocus()

    def _fid_text_changed(self, text: str) -> None:
        if not text:  # the clear button
            self.apply_filter()

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
        if not self._map_fids:
            self.show_message(tr("No feature is selected on the map: the list is empty."))
        self.apply_filter()

    def selected_feature_fids(self, layer: QgsVectorLayer) -> List[int]:
        """The result fids of the features selected on the map."""
        field = self._link_field
        if not field:
            return [int(fid) for fid in layer.selectedFeatureIds()]
        index = layer.fields().lookupField(field)
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes([index])
        fids = []
        for feature in layer.getSelectedFeatures(request):
            value = fid_value(feature.attribute(index))
            if value is not None:
                fids.append(value)
        return fids

    # -- layer link ------------------------------------------------------------------------------
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

    @staticmethod
    def recorded_layer(info: dict) -> Optional[QgsVectorLayer]:
        """The project's layer a run was cut from: by its source, else by its name (a moved file)."""
        layers = [layer for layer in QgsProject.instance().mapLayers().values()
                  if isinstance(layer, QgsVectorLayer) and layer.isValid()]
        source = str(info.get("layer_source") or "")
        if source:
            for layer in layers:
                if layer.source() == source:
                    return layer
            path = _source_path(source)
            for layer in layers:
                if _source_path(layer.source()) == path:
                    return layer
        name = str(info.get("layer_name") or "")
        named = [layer for layer in layers if name and layer.name() == name]
        return named[0] if named else None

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
        self.write_button.setEnabled(not broken)
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

    def _clear_highlight(self) -> None:
        if self.highlight is not None:
            self.highlight.hide()
            if self.canvas is not None and self.highlight.scene() is not None:
                self.canvas.scene().removeItem(self.highlight)
            self.highlight = None

    def _show_on_map(self, chip: Optional[ChipReview]) -> None:
        self._clear_highlight()
        layer = self.layer()
        if chip is None or layer is None or self.canvas is None:
            return
        feature_id = self.feature_id(chip.fid)
        if feature_id is None:
            return
        feature = layer.getFeature(feature_id)
        if not feature.isValid() or not feature.hasGeometry():
            return
        geometry = feature.geometry()
        self.highlight = QgsHighlight(self.canvas, geometry, layer)
        color = QColor("#ff00ff")
        self.highlight.setColor(color)
        fill = QColor(color)
        fill.setAlpha(40)
        self.highlight.setFillColor(fill)
        self.highlight.setWidth(3)
        self.highlight.show()
        box = geometry.boundingBox()
        destination = self.canvas.mapSettings().destinationCrs()
        if layer.crs().isValid() and destination.isValid() and layer.crs() != destination:
            transform = QgsCoordinateTransform(layer.crs(), destination, QgsProject.instance())
            try:
                box = transform.transformBoundingBox(box)
            except Exception:  # a feature outside the canvas CRS's domain: highlight without panning
                return
        extent = self.canvas.extent()
        if box.width() > extent.width() or box.height() > extent.height():
            box.scale(1.5)
            self.canvas.setExtent(box)
        elif box.center() != extent.center():
            self.canvas.setCenter(box.center())
        else:
            return  # already centred: the highlight alone changed, no need to render the map again
        self.canvas.refresh()

    # -- current chip ----------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def current_chip(self) -> Optional[ChipReview]:
        return self.model.chip_at(self.current_row())

    def selected_fids(self) -> List[int]:
        """The chips a decision applies to: the selected ones, else the current one."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [self.model.rows[row].fid for row in rows if 0 <= row < len(self.model.rows)]

    def select_row(self, row: int) -> None:
        while row >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if not 0 <= row < self.model.rowCount():
            self._show_current(self.current_chip())
            return
        index = self.model.index(row, 0)
        moved = index != self.view.currentIndex()
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        if not moved:  # a new current chip is shown by _current_changed, once
            self._show_current(self.model.chip_at(row))

    def select_fid(self, fid: int) -> bool:
        row = self.model.row_of(fid)
        if row is None and self.session is not None:
            chip = self.session.chip(fid)
            row = self.model.fetch_until(chip) if chip is not None else None
        if row is None:
            return False
        self.select_row(row)
        return True

    def move(self, step: int) -> None:
        row = self.current_row()
        self.select_row(max(0, row + step) if row >= 0 else 0)

    def _current_changed(self, current, _previous) -> None:
        self._show_current(self.model.chip_at(current.row()) if current.isValid() else None)

    def _show_confirm(self, chip: Optional[ChipReview]) -> None:
        """Mark the model's class among the class buttons: what Space would accept (errors have none)."""
        predicted = None if chip is None or chip.class_id == ERROR_CLASS else chip.class_id
        for class_id, button in self.class_buttons.items():
            button.set_predicted(class_id == predicted)
        self.confirm_button.setEnabled(predicted is not None)
        self.confirm_button.setToolTip(plain_tooltip(
            tr("Accept the model's class (Space or Enter)")
            if predicted is None else tr("Accept the model's class {0} {1} (Space or Enter)").format(
                chip.class_id, chip.class_name)
        ))

    def _show_current(self, chip: Optional[ChipReview]) -> None:
        for class_id, button in self.class_buttons.items():
            button.setChecked(chip is not None and chip.is_reviewed and chip.final_class_id == class_id)
        if chip is None or self.session is None:
            self.preview.set_chip_pixmap(None)
            self.info_label.setText("")
            self._show_confirm(None)
            self._clear_highlight()
            return
        path = self.session.resolve_chip_path(chip.chip_path)
        pixmap = self.previews.get(path)
        if pixmap is None:
            self.preview.set_missing(path)
        else:
            self.preview.set_chip_pixmap(pixmap)
        self._show_confirm(chip)
        row = self.model.row_of(chip.fid)
        if row is not None:  # the analyst mostly goes forward: have the next chips ready
            following = [self.model.chip_at(r) for r in range(row + 1, row + 1 + self.previews.ahead)]
            self.previews.prefetch([self.session.resolve_chip_path(c.chip_path) for c in following if c])
        color = STATUS_COLORS.get(chip.status).name()
        lines = [
            f"<b>fid {chip.fid}</b> · <span style='color:{color}'>{status_text(chip.status)}</span>",
            tr("Model: {0} {1}").format(chip.class_id, _html(chip.class_name)),
        ]
        if chip.reason:
            lines.append(f"<i>{_html(chip.reason)}</i>")
        if chip.is_reviewed:
            lines.append(
                tr("Reviewed: <b>{0} {1}</b> by {2}, {3}").format(
                    chip.reviewed_class_id, _html(chip.reviewed_class_name or ""), _html(chip.reviewer or "?"),
                    (chip.reviewed_at or "").replace("T", " ")[:19]
                )
            )
        self.info_label.setText("<br>".join(lines))
        self._show_on_map(chip)

    # -- decisions -------------------------------------------------------------------------------
    def _decide(self, action: Callable[[List[int]], Optional[int]], advance: bool = True) -> bool:
        """Apply a decision to the selected chips; move on when it stored something (an action id)."""
        if self.session is None:
            self.show_message(tr("Open the results of a run first."), error=True)
            return False
        fids = self.selected_fids()
        if not fids:
            return False
        rows = [self.model.row_of(fid) for fid in fids]
        try:
            changed = action(fids)
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return False
        self.model.refresh(fids)
        self._update_counter()
        if advance and changed is not None:
            self.select_row(max(r for r in rows if r is not None) + 1 if len(fids) > 1 else rows[0] + 1)
        else:
            self._show_current(self.current_chip())
        return True

    def set_class(self, class_id: int) -> bool:
        """The analyst's class for the selected chips (number keys, class buttons)."""
        name = self.session.class_name(class_id) if self.session is not None else ""
        done = self._decide(lambda fids: self.session.set_review(fids, class_id))
        if done:
            self.show_message(tr("Set to {0} {1}.").format(class_id, name))
        return done

    def confirm(self) -> bool:
        """Accept the model's class of the selected chips (Space, Enter)."""
        skipped: List[int] = []

        def accept(fids):
            action, missed = self.session.confirm(fids)
            skipped.extend(missed)
            return action  # None when every chip was an error: stay on it

        done = self._decide(accept)
        if done and skipped:
            self.show_message(
                tr("The model gave no class for {0} (error): press a number key to choose one.").format(
                    ", ".join(str(f) for f in skipped)
                ),
                error=True,
            )
        elif done:
            self.show_message(tr("Confirmed the model's class."))
        return done

    def clear_review(self) -> bool:
        done = self._decide(lambda fids: self.session.clear_review(fids), advance=False)
        if done:
            self.show_message(tr("Decision forgotten: back to the model's class."))
        return done

    def undo(self) -> bool:
        if self.session is None:
            return False
        try:
            fids = self.session.undo()
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return False
        skipped = self.session.last_undo_skipped
        if not fids and not skipped:
            self.show_message(tr("Nothing to undo."))
            return False
        self.model.refresh(fids + [fid for fid, _ in skipped])
        self._update_counter()
        self.select_fid((fids or [skipped[0][0]])[0])
        text = tr("Undone: {0} chip(s).").format(len(fids))
        if skipped:
            text += " " + tr("Left as decided since by someone else: {0}.").format(
                ", ".join(tr("fid {0} ({1})").format(fid, who) for fid, who in skipped))
        self.show_message(text, error=bool(skipped))
        return True

    def next_unreviewed(self) -> bool:
        """Jump to the next chip of the list not reviewed yet, loading further pages when needed."""
        if self.session is None:
            return False
        current = self.current_row()
        for row in range(current + 1, len(self.model.rows)):
            if not self.model.rows[row].is_reviewed:
                self.select_row(row)
                return True
        if self.model.canFetchMore():
            chip = self.session.next_unreviewed(self.model.filter, after=self.model._cursor, wrap=False)
            if chip is not None:
                row = self.model.fetch_until(chip)
                if row is not None:
                    self.select_row(row)
                    return True
        for row in range(0, max(current, 0) + 1):
            if row < len(self.model.rows) and not self.model.rows[row].is_reviewed:
                self.select_row(row)
                return True
        self.show_message(tr("Every chip in this list is reviewed."))
        return False

    # -- keyboard --------------------------------------------------------------------------------
    def eventFilter(self, obj, event):
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            action = self._key_action(obj, event)
            if action is not None:
                if kind == QEvent.Type.ShortcutOverride:
                    # ours, not QGIS's (Ctrl+Z is also the main window's undo)
                    event.accept()
                    return True
                action()
                event.accept()
                return True
        return super().eventFilter(obj, event)

    def _key_action(self, obj, event) -> Optional[Callable[[], object]]:
        if self.session is None:
            return None
        key = _v(event.key())
        modifiers = _v(event.modifiers())
        if modifiers & _v(Qt.KeyboardModifier.ControlModifier):
            return self.undo if key == _v(Qt.Key.Key_Z) and not modifiers & _v(Qt.KeyboardModifier.ShiftModifier) \
                else None
        if modifiers & (_v(Qt.KeyboardModifier.AltModifier) | _v(Qt.KeyboardModifier.MetaModifier)):
            return None
        if _v(Qt.Key.Key_0) <= key <= _v(Qt.Key.Key_9):
            class_id = key - _v(Qt.Key.Key_0)
            if class_id in self.class_buttons:
                return lambda: self.set_class(class_id)
            return None
        if key in (_v(Qt.Key.Key_Space), _v(Qt.Key.Key_Return), _v(Qt.Key.Key_Enter)):
            return self.confirm
        if key in (_v(Qt.Key.Key_N), _v(Qt.Key.Key_Tab)):
            return self.next_unreviewed
        if key in (_v(Qt.Key.Key_Delete), _v(Qt.Key.Key_Backspace)):
            return self.clear_review
        if obj is not self.view:
            if key in (_v(Qt.Key.Key_Right), _v(Qt.Key.Key_Down)):
                return lambda: self.move(1)
            if key in (_v(Qt.Key.Key_Left), _v(Qt.Key.Key_Up)):
                return lambda: self.move(-1)
        return None

    # -- write back ------------------------------------------------------------------------------
    def write_back(self) -> bool:
        if self.session is None:
            self.show_message(tr("Open the results of a run first."), error=True)
            return False
        layer = self.layer()
        if layer is None:
            self.show_message(tr("Choose the layer the chips were cut from first."), error=True)
            return False
        if self._link_broken:
            self.show_message(self._link_broken, error=True, bar=True)
            return False
        finals = {final.fid: final for final in self.session.final_classes()}
        # A county takes seconds: progress and Cancel, and the window stays drawn meanwhile (a
        # window-modal dialog processes events on every step and keeps other clicks out).
        feedback = QgsFeedback()
        dialog = QProgressDialog(tr("Writing the classes into '{0}'…").format(layer.name()), tr("Cancel"), 0, 100,
                                 self)
        dialog.setWindowTitle(tr("ChipVLM review"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(feedback.cancel)
        feedback.progressChanged.connect(lambda value: dialog.setValue(int(value)))
        self.write_button.setEnabled(False)
        try:
            report = write_classes(layer, finals, self._link_field, feedback=feedback, run_info=self.run_info)
        except WriteBackError as exc:
            self.show_message(tr_error(exc), error=True, bar=True)
            return False
        finally:
            dialog.reset()
            dialog.deleteLater()
            self.write_button.setEnabled(not self._link_broken)
        self.show_message(report.message(), error=bool(report.not_found or report.canceled), bar=True)
        return not report.canceled

    # -- feedback --------------------------------------------------------------------------------
    def _update_counter(self) -> None:
        if self.session is None:
            self.counter_label.setText(tr("No run open"))
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            return
        counts = self.session.counts()
        self.progress.setRange(0, max(counts.needs_review, 1))
        self.progress.setValue(counts.reviewed_of_needing)
        text = tr("Reviewed {0} of {1} needing review").format(counts.reviewed_of_needing, counts.needs_review)
        text += " · " + tr("{0} chips listed").format(self._listed)
        self.counter_label.setText(text)

    def show_message(self, text: str, error: bool = False, bar: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #c62828;" if error else "")
        if bar and self.iface is not None:
            level = Qgis.MessageLevel.Warning if error else Qgis.MessageLevel.Success
            self.iface.messageBar().pushMessage("ChipVLM", text, level, 8)


def _source_path(source: str) -> str:
    """The file of a layer source ("/data/a.gpkg|layername=a" -> the normalised path)."""
    path = source.split("|", 1)[0]
    return os.path.normcase(os.path.abspath(path)) if path else ""


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` exactly as typed: Qt renders a tooltip that looks like markup as rich
    text, so text from the model (a reason) goes in escaped, inside markup of our own."""
    return "<p style='white-space:pre-wrap'>" + _html(text).replace("\n", "<br>") + "</p>"
