"""The cutting run: plan in the caller's thread, cut in workers, write the index here.

cut_chips checks the options, reads what it needs of the raster, plans every feature's window (in
the raster's block layout order, chips_plan.sqlite), hands chunks of neighbouring windows to a pool
of worker threads, each with its own ChipCutter (cutter.py: reading a window, cutting one chip), and
appends their rows to chips_index.csv. The run folder (run.json, stretch, resume checks) is
run_folder.py; writing into it when the disk fills up is folder_writes.py.

Workers are threads, not processes: rasterio (GDAL decompression) and the PNG encoder (numpy, zlib)
release the GIL for the heavy work, and threads need no separate Python executable, which inside the
QGIS desktop on Windows or macOS is QGIS itself. Two processes cut 10-15% more chips per second than
two threads on the benchmark's 2-core machine, for twice the memory (each has its own GDAL cache); no
user could choose them, so there is no process pool (see docs/benchmarks.md).
"""
from __future__ import annotations

import errno
import itertools
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

from ..errors import Message
from . import index as idx
from .cutter import ChipCutter, CutIO, raster_grid
from .folder_writes import (
    DiskFullError,
    check_writable,
    close_writer,
    disk_full_error,
    folder_of,
    one_line,
    write_or_unlink,
    write_status_rows,
)
from .plan import ChipPlan
from .render import BandsError, Stretch, parse_bands
from .run_folder import (
    ChipError,
    check_same_fid_field,
    check_same_framing,
    done_before,
    metres_per_unit,
    prepare_index,
    record_run,
    stretch_for_run,
)
from .window import FRAMINGS, Framing, RasterGrid, framed_window, intersects_raster

PLAN_FILE = ".chips_plan.sqlite"


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
    framing: str = "auto"  # native | auto | fit (see window.Framing)
    context: float = 0.25  # margin on each side, share of the bbox's longer side
    min_context_m: float = 5.0  # ... and at least this many metres
    max_zoom: float = 4.0  # fit: magnify at most this much

    def framing_settings(self) -> Framing:
        return Framing(self.framing, float(self.context), float(self.min_context_m), float(self.max_zoom))

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
    outside_fids: List[int] = field(default_factory=list)  # the first OUTSIDE_NAMED of them
    empty: int = 0
    failed: int = 0
    duplicates: int = 0  # features whose fid an earlier feature already had (no chip, no row)
    small: int = 0  # chips cut in this run whose object is small (index column small_object)
    overviews: bool = False  # the raster has overviews (shrunk windows are read through them)
    shrunk: int = 0  # chips whose window was larger than the chip
    shrink_seconds: float = 0.0  # worker seconds spent reading those windows
    shrink_seconds_with_overviews: float = 0.0  # estimate of the same with overviews (no overviews only)
    canceled: bool = False
    seconds: float = 0.0
    warnings: List[str] = field(default_factory=list)

    @property
    def chip_count(self) -> int:
        """Chips available in the folder for the features of this run."""
        return self.cut + self.already_done


OUTSIDE_NAMED = 10  # the end of a run names this many fids outside the raster, then counts the rest
ProgressFn = Callable[[float, str], None]


@dataclass
class CutFeedback:
    """What a run tells its caller and asks it: progress (fraction, message), log lines, cancel."""

    progress: ProgressFn = lambda fraction, message: None
    log: Callable[[str], None] = lambda message: None
    is_canceled: Callable[[], bool] = lambda: False


@dataclass
class _Run:
    """One cutting run: its settings, what it read of the raster, and the summary it fills in."""

    raster_path: str
    options: CutOptions
    framing: Framing
    feedback: CutFeedback
    io: CutIO
    summary: CutSummary
    feature_count: int = 0  # features the caller expects (progress while reading them); 0: unknown
    grid: Optional[RasterGrid] = None
    bands: List[int] = field(default_factory=list)
    stretch: Optional[Stretch] = None
    crs: str = ""
    metres: float = 1.0
    done: Dict[int, dict] = field(default_factory=dict)
    plan: Optional[ChipPlan] = None
    writer: Optional[idx.IndexWriter] = None

    @property
    def folder(self) -> str:
        return self.summary.folder


