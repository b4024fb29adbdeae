"""The cutter: one per worker thread, it reads a chip's window from the raster (at native resolution,
or resampled when the framing shrinks or magnifies it), renders it (stretch, outline, fid label) and
writes the chip file, returning the chip's index row. A chip that cannot be cut becomes an error row;
a full disk stops the run (DiskFullError). CutIO is how a cutter opens the raster and writes a chip.
The run that drives the cutters (plan, pool, index) is engine.py.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional

from . import index as idx
from .folder_writes import DiskFullError, is_disk_full, one_line, remove_quietly
from .reader import WindowReader, raster_grid  # noqa: F401 (raster_grid: where engine.py and the bench take it)
from .render import ChipPainter, Stretch, save_image, to_image
from .run_folder import ChipError
from .window import ChipWindow, object_pixels


def open_raster(path: str):
    import rasterio
    from rasterio.errors import RasterioIOError

    if not path or not os.path.exists(path):
        raise ChipError("The raster file '{0}' does not exist.", path)
    try:
        return rasterio.open(path)
    except (RasterioIOError, OSError) as exc:
        raise ChipError("GDAL cannot read the raster '{0}': {1}", path, exc) from exc


@dataclass(frozen=True)
class CutIO:
    """How a run opens the raster and writes a chip file: the real functions unless the caller gives
    others (the reliability tests fill the disk or break reads, the benchmark times the writes)."""

    open_raster: Callable[[str], object] = open_raster  # path -> an open rasterio dataset
    save_image: Callable[[object, str, str], None] = save_image  # (PIL image, path, "PNG" or "JPEG")


class ChipCutter(WindowReader):
    """Cuts chips from one open dataset; one per worker (GDAL handles are not shared across threads)."""

    def __init__(self, raster_path: str, bands: List[int], stretch: Stretch, size: int, fmt: str,
                 folder: str, crs: str, io: Optional[CutIO] = None):
        self.raster_path = raster_path
        self.io = io or CutIO()
        super().__init__(self.io.open_raster(raster_path), bands, size)
        self.stretch = stretch
        self.fmt = fmt
        self.folder = folder
        self.crs = crs
        self.scale = self.grid.pixel_size
        self.painter = ChipPainter(size)
        self.cancel: Optional[threading.Event] = None  # set by the run: cut_many() stops when it is set

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

    def cut(self, fid, col_off, row_off, window_size, cx, cy, wkb) -> dict:
        zoom = self.size / window_size
        window = ChipWindow(col_off, row_off, window_size, cx, cy)
        name = idx.chip_name(fid, self.fmt)
        rel = f"{idx.CHIPS_DIR}/{name}"
        path = os.path.join(self.folder, idx.CHIPS_DIR, name)
        try:
            geom = _load_wkb(wkb)
            window = ChipWindow(col_off, row_off, window_size, cx, cy, object_pixels(self.grid, geom.bounds))
            data, valid = self.read(col_off, row_off, window_size)
            image = to_image(self.stretch.apply(data, valid), valid)
            self.painter.outline(image, geom, self.grid.to_pixel, col_off, row_off, zoom)
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
