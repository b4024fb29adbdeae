"""chipvlm:mergeresults never wipes results.sqlite (issue 7 point 3).

The analyst merges other results into the results.sqlite they review (listed among the inputs, or
as the output itself): a bad input is refused before a byte is written, the file a classification
or a dock has open is refused, and a decision made while the merge reads is kept.
"""
import sqlite3

import pytest
from qgis.core import QgsProcessingException

from chipvlm.plugin.core.results import merge
from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.core.review import ReviewSession
from helpers.review_data import NAMES, make_run, standard_predictions

HEADER = "fid,chip_path,class_id,class_name,reason,needs_review\n"


@pytest.fixture()
def reviewed(tmp_path):
    """The results.sqlite an analyst has been reviewing: fids 1-12, three decisions."""
    path = make_run(str(tmp_path / "run"), standard_predictions(range(1, 13)), chip_maker=None)
    with ReviewSession(path, reviewer="ana") as session:
        session.set_review([2], 1)
        session.set_review([4, 6], 7)
    return path


def dump(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM results ORDER BY fid").fetchall()
    finally:
        con.close()


def csv_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def merge_refused(run_algorithm, inputs, output):
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:mergeresults", {"INPUTS": inputs, "OUTPUT": output})
    return str(raised.value)


@pytest.mark.parametrize("as_output", [True, False], ids=["merged-into", "listed-and-output"])
def test_a_csv_without_chip_path_is_refused_and_the_results_are_untouched(run_algorithm, reviewed, tmp_path,
                                                                          as_output):
    before = dump(reviewed)
    bad = csv_file(tmp_path, "laptop.csv", "fid,class_id,class_name\n20,2,耕地\n")
    inputs = [bad] if as_output else [reviewed, bad]
    text = merge_refused(run_algorithm, inputs, reviewed)
    assert bad in text and "'chip_path'" in text and "line 1" in text
    assert dump(reviewed) == before


def test_a_fid_beyond_64_bits_is_refused_with_its_line(run_algorithm, reviewed, tmp_path):
    before = dump(reviewed)
    bad = csv_file(tmp_path, "laptop.csv", HEADER + "20,c/20.png,2,耕地,条带,0\n1e+30,c/x.png,2,耕地,条带,0\n")
    text = merge_refused(run_algorithm, [reviewed, bad], reviewed)
    assert bad in text and "line 3" in text and "1e+30" in text
    assert dump(reviewed) == before


@pytest.mark.parametrize("value", ["12.5", "inf", "nan"])
def test_a_fid_that_is_no_whole_number_is_refused(run_algorithm, reviewed, tmp_path, value):
    bad = csv_file(tmp_path, "laptop.csv", HEADER + f"{value},c/x.png,2,耕地,条带,0\n")
    text = merge_refused(run_algorithm, [reviewed, bad], str(tmp_path / "merged.sqlite"))
    assert bad in text and "line 2" in text
    assert not (tmp_path / "merged.sqlite").exists()


def test_a_class_not_in_the_scheme_is_refused(run_algorithm, reviewed, tmp_path):
    before = dump(reviewed)
    bad = csv_file(tmp_path, "laptop.csv", HEADER + "20,c/20.png,42,?,x,0\n")
    text = merge_refused(run_algorithm, [reviewed, bad], reviewed)
    assert bad in text and "line 2" in text and "42" in text
    assert dump(reviewed) == before


def test_merging_into_a_file_a_classification_has_open_is_refused(run_algorithm, reviewed, tmp_path):
    other = make_run(str(tmp_path / "other"), {20: (2, False)}, chip_maker=None)
    before = dump(reviewed)
    classification = ResultsStore(reviewed)  # a run holds its results file open until it ends
    try:
        classification.record_results([{"fid": 30, "chip_path": "c/30.png", "class_id": 3,
                                         "class_name": NAMES[3], "reason": "直线"}])
        text = merge_refused(run_algorithm, [reviewed, other], reviewed)
        assert reviewed in text and "open" in text
        classification.record_results([{"fid": 31, "chip_path": "c/31.png", "class_id": 3,
                                         "class_name": NAMES[3], "reason": "直线"}])
    finally:
        classification.close()
    rows = dump(reviewed)
    assert [row[0] for row in rows] == [row[0] for row in before] + [30, 31]


def test_a_decision_made_while_the_merge_reads_is_kept(run_algorithm, reviewed, tmp_path, monkeypatch):
    other = make_run(str(tmp_path / "other"), {20: (2, False), 21: (5, False)}, chip_maker=None)
    read = merge.read_results

    def read_then_decide(path):
        rows = read(path)
        if path == reviewed:  # the analyst presses a key in the dock right after the merge read the file
            with ReviewSession(reviewed, reviewer="ana") as dock:
                dock.set_review([9], 8)
        return rows

    monkeypatch.setattr(merge, "read_results", read_then_decide)
    result, _ = run_algorithm("chipvlm:mergeresults", {"INPUTS": [reviewed, other], "OUTPUT": reviewed})
    assert result["ROWS"] == 14
    rows = {row[0]: row for row in dump(reviewed)}
    assert sorted(rows) == list(range(1, 13)) + [20, 21]
    assert rows[9][6] == 8, "the decision made during the merge is there"
    assert (rows[2][6], rows[4][6], rows[6][6]) == (1, 7, 7), "and the earlier ones"


def test_a_killed_classification_does_not_block_the_merge(run_algorithm, reviewed, tmp_path):
    import subprocess
    import sys

    other = make_run(str(tmp_path / "other"), {20: (2, False)}, chip_maker=None)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "con.execute('PRAGMA journal_mode=WAL'); con.execute('SELECT COUNT(*) FROM results').fetchone()\n"
         "print('open', flush=True); time.sleep(60)\n", reviewed],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        merge_refused(run_algorithm, [reviewed, other], reviewed)  # alive: refused
    finally:
        holder.kill()  # kill -9 mid-run: the OS drops its locks
        holder.wait()
    result, _ = run_algorithm("chipvlm:mergeresults", {"INPUTS": [reviewed, other], "OUTPUT": reviewed})
    assert result["ROWS"] == 13


@pytest.mark.parametrize("kind", ["geopackage", "text"])
def test_an_output_that_is_no_results_file_is_refused_and_left_alone(run_algorithm, reviewed, tmp_path, kind):
    if kind == "geopackage":
        from helpers.layers import write_layer
        from helpers.review_data import grid_squares

        write_layer(str(tmp_path / "parcels.gpkg"), grid_squares(3), crs="EPSG:26914")
        target = tmp_path / "parcels.sqlite"  # another program's SQLite database
        target.write_bytes((tmp_path / "parcels.gpkg").read_bytes())
    else:
        target = tmp_path / "notes.sqlite"
        target.write_text("my notes, not a database\n", encoding="utf-8")
    before = target.read_bytes()
    text = merge_refused(run_algorithm, [reviewed], str(target))
    assert str(target) in text
    assert target.read_bytes() == before
