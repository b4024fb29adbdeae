"""The review session over results.sqlite: filters, paging, decisions, undo, final classes."""
import os
import sqlite3
from datetime import datetime

import pytest

from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.core.review import (
    SCOPE_ALL,
    SCOPE_ERRORS,
    SORT_CLASS,
    STATUS_ERROR,
    STATUS_MODEL,
    STATUS_REVIEWED,
    STATUS_TO_REVIEW,
    ReviewError,
    ReviewFilter,
    ReviewSession,
    final_classes,
    parse_fids,
)
from chipvlm.plugin.core.schemes import load_scheme

# fid -> (predicted class, needs review)
PREDICTIONS = {
    1: (1, False),
    2: (0, True),
    3: (-1, True),
    4: (2, True),  # a class, but the model gave no reason
    5: (2, False),
    6: (0, True),
    7: (3, False),
    8: (-1, True),
    9: (0, True),
    10: (5, False),
}


def make_results(folder, predictions=PREDICTIONS, scheme="yili8"):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "results.sqlite")
    store = ResultsStore(path)
    if scheme:
        loaded = load_scheme(scheme)
        store.set_scheme(loaded)
        names = {c.id: c.name for c in loaded.classes}
    else:
        names = {-1: "ERROR", 0: "无法判断", 1: "建筑", 2: "耕地", 3: "道路", 5: "林地/防护林"}
    store.record_results(
        {
            "fid": fid,
            "chip_path": os.path.join(folder, "chips", f"{fid:06d}.png"),
            "class_id": class_id,
            "class_name": names[class_id],
            "reason": "待复核" if needs else "形状规则",
            "needs_review": needs,
        }
        for fid, (class_id, needs) in predictions.items()
    )
    store.close()
    return path


@pytest.fixture
def results(tmp_path):
    return make_results(str(tmp_path / "run"))


@pytest.fixture
def session(results):
    with ReviewSession(results, reviewer="analyst") as opened:
        yield opened


def fids(chips):
    return [chip.fid for chip in chips]


def test_a_run_opens_from_its_folder_or_its_file(results):
    folder = os.path.dirname(results)
    with ReviewSession(folder) as by_folder, ReviewSession(results) as by_file:
        assert by_folder.path == by_file.path == results
        assert by_folder.counts().total == 10


def test_a_missing_results_file_is_named_in_the_error(tmp_path):
    with pytest.raises(ReviewError, match="no results.sqlite"):
        ReviewSession(str(tmp_path))
    with pytest.raises(ReviewError, match="does not exist"):
        ReviewSession(str(tmp_path / "nope.sqlite"))
    assert not (tmp_path / "nope.sqlite").exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    bad = tmp_path / "results.sqlite"
    bad.write_text("fid,class_id\n1,2\n")
    with pytest.raises(ReviewError, match="not an SQLite database"):
        ReviewSession(str(bad))


def test_the_default_lists_what_needs_review_by_fid(session):
    assert fids(session.page()) == [2, 3, 4, 6, 8, 9]
    assert session.count() == 6


def test_keyset_pages_cover_every_result_once(session):
    for flt in (ReviewFilter(scope=SCOPE_ALL), ReviewFilter(scope=SCOPE_ALL, sort=SORT_CLASS)):
        seen, after = [], None
        while True:
            page = session.page(flt, after=after, limit=3)
            if not page:
                break
            seen.extend(page)
            after = page[-1].sort_key(flt.sort)
        assert sorted(fids(seen)) == list(range(1, 11))
        assert fids(seen) == fids(session.page(flt, limit=None))
    by_class = session.page(ReviewFilter(scope=SCOPE_ALL, sort=SORT_CLASS), limit=None)
    assert [c.final_class_id for c in by_class] == sorted(c.final_class_id for c in by_class)
    assert fids(by_class)[:2] == [3, 8]  # errors first, then by fid within a class


def test_page_until_loads_up_to_a_row_inclusive(session):
    flt = ReviewFilter(scope=SCOPE_ALL, sort=SORT_CLASS)
    target = session.chip(4).sort_key(SORT_CLASS)
    rows = session.page(flt, after=(0, 6), until=target)
    assert fids(rows) == [9, 1, 4]  # class 0 (fid 9), class 1 (fid 1), then fid 4 of class 2


