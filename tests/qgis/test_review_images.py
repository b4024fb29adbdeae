"""The review dock's one image loader (plugin/gui/review_dock/images.py): thumbnails in the background,
the large view's chip now, never decoded twice."""
import threading

import pytest
from qgis.PyQt.QtCore import QRunnable, QThreadPool
from qgis.PyQt.QtTest import QSignalSpy

from chipvlm.plugin.gui.review_dock import images
from helpers.review_data import synthetic_chip


@pytest.fixture()
def chip(tmp_path):
    path = str(tmp_path / "000007.png")
    synthetic_chip(path, 7, 2, size=256)
    return path


@pytest.fixture()
def decodes(monkeypatch):
    """Every decode of a chip, by path."""
    seen = []
    read = images.read_image

    def counting(path, size):
        seen.append(path)
        return read(path, size)

    monkeypatch.setattr(images, "read_image", counting)
    return seen


class Blocker(QRunnable):
    """Keeps the pool's only thread busy until released."""

    def __init__(self):
        super().__init__()
        self.started, self.release = threading.Event(), threading.Event()

    def run(self):
        self.started.set()
        self.release.wait(10)


@pytest.fixture()
def pool():
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.clear()
    pool.waitForDone(5000)


def test_a_chip_being_decoded_ahead_is_waited_for_not_decoded_again(qgis_app, pool, chip, decodes):
    cache = images.ImageCache(0, 8, pool, placeholders=False)
    cache.prefetch([chip])
    job = cache._pending[chip]
    assert job.done.wait(10)  # decoded by the worker
    pixmap = cache.get(chip)  # before its signal reached the main thread
    assert pixmap is not None and pixmap.width() == 256
    assert decodes == [chip]
    assert cache.cached(chip) is pixmap


def test_a_chip_still_queued_is_decoded_at_once_and_skipped_by_the_worker(qgis_app, pool, chip, decodes):
    blocker = Blocker()
    blocker.setAutoDelete(False)
    pool.start(blocker)
    assert blocker.started.wait(10)
    cache = images.ImageCache(0, 8, pool, placeholders=False)
    cache.request(chip)  # queued behind the blocker
    assert cache.get(chip) is not None
    blocker.release.set()
    assert pool.waitForDone(10000)
    assert decodes == [chip]


def test_a_thumbnail_lands_in_the_cache_and_says_so(qgis_app, pool, chip):
    cache = images.ImageCache(112, 8, pool)
    spy = QSignalSpy(cache.loaded)
    cache.request(chip)
    assert spy.wait(10000)
    assert spy[0] == [chip]
    assert max(cache.cached(chip).width(), cache.cached(chip).height()) == 112


def test_an_unreadable_chip_is_none_for_the_large_view_and_a_placeholder_tile_in_the_grid(qgis_app, pool, tmp_path):
    broken = tmp_path / "000008.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    large = images.ImageCache(0, 8, pool, placeholders=False)
    assert large.get(str(broken)) is None and large.cached(str(broken)) is None
    grid = images.ImageCache(112, 8, pool)
    tile = grid.get(str(broken))
    assert tile is not None and tile.width() == 112


def test_chips_decoded_ahead_come_nearest_first_also_after_a_move(qgis_app, pool, tmp_path, decodes):
    """The pool starts the newest request first: asked for in order, the farther chip was decoded first
    and the analyst arrived at a chip not started (decoded on the main thread, a slow key)."""
    paths = []
    for fid in (1, 2, 3):
        paths.append(str(tmp_path / f"{fid:06d}.png"))
        synthetic_chip(paths[-1], fid, 2, size=64)
    blocker = Blocker()
    blocker.setAutoDelete(False)
    pool.start(blocker)
    assert blocker.started.wait(10)
    cache = images.ImageCache(0, 8, pool, placeholders=False)
    first, second, third = paths
    cache.prefetch([first, second])  # the two chips ahead of the current one
    cache.prefetch([second, third])  # one step on: the second chip is the nearest now
    blocker.release.set()
    assert pool.waitForDone(10000)
    assert decodes == [second, third, first]  # the one left behind last (a key on it takes it at once)
