"""Turning a raster window and a geometry into a chip image: band choice, stretch, outline, fid label.

The outline never covers the object: a polygon's line is drawn outside its boundary (inside a hole,
outside the shell), and an object only a few chip pixels across, a line or a point gets four corner
marks around it instead, so the few pixels that show a 5 m object on 5 m imagery stay visible.
Where the chip shows no imagery (outside the raster, nodata) it is NO_IMAGERY_COLOR, not black.
"""
from __future__ import annotations

import json
import os
import struct
import zlib
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import ChipVLMError

OUTLINE_COLOR = (255, 0, 0)
# No imagery here (outside the raster, or nodata): pure magenta. No land cover has this colour (pure
# black looked like the dark lakes), it is far from the red outline, and JPEG keeps a flat area of it.
# The prompt tells the model what it means.
NO_IMAGERY_COLOR = (255, 0, 255)
# An object under this many line widths across (in chip pixels) gets corner marks, not an outline.
CORNER_MARKS_BELOW = 6
LABEL_TEXT = (255, 255, 255)
LABEL_BOX = (0, 0, 0)
# Fonts tried in order (Pillow also searches the system font folders by file name).
FONT_CANDIDATES = (
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "arialbd.ttf",
    "Arial Bold.ttf",
    "Arial.ttf",
    "Helvetica.ttc",
)


class BandsError(ChipVLMError, ValueError):
    """BANDS cannot be used with this raster."""


def parse_bands(text: Optional[str], band_count: int) -> List[int]:
    """'1,2,3' -> [1, 2, 3]; empty -> the first three bands (or band 1 alone for 1-2 band rasters).

    Raises BandsError (a ValueError) with a sentence for the user when the list is not usable.
    """
    if text is None or not str(text).strip():
        return [1, 2, 3] if band_count >= 3 else [1]
    try:
        bands = [int(part) for part in str(text).replace(" ", "").split(",") if part]
    except ValueError as exc:
        raise BandsError("BANDS must be band numbers separated by commas, like '1,2,3' or '4'; got '{0}'.", text) from exc
    if len(bands) not in (1, 3):
        raise BandsError("BANDS must name one band (shown as grey) or three (red, green, blue); got '{0}'.", text)
    for band in bands:
        if band < 1 or band > band_count:
            raise BandsError("Band {0} does not exist: the raster has {1} band(s).", band, band_count)
    return bands


@dataclass
class Stretch:
    """One linear stretch per band to 8 bits, computed once for the whole raster so chips look alike."""

    ranges: List[Tuple[float, float]]  # (low, high) per chosen band; empty = data is already 8-bit

    @property
    def identity(self) -> bool:
        return not self.ranges

    def to_json(self, bands: Sequence[int]) -> str:
        return json.dumps({"bands": list(bands), "ranges": [list(r) for r in self.ranges]})

    @classmethod
    def from_json(cls, text: str, bands: Sequence[int]) -> Optional[Stretch]:
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if data.get("bands") != list(bands):
            return None
        return cls([tuple(r) for r in data.get("ranges", [])])

    def apply(self, data: np.ndarray, valid: Optional[np.ndarray]) -> np.ndarray:
        """(bands, h, w) array of any type -> uint8, invalid pixels black."""
        if self.identity:
            out = data.astype(np.uint8, copy=False)
        else:
            out = np.empty(data.shape, dtype=np.uint8)
            for i, (low, high) in enumerate(self.ranges):
                band = data[i].astype(np.float32)
                span = (high - low) or 1.0
                scaled = (band - low) * (255.0 / span)
                np.clip(scaled, 0, 255, out=scaled)
                scaled = np.nan_to_num(scaled, nan=0.0)
                out[i] = scaled.astype(np.uint8)
        if valid is not None:
            out[:, ~valid] = 0
        return out


STRETCH_PERCENTILES = (2.0, 98.0)
STRETCH_SAMPLE = 1024  # longest side of the decimated read used when the file has overviews
STRETCH_GRID = 16  # else: a 16 x 16 grid of small windows spread over the raster
STRETCH_WINDOW = 64