def cut_chips(raster_path: str, features: Iterable[FeatureInput], folder: str, options: CutOptions,
              feedback: Optional[CutFeedback] = None, run_info: Optional[dict] = None,
              io: Optional[CutIO] = None) -> CutSummary:
    """Cut one chip per feature into `folder`/chips and append rows to `folder`/chips_index.csv.

    `run_info` (layer_source, layer_name, fid_field, feature_count: what the caller knows of the
    layer) goes into the folder's run.json with how the chips are cut. `io` opens the raster and
    writes the chips (the real files by default).
    """
    started = time.monotonic()
    framing = _checked_framing(options)
    folder = os.path.abspath(folder)
    check_writable(folder)
    run_info = run_info or {}
    expected = int(run_info.get("feature_count", 0) or 0)
    run = _Run(raster_path, options, framing, feedback or CutFeedback(), io or CutIO(),
               CutSummary(index_path=os.path.join(folder, idx.INDEX_NAME), folder=folder),
               feature_count=min(expected, options.limit) if options.limit else expected)
    _read_raster(run)
    summary = run.summary
    run.done = done_before(summary.index_path, options.overwrite)
    check_same_framing(folder, run.done, options, framing)
    check_same_fid_field(folder, run.done, options, run_info)
    record_run(folder, raster_path, run.crs, run.bands, options, framing, run_info)
    prepare_index(summary.index_path, options.overwrite, run.done)
    run.plan = ChipPlan(os.path.join(folder, PLAN_FILE))
    run.writer = idx.IndexWriter(summary.index_path)
    try:
        _plan_features(run, features)
        if not summary.canceled and run.plan.count:
            _cut_planned(run)
    finally:
        close_writer(run.writer)
        run.plan.close()
    if summary.duplicates:
        summary.warnings.append(
            f"{summary.duplicates} feature(s) have the fid of an earlier feature and got no chip (only the first "
            f"feature with a fid is cut; the log names up to 20 of them): make the fid field unique.")
    summary.seconds = time.monotonic() - started
    run.feedback.progress(1.0 if not summary.canceled else progress_fraction(summary, run.plan.count),
                          Message("{0} chips cut in {1:.1f} s", summary.cut, summary.seconds))
    return summary


def _checked_framing(options: CutOptions) -> Framing:
    """The run's framing; ChipError when a setting cannot be cut with."""
    if options.fmt not in ("PNG", "JPEG"):
        raise ChipError("Unknown chip format '{0}': use PNG or JPEG.", options.fmt)
    if options.chip_size < 16:
        raise ChipError("The chip size must be at least 16 pixels; got {0}.", options.chip_size)
    framing = options.framing_settings()
    if framing.mode not in FRAMINGS:
        raise ChipError("Unknown framing '{0}': use native, auto or fit.", framing.mode)
    if framing.context < 0 or framing.min_context_m < 0 or framing.max_zoom < 1:
        raise ChipError("CONTEXT and its minimum cannot be negative and MAX_ZOOM must be at least 1; got {0}, {1} m "
                        "and {2}.", framing.context, framing.min_context_m, framing.max_zoom)
    return framing


def _read_raster(run: _Run) -> None:
    """What the run needs of the raster: its grid, bands, CRS, units and the run folder's stretch."""
    dataset = run.io.open_raster(run.raster_path)
    try:
        run.grid = raster_grid(dataset)
        try:
            run.bands = parse_bands(run.options.bands, dataset.count)
        except BandsError as exc:
            raise ChipError(exc.template, *exc.values) from exc
        run.crs = dataset.crs.to_string() if dataset.crs else ""
        run.metres = metres_per_unit(dataset)
        run.summary.overviews = bool(dataset.overviews(run.bands[0]))
        if run.grid.rotated:
            run.summary.warnings.append(
                "The raster has a rotated geotransform: chips are cut in the raster's own pixel grid, "
                "so north is not up in them."
            )
        run.stretch = stretch_for_run(dataset, run.bands, run.folder, run.options.overwrite, run.feedback.log)
    finally:
        dataset.close()


