"""The parallel cutting engine: plan in the caller's thread, cut in workers, write the index here.

Workers are threads, not processes: rasterio (GDAL decompression) and the PNG encoder (numpy, zlib)
release the GIL for the heavy work, and threads need no separate Python executable, which inside the
QGIS desktop on Windows or macOS is QGIS itself. Two processes cut 10-15% more chips per second than
two threads on the benchmark's 2-core machine, for twice the memory (each has its own GDAL cache); no
user could choose them, so there is no process pool (see docs/benchmarks.md).

Size (~540 lines): the cutter worker (ChipCutter) and the run (cut_chips: plan, cut in the pool,
index) are both here. How the raster is opened and a chip written is given to the run (CutIO), so
the reliability tests and bench/bench_chips.py pass their own instead of replacing module globals. The run folder
(run.json, stretch, resume checks) is run_folder.py; writing into it when the disk fills up is
folder_writes.py.
"""
from __future__ import annotations

import errno
import itertools
import math
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np

from ..errors import Message
from . import index as idx
from .folder_writes import (
    DiskFullError,
    _check_writable,
    _close_writer,
    _one_line,
    _remove_quietly,
    _write_or_unlink,
    _write_status_rows,
    disk_full_error,
    folder_of,
    is_disk_full,
)
from .plan import ChipPlan
from .render import (
    BandsError,
    ChipPainter,
    Stretch,
    geometry_rings,
    parse_bands,
    save_image,
    to_image,
    valid_mask,
)
from .run_folder import (
    STRETCH_FILE,  # noqa: F401 (where training/export.py and callers of the engine look for it)
    ChipError,
    _check_same_fid_field,
    _check_same_framing,
    _done_before,
    _prepare_index,
    _record_run,
    _stretch_for_run,
    metres_per_unit,
)
from .window import FRAMINGS, Framing, RasterGrid, clip_window, framed_window, intersects_raster

PLAN_FILE = ".chips_plan.sqlite"


def open_raster(path: str):
    import rasterio
    from rasterio.errors import RasterioIOError

    if not path or not os.path.exists(path):
        raise ChipError("The raster file '{0}' does not exist.", path)
    try:
        return rasterio.open(path)
    except (RasterioIOError, OSError) as exc:
        raise ChipError("GDAL cannot read the raster '{0}': {1}", path, exc) from exc


def raster_grid(dataset) -> RasterGrid:
    block_h, block_w = dataset.block_shapes[0]
    return RasterGrid(tuple(dataset.transform)[:6], dataset.width, dataset.height, block_h, block_w)


@dataclass(frozen=True)
class CutIO:
    """How a run opens the raster and writes a chip file: the real functions unless the caller gives
    others (the reliability tests fill the disk or break reads, the benchmark times the writes)."""

    open_raster: Callable[[str], object] = open_raster  # path -> an open rasterio dataset
    save_image: Callable[[object, str, str], None] = save_image  # (PIL image, path, "PNG" or "JPEG")


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
    empty: int = 0
    failed: int = 0
    duplicates: int = 0  # features whose fid an earlier feature already had (no chip, no row)
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


ProgressFn = Callable[[float, str], None]


