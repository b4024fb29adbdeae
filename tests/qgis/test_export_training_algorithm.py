"""The analyst exports the reviewed chips of a run as a training set (chipvlm:exporttrainingset)."""
import csv
import os
import sqlite3
from collections import Counter

import pytest
from qgis.core import QgsProcessingException

from helpers.training import classify_rows, make_cut_run, review


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    raster, index, _ = make_cut_run(str(tmp_path_factory.mktemp("cut")), count=12)
    results = classify_rows(index, {f: 4 for f in range(1, 13)})
    review(results, {**{f: 2 for f in range(1, 7)}, **{f: 5 for f in range(7, 11)}, 11: 0})
    return results, raster


def test_export_folders_from_processing(run_algorithm, run, tmp_path):
    results, _ = run
    out = str(tmp_path / "set")
    result, feedback = run_algorithm("chipvlm:exporttrainingset", {
        "RESULTS": results, "INCLUDE": 0, "VAL_SHARE": 0.25, "SEED": 3, "FORMAT": 0, "CLEAN": False,
        "OUTPUT_FOLDER": out})
    assert (result["CHIP_COUNT"], result["TRAIN_COUNT"], result["VAL_COUNT"]) == (10, 7, 3)
    assert result["OUTPUT_FOLDER"] == out
    assert sorted(os.listdir(os.path.join(out, "val"))) == ["2_cropland", "5_trees"]
    assert len(os.listdir(os.path.join(out, "train", "2_cropland"))) == 4  # 6 cropland, round(1.5) = 2 val
    assert "10 chips exported" in " ".join(feedback.infos)


def test_export_clean_csv_and_rerun_from_processing(run_algorithm, run, tmp_path):
    results, _ = run
    out = str(tmp_path / "clean")
    parameters = {"RESULTS": results, "FORMAT": 2, "CLEAN": True, "OUTPUT_FOLDER": out}
    result, _ = run_algorithm("chipvlm:exporttrainingset", parameters)
    with open(os.path.join(out, "manifest.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert Counter(r["class_id"] for r in rows) == {"2": 6, "5": 4}
    _, feedback = run_algorithm("chipvlm:exporttrainingset", parameters)
    assert "0 written" in " ".join(feedback.infos)


def test_a_results_file_without_a_scheme_is_refused_with_a_sentence(run_algorithm, tmp_path):
    bad = tmp_path / "results.sqlite"
    con = sqlite3.connect(str(bad))
    con.execute("CREATE TABLE results (fid INTEGER PRIMARY KEY, chip_path TEXT, class_id INTEGER, "
                "reviewed_class_id INTEGER)")
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.close()
    with pytest.raises(QgsProcessingException, match="does not record its class scheme"):
        run_algorithm("chipvlm:exporttrainingset", {"RESULTS": str(bad), "OUTPUT_FOLDER": str(tmp_path / "o")})
