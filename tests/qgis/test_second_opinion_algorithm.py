"""The analyst asks for a second opinion (chipvlm:secondopinion) through qgis_process and processing.run."""
import csv
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from helpers.second_opinion import ORCHARD, TREES, case_with_layer

pytest.importorskip("sklearn", reason="scikit-learn is not installed (Debian: apt install python3-sklearn)")


def read_rows(results):
    con = sqlite3.connect(results)
    con.row_factory = sqlite3.Row
    try:
        return {r["fid"]: dict(r) for r in con.execute("SELECT * FROM results")}
    finally:
        con.close()


def test_qgis_process_finds_the_confusion_on_unseen_objects_from_90_decisions(tmp_path):
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    _, results, classes, _ = case_with_layer(str(tmp_path / "run"))
    env = dict(os.environ, **prepare(tmp_path / "build"))
    done = subprocess.run(qgis_process_command() + [
        "run", "chipvlm:secondopinion", "--json", "--", f"RESULTS={results}",
        f"OUTPUT_TABLE={tmp_path / 'second.csv'}", f"OUTPUT_HTML={tmp_path / 'second.html'}"],
        capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    outputs = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert outputs["CV_ACCURACY"] > 0.95 and outputs["MODEL_ACCURACY"] < 0.75
    orchards = [f for f, c in classes.items() if c == ORCHARD]
    assert outputs["DISAGREEMENTS"] == len(orchards)
    rows = read_rows(results)
    assert all(rows[f]["second_class_id"] == ORCHARD for f in orchards if f > 90)  # unseen ones found
    assert all(rows[f]["agrees"] == 1 for f, c in classes.items() if c != ORCHARD)  # where the model is right
    with open(outputs["OUTPUT_TABLE"], encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(classes) and table[0].keys() == {"fid", "class_id", "second_class_id",
                                                              "second_confidence", "agrees"}
    with open(os.path.join(os.path.dirname(results), "results.csv"), encoding="utf-8-sig", newline="") as handle:
        assert "second_class_id" in next(csv.reader(handle))
    page = open(outputs["OUTPUT_HTML"], encoding="utf-8").read()
    assert f"{TREES} trees" in page and f"{ORCHARD} cropland" in page


def test_apply_above_from_processing_keeps_the_decisions(run_algorithm, tmp_path):
    _, results, classes, layer = case_with_layer(str(tmp_path / "run"))
    con = sqlite3.connect(results)
    with con:
        con.execute("UPDATE results SET confidence = 0.5")
    con.close()
    result, feedback = run_algorithm("chipvlm:secondopinion", {
        "RESULTS": results, "INPUT": layer.source(), "FID_FIELD": "obj_id", "APPLY_ABOVE": 0.7,
        "OUTPUT_TABLE": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "p.html")})
    rows = read_rows(results)
    applied = {f for f, r in rows.items() if r["model_class_id"] is not None}
    assert applied and all(f > 90 and classes[f] == ORCHARD and rows[f]["class_id"] == ORCHARD for f in applied)
    assert all(rows[f]["reviewed_class_id"] == classes[f] for f in range(1, 91))
    assert "took its class (APPLY_ABOVE)" in " ".join(feedback.infos)


def test_a_results_file_with_few_decisions_is_refused_with_a_sentence(run_algorithm, tmp_path):
    from qgis.core import QgsProcessingException

    _, results, _, layer = case_with_layer(str(tmp_path / "run"))
    con = sqlite3.connect(results)
    with con:
        con.execute("UPDATE results SET reviewed_class_id = NULL WHERE fid > 4")
    con.close()
    with pytest.raises(QgsProcessingException, match="at least 10 reviewed objects"):
        run_algorithm("chipvlm:secondopinion", {"RESULTS": results, "OUTPUT_TABLE": str(tmp_path / "t.csv"),
                                                "OUTPUT_HTML": str(tmp_path / "p.html")})