class ChipCutter:
    """Cuts chips from one open dataset; one per worker (GDAL handles are not shared across threads)."""

    def __init__(self, raster_path: str, bands: List[int], stretch: Stretch, size: int, fmt: str,
                 folder: str, crs: str, cancel: Optional[threading.Event] = None, io: Optional[CutIO] = None):
        self.raster_path = raster_path
        self.io = io or CutIO()
        self.dataset = self.io.open_raster(raster_path)
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
        # windows read shrunk: how many, worker seconds, and pixels decoded without / with overviews
        self.shrunk = 0
        self.shrink_seconds = 0.0
        self.shrink_pixels = 0.0
        self.shrink_pixels_overviews = 0.0

    def close(self) -> None:
        self.dataset.close()

    def cut_many(self, jobs: List[tuple]) -> List[dict]:
        rows = []
        for job in jobs:
            if self.cancel is not None and self.cancel.is_set():
                break
            try:
                rows.append(self.cut(*job))
            except DiskFullError as full:
                raise DiskFullError(rows, full.error) from full.error
        return rows

    def read(self, col_off: int, row_off: int, window_size: Optional[int] = None) -> np.ndarray:
        """The window's pixels as a chip_size x chip_size array, padded where it leaves the raster
        (never shifted). A window of another size is resampled: averaged when shrunk (through the
        overviews when the file has them), bilinear when magnified."""
        size = self.size
        window_size = size if window_size is None else window_size
        if window_size == size:
            return self._read_native(col_off, row_off)
        return self._read_resampled(col_off, row_off, window_size)

    def _read_window(self, window, out_shape=None, resampling=None):
        if out_shape is None:
            return self.dataset.read(self.bands, window=window)
        return self.dataset.read(self.bands, window=window, out_shape=out_shape, resampling=resampling)

    def _read_native(self, col_off: int, row_off: int):
        from rasterio.windows import Window

        size = self.size
        dtype = self.dataset.dtypes[self.bands[0] - 1]
        data = np.zeros((len(self.bands), size, size), dtype=dtype)
        inside = clip_window(self.grid, col_off, row_off, size)
        valid = np.zeros((size, size), dtype=bool)
        if inside is None:
            return data, valid
        col, row, width, height, dcol, drow = inside
        part = self._read_window(Window(col, row, width, height))
        data[:, drow:drow + height, dcol:dcol + width] = part
        part_valid = valid_mask(self.dataset, self.bands, part)
        valid[drow:drow + height, dcol:dcol + width] = True if part_valid is None else part_valid
        return data, valid

    def _read_resampled(self, col_off: int, row_off: int, window_size: int):
        """Chip pixel (u, v) shows raster pixel (col_off + u / zoom, row_off + v / zoom), zoom =
        chip_size / window_size, exactly: where the window leaves the raster, the part inside is read
        through a fractional window whose edges fall on whole chip pixels."""
        from rasterio.enums import Resampling
        from rasterio.windows import Window

        size = self.size
        zoom = size / window_size
        dtype = self.dataset.dtypes[self.bands[0] - 1]
        data = np.zeros((len(self.bands), size, size), dtype=dtype)
        valid = np.zeros((size, size), dtype=bool)
        inside = clip_window(self.grid, col_off, row_off, window_size)
        if inside is None:
            return data, valid
        col, row, width, height, dcol, drow = inside
        u0, v0 = int(math.ceil(dcol * zoom - 1e-9)), int(math.ceil(drow * zoom - 1e-9))
        u1, v1 = int(math.floor((dcol + width) * zoom + 1e-9)), int(math.floor((drow + height) * zoom + 1e-9))
        u1, v1 = min(size, u1), min(size, v1)
        if u1 <= u0 or v1 <= v0:
            return data, valid
        window = Window(col_off + u0 / zoom, row_off + v0 / zoom, (u1 - u0) / zoom, (v1 - v0) / zoom)
        resampling = Resampling.average if zoom < 1 else Resampling.bilinear
        started = time.perf_counter()
        part = self._read_window(window, out_shape=(len(self.bands), v1 - v0, u1 - u0), resampling=resampling)
        if zoom < 1:
            self.shrunk += 1
            self.shrink_seconds += time.perf_counter() - started
            area = window.width * window.height
            self.shrink_pixels += area
            # through overviews GDAL reads at most about twice the chip's resolution per side
            self.shrink_pixels_overviews += min(area, 4.0 * (v1 - v0) * (u1 - u0))
        data[:, v0:v1, u0:u1] = part
        part_valid = valid_mask(self.dataset, self.bands, part)
        valid[v0:v1, u0:u1] = True if part_valid is None else part_valid
        return data, valid

    def cut(self, fid, col_off, row_off, window_size, cx, cy, wkb) -> dict:
        from .window import ChipWindow

        window = ChipWindow(col_off, row_off, window_size, cx, cy)
        zoom = self.size / window_size
        name = idx.chip_name(fid, self.fmt)
        rel = f"{idx.CHIPS_DIR}/{name}"
        path = os.path.join(self.folder, idx.CHIPS_DIR, name)
        try:
            data, valid = self.read(col_off, row_off, window_size)
            image = to_image(self.stretch.apply(data, valid))
            geom = _load_wkb(wkb)
            self.painter.outline(image, geometry_rings(geom), self.grid.to_pixel, col_off, row_off, zoom)
            self.painter.label(image, str(fid))
            self.io.save_image(image, path, self.fmt)
        except Exception as exc:  # one bad window never stops the run: it becomes an error row
            if is_disk_full(exc):
                _remove_quietly(path + ".part")
                _remove_quietly(path)
                raise DiskFullError([], exc) from exc
            # the file and the window named here: GDAL's text may name neither (rasterio 1.4)
            where = (f"{os.path.basename(str(self.dataset.name))} (window at column {col_off}, row {row_off}, "
                     f"{window_size} x {window_size} pixels)")
            return idx.make_row(fid, idx.STATUS_ERROR, f"Could not cut the chip from {where}: {_one_line(exc)}",
                                window=window, crs=self.crs, scale=self.scale, zoom=zoom)
        message = "" if valid.any() else "the window holds only nodata"
        return idx.make_row(fid, idx.STATUS_OK, message, chip_path=rel, window=window, crs=self.crs,
                            scale=self.scale, zoom=zoom)


