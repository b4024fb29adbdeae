"""Reading a window of a raster as the chip engine does: one reader per worker thread (GDAL handles are
not shared across threads), a square window at native resolution or resampled to the output size,
padded where it leaves the raster (never shifted), with the mask of valid pixels. The cutter
(cutter.py) renders chips from it; the second opinion (core/learn) computes its features from it.
"""
from __future__ import annotations

import math
import time
from typing import List, Optional

import numpy as np

from .render import valid_mask
from .window import RasterGrid, clip_window


def raster_grid(dataset) -> RasterGrid:
    block_h, block_w = dataset.block_shapes[0]
    return RasterGrid(tuple(dataset.transform)[:6], dataset.width, dataset.height, block_h, block_w)


class WindowReader:
    """Reads windows of `bands` of one open dataset as size x size arrays."""

    def __init__(self, dataset, bands: List[int], size: int):
        self.dataset = dataset
        self.grid = raster_grid(dataset)
        self.bands = bands
        self.size = size
        # windows read shrunk: how many, worker seconds, and pixels decoded without / with overviews
        self.shrunk = 0
        self.shrink_seconds = 0.0
        self.shrink_pixels = 0.0
        self.shrink_pixels_overviews = 0.0

    def close(self) -> None:
        self.dataset.close()

    def read(self, col_off: int, row_off: int, window_size: Optional[int] = None,
             size: Optional[int] = None) -> np.ndarray:
        """The window's pixels as a size x size array (the reader's size unless given), padded where
        it leaves the raster (never shifted). A window of another size is resampled: averaged when
        shrunk (through the overviews when the file has them), bilinear when magnified."""
        size = self.size if size is None else size
        window_size = size if window_size is None else window_size
        if window_size == size:
            return self._read_native(col_off, row_off, size)
        return self._read_resampled(col_off, row_off, window_size, size)

    def _read_window(self, window, out_shape=None, resampling=None):
        if out_shape is None:
            return self.dataset.read(self.bands, window=window)
        return self.dataset.read(self.bands, window=window, out_shape=out_shape, resampling=resampling)

    def _read_native(self, col_off: int, row_off: int, size: int):
        from rasterio.windows import Window

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

    def _read_resampled(self, col_off: int, row_off: int, window_size: int, size: int):
        """Chip pixel (u, v) shows raster pixel (col_off + u / zoom, row_off + v / zoom), zoom =
        chip_size / window_size, exactly: where the window leaves the raster, the part inside is read
        through a fractional window whose edges fall on whole chip pixels."""
        from rasterio.enums import Resampling
        from rasterio.windows import Window

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
