"""What the second opinion measures of an object, from the pixels of its window and its geometry
(features.py reads the windows and keeps the vectors): which pixels are inside the polygon, the
statistics of those pixels per band, and the object's shape. For a chunk of objects at once
(scanline_masks, byte_statistics, shape_measures: a few numpy calls per chunk, from the rings of
rings.py) and for one (polygon_mask, band_statistics, shape_features, elongation: from a shapely
geometry). numpy and shapely only.
"""
from __future__ import annotations

import math
from typing import Iterator, List, Sequence, Tuple

import numpy as np

from .rings import ChunkRings

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


def _to_window(xy: np.ndarray, windows: np.ndarray, point_object: np.ndarray, grid) -> Tuple[np.ndarray, np.ndarray]:
    """Map coordinates -> output pixels from each object's window corner (windows: per object col_off,
    row_off, step)."""
    a, b, c, d, e, f = grid.transform
    det = a * e - b * d
    dx, dy = xy[:, 0] - c, xy[:, 1] - f
    col_off, row_off, step = (windows[point_object, i] for i in range(3))
    return ((e * dx - b * dy) / det - col_off) / step, ((a * dy - d * dx) / det - row_off) / step


def scanline_masks(rings: ChunkRings, windows: Sequence[Tuple[int, int, int, int]], grid) -> List[np.ndarray]:
    """Per object, which of the size x size output pixels of its window (col_off, row_off, window_size,
    size) have their centre in its polygon: a scanline fill, even-odd over every ring (so holes and
    multipolygons come out right), of all the chunk's objects at once. The crossings of ring edges with
    the rows of pixel centres are counted into one flat array of every object's (size, size + 1) cells;
    a running parity along it fills the polygons (every row crosses each closed ring an even number of
    times, so no row's parity leaks into the next)."""
    sizes = np.array([w[3] for w in windows], dtype=np.int64)
    params = np.array([(w[0], w[1], w[2] / w[3]) for w in windows], dtype=np.float64).reshape(-1, 3)
    offsets = np.concatenate([[0], np.cumsum(sizes * (sizes + 1))])
    counts = np.zeros(int(offsets[-1]), dtype=np.int64)
    if len(rings.xy):
        point_object = rings.ring_object[rings.point_ring]
        u, v = _to_window(rings.xy, params, point_object, grid)
        counts = _crossing_counts(u, v, rings.edges(), point_object, sizes, offsets)
    np.cumsum(counts, out=counts)  # in place: no second array of a chunk's cells
    parity = np.bitwise_and(counts, 1, out=counts).astype(bool)
    return [parity[offsets[k]:offsets[k + 1]].reshape(size, size + 1)[:, :size] for k, size in enumerate(sizes.tolist())]


def _crossing_counts(u, v, edges, point_object, sizes, offsets) -> np.ndarray:
    """At [offset + row * (size + 1) + k]: how many ring edges cross the row's line of pixel centres just
    left of pixel k's centre (and right of pixel k - 1's); half-open, so a vertex counts once."""
    u0, v0, u1, v1 = u[edges], v[edges], u[edges + 1], v[edges + 1]
    size = sizes[point_object[edges]]
    low = np.clip(np.floor(np.minimum(v0, v1) - 0.5), 0, size).astype(np.int64)  # a row or two more than needed:
    high = np.clip(np.ceil(np.maximum(v0, v1) - 0.5) + 1, 0, size).astype(np.int64)  # the test below decides
    spans = np.where(np.isfinite(v0) & np.isfinite(v1), high - low, 0)
    edge = np.repeat(np.arange(len(edges)), spans)
    row = low[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(spans) - spans, spans)
    centre = row + 0.5
    crosses = (v0[edge] <= centre) != (v1[edge] <= centre)
    edge, row, centre = edge[crosses], row[crosses], centre[crosses]
    t = (centre - v0[edge]) / (v1[edge] - v0[edge])
    x = u0[edge] + t * (u1[edge] - u0[edge])
    column = np.clip(np.floor(x - 0.5).astype(np.int64) + 1, 0, size[edge])  # first centre strictly right of x
    cells = offsets[point_object[edges][edge]] + row * (size[edge] + 1) + column
    return np.bincount(cells, minlength=int(offsets[-1]))


def mark_sliver(inside: np.ndarray, geom, col_off: int, row_off: int, step: float, grid) -> np.ndarray:
    """When no pixel centre is inside (a sliver), the pixel under a point of the polygon."""
    if not inside.any():
        point = geom.representative_point()
        col, row = grid.to_pixel(point.x, point.y)
        u, v = int((col - col_off) / step), int((row - row_off) / step)
        size = inside.shape[0]
        if 0 <= u < size and 0 <= v < size:
            inside[v, u] = True
    return inside


