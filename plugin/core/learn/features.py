"""Features per object for the second opinion, read as cutting reads its chips.

Every object's window (the square around its bounding box, in the raster's pixels) is planned into
a ChipPlan and read back in the raster's block layout order by a pool of threads, each with its own
WindowReader (chips/reader.py): a window wider than MAX_SIDE pixels is read shrunk, through the
overviews when the file has them. Per band of RASTER, inside the polygon: mean, standard deviation
and the 10th, 50th and 90th percentiles; the shape: area (m²), perimeter (m), compactness
(4πA/P², 1 for a disc) and elongation (1 - short / long side of the smallest rotated rectangle);
and, with EMBEDDINGS (another raster, any resolution and CRS), the mean of each of its bands over
the polygon. A worker reads a chunk of CHUNK neighbouring objects window by window, then measures
them all at once (measures.py: one scanline fill, one bincount of 8-bit histograms, shapes from the
rings read straight from the WKB by rings.py), so the numpy work under the GIL is a few calls per
chunk rather than a few dozen per object; an object whose WKB is not a polygon's, or whose
elongation shapely's hull has to settle, takes the per-object path (ObjectReader.features), whose
values are the same. The vectors go into a cache beside the results (<results>.features.sqlite),
committed per chunk: a rerun reads only the objects not there yet, and a cache made from another
raster is dropped. The model's class and confidence are not cached: they come from the results at
training.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..chips.cutter import open_raster
from ..chips.engine import FeatureInput
from ..chips.plan import ChipPlan
from ..chips.reader import WindowReader, raster_grid
from ..chips.run_folder import metres_per_unit
from ..chips.window import chip_window, intersects_raster, pixel_bounds
from ..errors import ChipVLMError, Message
from .measures import (
    BAND_STATS,
    SHAPE_FEATURES,
    band_statistics,
    byte_statistics,
    elongation,
    mark_sliver,
    polygon_mask,
    scanline_masks,
    shape_features,
    shape_measures,
)
from .rings import ChunkRings, rings_bounds, wkb_rings

FEATURES_VERSION = 1
MAX_SIDE = 96  # pixels per side at most read per object: wider windows are read shrunk (averaged)
CHUNK = 32  # neighbouring objects per task: the worker's GDAL cache serves their shared blocks
PLAN_FILE = ".features_plan.sqlite"


class FeatureError(ChipVLMError):
    pass


def cache_path(results_path: str) -> str:
    """Where the features of a results file are kept: results.sqlite -> results.features.sqlite."""
    stem, _ = os.path.splitext(os.path.abspath(results_path))
    return stem + ".features.sqlite"


def feature_names(band_count: int, embedding_count: int = 0) -> List[str]:
    names = [f"band{b}_{stat}" for b in range(1, band_count + 1) for stat in BAND_STATS]
    names += list(SHAPE_FEATURES)
    names += [f"embedding{b}_mean" for b in range(1, embedding_count + 1)]
    return names


@dataclass
class FeatureOptions:
    raster: str
    embeddings: str = ""
    workers: int = 0  # 0 = one per CPU core
    max_side: int = MAX_SIDE

    def resolved_workers(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)


@dataclass
class FeatureSummary:
    cache: str
    total: int = 0  # objects read from the layer
    computed: int = 0
    already_done: int = 0
    missing: int = 0  # no geometry, or outside the raster: no features
    names: List[str] = field(default_factory=list)
    canceled: bool = False
    seconds: float = 0.0


# -- the cache -------------------------------------------------------------------------------------
class FeatureCache:
    """fid -> feature vector (float32), with the signature of what they were computed from."""

    def __init__(self, path: str):
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._db.execute("CREATE TABLE IF NOT EXISTS features (fid INTEGER PRIMARY KEY, vector BLOB NOT NULL)")
            self._db.commit()
        except sqlite3.Error as exc:
            raise FeatureError("Cannot use the feature cache {0}: {1}", path, exc) from None

    def signature(self) -> dict:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        try:
            return json.loads(row[0]) if row else {}
        except ValueError:
            return {}

    def reset_unless(self, signature: dict) -> bool:
        """Keep the cached vectors if they were computed the same way; else drop them. True if kept."""
        if self.signature() == signature:
            return True
        with self._db:
            self._db.execute("DELETE FROM features")
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('signature', ?)",
                             (json.dumps(signature, sort_keys=True),))
        return False

    def names(self) -> List[str]:
        return list(self.signature().get("names", []))

    def done_fids(self) -> set:
        return {r[0] for r in self._db.execute("SELECT fid FROM features")}

    def add(self, rows: Sequence[Tuple[int, np.ndarray]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO features (fid, vector) VALUES (?, ?)",
                                 [(int(fid), np.asarray(v, dtype=np.float32).tobytes()) for fid, v in rows])

    def vectors(self, fids: Sequence[int]) -> Dict[int, np.ndarray]:
        found = {}
        fids = [int(f) for f in fids]
        for start in range(0, len(fids), 500):
            part = fids[start:start + 500]
            marks = ",".join("?" * len(part))
            for fid, blob in self._db.execute(f"SELECT fid, vector FROM features WHERE fid IN ({marks})", part):
                found[int(fid)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def close(self) -> None:
        self._db.close()


def raster_signature(raster: str, embeddings: str, max_side: int, names: List[str]) -> dict:
    def stamp(path):
        if not path:
            return None
        stat = os.stat(path)
        return [os.path.abspath(path), stat.st_size, int(stat.st_mtime)]

    return {"version": FEATURES_VERSION, "raster": stamp(raster), "embeddings": stamp(embeddings),
            "max_side": int(max_side), "names": names}


# -- one object ------------------------------------------------------------------------------------
def object_window(grid, bounds):
    """The square window of raster pixels around the object's bounding box (a ChipWindow)."""
    c0, r0, c1, r1 = pixel_bounds(grid, bounds)
    side = max(1, int(math.ceil(max(c1 - c0, r1 - r0))) + 2)
    return chip_window(grid, bounds, side)


