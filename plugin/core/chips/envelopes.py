"""Each feature's bounding-box centre read from a GeoPackage table's geometry headers, no geometry parsed.

A GeoPackage geometry blob starts with a header (GeoPackage 1.x, clause 2.1.3, "GeoPackageBinary"):
the bytes 'GP', a version byte, a flags byte, the srs_id (int32) and an optional envelope of doubles
that begins [minx, maxx, miny, maxy], in the byte order bit 0 of the flags names. Bits 1-3 of the
flags say which envelope follows (0: none, 1: xy, 2: xyz, 3: xym, 4: xyzm) and bit 4 that the
geometry is empty. GDAL (and so QGIS) writes the envelope for every geometry but points.

The write-back's check against the chips (placement.py) needs the bounding-box centre of 200,000
features: fetched through QGIS, one geometry at a time, that took one to two seconds of a write;
read from the headers, it takes a tenth of one. A feature whose blob has no envelope (a point, a
blob written by another tool without one) is `unknown` here: its caller reads it the slow way.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Iterator, Optional, Tuple

import numpy as np

from .placement import sorted_positions

HEADER = 40  # magic (2), version, flags, srs_id (4), then minx, maxx, miny, maxy (4 doubles)
ROW = 8 + HEADER  # a feature as _headers gives it: its fid, then its blob's header
CHUNK = 50_000  # features per query (a hex text of about 5 MB)


@dataclass
class Envelopes:
    """Feature id -> bounding-box centre, for every feature of one GeoPackage table."""

    fids: np.ndarray  # int64, ascending
    x: np.ndarray  # the centre of the envelope; NaN where the feature has no geometry (NULL or empty)
    y: np.ndarray
    known: np.ndarray  # bool: False where the blob carries no envelope (the caller must read the geometry)

    def centres(self, feature_ids) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, y and whether known, for each of `feature_ids` (unknown: not in the table, or no envelope)."""
        feature_ids = np.asarray(feature_ids, dtype=np.int64)
        at, found = sorted_positions(self.fids, feature_ids)
        if not len(self.fids):
            nothing = np.full(len(feature_ids), np.nan)
            return nothing, nothing.copy(), found
        return self.x[at], self.y[at], found & self.known[at]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(db: sqlite3.Connection, table: str) -> Optional[Tuple[str, str, str]]:
    """The table (`table`, or the file's only one when "" is given), its integer primary key (the feature
    id GDAL and QGIS give) and its geometry column."""
    tables = db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
    found = [row for row in tables if row[0].lower() == table.lower()] if table else tables
    if len(found) != 1:
        return None
    table, geometry = found[0]
    keys = [row[1] for row in db.execute(f"PRAGMA table_info({_quoted(table)})") if row[5] == 1]
    return (table, keys[0], geometry) if len(keys) == 1 else None


def read_envelopes(path: str, table: str = "") -> Optional[Envelopes]:
    """The envelopes of every feature of `table` in the GeoPackage `path` ("": its only table, as QGIS
    opens a file named without a layer); None when the file or table cannot be read this way (the
    caller then reads the geometries themselves)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        columns = _columns(db, table)
        return None if columns is None else _parse(b"".join(_headers(db, *columns)))
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _headers(db: sqlite3.Connection, table: str, fid: str, geometry: str) -> Iterator[bytes]:
    """ROW bytes per feature, CHUNK features at a time in fid order: the fid (int64, big-endian), then
    the blob's first HEADER bytes (0xFF bytes for a NULL geometry, zeros for a blob shorter than that).
    SQLite puts them together as hex text, which Python turns into bytes without a step per row."""
    fid, geometry = _quoted(fid), _quoted(geometry)
    query = (f"SELECT max(f), group_concat(h, '') FROM (SELECT {fid} AS f, printf('%016x', {fid}) || CASE "
             f"WHEN {geometry} IS NULL THEN ? WHEN length({geometry}) >= {HEADER} THEN hex(substr({geometry}, 1, "
             f"{HEADER})) ELSE ? END AS h FROM {_quoted(table)} WHERE {fid} > ? ORDER BY {fid} LIMIT {CHUNK})")
    last = -(2 ** 63)
    while True:
        last, text = db.execute(query, ("FF" * HEADER, "00" * HEADER, last)).fetchone()
        if text is None:
            return
        yield bytes.fromhex(text)


def _parse(whole: bytes) -> Envelopes:
    """Envelopes from _headers' rows."""
    rows = np.frombuffer(whole, dtype=np.uint8).reshape(-1, ROW)
    fids = np.ascontiguousarray(rows[:, :8]).view(">i8").ravel().astype(np.int64)
    header = rows[:, 8:]
    flags = header[:, 3]
    null = (header[:, 0] == 0xFF) & (header[:, 1] == 0xFF)
    blob = (header[:, 0] == ord("G")) & (header[:, 1] == ord("P"))
    empty = blob & ((flags >> 4) & 1 == 1)
    enveloped = blob & ~empty & np.isin((flags >> 1) & 7, (1, 2, 3, 4))
    doubles = np.ascontiguousarray(header[:, 8:HEADER])
    box = np.where(((flags & 1) == 1)[:, None], doubles.view("<f8"), doubles.view(">f8"))
    with np.errstate(invalid="ignore"):
        x = np.where(enveloped, (box[:, 0] + box[:, 1]) / 2.0, np.nan)
        y = np.where(enveloped, (box[:, 2] + box[:, 3]) / 2.0, np.nan)
    return Envelopes(fids, x, y, enveloped | null | empty)  # ascending: read in fid order
