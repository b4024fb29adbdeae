"""Chip images for the review dock, decoded off the main thread and kept in small LRU caches."""
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Dict, List, Optional

from qgis.PyQt.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal
from qgis.PyQt.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap

from ...i18n import tr
from .common import enum_int


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
                     int(enum_int(Qt.AlignmentFlag.AlignCenter) | enum_int(Qt.TextFlag.TextWordWrap)), tr("no chip image"))
    painter.end()
    return pixmap