def object_bounds(wkb: Optional[bytes]) -> Optional[Tuple[float, float, float, float]]:
    """The bounds of an object's WKB (as shapely's: of its shells), None when it has no geometry."""
    rings = wkb_rings(wkb)
    if rings is not None:
        shells = [ring for ring in rings if not ring[1]]
        return rings_bounds(shells) if shells else None
    from shapely import wkb as shapely_wkb

    try:
        geom = shapely_wkb.loads(bytes(wkb))
    except Exception:
        return None
    return None if geom.is_empty else geom.bounds


@dataclass
class _Window:
    """An object of a chunk, read: its window (col_off, row_off, window_size, size), rings and pixels."""
    fid: int
    window: Tuple[int, int, int, int]
    wkb: bytes
    rings: list
    data: np.ndarray
    valid: np.ndarray
    geom: object = None

    def shape(self):
        if self.geom is None:
            from shapely import wkb as shapely_wkb

            self.geom = shapely_wkb.loads(bytes(self.wkb))
        return self.geom


class ObjectReader:
    """One per worker thread: reads an object's windows and turns them into its feature vector."""

    def __init__(self, raster: str, embeddings: str, max_side: int):
        dataset = open_raster(raster)
        self.reader = WindowReader(dataset, list(range(1, dataset.count + 1)), max_side)
        self.metres = metres_per_unit(dataset)
        self.crs = dataset.crs
        self.max_side = max_side
        self.embeddings = None
        if embeddings:
            other = open_raster(embeddings)
            self.embeddings = WindowReader(other, list(range(1, other.count + 1)), max_side)

    def close(self) -> None:
        self.reader.close()
        if self.embeddings is not None:
            self.embeddings.close()

    def features(self, col_off: int, row_off: int, side: int, wkb: bytes) -> np.ndarray:
        from shapely import wkb as shapely_wkb

        geom = shapely_wkb.loads(bytes(wkb))
        size = min(side, self.max_side)
        data, valid = self.reader.read(col_off, row_off, side, size)
        inside = polygon_mask(geom, col_off, row_off, side, size, self.reader.grid) & valid
        parts = [band_statistics(data, inside), shape_features(geom, self.metres)]
        if self.embeddings is not None:
            parts.append(self._embedding_means(geom))
        return np.concatenate(parts)

    def _embedding_means(self, geom) -> np.ndarray:
        reader = self.embeddings
        means = np.full(len(reader.bands), np.nan)
        if self.crs and reader.dataset.crs and self.crs != reader.dataset.crs:
            from rasterio.warp import transform_geom
            from shapely.geometry import mapping, shape

            geom = shape(transform_geom(self.crs, reader.dataset.crs, mapping(geom)))
        if geom.is_empty or not intersects_raster(reader.grid, geom.bounds):
            return means
        window = object_window(reader.grid, geom.bounds)
        col_off, row_off, side = window.col_off, window.row_off, window.size
        size = min(side, self.max_side)
        data, valid = reader.read(col_off, row_off, side, size)
        inside = polygon_mask(geom, col_off, row_off, side, size, reader.grid) & valid
        if inside.any():
            means[:] = data[:, inside].astype(np.float64).mean(axis=1)
        return means

    def many(self, jobs: List[tuple], cancel: threading.Event) -> List[Tuple[int, Optional[np.ndarray], str]]:
        """The features of a chunk of objects: each window read on its own, then the masks, statistics
        and shapes of all of them at once (numpy over the whole chunk, not a dozen small calls per
        object); an object whose WKB is not a polygon's takes the per-object path."""
        out, read = [], []
        for fid, col_off, row_off, side, _cx, _cy, wkb in jobs:
            if cancel.is_set():
                break
            try:
                rings = wkb_rings(wkb)
                if rings is None:
                    out.append((fid, self.features(col_off, row_off, side, wkb), ""))
                    continue
                size = min(side, self.max_side)
                data, valid = self.reader.read(col_off, row_off, side, size)
                read.append(_Window(fid, (col_off, row_off, side, size), wkb, rings, data, valid))
            except Exception as exc:  # one unreadable object never stops the run
                out.append((fid, None, f"{type(exc).__name__}: {exc}"))
        if read:
            try:
                out.extend(self._chunk_features(read))
            except Exception:  # one object the chunk's arrays trip over: each on its own, as before
                out.extend(self._one_by_one(read))
        return out

    def _one_by_one(self, read: List[_Window]) -> List[Tuple[int, Optional[np.ndarray], str]]:
        out = []
        for r in read:
            try:
                out.append((r.fid, self.features(r.window[0], r.window[1], r.window[2], r.wkb), ""))
            except Exception as exc:
                out.append((r.fid, None, f"{type(exc).__name__}: {exc}"))
        return out

    def _chunk_features(self, read: List[_Window]) -> List[Tuple[int, Optional[np.ndarray], str]]:
        chunk = ChunkRings([r.rings for r in read])
        masks = scanline_masks(chunk, [r.window for r in read], self.reader.grid)
        shapes = shape_measures(chunk, self.metres)
        insides = [self._inside(r, mask) for r, mask in zip(read, masks)]
        if read[0].data.dtype == np.uint8:
            statistics = list(byte_statistics([r.data for r in read], insides))
        else:
            statistics = [band_statistics(r.data, inside) for r, inside in zip(read, insides)]
        out = []
        for r, stats, shape in zip(read, statistics, shapes):
            try:
                if np.isnan(shape[3]):
                    shape[3] = elongation(r.shape())
                parts = [stats, shape]
                if self.embeddings is not None:
                    parts.append(self._embedding_means(r.shape()))
                out.append((r.fid, np.concatenate(parts), ""))
            except Exception as exc:
                out.append((r.fid, None, f"{type(exc).__name__}: {exc}"))
        return out

    def _inside(self, read: _Window, mask: np.ndarray) -> np.ndarray:
        if not mask.any():
            col_off, row_off, side, size = read.window
            mask = mark_sliver(mask.copy(), read.shape(), col_off, row_off, side / size, self.reader.grid)
        return mask & read.valid


