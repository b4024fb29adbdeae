"""The parallel cutting engine: plan in the caller's thread, cut in workers, write the index here.

Workers are threads, not processes: rasterio (GDAL decompression) and the PNG encoder (numpy, zlib)
release the GIL for the heavy work, and threads need no separate Python executable, which inside the
QGIS desktop on Windows or macOS is QGIS itself. Two processes cut 10-15% more chips per second than
two threads on the benchmark's 2-core machine, for twice the memory (each has its own GDAL cache); the
process pool is kept for that benchmark (see docs/benchmarks.md).
"""
from __future__ import annotations

import itertools
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np

from . import index as idx
from .plan import ChipPlan
from .render import (
    ChipPainter,
    Stretch,
    compute_stretch,
    geometry_rings,
    parse_bands,
    save_image,
    to_image,
    valid_mask,
)
from .window import RasterGrid, chip_window, clip_window, intersects_raster

STRETCH_FILE = "chips_stretch.json"
PLAN_FILE = ".chips_plan.sqlite"


class ChipError(Exception):
    """A problem with the run's input or output that stops it, with a sentence for the user."""


@dataclass
class FeatureInput:
    """One feature as the caller read it: its fid and WKB geometry in the raster's CRS."""

    fid: int
    wkb: Optional[bytes]
    error: str = ""  # set when the caller could not get a geometry (e.g. the CRS transform failed)