def stretch_sample(dataset, bands: Sequence[int]) -> np.ndarray:
    """Pixels to compute the stretch from, read cheaply even from a county-sized file.

    With overviews, a decimated read uses them. Without, a decimated read would decompress every
    block of the file, so a grid of small windows is read instead: a few hundred blocks at most.
    """
    from rasterio.windows import Window

    if dataset.overviews(bands[0]) or max(dataset.width, dataset.height) <= 4 * STRETCH_SAMPLE:
        factor = max(1, int(np.ceil(max(dataset.width, dataset.height) / STRETCH_SAMPLE)))
        shape = (len(bands), max(1, dataset.height // factor), max(1, dataset.width // factor))
        return dataset.read(list(bands), out_shape=shape)
    size = STRETCH_WINDOW
    parts = []
    for i in range(STRETCH_GRID):
        row = int((i + 0.5) * dataset.height / STRETCH_GRID) - size // 2
        for j in range(STRETCH_GRID):
            col = int((j + 0.5) * dataset.width / STRETCH_GRID) - size // 2
            parts.append(dataset.read(list(bands), window=Window(max(0, col), max(0, row), size, size)))
    return np.concatenate([p.reshape(len(bands), 1, -1) for p in parts], axis=2)


def compute_stretch(dataset, bands: Sequence[int]) -> Stretch:
    """One 2-98 percentile stretch per band for the whole raster (empty for 8-bit data)."""
    if all(dataset.dtypes[b - 1] == "uint8" for b in bands):
        return Stretch([])
    sample = stretch_sample(dataset, bands).astype(np.float64)
    valid = valid_mask(dataset, bands, sample)
    ranges = []
    for i, _band in enumerate(bands):
        values = sample[i][valid] if valid is not None else sample[i].ravel()
        values = values[np.isfinite(values)]
        if values.size == 0:
            ranges.append((0.0, 1.0))  # nothing valid anywhere: every chip is black anyway
            continue
        low, high = np.percentile(values, STRETCH_PERCENTILES)
        if high <= low:  # a flat band: show it as mid-grey rather than black
            low, high = low - 1.0, low + 1.0
        ranges.append((float(low), float(high)))
    return Stretch(ranges)


def valid_mask(dataset, bands: Sequence[int], data: np.ndarray) -> Optional[np.ndarray]:
    """True where a pixel holds data; None when every pixel is valid by construction."""
    nodata = dataset.nodata
    is_float = np.issubdtype(data.dtype, np.floating)
    if nodata is None and not is_float:
        return None
    invalid = np.zeros(data.shape[1:], dtype=bool)
    if is_float:
        invalid |= np.isnan(data).all(axis=0)
    if nodata is not None and not (isinstance(nodata, float) and np.isnan(nodata)):
        invalid |= (data == nodata).all(axis=0)
    return ~invalid


def to_image(chip8: np.ndarray, valid: Optional[np.ndarray] = None) -> Image.Image:
    """(1 or 3, h, w) uint8 -> an RGB image (one band is shown as grey); where `valid` is False (no
    imagery: outside the raster or nodata) the image is NO_IMAGERY_COLOR."""
    if chip8.shape[0] == 1:
        image = Image.fromarray(chip8[0], mode="L").convert("RGB")
    else:
        # merging three band images is 5x faster than interleaving the bands with numpy (moveaxis + copy)
        image = Image.merge("RGB", [Image.fromarray(band, mode="L") for band in chip8])
    if valid is not None and not valid.all():
        image.paste(NO_IMAGERY_COLOR, (0, 0, image.width, image.height),
                    Image.fromarray(np.logical_not(valid).astype(np.uint8) * 255, mode="L"))
    return image


Points = List[Tuple[float, float]]


def chip_shapes(geom, to_pixel, col_off: float, row_off: float, zoom: float = 1.0):
    """A geometry in chip pixels: ([(shell, [holes]) of every polygon], [every line or point]).

    Chip pixel (u, v) shows raster pixel (col_off + u / zoom, row_off + v / zoom)."""
    def points(coords) -> Points:
        array = np.asarray(coords)[:, :2]
        cols, rows = to_pixel(array[:, 0], array[:, 1])
        return list(zip(((cols - col_off) * zoom).tolist(), ((rows - row_off) * zoom).tolist()))

    polygons: List[Tuple[Points, List[Points]]] = []
    others: List[Points] = []
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    for part in parts:
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            polygons.append((points(part.exterior.coords), [points(r.coords) for r in part.interiors]))
        elif hasattr(part, "geoms"):
            more_polygons, more_others = chip_shapes(part, to_pixel, col_off, row_off, zoom)
            polygons += more_polygons
            others += more_others
        else:
            others.append(points(part.coords))
    return polygons, others


def _area(ring: Points) -> float:
    xs, ys = np.array([p[0] for p in ring]), np.array([p[1] for p in ring])
    return 0.5 * abs(float(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))


class ChipPainter:
    """Draws the outline and the fid label; holds the font so it is loaded once per worker."""

    def __init__(self, size: int):
        self.size = size
        self.line_width = max(2, round(size / 170))
        self.font_px = max(12, round(size / 16))
        self.font = _load_font(self.font_px)

    def outline(self, image: Image.Image, geom, to_pixel, col_off: float, row_off: float,
                zoom: float = 1.0) -> None:
        """Mark the object in red without covering it, in chip pixels after resampling (the line keeps
        its width at any zoom): outside a polygon's boundary, or corner marks around a small object."""
        polygons, others = chip_shapes(geom, to_pixel, col_off, row_off, zoom)
        every = [p for shell, holes in polygons for ring in [shell] + holes for p in ring]
        every += [p for line in others for p in line]
        if not every:
            return
        xs, ys = [p[0] for p in every], [p[1] for p in every]
        box = (min(xs), min(ys), max(xs), max(ys))
        if others or max(box[2] - box[0], box[3] - box[1]) < CORNER_MARKS_BELOW * self.line_width:
            self.corner_marks(image, box)
        else:
            self.outside_outline(image, polygons)

    def outside_outline(self, image: Image.Image, polygons) -> None:
        """Each ring in red, only where it lies outside the polygon: the object's pixels are kept."""
        inside = Image.new("L", image.size, 0)
        fill = ImageDraw.Draw(inside)
        # largest first: a part lying in another part's hole is drawn after that hole was cut out
        for shell, holes in sorted(polygons, key=lambda polygon: -_area(polygon[0])):
            if len(shell) >= 3:
                fill.polygon(shell, fill=255)
            for hole in holes:
                if len(hole) >= 3:
                    fill.polygon(hole, fill=0)
                    fill.line(hole, fill=255, width=1)  # the hole's edge pixels show the object: keep them
        kept = image.copy()
        draw = ImageDraw.Draw(image)
        for shell, holes in polygons:
            for ring in [shell] + holes:
                # twice as wide (and the edge pixels, which the object keeps): the half inside the
                # object is painted back over below
                draw.line(ring, fill=OUTLINE_COLOR, width=2 * self.line_width + 2, joint="curve")
        image.paste(kept, (0, 0), inside)

    def corner_marks(self, image: Image.Image, box: Tuple[float, float, float, float]) -> None:
        """Four red corners around the box, clear of it by two line widths: a small object stays visible."""
        width = self.line_width
        gap = 2 * width
        half = max((box[2] - box[0]) / 2 + gap, 3 * width)  # the marks frame at least 6 line widths
        half_y = max((box[3] - box[1]) / 2 + gap, 3 * width)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        x0, y0, x1, y1 = cx - half - width, cy - half_y - width, cx + half + width, cy + half_y + width
        arm = 2 * width
        draw = ImageDraw.Draw(image)
        for x, y, dx, dy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x0, y1, 1, -1), (x1, y1, -1, -1)):
            # a horizontal and a vertical bar, each `width` thick, meeting at the corner
            draw.rectangle(_box(x, y, x + dx * (arm + width), y + dy * width), fill=OUTLINE_COLOR)
            draw.rectangle(_box(x, y, x + dx * width, y + dy * (arm + width)), fill=OUTLINE_COLOR)

    def label(self, image: Image.Image, text: str) -> None:
        """White text on a black box: readable on dark and bright imagery alike."""
        pad = max(2, self.font_px // 6)
        if self.font is not None:
            draw = ImageDraw.Draw(image)
            draw.fontmode = "1"  # no anti-aliasing: crisp pure white on pure black, never grey fringes
            left, top, right, bottom = draw.textbbox((0, 0), text, font=self.font)
            draw.rectangle((0, 0, right - left + 2 * pad, bottom - top + 2 * pad), fill=LABEL_BOX)
            draw.text((pad - left, pad - top), text, font=self.font, fill=LABEL_TEXT)
            return
        # No TrueType font on this system: enlarge Pillow's built-in bitmap font.
        small = bitmap_font()
        probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        left, top, right, bottom = probe.textbbox((0, 0), text, font=small)
        glyphs = Image.new("RGB", (right - left + 2, bottom - top + 2), LABEL_BOX)
        ImageDraw.Draw(glyphs).text((1 - left, 1 - top), text, font=small, fill=LABEL_TEXT)
        zoom = max(1, -(-self.font_px // max(1, glyphs.height)))  # ceil: at least the TrueType size
        glyphs = glyphs.resize((glyphs.width * zoom, glyphs.height * zoom), Image.NEAREST)
        box = Image.new("RGB", (glyphs.width + 2 * pad, glyphs.height + 2 * pad), LABEL_BOX)
        box.paste(glyphs, (pad, pad))
        image.paste(box, (0, 0))


def _box(xa: float, ya: float, xb: float, yb: float) -> Tuple[int, int, int, int]:
    """Two corners in any order -> (left, top, right, bottom) for ImageDraw.rectangle (right and
    bottom inclusive)."""
    left, right = sorted((round(xa), round(xb)))
    top, bottom = sorted((round(ya), round(yb)))
    return left, top, right - 1, bottom - 1


def bitmap_font():
    """Pillow's built-in bitmap font. From Pillow 10.1 on, load_default() gives an anti-aliased
    TrueType font when FreeType is there (grey, blurry once enlarged); load_default_imagefont() is
    the old bitmap font, which stays pure white on black when enlarged pixel by pixel."""
    loader = getattr(ImageFont, "load_default_imagefont", None)
    return loader() if loader is not None else ImageFont.load_default()


def _load_font(px: int):
    for name in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(name, px)
        except OSError:
            continue
    return None


def save_image(image: Image.Image, path: str, fmt: str) -> None:
    """Write to a temporary name, then rename: a chip file that exists is always complete."""
    tmp = f"{path}.part"
    if fmt == "JPEG":
        image.save(tmp, format="JPEG", quality=90)
    else:
        data = encode_png(np.asarray(image))
        with open(tmp, "wb") as handle:
            handle.write(data)
    os.replace(tmp, path)


# zlib level 1 makes PNG encoding about 3x faster than Pillow's default 6 for files ~10% bigger on
# imagery (measured in `make bench`, see docs/benchmarks.md).
PNG_COMPRESS_LEVEL = 1
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_FILTER_UP = 2


def encode_png(pixels: np.ndarray, level: Optional[int] = None) -> bytes:
    """(h, w, 3) RGB or (h, w) grey uint8 pixels -> the bytes of a PNG file.

    Encoding is most of a chip's cost. Pillow tries several PNG filters on every row and keeps the
    best; here every row gets PNG's "Up" filter (one numpy subtraction), which on imagery compresses
    within a few percent of Pillow's choice, and zlib deflates at the same level, outside the GIL.
    That takes a third to a half less time than Pillow at level 1 (measured in `make bench`, see
    docs/benchmarks.md).
    """
    if pixels.dtype != np.uint8 or pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[2] != 3):
        raise ValueError(f"encode_png takes (h, w, 3) or (h, w) uint8 pixels, not {pixels.shape} {pixels.dtype}")
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, -1)
    scanlines = np.empty((height, rows.shape[1] + 1), dtype=np.uint8)
    scanlines[:, 0] = _PNG_FILTER_UP
    scanlines[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=scanlines[1:, 1:])  # uint8 wraps modulo 256, as PNG wants
    compressed = zlib.compress(memoryview(scanlines).cast("B"), PNG_COMPRESS_LEVEL if level is None else level)
    colour_type = 2 if pixels.ndim == 3 else 0
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"".join((_PNG_SIGNATURE, _png_chunk(b"IHDR", header), _png_chunk(b"IDAT", compressed),
                     _png_chunk(b"IEND", b"")))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