def polygon_mask(geom, col_off: int, row_off: int, window_size: int, size: int, grid) -> np.ndarray:
    """Which of the size x size output pixels have their centre in the polygon; when none has (a
    sliver), the pixel under a point of the polygon. The scanline fill of scanline_masks: in numpy,
    many times faster than shapely's contains per pixel centre, and free of GDAL's rasterize, whose
    in-memory dataset silences warnings with warnings.catch_warnings(), which is not thread-safe: from
    two threads, warnings escape and an 'ignore every warning' filter can stay behind for the whole
    process (bench_secondopinion.py)."""
    rings = ChunkRings([[(coords, False) for coords in _rings(geom)]])
    inside = scanline_masks(rings, [(col_off, row_off, window_size, size)], grid)[0].copy()
    return mark_sliver(inside, geom, col_off, row_off, window_size / size, grid)


def band_statistics(data: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """(bands, h, w) pixels and the pixels to use -> mean, std, quantiles per band (NaN when none)."""
    if data.dtype == np.uint8:
        return byte_statistics([data], [inside])[0]
    out = np.full((data.shape[0], len(BAND_STATS)), np.nan, dtype=np.float64)
    if not inside.any():
        return out.ravel()
    values = data.reshape(data.shape[0], -1)[:, inside.ravel()].astype(np.float64)
    out[:, 0] = values.mean(axis=1)
    out[:, 1] = values.std(axis=1)
    out[:, 2:] = np.percentile(values, QUANTILES, axis=1).T
    return out.ravel()


def byte_statistics(datas: Sequence[np.ndarray], insides: Sequence[np.ndarray]) -> np.ndarray:
    """band_statistics of k objects' 8-bit pixels ((bands, h, w) each, h and w their own) at once ->
    (k, bands * len(BAND_STATS)), from one histogram per object and band: the same numbers as numpy's
    mean, std and (linear) percentile, without sorting or copying the pixels to floats."""
    bands, k = datas[0].shape[0], len(datas)
    counts = _histograms(datas, insides)
    out = np.full((k * bands, len(BAND_STATS)), np.nan, dtype=np.float64)
    n = counts.sum(axis=1)
    some = n > 0
    counts, n = counts[some], n[some]
    levels = np.arange(256, dtype=np.int64)  # integer sums: exact, and no BLAS (whose idle threads spin
    mean = counts @ levels / n  # on the cores the other workers' reads need)
    spread = np.sqrt(np.maximum(counts @ (levels * levels) / n - mean * mean, 0.0))
    out[some, 0], out[some, 1] = mean, spread
    if len(n):
        out[some, 2:] = _byte_quantiles(counts, n).T
    return out.reshape(k, bands * len(BAND_STATS))


def _byte_quantiles(counts: np.ndarray, n: np.ndarray) -> np.ndarray:
    """numpy's linear percentiles QUANTILES of each row's pixels from its histogram -> (quantiles, rows):
    the value of the low-th and (low + 1)-th smallest pixel is how many levels have at most that many
    pixels below or at them, found for every row at once by one search in the rows' cumulative counts
    laid end to end (each row shifted above the one before)."""
    rows = len(n)
    stride = int(n.max()) + 1
    shift = np.arange(rows, dtype=np.int64) * stride
    cumulative = (np.cumsum(counts, axis=1) + shift[:, None]).ravel()
    position = np.array([q / 100.0 * (n - 1) for q in QUANTILES])
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n - 1)
    found = np.searchsorted(cumulative, (np.concatenate([low, high]) + shift).ravel(), side="right")
    found = found.reshape(2 * len(QUANTILES), rows) - np.arange(rows, dtype=np.int64) * 256
    at_low, at_high = found[:len(QUANTILES)], found[len(QUANTILES):]
    return at_low + (position - low) * (at_high - at_low)


def _histograms(datas: Sequence[np.ndarray], insides: Sequence[np.ndarray]) -> np.ndarray:
    """(k * bands, 256) counts of each 8-bit level per object and band, over the pixels inside: one
    bincount of the keys 256 * (object, band) + level of the pixels inside (taken by index: cheaper
    than a boolean mask over every band, or than counting the pixels outside too)."""
    bands, k = datas[0].shape[0], len(datas)
    dtype = np.uint16 if k * bands * 256 <= 1 << 16 else np.int64
    offsets = (np.arange(k * bands, dtype=dtype) * dtype(256)).reshape(k, bands, 1)
    keys = [np.add(data.reshape(bands, -1).take(np.flatnonzero(inside), axis=1), offsets[number], dtype=dtype)
            for number, (data, inside) in enumerate(zip(datas, insides))]
    return np.bincount(np.concatenate(keys, axis=1).ravel(), minlength=k * bands * 256).reshape(k * bands, 256)