def _load_wkb(wkb: bytes):
    from shapely import wkb as shapely_wkb

    return shapely_wkb.loads(bytes(wkb))


# -- the run -------------------------------------------------------------------------------------
def cut_chips(raster_path: str, features: Iterable[FeatureInput], folder: str, options: CutOptions,
              feature_count: int = 0, progress: Optional[ProgressFn] = None,
              log: Optional[Callable[[str], None]] = None,
              is_canceled: Optional[Callable[[], bool]] = None,
              run_info: Optional[dict] = None, io: Optional[CutIO] = None) -> CutSummary:
    """Cut one chip per feature into `folder`/chips and append rows to `folder`/chips_index.csv.

    `run_info` (layer_source, layer_name, fid_field, feature_count: what the caller knows of the
    layer) goes into the folder's run.json with how the chips are cut. `io` opens the raster and
    writes the chips (the real files by default).
    """
    started = time.monotonic()
    progress = progress or (lambda fraction, message: None)
    log = log or (lambda message: None)
    is_canceled = is_canceled or (lambda: False)
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

    folder = os.path.abspath(folder)
    _check_writable(folder)
    index_path = os.path.join(folder, idx.INDEX_NAME)
    summary = CutSummary(index_path=index_path, folder=folder)

    io = io or CutIO()
    dataset = io.open_raster(raster_path)
    try:
        grid = raster_grid(dataset)
        try:
            bands = parse_bands(options.bands, dataset.count)
        except BandsError as exc:
            raise ChipError(exc.template, *exc.values) from exc
        crs = dataset.crs.to_string() if dataset.crs else ""
        metres = metres_per_unit(dataset)
        summary.overviews = bool(dataset.overviews(bands[0]))
        if grid.rotated:
            summary.warnings.append(
                "The raster has a rotated geotransform: chips are cut in the raster's own pixel grid, "
                "so north is not up in them."
            )
        stretch = _stretch_for_run(dataset, bands, folder, options.overwrite, log)
    finally:
        dataset.close()

    done = _done_before(index_path, options.overwrite)
    _check_same_framing(folder, done, options, framing)
    _check_same_fid_field(folder, done, options, run_info or {})
    _record_run(folder, raster_path, crs, bands, options, framing, run_info or {})
    _prepare_index(index_path, options.overwrite, done)
    plan = ChipPlan(os.path.join(folder, PLAN_FILE))
    writer = idx.IndexWriter(index_path)
    try:
        _plan_features(features, grid, options, done, plan, writer, summary, crs, feature_count, progress,
                       is_canceled, framing, metres, log)
        if not summary.canceled and plan.count:
            _cut_planned(raster_path, plan, bands, stretch, folder, crs, options, writer, summary, progress,
                         is_canceled, log, io)
    finally:
        _close_writer(writer)
        plan.close()
    if summary.duplicates:
        summary.warnings.append(
            f"{summary.duplicates} feature(s) have the fid of an earlier feature and got no chip (only the first "
            f"feature with a fid is cut; the log names up to 20 of them): make the fid field unique.")
    summary.seconds = time.monotonic() - started
    progress(1.0 if not summary.canceled else progress_fraction(summary, plan.count),
             Message("{0} chips cut in {1:.1f} s", summary.cut, summary.seconds))
    return summary


