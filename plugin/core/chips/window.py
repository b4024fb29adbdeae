"""Where a feature's chip lies in the raster: pixel-space math on the raster's affine transform.

Everything works in the raster's own pixel grid through the full inverse affine, so a rotated
geotransform is handled like any other (the chip is then in the raster's pixel orientation).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

Affine6 = Tuple[float, float, float, float, float, float]  # a, b, c, d, e, f as in GDAL/affine


@dataclass(frozen=True)
class RasterGrid:
    """The part of a raster's description the window math needs."""

    transform: Affine6
    width: int
    height: int
    block_height: int = 1
    block_width: int = 1

    @property
    def rotated(self) -> bool:
        a, b, c, d, e, f = self.transform
        return b != 0 or d != 0

    @property
    def pixel_size(self) -> float:
        """Ground size of one pixel (map units), the chip's scale."""
        a, b, c, d, e, f = self.transform
        return math.sqrt(abs(a * e - b * d))

    def to_pixel(self, x: float, y: float) -> Tuple[float, float]:
        """Map coordinates -> (col, row) as floats."""
        a, b, c, d, e, f = self.transform
        det = a * e - b * d
        dx, dy = x - c, y - f
        col = (e * dx - b * dy) / det
        row = (-d * dx + a * dy) / det
        return col, row

    def to_map(self, col: float, row: float) -> Tuple[float, float]:
        a, b, c, d, e, f = self.transform
        return a * col + b * row + c, d * col + e * row + f


@dataclass(frozen=True)
class ChipWindow:
    col_off: int
    row_off: int
    size: int
    center_x: float
    center_y: float
    object_px: Optional[float] = None  # the object's longer side in raster pixels (None: not measured)

    def sort_key(self, grid: RasterGrid) -> Tuple[int, int]:
        """Order that follows the file's block layout: block row first, then block column.

        For a striped file (one strip per row) this is simply the row, so consecutive chips share
        the strips GDAL has just decompressed instead of jumping across the file.
        """
        return (self.row_off // max(1, grid.block_height), self.col_off // max(1, grid.block_width))


def pixel_bounds(grid: RasterGrid, bounds: Sequence[float]) -> Tuple[float, float, float, float]:
    """Map-space bbox -> pixel-space bbox (min col, min row, max col, max row)."""
    minx, miny, maxx, maxy = bounds
    corners = [grid.to_pixel(x, y) for x, y in ((minx, miny), (minx, maxy), (maxx, miny), (maxx, maxy))]
    cols = [c for c, _ in corners]
    rows = [r for _, r in corners]
    return min(cols), min(rows), max(cols), max(rows)


def object_pixels(grid: RasterGrid, bounds: Sequence[float]) -> float:
    """The longer side of a feature's bounding box, in raster pixels (how much imagery shows it)."""
    c0, r0, c1, r1 = pixel_bounds(grid, bounds)
    return max(c1 - c0, r1 - r0)


def intersects_raster(grid: RasterGrid, bounds: Sequence[float]) -> bool:
    c0, r0, c1, r1 = pixel_bounds(grid, bounds)
    return c1 >= 0 and r1 >= 0 and c0 <= grid.width and r0 <= grid.height


def chip_window(grid: RasterGrid, bounds: Sequence[float], size: int) -> ChipWindow:
    """The size x size window centred on the centre of the feature's bounding box.

    The window is never shifted to stay inside the raster: what falls outside is padded.
    """
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    col, row = grid.to_pixel(cx, cy)
    return ChipWindow(
        col_off=int(math.floor(col - size / 2.0 + 0.5)),
        row_off=int(math.floor(row - size / 2.0 + 0.5)),
        size=size,
        center_x=cx,
        center_y=cy,
        object_px=object_pixels(grid, bounds),
    )


def clip_window(grid: RasterGrid, col_off: int, row_off: int, size: int):
    """The part of a window inside the raster: (col, row, width, height, dest_col, dest_row) or None."""
    c0, r0 = max(0, col_off), max(0, row_off)
    c1, r1 = min(grid.width, col_off + size), min(grid.height, row_off + size)
    if c1 <= c0 or r1 <= r0:
        return None
    return c0, r0, c1 - c0, r1 - r0, c0 - col_off, r0 - row_off


# -- framing: how much ground a chip shows --------------------------------------------------------
FRAMING_NATIVE = "native"
FRAMING_AUTO = "auto"
FRAMING_FIT = "fit"
FRAMINGS = (FRAMING_NATIVE, FRAMING_AUTO, FRAMING_FIT)


@dataclass(frozen=True)
class Framing:
    """How a feature's window is chosen.

    native: CHIP_SIZE raster pixels around the bbox centre, whatever the object's size (zoom 1).
    auto:   native, unless the bbox plus its context does not fit; then the window grows to hold it
            and is shrunk to CHIP_SIZE (never magnified).
    fit:    the bbox plus its context always fills the chip: shrunk or magnified, magnified at most
            max_zoom times (the window then stays at chip_size / max_zoom and the object looks smaller).
    context is the margin on each side as a share of the bbox's longer side, at least
    min_context_m metres (so a 2 m shed keeps some ground around it).
    """

    mode: str = FRAMING_AUTO
    context: float = 0.25
    min_context_m: float = 5.0
    max_zoom: float = 4.0

    def as_dict(self) -> dict:
        return {"mode": self.mode, "context": self.context, "min_context_m": self.min_context_m,
                "max_zoom": self.max_zoom}

    def relevant(self) -> dict:
        """The settings that change a chip in this mode (what a resumed run must share)."""
        if self.mode == FRAMING_NATIVE:
            return {"mode": self.mode}
        if self.mode == FRAMING_AUTO:
            return {"mode": self.mode, "context": self.context, "min_context_m": self.min_context_m}
        return self.as_dict()


def window_side(grid: RasterGrid, bounds: Sequence[float], size: int, framing: Framing,
                metres_per_unit: float = 1.0) -> int:
    """The side, in raster pixels, of the square window a feature gets (size in native mode)."""
    if framing.mode == FRAMING_NATIVE:
        return size
    c0, r0, c1, r1 = pixel_bounds(grid, bounds)
    extent = max(c1 - c0, r1 - r0)
    pixel_m = grid.pixel_size * metres_per_unit
    margin = max(framing.context * extent, framing.min_context_m / pixel_m if pixel_m > 0 else 0.0)
    needed = int(math.ceil(extent + 2 * margin - 1e-9))
    if framing.mode == FRAMING_AUTO:
        return max(size, needed)
    smallest = int(math.ceil(size / max(1.0, framing.max_zoom) - 1e-9))
    return max(1, smallest, needed)


def framed_window(grid: RasterGrid, bounds: Sequence[float], size: int, framing: Framing,
                  metres_per_unit: float = 1.0) -> ChipWindow:
    """The square window (in raster pixels) centred on the bbox centre; chip pixels per raster
    pixel = size / window.size. In native mode this is exactly chip_window()."""
    return chip_window(grid, bounds, window_side(grid, bounds, size, framing, metres_per_unit))