def test_filters_compose(session):
    assert fids(session.page(ReviewFilter(scope=SCOPE_ERRORS))) == [3, 8]
    assert fids(session.page(ReviewFilter(scope=SCOPE_ALL, class_id=2))) == [4, 5]
    assert fids(session.page(ReviewFilter(class_id=2))) == [4]
    assert fids(session.page(ReviewFilter(fids=[9, 2, 5, 77]))) == [2, 9]
    assert fids(session.page(ReviewFilter(scope=SCOPE_ALL, fids={9, 2, 5}))) == [2, 5, 9]
    session.set_review([2], 1)
    assert fids(session.page(ReviewFilter(reviewed=True))) == [2]
    assert fids(session.page(ReviewFilter(reviewed=False))) == [3, 4, 6, 8, 9]
    # the class filter is on the final class: fid 2 is now 建筑
    assert fids(session.page(ReviewFilter(scope=SCOPE_ALL, class_id=1))) == [1, 2]
    assert session.count(ReviewFilter(scope=SCOPE_ALL, class_id=0)) == 2


def test_a_decision_is_stored_at_once_with_who_and_when(session, results):
    action = session.set_review([6, 9], 2)
    assert action is not None
    # another connection (another QGIS, or after a crash) sees it without any close or save
    con = sqlite3.connect(results)
    rows = con.execute(
        "SELECT fid, reviewed_class_id, reviewed_class_name, reviewer, reviewed_at FROM results "
        "WHERE reviewed_class_id IS NOT NULL ORDER BY fid"
    ).fetchall()
    con.close()
    assert [r[:4] for r in rows] == [(6, 2, "耕地", "analyst"), (9, 2, "耕地", "analyst")]
    assert datetime.fromisoformat(rows[0][4]).utcoffset().total_seconds() == 0
    chip = session.chip(6)
    assert (chip.class_id, chip.final_class_id, chip.final_class_name) == (0, 2, "耕地")
    assert chip.status == STATUS_REVIEWED


def test_the_counter_counts_reviewed_of_needing_review(session):
    counts = session.counts()
    assert (counts.total, counts.needs_review, counts.reviewed_of_needing, counts.errors) == (10, 6, 0, 2)
    session.set_review([2, 3], 0)
    session.confirm([1])  # reviewed, but never needed review
    counts = session.counts()
    assert (counts.reviewed_of_needing, counts.reviewed, counts.remaining) == (2, 3, 4)


def test_confirm_takes_each_chips_own_prediction_and_skips_errors(session):
    action, skipped = session.confirm([4, 6, 3])
    assert action is not None and skipped == [3]
    assert session.chip(4).reviewed_class_id == 2
    assert session.chip(6).reviewed_class_id == 0
    assert session.chip(3).reviewed_class_id is None
    assert session.confirm([8]) == (None, [8])


def test_undo_takes_back_the_last_decision_even_a_multi_chip_one(session):
    session.set_review([2], 1)
    session.set_review([2], 3)
    session.set_review([4, 6, 9], 7)
    assert session.undo() == [4, 6, 9]
    assert [session.chip(f).reviewed_class_id for f in (4, 6, 9)] == [None, None, None]
    assert session.chip(2).reviewed_class_id == 3
    assert session.undo() == [2]
    chip = session.chip(2)
    assert (chip.reviewed_class_id, chip.reviewed_class_name, chip.reviewer) == (1, "建筑", "analyst")
    assert session.undo() == [2]
    assert session.chip(2).reviewed_class_id is None and session.chip(2).reviewed_at is None
    assert not session.can_undo()
    assert session.undo() == []


def test_undo_works_across_sessions(results):
    with ReviewSession(results) as first:
        first.set_review([2, 6], 4)
    with ReviewSession(results) as second:
        assert second.chip(6).reviewed_class_id == 4
        assert second.can_undo()
        assert second.undo() == [2, 6]
        assert second.chip(6).reviewed_class_id is None


def test_a_decision_is_all_or_nothing(session):
    with pytest.raises(ReviewError, match="Fid 404"):
        session.set_review([2, 404], 1)
    assert session.chip(2).reviewed_class_id is None
    assert not session.can_undo()


