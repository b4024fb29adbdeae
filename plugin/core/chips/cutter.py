"""The cutter: one per worker thread, it reads a chip's window from the raster (at native resolution,
or resampled when the framing shrinks or magnifies it), renders it (stretch, outline, fid label) and
writes the chip file, returning the chip's index row. A chip that cannot be cut becomes an error row;
a full disk stops the run (DiskFullError). CutIO is how a cutter opens the raster and writes a chip.
The run that drives the cutters (plan, pool, index) is engine.py.
"""
from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

import numpy as np

from . import index as idx
from .folder_writes import DiskFullError, is_disk_full, one_line, remove_quietly
from .render import ChipPainter, Stretch, geometry_rings, save_image, to_image, valid_mask
from .run_folder import ChipError
from .window import ChipWindow, RasterGrid, clip_window


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
                remove_quietly(path + ".part")
                remove_quietly(path)
                raise DiskFullError([], exc) from exc
            # the file and the window named here: GDAL's text may name neither (rasterio 1.4)
            where = (f"{os.path.basename(str(self.dataset.name))} (window at column {col_off}, row {row_off}, "
                     f"{window_size} x {window_size} pixels)")
            return idx.make_row(fid, idx.STATUS_ERROR, f"Could not cut the chip from {where}: {one_line(exc)}",
                                window=window, crs=self.crs, scale=self.scale, zoom=zoom)
        message = "" if valid.any() else "the window holds only nodata"
        return idx.make_row(fid, idx.STATUS_OK, message, chip_path=rel, window=window, crs=self.crs,
                            scale=self.scale, zoom=zoom)


def _load_wkb(wkb: bytes):
    from shapely import wkb as shapely_wkb

    return shapely_wkb.loads(bytes(wkb))
