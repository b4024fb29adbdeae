"""Merging results from several runs or machines (field report 5.3 / 7.3)."""
import csv

import pytest

from chipvlm.plugin.core.results.merge import MergeError, merge_results
from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from chipvlm.plugin.core.schemes import load_scheme
from fakes.runs import older_plugin_scheme


def make_store(path, rows, reviews=None, scheme="yili8"):
    with ResultsStore(path) as store:
        store.set_scheme(load_scheme(scheme))
        store.record_results(ResultRow(fid=f, chip_path=f"/c/{f}.png", class_id=c, class_name=str(c),
                                       reason=f"r{f}", needs_review=c in (-1, 0)) for f, c in rows)
        for fid, (cls, when) in (reviews or {}).items():
            with store.transaction() as con:
                con.execute("UPDATE results SET reviewed_class_id=?, reviewed_class_name=?, reviewed_at=?, "
                            "reviewer='ana' WHERE fid=?", (cls, str(cls), when, fid))
    return str(path)


def test_two_gpu_halves_merge_into_one_results_file(tmp_path):
    a = make_store(tmp_path / "gpu0.sqlite", [(1, 2), (2, 3)])
    b = make_store(tmp_path / "gpu1.sqlite", [(3, 4), (4, 5)])
    report = merge_results([a, b], str(tmp_path / "merged.sqlite"))
    assert report.rows == 4 and not report.conflicts
    with ResultsStore(tmp_path / "merged.sqlite") as merged:
        assert {r["fid"]: r["class_id"] for r in merged.results()} == {1: 2, 2: 3, 3: 4, 4: 5}
        assert merged.scheme().id == "yili8"
    assert (tmp_path / "merged.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_review_beats_a_prediction_and_a_real_class_beats_an_error(tmp_path):
    a = make_store(tmp_path / "a.sqlite", [(1, 2), (2, -1), (3, 0)], reviews={1: (6, "2026-09-01T00:00:00+00:00")})
    b = make_store(tmp_path / "b.sqlite", [(1, 3), (2, 4), (3, 5)])
    report = merge_results([a, b], str(tmp_path / "m.sqlite"))
    assert not report.conflicts
    with ResultsStore(tmp_path / "m.sqlite") as merged:
        rows = {r["fid"]: r for r in merged.results()}
    assert rows[1]["reviewed_class_id"] == 6 and rows[1]["reviewer"] == "ana"
    assert rows[2]["class_id"] == 4 and rows[3]["class_id"] == 5


def test_disagreeing_predictions_are_reported_and_flagged_for_review(tmp_path):
    a = make_store(tmp_path / "a.sqlite", [(1, 2), (2, 3)])
    b = make_store(tmp_path / "b.sqlite", [(1, 7), (2, 3)])
    logged = []
    report = merge_results([a, b], str(tmp_path / "m.csv"), log=logged.append)
    assert [c.fid for c in report.conflicts] == [1]
    assert "a.sqlite: 2" in report.conflicts[0].text() and "b.sqlite: 7" in report.conflicts[0].text()
    assert any("Conflict: fid 1" in line for line in logged)
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {int(r["fid"]): r for r in csv.DictReader(handle)}
    assert rows[1]["needs_review"] == "1" and rows[2]["needs_review"] == "0"


def test_csv_exports_merge_as_well_as_sqlite_files(tmp_path):
    a = make_store(tmp_path / "a.sqlite", [(1, 2)], reviews={1: (3, "2026-09-01T00:00:00+00:00")})
    with ResultsStore(a) as store:
        store.export_csv(tmp_path / "a.csv")
    b = make_store(tmp_path / "b.sqlite", [(1, -1), (2, 8)])
    report = merge_results([str(tmp_path / "a.csv"), b], str(tmp_path / "m.sqlite"))
    with ResultsStore(tmp_path / "m.sqlite") as merged:
        rows = {r["fid"]: r for r in merged.results()}
    assert rows[1]["reviewed_class_id"] == 3 and rows[2]["class_id"] == 8 and report.rows == 2


def test_results_of_different_schemes_are_not_merged(tmp_path):
    a = make_store(tmp_path / "a.sqlite", [(1, 2)])
    b = make_store(tmp_path / "b.sqlite", [(2, 3)], scheme="landcover_en")
    with pytest.raises(MergeError, match="same class scheme"):
        merge_results([a, b], str(tmp_path / "m.sqlite"))


def test_a_file_that_is_not_results_is_named(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(MergeError, match="other.csv has no 'fid' column"):
        merge_results([str(other)], str(tmp_path / "m.sqlite"))
    with pytest.raises(MergeError, match="does not exist"):
        merge_results([str(tmp_path / "missing.sqlite")], str(tmp_path / "m.sqlite"))


def test_results_of_an_older_plugin_merge_with_new_ones(tmp_path):
    """Class -1 is the plugin's own marker: an upgrade that renamed it does not make another scheme."""
    a = make_store(tmp_path / "a.sqlite", [(1, 2)])
    older_plugin_scheme(tmp_path / "a.sqlite")
    b = make_store(tmp_path / "b.sqlite", [(2, 3)])
    report = merge_results([a, b], str(tmp_path / "m.sqlite"))
    assert report.rows == 2


def test_a_scheme_that_renamed_a_class_is_not_merged_and_the_class_is_named(tmp_path):
    import sqlite3

    a = make_store(tmp_path / "a.sqlite", [(1, 2)])
    con = sqlite3.connect(str(tmp_path / "a.sqlite"))
    with con:
        text = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone()[0]
        name = load_scheme("yili8").name_of(3)
        con.execute("UPDATE meta SET value = ? WHERE key = 'scheme'", (text.replace(name, "果园地", 1),))
    con.close()
    b = make_store(tmp_path / "b.sqlite", [(2, 3)])
    with pytest.raises(MergeError, match=f"class 3 is '果园地' in one and '{name}' in the other"):
        merge_results([a, b], str(tmp_path / "m.sqlite"))