# -- the run ---------------------------------------------------------------------------------------
ProgressFn = Callable[[float, str], None]


def describe_rasters(options: FeatureOptions) -> Tuple[object, List[str]]:
    """The raster's grid and the names of the features the rasters give; clear errors for bad files."""
    dataset = open_raster(options.raster)
    try:
        grid, bands = raster_grid(dataset), dataset.count
    finally:
        dataset.close()
    embedding_bands = 0
    if options.embeddings:
        other = open_raster(options.embeddings)
        try:
            embedding_bands = other.count
        finally:
            other.close()
    return grid, feature_names(bands, embedding_bands)


def compute_features(results_path: str, objects: Iterable[FeatureInput], options: FeatureOptions,
                     progress: Optional[ProgressFn] = None, log: Optional[Callable[[str], None]] = None,
                     is_canceled: Optional[Callable[[], bool]] = None, object_count: int = 0) -> FeatureSummary:
    """Compute and cache the features of every object not in the cache yet (objects: fid + WKB in
    the raster's CRS, as cutting takes them)."""
    started = time.monotonic()
    progress = progress or (lambda fraction, text: None)
    log = log or (lambda text: None)
    is_canceled = is_canceled or (lambda: False)
    grid, names = describe_rasters(options)
    summary = FeatureSummary(cache=cache_path(results_path), names=names)
    cache = FeatureCache(summary.cache)
    try:
        if not cache.reset_unless(raster_signature(options.raster, options.embeddings, options.max_side, names)):
            log(Message("Features are computed afresh into {0} (none yet, or from another raster).", summary.cache))
        plan = ChipPlan(os.path.join(os.path.dirname(summary.cache), PLAN_FILE))
        try:
            _plan(objects, grid, cache.done_fids(), plan, summary, (progress, is_canceled, log), object_count)
            if plan.count and not summary.canceled:
                _read_planned(plan, options, cache, summary, progress, is_canceled, log)
        finally:
            plan.close()
    finally:
        cache.close()
    summary.seconds = time.monotonic() - started
    return summary


