"""Varied objects and rasters on which the second opinion's feature values are pinned: squares, rotated
and concave shapes, holes, multipolygons, slivers and sub-pixel objects, objects at and beyond the
raster's edge, over nodata, with Z coordinates, many vertices and repeated vertices; 8-bit, 16-bit and
float rasters, and an EMBEDDINGS raster in another CRS (EPSG:4326 against UTM 50N). Everything is made
from fixed numbers and seeds, so the same files and polygons come out on every machine.

tests/unit/second_opinion_features_golden.json holds the vectors the per-object code of main computed
on them before the features were computed a chunk at a time (`python tests/helpers/feature_cases.py`
wrote it then; run it again only to pin a deliberate change of the values, with FEATURES_VERSION bumped).
"""
import json
import math
import os
import sys

import numpy as np

ORIGIN = (500000.0, 4000000.0)
PIXEL = 0.5  # metres
WIDTH, HEIGHT = 240, 200
GOLDEN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "unit",
                      "second_opinion_features_golden.json")
RASTERS = ("byte", "uint16", "float32")


def _xy(col, row):
    return ORIGIN[0] + col * PIXEL, ORIGIN[1] - row * PIXEL


def _ring(points):
    return "(" + ", ".join("%r %r" % tuple(float(v) for v in _xy(c, r)) for c, r in list(points) + [points[0]]) + ")"


def _box(c0, r0, c1, r1):
    return [(c0, r0), (c1, r0), (c1, r1), (c0, r1)]


def _circle(cc, rr, radius, n, phase=0.0):
    return [(cc + radius * math.cos(phase + 2 * math.pi * i / n), rr + radius * math.sin(phase + 2 * math.pi * i / n))
            for i in range(n)]


def _rotated(cc, rr, length, width, angle):
    ca, sa = math.cos(angle), math.sin(angle)
    corners = [(-length / 2, -width / 2), (length / 2, -width / 2), (length / 2, width / 2), (-length / 2, width / 2)]
    return [(cc + x * ca - y * sa, rr + x * sa + y * ca) for x, y in corners]


def _star(cc, rr, outer, inner, n):
    return [(cc + (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / n),
             rr + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / n)) for i in range(2 * n)]


def case_wkts():
    """fid -> WKT in the rasters' CRS (pixel coordinates turned into map coordinates)."""
    def p(rings):
        return f"POLYGON({rings})"

    cases = {
        1: p(_ring(_box(10, 10, 30, 30))),
        2: p(_ring(_rotated(60, 30, 40, 8, 0.5))),
        3: p(_ring([(90, 10), (120, 14), (100, 40)])),
        4: p(_ring(_box(130, 10, 170, 50)) + ", " + _ring(_box(140, 20, 155, 35))),
        5: f"MULTIPOLYGON(({_ring(_box(180, 10, 195, 25))}), ({_ring(_box(200, 10, 230, 40))}, "
           f"{_ring(_box(210, 20, 220, 30))}))",
        6: p(_ring([(10, 50), (40, 50.2), (40, 50.4), (10, 50.2)])),  # a sliver narrower than a pixel
        7: p(_ring([(50.1, 50.1), (50.4, 50.2), (50.2, 50.4)])),  # a sub-pixel triangle
        8: p(_ring(_box(-10, 60, 15, 80))),  # half left of the raster
        9: p(_ring(_box(225, -8, 250, 12))),  # over the top-right corner
        10: p(_ring(_box(300, 300, 320, 320))),  # outside: no features
        11: p(_ring(_star(80, 80, 18, 7, 6))),
        12: p(_ring(_circle(130, 80, 15, 64))),
        13: p(_ring(_box(160, 70, 180, 90)).replace(")", " 0)").replace(",", " 0,")),  # with Z
        14: p(_ring(_box(195, 110, 215, 130))),  # over nodata
        15: p(_ring(_box(185, 95, 205, 115))),  # partly over nodata
        16: p(_ring([(20, 100), (20, 100), (45, 100), (45, 120), (45, 120), (20, 120)])),  # repeated vertices
        17: p(_ring(_box(60, 100, 90, 130)[::-1])),  # counter-clockwise in pixels
        18: f"MULTIPOLYGON(({_ring(_box(100, 100, 120, 120))}), ({_ring(_box(300, 100, 320, 120))}))",
        19: p(_ring(_rotated(140, 140, 60, 3, -0.3))),  # long and thin
        20: p(_ring([(200, 150), (230, 150), (215, 150)])),  # no area: every vertex on one line
        21: "LINESTRING(%r %r, %r %r)" % (*_xy(10, 150), *_xy(40, 170)),
        22: p(_ring(_box(232, 185, 245, 205))),  # over the bottom-right corner
    }
    rng = np.random.default_rng(21)
    for fid in range(30, 60):
        w, h = rng.uniform(2, 60, size=2)
        c, r = rng.uniform(-5, WIDTH - w + 5), rng.uniform(-5, HEIGHT - h + 5)
        j = rng.uniform(-0.25, 0.25, size=4)
        points = [(c, r), (c + w, r + j[0] * h), (c + w * (1 + j[1] * 0.2), r + h), (c + j[2] * w, r + h * (1 + j[3] * 0.2))]
        if fid % 3 == 0:
            points = _star(c + w / 2, r + h / 2, max(w, h) / 2, min(w, h) / 4, 3 + fid % 5)
        wkt = p(_ring(points))
        if fid % 5 == 0 and min(w, h) > 12:
            wkt = p(_ring(points) + ", " + _ring(_circle(c + w / 2, r + h / 2, min(w, h) / 6, 7, fid)))
        cases[fid] = wkt
    return cases


