"""Feature centres read from a GeoPackage's geometry headers (core/chips/envelopes.py), on files built
byte by byte after the GeoPackage standard's GeoPackageBinary header: both byte orders, every envelope
kind, none, empty and NULL geometries, negative and unordered fids, several reads of a chunk."""
import sqlite3
import struct

import numpy as np
import pytest

from chipvlm.plugin.core.chips import envelopes
from chipvlm.plugin.core.chips.envelopes import read_envelopes

WKB_TAIL = b"\x01\x03\x00\x00\x00\x00\x00\x00\x00"  # what follows the header: never read


def blob(box=None, kind=1, little=True, empty=False):
    """A GeoPackageBinary header (+ a token body): magic, version 0, flags, srs_id, the envelope."""
    order = "<" if little else ">"
    flags = (1 if little else 0) | (kind << 1 if box is not None else 0) | (16 if empty else 0)
    head = b"GP" + bytes([0, flags]) + struct.pack(order + "i", 26914)
    if box is not None:
        extra = {1: 0, 2: 2, 3: 2, 4: 4}[kind]
        head += struct.pack(order + "d" * (4 + extra), *box, *([7.0] * extra))
    return head + WKB_TAIL


def geopackage(path, tables):
    """A file with GeoPackage's geometry-columns table and a feature table per item of `tables`."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, "
               "srs_id INTEGER, z TINYINT, m TINYINT)")
    for name, rows in tables.items():
        db.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, "the geom" BLOB, obj_id INTEGER)')
        db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'the geom', 'POLYGON', 26914, 0, 0)", (name,))
        db.executemany(f'INSERT INTO "{name}" (fid, "the geom") VALUES (?, ?)', rows)
    db.commit()
    db.close()
    return str(path)


ROWS = [
    (7, blob((10.0, 20.0, 100.0, 140.0))),  # xy, little-endian
    (-3, blob((1.5, 2.5, -4.0, -2.0), little=False)),  # big-endian, a negative fid
    (2, blob((0.0, 2.0, 0.0, 4.0), kind=2)),  # xyz
    (4, blob((0.0, 2.0, 0.0, 4.0), kind=3, little=False)),  # xym
    (5, blob((0.0, 6.0, 0.0, 8.0), kind=4)),  # xyzm
    (6, blob(None)),  # no envelope (GDAL's points): unknown here, the caller reads the geometry
    (8, blob((float("nan"),) * 4, empty=True)),  # empty: no geometry
    (9, None),  # NULL: no geometry
    (10, b"XX not a geopackage blob at all, but long enough"),  # not GeoPackageBinary: unknown
    (11, b"GP\x00\x03"),  # cut short: unknown
]


def test_each_kind_of_header_gives_its_centre_or_says_it_cannot(tmp_path):
    found = read_envelopes(geopackage(tmp_path / "objects.gpkg", {"objects": ROWS}), "objects")
    x, y, known = found.centres([7, -3, 2, 4, 5, 6, 8, 9, 10, 11, 12])
    assert known.tolist() == [True] * 5 + [False, True, True, False, False, False]  # 12: no such feature
    assert x[:5].tolist() == [15.0, 2.0, 1.0, 1.0, 3.0] and y[:5].tolist() == [120.0, -3.0, 2.0, 2.0, 4.0]
    assert np.isnan(x[6:8]).all() and np.isnan(y[6:8]).all()  # no geometry: the check calls it misplaced


def test_the_table_is_found_by_name_or_as_the_only_one(tmp_path):
    one = geopackage(tmp_path / "one.gpkg", {"Objects": ROWS[:1]})
    assert read_envelopes(one, "objects").fids.tolist() == [7]  # names as SQLite compares them
    assert read_envelopes(one, "").fids.tolist() == [7]  # a file named without a layer: its only table
    two = geopackage(tmp_path / "two.gpkg", {"a": ROWS[:1], "b": ROWS[1:2]})
    assert read_envelopes(two, "b").fids.tolist() == [-3]
    assert read_envelopes(two, "") is None  # which one QGIS opened is not for us to guess
    assert read_envelopes(two, "c") is None
    (tmp_path / "plain.sqlite").write_bytes(b"")
    assert read_envelopes(str(tmp_path / "plain.sqlite"), "") is None  # no GeoPackage tables
    assert read_envelopes(str(tmp_path / "missing.gpkg"), "") is None


def test_a_table_is_read_in_chunks_in_fid_order(tmp_path, monkeypatch):
    rows = [(fid, blob((fid, fid + 2.0, -fid, -fid + 2.0))) for fid in (5, -7, 3, 1, 2, 100, 4)]
    path = geopackage(tmp_path / "objects.gpkg", {"objects": rows})
    monkeypatch.setattr(envelopes, "CHUNK", 2)
    found = read_envelopes(path, "objects")
    assert found.fids.tolist() == [-7, 1, 2, 3, 4, 5, 100]
    assert found.x.tolist() == [fid + 1.0 for fid in found.fids.tolist()]
    assert found.y.tolist() == [-fid + 1.0 for fid in found.fids.tolist()]


def test_an_empty_table_has_no_envelopes(tmp_path):
    found = read_envelopes(geopackage(tmp_path / "objects.gpkg", {"objects": []}), "objects")
    assert len(found.fids) == 0
    x, _, known = found.centres([1, 2])
    assert not known.any() and np.isnan(x).all()


@pytest.mark.parametrize("little", [True, False])
def test_coordinates_come_back_to_the_last_bit(tmp_path, little):
    box = (486030.123456789, 486030.98765432101, 5206030.000000001, 5206031.5)
    found = read_envelopes(geopackage(tmp_path / "o.gpkg", {"o": [(1, blob(box, little=little))]}), "o")
    assert found.x[0] == (box[0] + box[1]) / 2.0 and found.y[0] == (box[2] + box[3]) / 2.0
