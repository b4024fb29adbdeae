"""The analyst merges the results of runs made on two machines (chipvlm:mergeresults).

Machine A classified fids 1-12, machine B fids 9-20 with a model that sees some of them otherwise
(its fake answers ``fid % 7 + 1`` where A's answers ``fid % 8 + 1``); on A an analyst reviewed fid 10,
and fid 12 ended as an error there.
"""
import csv
import sqlite3

import pytest
from qgis.core import QgsApplication, QgsProcessingException

from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from chipvlm.plugin.core.schemes import load_scheme
from fakes.ollama import FakeModelServer
from fakes.runs import make_run
from helpers.feedback import RecordingFeedback

MODEL = "gemma3:27b"


def rows_of(path):
    con = sqlite3.connect(str(path))
    con.row_factory = sqlite3.Row
    try:
        return {r["fid"]: dict(r) for r in con.execute("SELECT * FROM results")}
    finally:
        con.close()


def with_scheme(path):
    with ResultsStore(path) as store:
        return store.scheme().id


@pytest.fixture()
def two_machines(run_algorithm, tmp_path):
    """results.sqlite of machine A (reviewed fid 10, error on fid 12) and of machine B (with its results.csv)."""
    outputs = {}
    for machine, fids, classes in (("a", range(1, 13), 8), ("b", range(9, 21), 7)):
        index = make_run(tmp_path / machine, fids)
        with FakeModelServer(classes=classes) as fake:
            result, _ = run_algorithm("chipvlm:classifychips",
                                      {"INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": MODEL})
        outputs[machine] = result
    con = sqlite3.connect(outputs["a"]["OUTPUT"])
    with con:
        con.execute("UPDATE results SET reviewed_class_id=7, reviewed_class_name='裸地', reviewer='li', "
                    "reviewed_at='2026-09-01T08:00:00+00:00' WHERE fid=10")
        con.execute("UPDATE results SET class_id=-1, class_name='ERROR', reason='timeout', needs_review=1 "
                    "WHERE fid=12")
    con.close()
    return outputs["a"], outputs["b"]


def test_parameter_names_are_those_of_design_md(chipvlm_provider):
    algorithm = QgsApplication.processingRegistry().algorithmById("chipvlm:mergeresults")
    assert algorithm is not None
    assert [p.name() for p in algorithm.parameterDefinitions()] == ["INPUTS", "OUTPUT"]
    assert {"OUTPUT", "RESULTS_CSV", "ROWS", "CONFLICTS"} == {o.name() for o in algorithm.outputDefinitions()}


def test_a_results_sqlite_and_a_results_csv_from_two_machines_merge(run_algorithm, two_machines, tmp_path):
    a, b = two_machines
    output = tmp_path / "merged" / "results.sqlite"
    result, feedback = run_algorithm("chipvlm:mergeresults", {
        "INPUTS": [a["OUTPUT"], b["RESULTS_CSV"]], "OUTPUT": str(output)}, RecordingFeedback())

    assert result["OUTPUT"] == str(output) and result["RESULTS_CSV"] == str(output.with_suffix(".csv"))
    assert result["ROWS"] == 20
    merged = rows_of(output)
    assert sorted(merged) == list(range(1, 21))
    assert (merged[10]["reviewed_class_id"], merged[10]["reviewer"]) == (7, "li"), "the review wins"
    assert merged[12]["class_id"] == 12 % 7 + 1, "B's real class beats A's error"
    for fid in (1, 8):
        assert merged[fid]["class_id"] == fid % 8 + 1 and merged[fid]["needs_review"] == 0
    for fid in (13, 20):
        assert merged[fid]["class_id"] == fid % 7 + 1

    # 9 and 11: both machines predicted, differently; reported and flagged, one of the two kept
    assert result["CONFLICTS"] == 2
    conflicts = [w for w in feedback.warnings if w.startswith("Conflict")]
    assert len(conflicts) == 2
    assert "fid 9:" in conflicts[0] and "results.sqlite: 2" in conflicts[0] and "results.csv: 3" in conflicts[0]
    assert "fid 11:" in conflicts[1]
    for fid in (9, 11):
        assert merged[fid]["needs_review"] == 1
        assert merged[fid]["class_id"] == fid % 7 + 1, "the most recent (machine b, classified last) is kept"
    assert with_scheme(output) == "yili8", "the scheme comes along from the .sqlite input"
    assert any("Merged 20 fids from 2 files" in info for info in feedback.infos)


def test_the_merge_can_be_written_as_csv(run_algorithm, two_machines, tmp_path):
    a, b = two_machines
    output = tmp_path / "merged.csv"
    result, _ = run_algorithm("chipvlm:mergeresults", {"INPUTS": [a["OUTPUT"], b["OUTPUT"]], "OUTPUT": str(output)})
    assert result["OUTPUT"] == result["RESULTS_CSV"] == str(output)
    assert output.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    with open(output, encoding="utf-8-sig", newline="") as handle:
        rows = {int(r["fid"]): r for r in csv.DictReader(handle)}
    assert sorted(rows) == list(range(1, 21)) and rows[10]["reviewed_class_name"] == "裸地"
    assert result["CONFLICTS"] == 2


def test_a_file_that_is_not_results_gets_a_clear_error(run_algorithm, two_machines, tmp_path):
    a, _ = two_machines
    stranger = tmp_path / "parcels.csv"
    stranger.write_text("id,area\n1,20.5\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:mergeresults", {"INPUTS": [a["OUTPUT"], str(stranger)],
                                               "OUTPUT": str(tmp_path / "m.sqlite")})
    assert str(stranger) in str(raised.value) and "'fid'" in str(raised.value)


def test_results_of_another_class_scheme_are_refused(run_algorithm, two_machines, tmp_path):
    a, _ = two_machines
    other = tmp_path / "english.sqlite"
    with ResultsStore(other) as store:
        store.set_scheme(load_scheme("landcover_en"))
        store.record_results([ResultRow(fid=3, chip_path="c", class_id=1, class_name="building", reason="roof")])
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:mergeresults", {"INPUTS": [a["OUTPUT"], str(other)], "OUTPUT": str(tmp_path / "m.sqlite")})
    assert "same class scheme" in str(raised.value) and "landcover_en" in str(raised.value)