def test_error_and_unknown_classes_are_refused(session):
    with pytest.raises(ReviewError, match="ERROR"):
        session.set_review([2], -1)
    with pytest.raises(ReviewError, match="Class 42 is not in"):
        session.set_review([2], 42)
    assert session.chip(2).reviewed_class_id is None


def test_clear_review_is_a_decision_too(session):
    session.set_review([2], 1)
    session.clear_review([2])
    assert session.chip(2).reviewed_class_id is None
    session.undo()
    assert session.chip(2).reviewed_class_id == 1


def test_next_unreviewed_goes_forward_then_wraps(session):
    session.set_review([4, 6], 1)
    assert session.next_unreviewed(after=(3,)).fid == 8
    assert session.next_unreviewed(after=(9,)).fid == 2
    assert session.next_unreviewed(after=(9,), wrap=False) is None
    session.set_review([2, 3, 8, 9], 0)
    assert session.next_unreviewed(after=(3,)) is None
    flt = ReviewFilter(scope=SCOPE_ALL, sort=SORT_CLASS)
    assert session.next_unreviewed(flt, after=(1, 1)).fid == 5


def test_final_classes_prefer_the_review_and_carry_a_status(session, results):
    session.set_review([2], 6)
    final = {f.fid: f for f in session.final_classes()}
    assert (final[2].class_id, final[2].class_name, final[2].status) == (6, "草地", STATUS_REVIEWED)
    assert (final[1].class_id, final[1].status) == (1, STATUS_MODEL)
    assert (final[3].class_id, final[3].status) == (-1, STATUS_ERROR)
    assert (final[4].class_id, final[4].status) == (2, STATUS_TO_REVIEW)
    assert final_classes(results)[2].class_id == 6


def test_classes_come_from_the_scheme_else_from_the_results(tmp_path, session):
    assert session.class_name(8) == "果园/园地"
    assert [cid for cid, _ in session.reviewable_classes()] == list(range(0, 9))
    bare = make_results(str(tmp_path / "bare"), scheme=None)
    with ReviewSession(bare) as without_scheme:
        assert dict(without_scheme.classes) == {
            -1: "ERROR", 0: "无法判断", 1: "建筑", 2: "耕地", 3: "道路", 5: "林地/防护林"
        }


def test_a_moved_run_still_finds_its_chips(tmp_path):
    results = make_results(str(tmp_path / "old"))
    moved = tmp_path / "new"
    os.rename(tmp_path / "old", moved)
    (moved / "chips").mkdir()
    (moved / "chips" / "000002.png").write_bytes(b"png")
    with ReviewSession(str(moved)) as session:
        chip = session.chip(2)
        assert not os.path.exists(chip.chip_path)
        assert session.resolve_chip_path(chip.chip_path) == str(moved / "chips" / "000002.png")
        assert session.resolve_chip_path(session.chip(5).chip_path) == session.chip(5).chip_path
    assert not os.path.exists(results)


@pytest.mark.parametrize(
    "text, expected",
    [("12", [12]), ("12, 40-43 7", [12, 40, 41, 42, 43, 7]), (" 5;3-2 ", [5, 2, 3]), ("", [])],
)
def test_typed_fids(text, expected):
    assert parse_fids(text) == expected


@pytest.mark.parametrize("text", ["12a", "1-2-3", "-4", "x"])
def test_typed_fids_that_are_not_fids(text):
    with pytest.raises(ReviewError, match="is not a fid"):
        parse_fids(text)


# -- files that are not a run's results, and files a classification is writing -------------------
def tables_of(path):
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        con.close()


def foreign_sqlite(path, create_sql):
    """An SQLite file of another program."""
    con = sqlite3.connect(path)
    con.execute(create_sql)
    con.commit()
    con.close()
    return path


def test_another_sqlite_file_such_as_a_geopackage_is_refused_and_left_untouched(tmp_path):
    other = foreign_sqlite(tmp_path / "parcels.gpkg", "CREATE TABLE gpkg_contents (table_name TEXT)")
    before = other.read_bytes()
    with pytest.raises(ReviewError, match="no results table") as raised:
        ReviewSession(str(other))
    assert "parcels.gpkg" in str(raised.value)
    assert tables_of(other) == ["gpkg_contents"]
    assert other.read_bytes() == before