def progress_fraction(summary: CutSummary, planned: int) -> float:
    return 0.1 + 0.9 * (summary.cut + summary.failed) / max(1, planned)


def _plan_features(run: _Run, features: Iterable[FeatureInput]) -> None:
    """Plan the window of every feature to cut; write the rows of those that get no chip."""
    summary, options = run.summary, run.options
    seen: set = set()
    status_rows: List[dict] = []
    last_report = time.monotonic()
    for position, feature in enumerate(features):
        if options.limit and position >= options.limit:
            break
        summary.total += 1
        if position % 256 == 0 and run.feedback.is_canceled():
            summary.canceled = True
            break
        row = _plan_feature(run, feature, seen)
        if row is not None:
            status_rows.append(row)
        if len(status_rows) >= 256:
            write_status_rows(run.writer, status_rows, folder_of(run.writer), summary.cut)
            status_rows = []
        now = time.monotonic()
        if now - last_report > 0.5:
            last_report = now
            fraction = 0.1 * (position + 1) / run.feature_count if run.feature_count else 0.05
            run.feedback.progress(min(0.1, fraction), Message("Reading features: {0}", position + 1))
    write_status_rows(run.writer, status_rows, folder_of(run.writer), summary.cut)


def _plan_feature(run: _Run, feature: FeatureInput, seen: set) -> Optional[dict]:
    """Plan one feature's chip; the index row of a feature that gets none (None otherwise)."""
    summary, fid = run.summary, feature.fid
    if fid in seen:
        # No index row: the index has one row per fid, and a second row for this fid would
        # stand for the first feature's chip (readers take the last row).
        summary.duplicates += 1
        if summary.duplicates <= 20:
            run.feedback.log(f"Duplicate fid {fid}: only its first feature gets a chip.")
        return None
    seen.add(fid)
    if fid in run.done:
        summary.already_done += 1
        return None
    if feature.error:
        summary.failed += 1
        return idx.make_row(fid, idx.STATUS_ERROR, feature.error)
    try:
        geom = _load_geometry(feature.wkb)
    except Exception as exc:
        summary.failed += 1
        return idx.make_row(fid, idx.STATUS_ERROR, f"Unreadable geometry: {one_line(exc)}")
    if geom is None or geom.is_empty:
        summary.empty += 1
        return idx.make_row(fid, idx.STATUS_EMPTY, "The feature has no geometry.")
    bounds = geom.bounds
    window = framed_window(run.grid, bounds, run.options.chip_size, run.framing, run.metres)
    if not intersects_raster(run.grid, bounds):
        summary.outside += 1
        if len(summary.outside_fids) < OUTSIDE_NAMED:
            summary.outside_fids.append(fid)
        return idx.make_row(fid, idx.STATUS_OUTSIDE, "The feature lies outside the raster.", window=window,
                            crs=run.crs, scale=run.grid.pixel_size, zoom=run.options.chip_size / window.size)
    run.plan.add(window.sort_key(run.grid), fid, window, bytes(feature.wkb))
    return None


def _load_geometry(wkb: Optional[bytes]):
    from shapely import wkb as shapely_wkb

    return shapely_wkb.loads(bytes(wkb)) if wkb else None


class _CutterPool:
    """Worker threads, each with its own ChipCutter (GDAL handles are not shared across threads)."""

    def __init__(self, run: _Run):
        self.run = run
        self.cancel = threading.Event()
        self.cutters: List[ChipCutter] = []
        self._local = threading.local()
        self._lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=run.options.resolved_workers(),
                                           thread_name_prefix="chipvlm-cut")

    def _cut_chunk(self, jobs):
        cutter = getattr(self._local, "cutter", None)
        if cutter is None:
            run = self.run
            cutter = ChipCutter(run.raster_path, run.bands, run.stretch, run.options.chip_size, run.options.fmt,
                                run.folder, run.crs, io=run.io)
            cutter.cancel = self.cancel
            self._local.cutter = cutter
            with self._lock:
                self.cutters.append(cutter)
        return cutter.cut_many(jobs)

    def submit(self, jobs) -> Future:
        return self.executor.submit(self._cut_chunk, jobs)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        for cutter in self.cutters:
            cutter.close()
        _shrink_report(self.cutters, self.run.summary, self.run.feedback.log)


