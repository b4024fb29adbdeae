"""A real run folder for the training-set export and reference tests: raster, cut chips, results, reviews."""
import os
import sqlite3

from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips
from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from chipvlm.plugin.core.run_info import update_run_info
from chipvlm.plugin.core.schemes import load_scheme
from helpers.synthetic import random_polygons, write_raster

SCHEME = load_scheme("landcover_en")


def make_cut_run(folder, count=30, chip_size=64, seed=3):
    """A raster and `count` chips cut from it by the real engine; returns (raster, index, polygons)."""
    import rasterio

    os.makedirs(folder, exist_ok=True)
    raster = os.path.join(folder, "image.tif")
    write_raster(raster, 600, 400, dtype="uint16", seed=seed, block=256)
    with rasterio.open(raster) as dataset:
        bounds = tuple(dataset.bounds)
    polygons = random_polygons(bounds, count, seed=seed, size=(8, 120))  # some need a framed (shrunk) window
    run = os.path.join(folder, "run")
    features = [FeatureInput(fid, p.wkb) for fid, p in enumerate(polygons, start=1)]
    cut_chips(raster, features, run, CutOptions(chip_size=chip_size, workers=1))
    update_run_info(run, raster=raster, chip_size=chip_size)  # as the cut records them (kept when it does)
    return raster, os.path.join(run, "chips_index.csv"), polygons


def classify_rows(index_path, predictions, scheme=SCHEME):
    """results.sqlite beside the index: predictions fid -> class_id (the model's), scheme recorded."""
    from chipvlm.plugin.core.chips.index import read_chip_index

    entries = {e.fid: e for e in read_chip_index(index_path).entries}
    results = os.path.join(os.path.dirname(index_path), "results.sqlite")
    with ResultsStore(results) as store:
        store.set_scheme(scheme)
        store.set_meta("index_path", index_path)
        store.record_results(
            ResultRow(fid=fid, chip_path=entries[fid].path, class_id=cid, class_name=scheme.name_of(cid),
                      reason="seen", needs_review=cid <= 0)
            for fid, cid in predictions.items())
    return results


def review(results, decisions, scheme=SCHEME):
    """The analyst's decisions fid -> class, as the dock writes them."""
    con = sqlite3.connect(results)
    with con:
        for fid, cid in decisions.items():
            con.execute("UPDATE results SET reviewed_class_id = ?, reviewed_class_name = ?, reviewer = 'analyst', "
                        "reviewed_at = '2026-12-01T08:00:00+00:00' WHERE fid = ?", (cid, scheme.name_of(cid), fid))
    con.close()


def set_confidence(results, values):
    con = sqlite3.connect(results)
    with con:
        for fid, confidence in values.items():
            con.execute("UPDATE results SET confidence = ? WHERE fid = ?", (confidence, fid))
    con.close()
