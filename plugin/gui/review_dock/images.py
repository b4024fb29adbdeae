"""Chip images for the review dock, decoded off the main thread and kept in small LRU caches.

One loader serves both the grid's thumbnails and the large view: `ImageCache` over a QThreadPool
(the newest request decodes first). The grid asks in the background and repaints when `loaded`
says so; the large view asks for its chip now (`get`), waiting for a decode already under way
rather than decoding twice, and has the next chips decoded ahead (`prefetch`).
"""
import threading
from collections import OrderedDict
from typing import Dict, List, Optional

from qgis.PyQt.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal
from qgis.PyQt.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap

from ...i18n import tr
from .common import enum_int

WAIT_FOR_DECODE_S = 5.0  # a chip decoded ahead that the large view needs now


def read_image(path: str, size: int) -> QImage:
    """A chip image, scaled down to fit `size` (0: as it is) while decoding; null when unreadable."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if size:
        original = reader.size()
        if original.isValid():
            reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class _Job:
    """One chip to decode, shared by the worker and the cache (the QRunnable itself belongs to the pool)."""

    __slots__ = ("path", "size", "started", "cancelled", "image", "done")

    def __init__(self, path: str, size: int):
        self.path = path
        self.size = size
        self.started = False
        self.cancelled = False
        self.image: Optional[QImage] = None
        self.done = threading.Event()


class _LoadImage(QRunnable):
    """Decodes one chip off the main thread (PyQt lets go of the GIL while Qt decodes)."""

    def __init__(self, cache: "ImageCache", job: _Job, lock: threading.Lock):
        super().__init__()
        self.cache = cache
        self.job = job
        self.lock = lock

    def run(self):
        job = self.job
        with self.lock:
            if job.cancelled:  # dropped while queued, or the large view decoded it itself
                return
            job.started = True
        job.image = read_image(job.path, job.size)
        job.done.set()
        try:
            self.cache.image_ready.emit(job.path, job.image)
        except RuntimeError:  # the dock was closed meanwhile
            pass


class ImageCache(QObject):
    """A small LRU of chip images, filled on demand or in the background.

    `size` 0 keeps chips at full size. With `placeholders`, an unreadable chip is cached as a grey
    "no chip image" tile (the grid); without, `get` returns None for it and caches nothing (the large
    view says where the file was expected, and the file may still come).
    """

    image_ready = pyqtSignal(str, QImage)  # from a worker thread
    loaded = pyqtSignal(str)  # on the main thread, once the pixmap is in the cache

    def __init__(self, size: int, capacity: int, pool: QThreadPool, parent=None, placeholders: bool = True,
                 ahead: int = 2):
        super().__init__(parent)
        self.size = size
        self.capacity = capacity
        self.pool = pool
        self.placeholders = placeholders
        self.ahead = ahead  # chips decoded ahead by prefetch
        self._items: OrderedDict = OrderedDict()
        self._pending: Dict[str, _Job] = {}
        self._lock = threading.Lock()
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

    def get(self, path: str) -> Optional[QPixmap]:
        """The image now: from the cache, from a decode under way, else decoded here."""
        pixmap = self.cached(path)
        if pixmap is not None:
            return pixmap
        job = self._pending.pop(path, None)
        image = None
        if job is not None:
            with self._lock:
                decoding = job.started
                job.cancelled = True  # not started: the worker skips it, it is decoded here
            if decoding and job.done.wait(WAIT_FOR_DECODE_S):
                image = job.image
        if image is None:
            image = read_image(path, self.size)
        self.loads += 1
        return self._put(path, image)

    def request(self, path: str) -> None:
        """Load in the background; `loaded` tells when. The newest request goes first."""
        if path in self._items or path in self._pending:
            return
        if len(self._pending) > 4 * self.capacity // 3:
            # scrolled far past them: what is on screen now asks again
            self._drop_pending()
        job = _Job(path, self.size)
        self._pending[path] = job
        self._priority += 1
        self.pool.start(_LoadImage(self, job, self._lock), self._priority)

    def prefetch(self, paths: List[str]) -> None:
        """Decode the next chips ahead of the analyst, the nearest first: the newest request goes first,
        so they are asked for from the farthest, and one still queued is asked for again (a chip asked
        for as the farther one a step before is now the nearest)."""
        for path in reversed(paths[: self.ahead]):
            job = self._pending.get(path)
            if job is not None:
                with self._lock:
                    queued = not job.started
                    job.cancelled = job.cancelled or queued
                if not queued:
                    continue
                del self._pending[path]
            self.request(path)

    def clear(self) -> None:
        self._drop_pending()
        self._items.clear()

    def _drop_pending(self) -> None:
        with self._lock:
            for job in self._pending.values():
                job.cancelled = True
        self._pending.clear()
        self.pool.clear()  # the queued ones go at once (the running ones end unheard)

    def _store(self, path: str, image: QImage) -> None:
        if path not in self._pending:
            return  # cleared meanwhile, or taken by get()
        del self._pending[path]
        self.loads += 1
        self._put(path, image)
        self.loaded.emit(path)

    def _put(self, path: str, image: QImage) -> Optional[QPixmap]:
        if image.isNull():
            if not self.placeholders:
                return None
            pixmap = placeholder(self.size)
        else:
            pixmap = QPixmap.fromImage(image)
        self._items[path] = pixmap
        self._items.move_to_end(path)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return pixmap


def placeholder(size: int) -> QPixmap:
    side = size or 256
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("#d0d0d0"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#606060"))
    painter.drawText(pixmap.rect().adjusted(4, 4, -4, -4),
                     int(enum_int(Qt.AlignmentFlag.AlignCenter) | enum_int(Qt.TextFlag.TextWordWrap)),
                     tr("no chip image"))
    painter.end()
    return pixmap
