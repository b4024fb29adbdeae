"""A run where the model confuses one class with another on every chip: young orchards (striped, bright,
truly class 2 here) all called trees (5), while real trees (dark, even) and water (darker still) are
right. Parcels of 24 x 24 m on a 32 m grid of a 3-band raster; the analyst decided the first
`decided` fids. No QGIS needed: the qgis tests write the same parcels into a layer."""
import os

import numpy as np

from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from chipvlm.plugin.core.run_info import update_run_info
from chipvlm.plugin.core.schemes import load_scheme

SCHEME = load_scheme("landcover_en")
ORCHARD, TREES, WATER = 2, 5, 4
MODEL_SAYS = {ORCHARD: TREES, TREES: TREES, WATER: WATER}
ORIGIN = (500000.0, 4000000.0)
CELL, PARCEL = 32, 24
GRID = 15  # 15 x 15 = 225 parcels


def truth(grid=GRID, seed=5):
    """fid -> true class, shuffled so that every class is spread over the raster."""
    rng = np.random.default_rng(seed)
    classes = np.array([ORCHARD, TREES, WATER] * (grid * grid // 3 + 1))[: grid * grid]
    rng.shuffle(classes)
    return {fid: int(c) for fid, c in enumerate(classes.tolist(), start=1)}


def parcel_wkt(fid, grid=GRID):
    row, col = divmod(fid - 1, grid)
    x0 = ORIGIN[0] + col * CELL + 4
    y0 = ORIGIN[1] - row * CELL - 4
    return (f"POLYGON(({x0} {y0}, {x0 + PARCEL} {y0}, {x0 + PARCEL} {y0 - PARCEL}, {x0} {y0 - PARCEL}, "
            f"{x0} {y0}))")


def write_case_raster(path, classes, grid=GRID, seed=6):
    import rasterio
    from rasterio.transform import from_origin

    size = grid * CELL
    rng = np.random.default_rng(seed)
    data = (rng.normal(140, 12, size=(3, size, size))).astype(np.float32)  # bare ground between parcels
    for fid, cls in classes.items():
        row, col = divmod(fid - 1, grid)
        r0, c0 = row * CELL + 4, col * CELL + 4
        block = (slice(None), slice(r0, r0 + PARCEL), slice(c0, c0 + PARCEL))
        if cls == ORCHARD:  # rows of young trees on bright soil
            stripes = np.where((np.arange(PARCEL) // 3) % 2 == 0, 70.0, 150.0)[None, None, :]
            data[block] = stripes + rng.normal(0, 8, size=(3, PARCEL, PARCEL))
        elif cls == TREES:
            data[block] = 75 + rng.normal(0, 6, size=(3, PARCEL, PARCEL))
        else:
            data[block] = 35 + rng.normal(0, 3, size=(3, PARCEL, PARCEL))
    profile = dict(driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs="EPSG:32643",
                   transform=from_origin(ORIGIN[0], ORIGIN[1], 1.0, 1.0), tiled=True, blockxsize=128,
                   blockysize=128)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.clip(data, 0, 255).astype("uint8"))
    return path


def make_case(folder, decided=90, confidence=0.9):
    """(raster, results.sqlite, truth): the run folder with run.json, the model's results, the decisions."""
    os.makedirs(folder, exist_ok=True)
    classes = truth()
    raster = write_case_raster(os.path.join(folder, "image.tif"), classes)
    update_run_info(folder, raster=raster, fid_field="obj_id", chip_size=64)
    results = os.path.join(folder, "results.sqlite")
    with ResultsStore(results) as store:
        store.set_scheme(SCHEME)
        store.record_results(
            ResultRow(fid=fid, chip_path=f"chips/{fid:06d}.png", class_id=MODEL_SAYS[c],
                      class_name=SCHEME.name_of(MODEL_SAYS[c]), reason="seen", confidence=confidence)
            for fid, c in classes.items())
        with store.transaction() as con:
            con.executemany("UPDATE results SET reviewed_class_id = ?, reviewed_class_name = ?, reviewer = 'analyst', "
                            "reviewed_at = '2026-12-01T08:00:00+00:00' WHERE fid = ?",
                            [(classes[f], SCHEME.name_of(classes[f]), f) for f in range(1, decided + 1)])
    return raster, results, classes


def case_with_layer(folder):
    """make_case, and the parcels in a GeoPackage that run.json names (QGIS needed)."""
    from helpers.layers import write_layer

    raster, results, classes = make_case(folder)
    layer = write_layer(os.path.join(folder, "parcels.gpkg"), [parcel_wkt(f) for f in classes], crs="EPSG:32643",
                        fids=list(classes))
    from chipvlm.plugin.core.run_info import update_run_info

    update_run_info(folder, layer_source=layer.source(), layer_name="parcels")
    return raster, results, classes, layer
