"""What the second opinion measures of one object, from the pixels of its window and its geometry
(features.py reads the windows and keeps the vectors): which pixels are inside the polygon, the
statistics of those pixels per band, and the object's shape. numpy and shapely only.
"""
from __future__ import annotations

import math
from typing import Iterator

import numpy as np

QUANTILES = (10, 50, 90)
BAND_STATS = ("mean", "std") + tuple(f"p{q}" for q in QUANTILES)
SHAPE_FEATURES = ("area_m2", "perimeter_m", "compactness", "elongation")


def _rings(geom) -> Iterator[np.ndarray]:
    """The (x, y) coordinates of every ring of a polygon or of the polygons of a collection."""
    if geom.geom_type == "Polygon":
        for ring in (geom.exterior, *geom.interiors):
            yield np.asarray(ring.coords, dtype=np.float64)[:, :2]
    elif hasattr(geom, "geoms"):
        for part in geom.geoms:
            yield from _rings(part)


def _crossings(geom, col_off: float, row_off: float, step: float, size: int, grid) -> np.ndarray:
    """(size, size + 1) counts: at [v, k], how many ring edges cross row v's line of pixel centres just
    left of pixel k's centre (and right of pixel k - 1's)."""
    a, b, c, d, e, f = grid.transform
    det = a * e - b * d
    counts = np.zeros((size, size + 1), dtype=np.int32)
    centres = np.arange(size) + 0.5
    for ring in _rings(geom):
        dx, dy = ring[:, 0] - c, ring[:, 1] - f
        u = ((e * dx - b * dy) / det - col_off) / step  # output pixels from the window's corner
        v = ((a * dy - d * dx) / det - row_off) / step
        u0, v0, u1, v1 = u[:-1, None], v[:-1, None], u[1:, None], v[1:, None]
        crosses = (v0 <= centres) != (v1 <= centres)  # edges x rows; half-open so a vertex counts once
        edge, row = np.nonzero(crosses)
        if not len(edge):
            continue
        t = (centres[row] - v0[edge, 0]) / (v1[edge, 0] - v0[edge, 0])
        x = u0[edge, 0] + t * (u1[edge, 0] - u0[edge, 0])
        column = np.clip(np.floor(x - 0.5).astype(np.int64) + 1, 0, size)  # first centre strictly right of x
        np.add.at(counts, (row, column), 1)
    return counts


def polygon_mask(geom, col_off: int, row_off: int, window_size: int, size: int, grid) -> np.ndarray:
    """Which of the size x size output pixels have their centre in the polygon; when none has (a
    sliver), the pixel under a point of the polygon. A scanline fill (even-odd over every ring, so
    holes and multipolygons come out right): in numpy, many times faster than shapely's contains per
    pixel centre, and free of GDAL's rasterize, whose in-memory dataset silences warnings with
    warnings.catch_warnings(), which is not thread-safe: from two threads, warnings escape and an
    'ignore every warning' filter can stay behind for the whole process (bench_secondopinion.py)."""
    step = window_size / size
    inside = (np.cumsum(_crossings(geom, col_off, row_off, step, size, grid), axis=1)[:, :size] % 2).astype(bool)
    if not inside.any():
        point = geom.representative_point()
        col, row = grid.to_pixel(point.x, point.y)
        u, v = int((col - col_off) / step), int((row - row_off) / step)
        if 0 <= u < size and 0 <= v < size:
            inside[v, u] = True
    return inside


def band_statistics(data: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """(bands, h, w) pixels and the pixels to use -> mean, std, quantiles per band (NaN when none)."""
    out = np.full((data.shape[0], len(BAND_STATS)), np.nan, dtype=np.float64)
    if not inside.any():
        return out.ravel()
    values = data.reshape(data.shape[0], -1)[:, inside.ravel()]
    if values.dtype == np.uint8:
        return _byte_statistics(values).ravel()
    values = values.astype(np.float64)
    out[:, 0] = values.mean(axis=1)
    out[:, 1] = values.std(axis=1)
    out[:, 2:] = np.percentile(values, QUANTILES, axis=1).T
    return out.ravel()


def _byte_statistics(values: np.ndarray) -> np.ndarray:
    """band_statistics of 8-bit pixels from one histogram per band: the same numbers as numpy's mean,
    std and (linear) percentile, without sorting or copying the pixels to floats."""
    bands, n = values.shape
    offsets = (np.arange(bands, dtype=np.int64) * 256)[:, None]
    counts = np.bincount((values + offsets).ravel(), minlength=256 * bands).reshape(bands, 256)
    levels = np.arange(256, dtype=np.float64)
    mean = counts @ levels / n
    spread = np.sqrt(np.maximum(counts @ (levels * levels) / n - mean * mean, 0.0))
    cumulative = np.cumsum(counts, axis=1)
    out = [mean, spread]
    for q in QUANTILES:
        position = q / 100.0 * (n - 1)
        low = int(math.floor(position))
        high = min(low + 1, n - 1)
        at_low = (cumulative <= low).sum(axis=1)  # the value of the low-th smallest pixel, per band
        at_high = (cumulative <= high).sum(axis=1)
        out.append(at_low + (position - low) * (at_high - at_low))
    return np.stack(out, axis=1)


def _elongation(geom) -> float:
    """1 - short / long side of the smallest rectangle around the object (any rotation): its sides
    lie along an edge of the convex hull, so every hull edge's direction is tried at once."""
    hull = geom.convex_hull
    if hull.geom_type != "Polygon":
        return 0.0
    points = np.asarray(hull.exterior.coords, dtype=np.float64)[:, :2]
    points = points - points.mean(axis=0)
    edges = np.diff(points, axis=0)
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    edges = edges[lengths > 0] / lengths[lengths > 0, None]
    along = points @ edges.T
    across = points @ np.stack([-edges[:, 1], edges[:, 0]], axis=1).T
    extent = np.ptp(along, axis=0), np.ptp(across, axis=0)
    best = int(np.argmin(extent[0] * extent[1]))
    long_side, short_side = max(extent[0][best], extent[1][best]), min(extent[0][best], extent[1][best])
    return 1.0 - short_side / long_side if long_side > 0 else 0.0


def shape_features(geom, metres: float) -> np.ndarray:
    area = float(geom.area) * metres * metres
    perimeter = float(geom.length) * metres
    compactness = 4.0 * math.pi * area / (perimeter * perimeter) if perimeter > 0 else 0.0
    return np.array([area, perimeter, compactness, _elongation(geom)], dtype=np.float64)