def _plan(objects, grid, done, plan, summary, hooks, object_count) -> None:
    progress, is_canceled, log = hooks

    last = time.monotonic()
    for position, item in enumerate(objects):
        summary.total += 1
        if position % 256 == 0 and is_canceled():
            summary.canceled = True
            return
        if item.fid in done:
            summary.already_done += 1
            continue
        bounds = object_bounds(item.wkb) if item.wkb and not item.error else None
        if bounds is None or not intersects_raster(grid, bounds):
            summary.missing += 1
            if summary.missing <= 20:
                log(Message("fid {0}: no features (no geometry, or outside the raster).", item.fid))
            continue
        window = object_window(grid, bounds)
        plan.add(window.sort_key(grid), item.fid, window, bytes(item.wkb))
        now = time.monotonic()
        if now - last > 0.5:
            last = now
            progress(0.1 * (position + 1) / object_count if object_count else 0.05,
                     Message("Reading objects: {0}", position + 1))


def _chunks(plan: ChipPlan) -> Iterator[List[tuple]]:
    jobs = plan.in_layout_order()
    return iter(lambda: list(itertools.islice(jobs, CHUNK)), [])


def _read_planned(plan, options, cache, summary, progress, is_canceled, log) -> None:
    workers = options.resolved_workers()
    cancel = threading.Event()
    local = threading.local()
    readers: List[ObjectReader] = []
    lock = threading.Lock()

    def run(jobs):
        reader = getattr(local, "reader", None)
        if reader is None:
            reader = local.reader = ObjectReader(options.raster, options.embeddings, options.max_side)
            with lock:
                readers.append(reader)
        return reader.many(jobs, cancel)

    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chipvlm-features")
    chunks = _chunks(plan)
    inflight = set()
    exhausted = False
    started = last = time.monotonic()
    try:
        while True:
            if is_canceled():
                summary.canceled = True
                cancel.set()
            while not exhausted and not summary.canceled and len(inflight) < 4 * workers:
                jobs = next(chunks, None)
                if jobs is None:
                    exhausted = True
                    break
                inflight.add(executor.submit(run, jobs))
            if not inflight:
                break
            finished, inflight = wait(inflight, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                _store(future.result(), cache, summary, log)
            now = time.monotonic()
            if now - last >= 0.5 or not inflight:
                last = now
                rate = summary.computed / max(1e-6, now - started)
                progress(0.1 + 0.9 * (summary.computed + summary.missing) / max(1, plan.count + summary.missing),
                         Message("Features: {0}/{1} objects, {2:.0f} objects/s", summary.computed, plan.count, rate))
    finally:
        cancel.set()
        executor.shutdown(wait=True)
        for reader in readers:
            reader.close()


def _store(rows, cache, summary, log) -> None:
    good = [(fid, vector) for fid, vector, _ in rows if vector is not None]
    for fid, _, error in rows:
        if error:
            summary.missing += 1
            log(Message("fid {0}: its features could not be read: {1}", fid, error))
    cache.add(good)
    summary.computed += len(good)
