"""The second opinion's feature values do not move when the code computing them changes: the vectors of
varied objects on 8-bit, 16-bit and float rasters, with embeddings in another CRS, against those main's
per-object code computed (tests/helpers/feature_cases.py, second_opinion_features_golden.json)."""
import json

import numpy as np
import pytest

from helpers.feature_cases import GOLDEN, RASTERS, compute_all


@pytest.fixture(scope="module")
def golden():
    with open(GOLDEN, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    return compute_all(str(tmp_path_factory.mktemp("feature_cases")))


def assert_same_vectors(found, expected):
    assert found["names"] == expected["names"]
    missing = sorted(f for f, v in expected["vectors"].items() if v is None)
    assert sorted(f for f, v in found["vectors"].items() if v is None) == missing
    for fid, vector in expected["vectors"].items():
        if vector is not None:
            np.testing.assert_allclose(found["vectors"][fid], vector, rtol=1e-6, atol=1e-6, equal_nan=True,
                                       err_msg=f"fid {fid}")


@pytest.mark.parametrize("raster", RASTERS)
def test_feature_values_are_those_of_the_per_object_code(golden, computed, raster):
    assert_same_vectors(computed[raster], golden[raster])


def test_the_per_object_path_through_shapely_gives_the_same_values(golden, tmp_path, monkeypatch):
    # what an object whose WKB numpy does not read (a curve, a collection) goes through, forced for all
    from chipvlm.plugin.core.learn import features

    monkeypatch.setattr(features, "wkb_rings", lambda wkb: None)
    assert_same_vectors(compute_all(str(tmp_path))["byte"], golden["byte"])


def random_objects(count, seed, size=(2, 150)):
    """Quadrilaterals, stars of up to 40 points, some with a hole, some of two parts, over 240 x 200
    pixels of the cases' rasters: windows read at full resolution and shrunk."""
    from shapely import wkt

    from helpers.feature_cases import _circle, _ring, _star

    rng = np.random.default_rng(seed)
    out = []
    for number in range(count):
        w, h = rng.uniform(*size, size=2)
        c, r = rng.uniform(-10, 240 - w + 10), rng.uniform(-10, 200 - h + 10)
        j = rng.uniform(-0.25, 0.25, size=4)
        points = [(c, r), (c + w, r + j[0] * h), (c + w * (1 + j[1] * 0.2), r + h), (c + j[2] * w, r + h * (1 + j[3] * 0.2))]
        if number % 3 == 1:
            points = _star(c + w / 2, r + h / 2, max(w, h) / 2, min(w, h) / 4, 3 + number % 18)
        text = f"POLYGON({_ring(points)}"
        if number % 4 == 2 and min(w, h) > 8:
            text += ", " + _ring(_circle(c + w / 2, r + h / 2, min(w, h) / 8, 5 + number % 9, number))
        text += ")"
        if number % 7 == 3:
            text = f"MULTIPOLYGON(({text[8:-1]}), ({_ring(_circle(c, r, 3, 6))}))"
        out.append(wkt.loads(text))
    return out


@pytest.mark.parametrize("raster", ["byte", "uint16"])
def test_a_chunk_gives_each_object_the_vector_it_gets_alone(tmp_path, raster):
    import threading

    from chipvlm.plugin.core.learn.features import MAX_SIDE, ObjectReader, object_window
    from helpers.feature_cases import write_rasters

    paths = write_rasters(str(tmp_path))
    reader = ObjectReader(paths[raster], paths["embeddings"], MAX_SIDE)
    try:
        jobs = []
        for fid, shape in enumerate(random_objects(150, seed=3), start=1):
            window = object_window(reader.reader.grid, shape.bounds)
            jobs.append((fid, window.col_off, window.row_off, window.size, 0.0, 0.0, shape.wkb))
        assert any(job[3] > MAX_SIDE for job in jobs)  # some windows are read shrunk
        found = {}
        for start in range(0, len(jobs), 32):
            found.update((fid, vector) for fid, vector, _ in reader.many(jobs[start:start + 32], threading.Event()))
        for fid, col_off, row_off, side, _, _, wkb in jobs:
            alone = reader.features(col_off, row_off, side, wkb)
            np.testing.assert_allclose(found[fid], alone, rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=f"fid {fid}")
    finally:
        reader.close()


def test_shapes_of_a_chunk_are_shapelys():
    from chipvlm.plugin.core.learn.measures import elongation, shape_measures
    from chipvlm.plugin.core.learn.rings import ChunkRings, wkb_rings

    shapes = random_objects(400, seed=9)
    found = shape_measures(ChunkRings([wkb_rings(s.wkb) for s in shapes]), 0.5)
    assert np.isnan(found[:, 3]).mean() < 0.5  # most elongations come from the chunk, not from shapely
    for shape, row in zip(shapes, found):
        assert row[:2] == pytest.approx([shape.area * 0.25, shape.length * 0.5], rel=1e-12)
        if not np.isnan(row[3]):
            assert row[3] == pytest.approx(elongation(shape), abs=1e-12)


def test_rings_are_read_from_every_kind_of_polygon_wkb():
    from shapely import wkb, wkt

    from chipvlm.plugin.core.learn.rings import wkb_rings

    square = "((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))"
    for text in (f"POLYGON{square}", f"MULTIPOLYGON({square}, ((10 10, 11 10, 11 11, 10 10)))"):
        shape = wkt.loads(text)
        expected = [c for part in getattr(shape, "geoms", [shape]) for c in [part.exterior, *part.interiors]]
        for blob in (shape.wkb, wkb.dumps(shape, big_endian=True), wkb.dumps(shape, srid=4326)):
            rings = wkb_rings(blob)
            assert [hole for _, hole in rings] == [i > 0 for part in getattr(shape, "geoms", [shape])
                                                   for i in range(1 + len(part.interiors))]
            assert all(np.array_equal(coords, np.asarray(ring.coords)) for (coords, _), ring in zip(rings, expected))
    with_z = wkt.loads("POLYGON Z ((0 0 5, 4 0 5, 4 4 5, 0 0 5))")
    assert np.array_equal(wkb_rings(with_z.wkb)[0][0], [[0, 0], [4, 0], [4, 4], [0, 0]])
    assert wkb_rings(wkt.loads("POLYGON EMPTY").wkb) == []
    for other in ("LINESTRING(0 0, 1 1)", "GEOMETRYCOLLECTION(POINT(0 0))", "POINT(1 2)"):
        assert wkb_rings(wkt.loads(other).wkb) is None
    blob = wkt.loads(f"POLYGON{square}").wkb
    assert wkb_rings(blob[:-3]) is None and wkb_rings(blob + b"\0") is None and wkb_rings(b"") is None


def test_an_object_a_chunk_cannot_measure_is_measured_alone_and_the_others_still_are(tmp_path, monkeypatch):
    import threading

    from chipvlm.plugin.core.learn import features
    from helpers.feature_cases import write_rasters

    paths = write_rasters(str(tmp_path))
    reader = features.ObjectReader(paths["byte"], "", features.MAX_SIDE)
    try:
        shapes = random_objects(10, seed=4, size=(5, 40))
        jobs = []
        for fid, shape in enumerate(shapes, start=1):
            window = features.object_window(reader.reader.grid, shape.bounds)
            jobs.append((fid, window.col_off, window.row_off, window.size, 0.0, 0.0, shape.wkb))
        expected = {fid: v for fid, v, _ in reader.many(jobs, threading.Event())}

        def broken(*args):
            raise ValueError("a chunk's arrays tripped")

        monkeypatch.setattr(features, "shape_measures", broken)
        found = {fid: v for fid, v, _ in reader.many(jobs, threading.Event())}
    finally:
        reader.close()
    assert sorted(found) == list(range(1, 11))
    for fid, vector in expected.items():
        np.testing.assert_allclose(found[fid], vector, rtol=1e-9, atol=1e-9, equal_nan=True)