def _cut_planned(run: _Run) -> None:
    """Cut the planned chips in the pool, chunks of neighbouring windows at a time, writing their rows."""
    options, summary = run.options, run.summary
    workers = options.resolved_workers()
    max_inflight = options.resolved_inflight()
    # Chunks of neighbouring windows go to one worker, whose GDAL block cache then serves the
    # blocks its previous window already decompressed.
    chunk = max(1, min(16, max_inflight // (2 * workers)))
    pool = _CutterPool(run)
    jobs = run.plan.in_layout_order()
    chunks = iter(lambda: list(itertools.islice(jobs, chunk)), [])
    inflight: Dict[Future, List[tuple]] = {}
    started = time.monotonic()
    last_report = 0.0
    exhausted = False
    disk_full: Optional[OSError] = None
    try:
        while True:
            if run.feedback.is_canceled():
                summary.canceled = True
                pool.cancel.set()
            while (not exhausted and not summary.canceled and disk_full is None
                   and (len(inflight) + 1) * chunk <= max_inflight):
                batch = next(chunks, None)
                exhausted = batch is None
                if batch is not None:
                    inflight[pool.submit(batch)] = batch
            if not inflight:
                break
            finished, _ = wait(list(inflight), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                disk_full = _take_rows(run, future, inflight.pop(future), pool) or disk_full
            now = time.monotonic()
            if now - last_report >= 0.5 or not inflight:
                last_report = now
                handled = summary.cut + summary.failed
                run.feedback.progress(progress_fraction(summary, run.plan.count), Message(
                    "{0}/{1} chips, {2:.1f} chips/s", handled, run.plan.count, handled / max(1e-6, now - started)))
    finally:
        pool.close()
    if disk_full is not None:
        raise disk_full_error(run.folder, summary.cut, disk_full)


def _take_rows(run: _Run, future: Future, batch: List[tuple], pool: _CutterPool) -> Optional[OSError]:
    """Write a finished chunk's rows and count them; the error of a full disk (the run then stops)."""
    disk_full = None
    try:
        rows = future.result()
    except DiskFullError as full:  # stop at the first "no space": every other chip would fail too
        rows, disk_full = full.rows, full.error
        pool.cancel.set()
    except Exception as exc:  # a worker failed outside a chip: its chips are errors
        rows = [idx.make_row(job[0], idx.STATUS_ERROR, f"Worker failed: {one_line(exc)}") for job in batch]
    if not write_or_unlink(run.writer, rows, run.folder):
        pool.cancel.set()
        return disk_full or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    summary = run.summary
    for row in rows:
        if row["status"] == idx.STATUS_OK:
            summary.cut += 1
            summary.small += idx.small_object(row) is True
        else:
            summary.failed += 1
            run.feedback.log(f"fid {row['fid']}: {row['message']}")
    return disk_full


def _shrink_report(cutters, summary, log) -> None:
    """What reading shrunk windows cost; without overviews, what they would have saved."""
    summary.shrunk = sum(c.shrunk for c in cutters)
    if not summary.shrunk:
        return
    summary.shrink_seconds = sum(c.shrink_seconds for c in cutters)
    if summary.overviews:
        log(f"{summary.shrunk} chips were shrunk from larger windows, read through the raster's overviews "
            f"in {summary.shrink_seconds:.1f} s of worker time.")
        return
    pixels = sum(c.shrink_pixels for c in cutters)
    with_overviews = sum(c.shrink_pixels_overviews for c in cutters)
    summary.shrink_seconds_with_overviews = summary.shrink_seconds * with_overviews / max(1.0, pixels)
    log(f"{summary.shrunk} chips were shrunk from larger windows; the raster has no overviews, so reading them "
        f"decoded every full-resolution pixel ({pixels / 1e6:.0f} million) and took {summary.shrink_seconds:.1f} s "
        f"of worker time. With overviews it would decode about {with_overviews / 1e6:.0f} million, roughly "
        f"{summary.shrink_seconds_with_overviews:.1f} s.")