def test_a_results_table_of_another_program_is_refused(tmp_path):
    other = foreign_sqlite(tmp_path / "results.sqlite", "CREATE TABLE results (id INTEGER, label TEXT)")
    with pytest.raises(ReviewError, match="class_id") as raised:
        ReviewSession(str(other))
    assert "results.sqlite" in str(raised.value)
    assert tables_of(other) == ["results"]


def test_the_csv_export_points_to_the_sqlite_beside_it(tmp_path):
    csv_file = tmp_path / "results.csv"
    csv_file.write_text("\ufefffid,class_id\n1,2\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="results.sqlite") as raised:
        ReviewSession(str(csv_file))
    assert "CSV" in str(raised.value)


def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "results.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(ReviewError, match="empty"):
        ReviewSession(str(empty))
    assert empty.read_bytes() == b""


def test_errors_carry_an_english_template_and_its_values_for_translation(tmp_path):
    with pytest.raises(ReviewError) as raised:
        parse_fids("12 x")
    assert raised.value.template == "'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45."
    assert raised.value.values == ("x",)
    assert str(raised.value) == "'x' is not a fid: type fids as numbers, e.g. 12, 40-45."


def test_a_run_being_classified_can_be_reviewed_at_the_same_time(tmp_path):
    """WAL: the classification keeps writing while the analyst opens, pages, decides and undoes."""
    import time

    from helpers.review_data import BackgroundClassification

    path = make_results(str(tmp_path / "live"))
    decisions = 0
    with BackgroundClassification(path, range(100, 2100)) as classification:
        deadline = time.monotonic() + 20
        while classification.is_alive() and time.monotonic() < deadline:
            with ReviewSession(path, reviewer="analyst") as session:
                page = session.page(ReviewFilter(), limit=50)
                session.set_review([page[-1].fid], 2)
                session.counts()
                for _final in session.final_classes():  # a long read while the writer commits
                    pass
                session.undo()
                session.set_review([page[0].fid], 3)
                decisions += 1
    assert not classification.failures, classification.failures
    assert decisions >= 1
    with ReviewSession(path) as session:
        assert session.counts().total == len(PREDICTIONS) + 2000
        assert session.chip(2).reviewed_class_id == 3


def test_a_decision_while_the_file_is_locked_too_long_is_a_clear_error(results):
    blocker = sqlite3.connect(results, isolation_level=None)
    with ReviewSession(results, busy_timeout=0.2) as session:
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(ReviewError, match="busy"):
                session.set_review([2], 1)
            with pytest.raises(ReviewError, match="busy"):
                session.undo()
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert session.chip(2).reviewed_class_id is None
        session.set_review([2], 1)  # the lock is gone: it works again
        assert session.chip(2).reviewed_class_id == 1


def test_the_counters_progress_is_what_counts_says(session):
    assert session.progress() == (session.counts().reviewed_of_needing, session.counts().needs_review)
    needing = [chip.fid for chip in session.page(ReviewFilter(), limit=3)]
    session.set_review(needing[:2], 1)
    session.set_review([fid for fid in range(1, 11) if fid not in needing][:1], 1)  # one not needing review
    counts = session.counts()
    assert session.progress() == (counts.reviewed_of_needing, counts.needs_review)
    assert counts.reviewed_of_needing == 2


def test_the_counter_follows_what_another_process_flags_for_review(session, results):
    """The number needing review is kept between keys (a decision never changes it; counting it is most
    of a key's query on a county's file), but a classification or second opinion flagging more chips from
    another connection is seen at the next key."""
    done, needing = session.progress()
    session.set_review([chip.fid for chip in session.page(ReviewFilter(), limit=1)], 1)
    assert session.progress() == (done + 1, needing)
    other = sqlite3.connect(results)
    other.execute("UPDATE results SET needs_review = 1 WHERE needs_review = 0 AND fid IN "
                  "(SELECT fid FROM results WHERE needs_review = 0 LIMIT 2)")
    other.commit()
    other.close()
    assert session.progress() == (done + 1, needing + 2)
    counts = session.counts()
    assert session.progress() == (counts.reviewed_of_needing, counts.needs_review)