def progress_fraction(summary: CutSummary, planned: int) -> float:
    return 0.1 + 0.9 * (summary.cut + summary.failed) / max(1, planned)


def _plan_features(features, grid, options, done, plan, writer, summary, crs, feature_count, progress,
                   is_canceled, framing, metres, log) -> None:
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
            # No index row: the index has one row per fid, and a second row for this fid would
            # stand for the first feature's chip (readers take the last row).
            summary.duplicates += 1
            if summary.duplicates <= 20:
                log(f"Duplicate fid {fid}: only its first feature gets a chip.")
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
        window = framed_window(grid, bounds, options.chip_size, framing, metres)
        if not intersects_raster(grid, bounds):
            status_rows.append(idx.make_row(fid, idx.STATUS_OUTSIDE, "The feature lies outside the raster.",
                                            window=window, crs=crs, scale=grid.pixel_size,
                                            zoom=options.chip_size / window.size))
            summary.outside += 1
            continue
        plan.add(window.sort_key(grid), fid, window, bytes(feature.wkb))
        if len(status_rows) >= 256:
            _write_status_rows(writer, status_rows, folder_of(writer), summary)
            status_rows = []
        now = time.monotonic()
        if now - last_report > 0.5:
            last_report = now
            fraction = 0.1 * (position + 1) / feature_count if feature_count else 0.05
            progress(min(0.1, fraction), Message("Reading features: {0}", position + 1))
    _write_status_rows(writer, status_rows, folder_of(writer), summary)


def _cut_planned(raster_path, plan, bands, stretch, folder, crs, options, writer, summary, progress,
                 is_canceled, log, io) -> None:
    workers = options.resolved_workers()
    max_inflight = options.resolved_inflight()
    # Chunks of neighbouring windows go to one worker, whose GDAL block cache then serves the
    # blocks its previous window already decompressed.
    chunk = max(1, min(16, max_inflight // (2 * workers)))
    cancel = threading.Event()
    cutter_args = (raster_path, bands, stretch, options.chip_size, options.fmt, folder, crs)

    local = threading.local()
    cutters: List[ChipCutter] = []
    lock = threading.Lock()

    def run_chunk(jobs):
        cutter = getattr(local, "cutter", None)
        if cutter is None:
            cutter = ChipCutter(*cutter_args, cancel=cancel, io=io)
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
    disk_full: Optional[OSError] = None
    try:
        while True:
            if is_canceled():
                summary.canceled = True
                cancel.set()
            while (not exhausted and not summary.canceled and disk_full is None
                   and (len(inflight) + 1) * chunk <= max_inflight):
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
                except DiskFullError as full:  # stop at the first "no space": every other chip would fail too
                    rows = full.rows
                    disk_full = disk_full or full.error
                    cancel.set()
                except Exception as exc:  # a worker failed outside a chip: its chips are errors
                    rows = [idx.make_row(job[0], idx.STATUS_ERROR, f"Worker failed: {_one_line(exc)}") for job in batch]
                if not _write_or_unlink(writer, rows, folder):
                    disk_full = disk_full or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    cancel.set()
                    continue
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
                         Message("{0}/{1} chips, {2:.1f} chips/s", handled, planned, rate))
    finally:
        executor.shutdown(wait=True)
        for cutter in cutters:
            cutter.close()
        _shrink_report(cutters, summary, log)
    if disk_full is not None:
        raise disk_full_error(folder, summary, disk_full)


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