def elongation(geom) -> float:
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
    return np.array([area, perimeter, compactness, elongation(geom)], dtype=np.float64)


MAX_HULL_POINTS = 24  # objects with more vertices take shapely's convex hull for their elongation


def shape_measures(rings: ChunkRings, metres: float) -> np.ndarray:
    """shape_features of a chunk's objects from their rings at once -> (k, 4); the elongation is NaN
    where shapely's convex hull has to decide it (many vertices, or no area)."""
    xy, k = rings.xy, rings.count
    start = rings.starts[rings.point_ring]
    x, y = xy[:, 0] - xy[start, 0], xy[:, 1] - xy[start, 1]  # from each ring's first point, as GEOS
    i = rings.edges()
    j, ring = i + 1, rings.point_ring[i]
    ring_area = np.abs(np.bincount(ring, x[i] * y[j] - x[j] * y[i], minlength=len(rings.lengths))) / 2.0
    ring_length = np.bincount(ring, np.hypot(xy[j, 0] - xy[i, 0], xy[j, 1] - xy[i, 1]), minlength=len(rings.lengths))
    area = np.bincount(rings.ring_object, np.where(rings.hole, -ring_area, ring_area), minlength=k) * metres * metres
    perimeter = np.bincount(rings.ring_object, ring_length, minlength=k) * metres
    safe = np.where(perimeter > 0, perimeter, 1.0)
    compactness = np.where(perimeter > 0, 4.0 * math.pi * area / (safe * safe), 0.0)
    return np.stack([area, perimeter, compactness, _chunk_elongation(rings)], axis=1)


def _chunk_elongation(rings: ChunkRings) -> np.ndarray:
    """elongation of the objects with 3 to MAX_HULL_POINTS vertices, NaN for the others: the smallest
    rectangle's sides lie along a hull edge, and every hull edge joins two vertices, so the direction
    of every pair of vertices is tried (a rectangle along any direction holds the object, so the
    smallest is the hull's)."""
    keep = np.ones(len(rings.xy), dtype=bool)
    keep[rings.starts + rings.lengths - 1] = False  # the closing points
    owner = rings.ring_object[rings.point_ring][keep]
    points = rings.xy[keep]
    count = np.bincount(owner, minlength=rings.count)
    out = np.full(rings.count, np.nan)
    chosen = np.flatnonzero((count >= 3) & (count <= MAX_HULL_POINTS))
    if not len(chosen):
        return out
    most = int(count[chosen].max())
    first = (np.cumsum(count) - count)[chosen]
    p = points[first[:, None] + np.minimum(np.arange(most)[None, :], count[chosen][:, None] - 1)]  # (k', most, 2)
    p = p - p.mean(axis=1, keepdims=True)
    a, b = np.triu_indices(most, 1)
    direction = p[:, b] - p[:, a]
    length = np.hypot(direction[..., 0], direction[..., 1])
    unit = direction / np.where(length > 0, length, 1.0)[..., None]
    normal = np.stack([-unit[..., 1], unit[..., 0]], axis=-1)
    along, across = np.einsum("kmc,kpc->kmp", p, unit), np.einsum("kmc,kpc->kmp", p, normal)
    extent = along.max(axis=1) - along.min(axis=1), across.max(axis=1) - across.min(axis=1)
    area = np.where(length > 0, extent[0] * extent[1], np.inf)
    long_side, short_side = np.maximum(*extent), np.minimum(*extent)
    value = 1.0 - short_side / np.where(long_side > 0, long_side, 1.0)
    best = np.argmin(area, axis=1)
    rows = np.arange(len(chosen))
    smallest = area[rows, best]
    flat = ~(np.isfinite(smallest) & (smallest > 1e-9 * long_side[rows, best] ** 2))  # a hull of no area
    # rectangles of the same area but other proportions (a symmetric triangle): which one the hull's
    # edge order finds first is float noise, so shapely's hull decides, as before
    tied = np.where(area <= smallest[:, None] * (1 + 1e-9), value, value[rows, best][:, None])
    tied = np.ptp(tied, axis=1) > 1e-9
    out[chosen] = np.where(flat | tied, np.nan, value[rows, best])
    return out
