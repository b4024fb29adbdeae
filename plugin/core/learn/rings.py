"""The rings of polygons, read straight from their WKB into numpy arrays, for a chunk of objects at once.

The features of a chunk are computed over all its rings together (measures.py), so the per-object work
left in Python is a few struct reads here. Only Polygon and MultiPolygon WKB (2D, Z, M or ZM, ISO or
EWKB flags, either byte order) are read; anything else (curves, collections, lines, rings that do not
close) gives None and the object takes the per-object path through shapely, as before.
"""
from __future__ import annotations

import struct
from typing import List, Optional, Sequence, Tuple

import numpy as np

Ring = Tuple[np.ndarray, bool]  # (n, 2) float64 coordinates, closed (first point repeated last); True for a hole
_POLYGON, _MULTIPOLYGON = 3, 6
_EWKB_Z, _EWKB_M, _EWKB_SRID = 0x80000000, 0x40000000, 0x20000000
_ISO_EXTRA = {0: 0, 1: 1, 2: 1, 3: 2}  # thousands of the ISO type code (Z, M, ZM) -> ordinates beyond x, y


def wkb_rings(wkb: Optional[bytes]) -> Optional[List[Ring]]:
    """The rings of a Polygon or MultiPolygon WKB (an empty list for an empty one), or None when the
    geometry is of another kind or the bytes are not what they should be."""
    if not wkb:
        return None
    wkb = wkb if isinstance(wkb, bytes) else bytes(wkb)
    try:
        rings: List[Ring] = []
        order, kind, dims, offset = _header(wkb, 0)
        if kind == _POLYGON:
            offset = _polygon(wkb, offset, order, dims, rings)
        elif kind == _MULTIPOLYGON:
            (parts,) = struct.unpack_from(order + "I", wkb, offset)
            offset += 4
            for _ in range(parts):
                order, kind, dims, offset = _header(wkb, offset)
                if kind != _POLYGON:
                    return None
                offset = _polygon(wkb, offset, order, dims, rings)
        else:
            return None
    except (struct.error, ValueError, IndexError):
        return None
    return rings if offset == len(wkb) else None


def _header(wkb: bytes, offset: int) -> Tuple[str, int, int, int]:
    if wkb[offset] not in (0, 1):
        raise ValueError("not a byte order")
    order = "<" if wkb[offset] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", wkb, offset + 1)
    offset += 5
    dims = 2 + bool(code & _EWKB_Z) + bool(code & _EWKB_M)
    if code & _EWKB_SRID:
        offset += 4
    code &= 0x0FFFFFFF
    if code // 1000 not in _ISO_EXTRA:
        raise ValueError("not a geometry type")
    return order, code % 1000, dims + _ISO_EXTRA[code // 1000], offset


def _polygon(wkb: bytes, offset: int, order: str, dims: int, rings: List[Ring]) -> int:
    (count,) = struct.unpack_from(order + "I", wkb, offset)
    offset += 4
    for index in range(count):
        (points,) = struct.unpack_from(order + "I", wkb, offset)
        offset += 4
        coords = np.frombuffer(wkb, dtype=order + "f8", count=points * dims, offset=offset).reshape(points, dims)
        offset += 8 * points * dims
        if points < 4 or coords[0, 0] != coords[-1, 0] or coords[0, 1] != coords[-1, 1]:
            raise ValueError("not a closed ring")  # GEOS refuses it: shapely's path says what it makes of it
        rings.append((coords[:, :2].astype(np.float64), index > 0))
    return offset


def rings_bounds(rings: Sequence[Ring]) -> Tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of every coordinate, as shapely's bounds."""
    xy = np.concatenate([coords for coords, _ in rings])
    low, high = xy.min(axis=0), xy.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


class ChunkRings:
    """The rings of k objects as flat arrays: xy (points, 2), and per ring its first point, its number
    of points, its object (0..k-1) and whether it is a hole."""

    def __init__(self, objects: Sequence[Sequence[Ring]]):
        rings = [ring for shape in objects for ring in shape]
        self.count = len(objects)
        self.xy = np.concatenate([coords for coords, _ in rings]) if rings else np.zeros((0, 2))
        self.lengths = np.array([len(coords) for coords, _ in rings], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.hole = np.array([hole for _, hole in rings], dtype=bool)
        self.ring_object = np.repeat(np.arange(len(objects)), [len(shape) for shape in objects])
        self.point_ring = np.repeat(np.arange(len(rings)), self.lengths)

    def edges(self) -> np.ndarray:
        """Index of the first point of every edge (the edge goes to the next point of its ring)."""
        last = np.zeros(len(self.xy), dtype=bool)
        last[self.starts + self.lengths - 1] = True
        return np.flatnonzero(~last)