def write_rasters(folder):
    """The rasters of the cases: name -> path (byte, uint16, float32 imagery in EPSG:32650; embeddings in
    EPSG:4326)."""
    import rasterio
    from rasterio.transform import from_bounds, from_origin
    from rasterio.warp import transform_bounds

    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    pattern = ((rows // 9 + cols // 13) % 5) * 40.0
    transform = from_origin(ORIGIN[0], ORIGIN[1], PIXEL, PIXEL)
    paths = {}
    for name, dtype, bands, nodata in (("byte", "uint8", 3, 0), ("uint16", "uint16", 2, 0), ("float32", "float32", 1, None)):
        data = np.stack([pattern + rng.integers(1, 50, size=pattern.shape) + 11 * b for b in range(bands)])
        if dtype == "uint16":
            data = data * 97 + 3
        elif dtype == "float32":
            data = data / 7.0 - 3.0
        data = data.astype(dtype)
        if nodata is None:
            data[:, 100:140, 190:240] = np.nan
        else:
            data[:, 100:140, 190:240] = nodata
        paths[name] = os.path.join(folder, f"{name}.tif")
        with rasterio.open(paths[name], "w", driver="GTiff", width=WIDTH, height=HEIGHT, count=bands, dtype=dtype,
                           crs="EPSG:32650", transform=transform, nodata=nodata) as dst:
            dst.write(data)
    west, south, east, north = transform_bounds("EPSG:32650", "EPSG:4326", ORIGIN[0] - 10, ORIGIN[1] - HEIGHT * PIXEL - 10,
                                                ORIGIN[0] + WIDTH * PIXEL + 10, ORIGIN[1] + 10)
    size = (90, 110)  # coarser than the imagery, and not square
    embedding = np.stack([np.sin(np.mgrid[0:size[0], 0:size[1]][b % 2] / (3.0 + b)) * (b + 1) for b in range(4)])
    paths["embeddings"] = os.path.join(folder, "embeddings.tif")
    with rasterio.open(paths["embeddings"], "w", driver="GTiff", width=size[1], height=size[0], count=4, dtype="float32",
                       crs="EPSG:4326", transform=from_bounds(west, south, east, north, size[1], size[0])) as dst:
        dst.write(embedding.astype("float32"))
    return paths


def compute_case(folder, raster, embeddings="", workers=2):
    """fid -> feature vector (None where the object has none) and the feature names."""
    from shapely import wkt as shapely_wkt

    from chipvlm.plugin.core.chips.engine import FeatureInput
    from chipvlm.plugin.core.learn.features import FeatureCache, FeatureOptions, cache_path, compute_features

    cases = case_wkts()
    results = os.path.join(folder, f"results_{os.path.basename(raster)}.sqlite")
    objects = [FeatureInput(fid, shapely_wkt.loads(text).wkb) for fid, text in cases.items()]
    compute_features(results, objects, FeatureOptions(raster, embeddings=embeddings, workers=workers))
    cache = FeatureCache(cache_path(results))
    try:
        names, vectors = cache.names(), cache.vectors(list(cases))
    finally:
        cache.close()
    return {fid: (vectors[fid].astype(float).tolist() if fid in vectors else None) for fid in cases}, names


def compute_all(folder):
    paths = write_rasters(folder)
    out = {}
    for name in RASTERS:
        vectors, names = compute_case(folder, paths[name], paths["embeddings"] if name == "byte" else "")
        out[name] = {"names": names, "vectors": {str(fid): v for fid, v in vectors.items()}}
    return out


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "scripts"))
    from qgis_env import expose_package

    expose_package()
    with tempfile.TemporaryDirectory() as tmp:
        found = compute_all(tmp)
    with open(GOLDEN, "w", encoding="utf-8") as handle:
        json.dump(found, handle, indent=0, sort_keys=True)
    print(f"wrote {GOLDEN}")