@dataclass
class CutOptions:
    chip_size: int = 512
    fmt: str = "PNG"  # PNG or JPEG
    bands: Optional[str] = None
    workers: int = 0  # 0 = one per CPU core
    max_inflight: int = 0  # 0 = 8 per worker
    limit: int = 0  # 0 = all features
    overwrite: bool = False
    executor: str = "thread"  # "process" exists for the benchmark only

    def resolved_workers(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    def resolved_inflight(self) -> int:
        workers = self.resolved_workers()
        return max(workers, self.max_inflight if self.max_inflight > 0 else 8 * workers)


@dataclass
class CutSummary:
    index_path: str
    folder: str
    total: int = 0  # features considered (after LIMIT)
    cut: int = 0
    already_done: int = 0
    outside: int = 0
    empty: int = 0
    failed: int = 0
    canceled: bool = False
    seconds: float = 0.0
    warnings: List[str] = field(default_factory=list)

    @property
    def chip_count(self) -> int:
        """Chips available in the folder for the features of this run."""
        return self.cut + self.already_done


ProgressFn = Callable[[float, str], None]


def open_raster(path: str):
    import rasterio
    from rasterio.errors import RasterioIOError

    if not path or not os.path.exists(path):
        raise ChipError(f"The raster file '{path}' does not exist.")
    try:
        return rasterio.open(path)
    except (RasterioIOError, OSError) as exc:
        raise ChipError(f"GDAL cannot read the raster '{path}': {exc}") from exc


def raster_grid(dataset) -> RasterGrid:
    block_h, block_w = dataset.block_shapes[0]
    return RasterGrid(tuple(dataset.transform)[:6], dataset.width, dataset.height, block_h, block_w)


def _check_writable(folder: str) -> None:
    try:
        os.makedirs(os.path.join(folder, idx.CHIPS_DIR), exist_ok=True)
        probe = os.path.join(folder, ".chipvlm_write_test")
        with open(probe, "w") as handle:
            handle.write("ok")
        os.remove(probe)
        for name in os.listdir(os.path.join(folder, idx.CHIPS_DIR)):
            if name.endswith(".part"):  # left by a killed run, never a finished chip
                os.remove(os.path.join(folder, idx.CHIPS_DIR, name))
    except OSError as exc:
        raise ChipError(f"Cannot write chips to the folder '{folder}': {exc.strerror or exc}.") from exc


class ChipCutter:
    """Cuts chips from one open dataset; one per worker (GDAL handles are not shared across threads)."""

    def __init__(self, raster_path: str, bands: List[int], stretch: Stretch, size: int, fmt: str,
                 folder: str, crs: str, cancel: Optional[threading.Event] = None):
        self.dataset = open_raster(raster_path)
        self.grid = raster_grid(self.dataset)
        self.bands = bands
        self.stretch = stretch
        self.size = size
        self.fmt = fmt
        self.folder = folder
        self.crs = crs
        self.scale = self.grid.pixel_size
        self.painter = ChipPainter(size)
        self.cancel = cancel

    def close(self) -> None:
        self.dataset.close()

    def cut_many(self, jobs: List[tuple]) -> List[dict]:
        rows = []
        for job in jobs:
            if self.cancel is not None and self.cancel.is_set():
                break
            rows.append(self.cut(*job))
        return rows

    def read(self, col_off: int, row_off: int) -> np.ndarray:
        """The window's pixels, padded where it leaves the raster (never shifted)."""
        from rasterio.windows import Window

        size = self.size
        dtype = self.dataset.dtypes[self.bands[0] - 1]
        data = np.zeros((len(self.bands), size, size), dtype=dtype)
        inside = clip_window(self.grid, col_off, row_off, size)
        valid = np.zeros((size, size), dtype=bool)
        if inside is None:
            return data, valid
        col, row, width, height, dcol, drow = inside
        part = self.dataset.read(self.bands, window=Window(col, row, width, height))
        data[:, drow:drow + height, dcol:dcol + width] = part
        part_valid = valid_mask(self.dataset, self.bands, part)
        valid[drow:drow + height, dcol:dcol + width] = True if part_valid is None else part_valid
        return data, valid

    def cut(self, fid, col_off, row_off, cx, cy, wkb) -> dict:
        from .window import ChipWindow

        window = ChipWindow(col_off, row_off, self.size, cx, cy)
        name = idx.chip_name(fid, self.fmt)
        rel = f"{idx.CHIPS_DIR}/{name}"
        try:
            data, valid = self.read(col_off, row_off)
            image = to_image(self.stretch.apply(data, valid))
            geom = _load_wkb(wkb)
            self.painter.outline(image, geometry_rings(geom), self.grid.to_pixel, col_off, row_off)
            self.painter.label(image, str(fid))
            save_image(image, os.path.join(self.folder, idx.CHIPS_DIR, name), self.fmt)
        except Exception as exc:  # one bad window never stops the run: it becomes an error row
            # the file and the window named here: GDAL's text may name neither (rasterio 1.4)
            where = (f"{os.path.basename(str(self.dataset.name))} (window at column {col_off}, row {row_off}, "
                     f"{self.size} x {self.size} pixels)")
            return idx.make_row(fid, idx.STATUS_ERROR, f"Could not cut the chip from {where}: {_one_line(exc)}",
                                window=window, crs=self.crs, scale=self.scale)
        message = "" if valid.any() else "the window holds only nodata"
        return idx.make_row(fid, idx.STATUS_OK, message, chip_path=rel, window=window, crs=self.crs,
                            scale=self.scale)


def _load_wkb(wkb: bytes):
    from shapely import wkb as shapely_wkb

    return shapely_wkb.loads(bytes(wkb))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# -- process-pool plumbing (benchmark comparison only) ----------------------------------------
_process_cutter: Optional[ChipCutter] = None


def _process_init(args):
    global _process_cutter
    _process_cutter = ChipCutter(*args)


def _process_cut_many(jobs):
    return _process_cutter.cut_many(jobs)


# -- the run -------------------------------------------------------------------------------------
def cut_chips(raster_path: str, features: Iterable[FeatureInput], folder: str, options: CutOptions,
              feature_count: int = 0, progress: Optional[ProgressFn] = None,
              log: Optional[Callable[[str], None]] = None,
              is_canceled: Optional[Callable[[], bool]] = None) -> CutSummary:
    """Cut one chip per feature into `folder`/chips and append rows to `folder`/chips_index.csv."""
    started = time.monotonic()
    progress = progress or (lambda fraction, message: None)
    log = log or (lambda message: None)
    is_canceled = is_canceled or (lambda: False)
    if options.fmt not in ("PNG", "JPEG"):
        raise ChipError(f"Unknown chip format '{options.fmt}': use PNG or JPEG.")
    if options.chip_size < 16:
        raise ChipError(f"The chip size must be at least 16 pixels; got {options.chip_size}.")

    folder = os.path.abspath(folder)
    _check_writable(folder)
    index_path = os.path.join(folder, idx.INDEX_NAME)
    summary = CutSummary(index_path=index_path, folder=folder)

    dataset = open_raster(raster_path)
    try:
        grid = raster_grid(dataset)
        try:
            bands = parse_bands(options.bands, dataset.count)
        except ValueError as exc:
            raise ChipError(str(exc)) from exc
        crs = dataset.crs.to_string() if dataset.crs else ""
        if grid.rotated:
            summary.warnings.append(
                "The raster has a rotated geotransform: chips are cut in the raster's own pixel grid, "
                "so north is not up in them."
            )
        stretch = _stretch_for_run(dataset, bands, folder, options.overwrite, log)
    finally:
        dataset.close()

    done = _prepare_index(index_path, options.overwrite)
    plan = ChipPlan(os.path.join(folder, PLAN_FILE))
    writer = idx.IndexWriter(index_path)
    try:
        _plan_features(features, grid, options, done, plan, writer, summary, crs, feature_count, progress,
                       is_canceled)
        if not summary.canceled and plan.count:
            _cut_planned(raster_path, plan, bands, stretch, folder, crs, options, writer, summary, progress,
                         is_canceled, log)
    finally:
        writer.close()
        plan.close()
    summary.seconds = time.monotonic() - started
    progress(1.0 if not summary.canceled else progress_fraction(summary, plan.count),
             f"{summary.cut} chips cut in {summary.seconds:.1f} s")
    return summary


def progress_fraction(summary: CutSummary, planned: int) -> float:
    return 0.1 + 0.9 * (summary.cut + summary.failed) / max(1, planned)


def _stretch_for_run(dataset, bands, folder, overwrite, log) -> Stretch:
    """The stretch is computed once per run folder and reused on resume, so all chips look alike."""
    path = os.path.join(folder, STRETCH_FILE)
    if not overwrite and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            stored = Stretch.from_json(handle.read(), bands)
        if stored is not None:
            return stored
    stretch = compute_stretch(dataset, bands)
    if not stretch.identity:
        log("Stretch to 8 bits (2-98 percentiles): "
            + ", ".join(f"band {b}: {lo:g}..{hi:g}" for b, (lo, hi) in zip(bands, stretch.ranges)))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(stretch.to_json(bands))
    return stretch


def _prepare_index(index_path: str, overwrite: bool) -> Dict[int, dict]:
    """On resume keep only the rows of chips that are really done; they are skipped."""
    if overwrite:
        if os.path.exists(index_path):
            os.remove(index_path)
        return {}
    if not os.path.exists(index_path):
        return {}
    done = idx.completed_fids(index_path)
    idx.rewrite_index(index_path, done.values())
    return done


def _plan_features(features, grid, options, done, plan, writer, summary, crs, feature_count, progress,
                   is_canceled) -> None:
    from shapely import wkb as shapely_wkb

    seen = set()
    status_rows = []
    last_report = time.monotonic()
    for position, feature in enumerate(features):
        if options.limit and position >= options.limit:
            break
        summary.total += 1
        fid = feature.fid
        if position % 256 == 0 and is_canceled():
            summary.canceled = True
            break
        if fid in seen:
            status_rows.append(idx.make_row(fid, idx.STATUS_ERROR, f"Duplicate fid {fid}: only its first feature gets a chip."))
            summary.failed += 1
            continue
        seen.add(fid)
        if fid in done:
            summary.already_done += 1
            continue
        if feature.error:
            status_rows.append(idx.make_row(fid, idx.STATUS_ERROR, feature.error))
            summary.failed += 1
            continue
        geom = None
        if feature.wkb:
            try:
                geom = shapely_wkb.loads(bytes(feature.wkb))
            except Exception as exc:
                status_rows.append(idx.make_row(fid, idx.STATUS_ERROR, f"Unreadable geometry: {_one_line(exc)}"))
                summary.failed += 1
                continue
        if geom is None or geom.is_empty:
            status_rows.append(idx.make_row(fid, idx.STATUS_EMPTY, "The feature has no geometry."))
            summary.empty += 1
            continue
        bounds = geom.bounds
        window = chip_window(grid, bounds, options.chip_size)
        if not intersects_raster(grid, bounds):
            status_rows.append(idx.make_row(fid, idx.STATUS_OUTSIDE, "The feature lies outside the raster.",
                                            window=window, crs=crs, scale=grid.pixel_size))
            summary.outside += 1
            continue
        plan.add(window.sort_key(grid), fid, window, bytes(feature.wkb))
        if len(status_rows) >= 256:
            writer.write(status_rows)
            status_rows = []
        now = time.monotonic()
        if now - last_report > 0.5:
            last_report = now
            fraction = 0.1 * (position + 1) / feature_count if feature_count else 0.05
            progress(min(0.1, fraction), f"Reading features: {position + 1}")
    writer.write(status_rows)


def _cut_planned(raster_path, plan, bands, stretch, folder, crs, options, writer, summary, progress,
                 is_canceled, log) -> None:
    workers = options.resolved_workers()
    max_inflight = options.resolved_inflight()
    # Chunks of neighbouring windows go to one worker, whose GDAL block cache then serves the
    # blocks its previous window already decompressed.
    chunk = max(1, min(16, max_inflight // (2 * workers)))
    cancel = threading.Event()
    cutter_args = (raster_path, bands, stretch, options.chip_size, options.fmt, folder, crs)

    if options.executor == "process":
        executor = ProcessPoolExecutor(max_workers=workers, initializer=_process_init, initargs=(cutter_args,))
        run_chunk = _process_cut_many
        cutters: List[ChipCutter] = []
    else:
        local = threading.local()
        cutters = []
        lock = threading.Lock()

        def run_chunk(jobs):
            cutter = getattr(local, "cutter", None)
            if cutter is None:
                cutter = ChipCutter(*cutter_args, cancel=cancel)
                local.cutter = cutter
                with lock:
                    cutters.append(cutter)
            return cutter.cut_many(jobs)

        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chipvlm-cut")

    jobs = plan.in_layout_order()
    chunks = iter(lambda: list(itertools.islice(jobs, chunk)), [])
    inflight: Dict[Future, List[tuple]] = {}
    planned = plan.count
    started = time.monotonic()
    last_report = 0.0
    exhausted = False
    try:
        while True:
            if is_canceled():
                summary.canceled = True
                cancel.set()
            while not exhausted and not summary.canceled and (len(inflight) + 1) * chunk <= max_inflight:
                batch = next(chunks, None)
                if batch is None:
                    exhausted = True
                    break
                inflight[executor.submit(run_chunk, batch)] = batch
            if not inflight:
                break
            finished, _ = wait(list(inflight), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = inflight.pop(future)
                try:
                    rows = future.result()
                except Exception as exc:  # a worker died (e.g. a process was killed): its chips are errors
                    rows = [idx.make_row(job[0], idx.STATUS_ERROR, f"Worker failed: {_one_line(exc)}") for job in batch]
                writer.write(rows)
                for row in rows:
                    if row["status"] == idx.STATUS_OK:
                        summary.cut += 1
                    else:
                        summary.failed += 1
                        log(f"fid {row['fid']}: {row['message']}")
            now = time.monotonic()
            if now - last_report >= 0.5 or not inflight:
                last_report = now
                handled = summary.cut + summary.failed
                rate = handled / max(1e-6, now - started)
                progress(progress_fraction(summary, planned),
                         f"{handled}/{planned} chips, {rate:.1f} chips/s")
    finally:
        executor.shutdown(wait=True)
        for cutter in cutters:
            cutter.close()
