"""Which part of a chip is imagery, and which is padding outside the raster.

A chip's window is centred on its object and never shifted: near the raster's edge part of it lies
outside and is padded (zeros: black). The index row records the window exactly (`col_off, row_off,
width, height` in raster pixels, `zoom` chip pixels per raster pixel), and run.json names the
raster, whose size says where it ends; so the review can mark the padding as not imagery.
"""
from __future__ import annotations

import os
from typing import Dict, Optional, Tuple

from .index import INDEX_NAME, STATUS_OK, read_index_rows

Box = Tuple[float, float, float, float]  # x0, y0, x1, y1 in chip pixels


def imagery_box(col_off: float, row_off: float, width: float, height: float, zoom: float,
                raster_width: int, raster_height: int) -> Optional[Box]:
    """The chip pixels that show the raster, (x0, y0, x1, y1); None when all of them do.

    Chip pixel (u, v) shows raster pixel (col_off + u / zoom, row_off + v / zoom). A window wholly
    outside the raster gives an empty box (x0 == x1).
    """
    x0 = max(0.0, -col_off) * zoom
    y0 = max(0.0, -row_off) * zoom
    x1 = max(0.0, min(width, raster_width - col_off)) * zoom
    y1 = max(0.0, min(height, raster_height - row_off)) * zoom
    x1, y1 = max(x0, x1), max(y0, y1)
    if x0 <= 0 and y0 <= 0 and x1 >= width * zoom and y1 >= height * zoom:
        return None
    return (x0, y0, x1, y1)


def raster_size(path: str) -> Optional[Tuple[int, int]]:
    """(width, height) of a raster in pixels; None when it cannot be opened (moved, deleted)."""
    if not path or not os.path.exists(path):
        return None
    try:
        import rasterio

        with rasterio.open(path) as dataset:
            return int(dataset.width), int(dataset.height)
    except Exception:  # noqa: BLE001 - an unreadable raster only loses the padding marks
        return None


def padded_chips(index_folder: str, raster: str) -> Dict[int, Box]:
    """fid -> imagery box of every chip of the run whose window leaves the raster ({} when the index
    or the raster cannot be read: nothing is marked then)."""
    size = raster_size(raster)
    if size is None:
        return {}
    try:
        rows = read_index_rows(os.path.join(index_folder, INDEX_NAME), required=()).rows
    except ValueError:
        return {}
    found: Dict[int, Box] = {}
    for fid, row in rows.items():
        if row.get("status") != STATUS_OK:
            continue
        try:
            window = [float(row[key]) for key in ("col_off", "row_off", "width", "height")]
            zoom = float(row.get("zoom") or 1.0)
        except (KeyError, ValueError):
            continue
        if zoom <= 0 or window[2] <= 0 or window[3] <= 0:
            continue
        box = imagery_box(*window, zoom, *size)
        if box is not None:
            found[fid] = box
    return found
