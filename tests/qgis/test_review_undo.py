"""Undo in the review dock takes back this dock's own decisions only (issue 7 point 15)."""
import sqlite3

import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin.core.review import ReviewSession
from helpers.review_data import make_run, standard_predictions

FIDS = list(range(1, 13))  # needing review: 2, 4, 5, 6, 9, 11, 12


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), standard_predictions(FIDS), chip_maker=None)


def reviewed(run, fid):
    con = sqlite3.connect(run)
    try:
        return con.execute("SELECT reviewed_class_id, reviewer FROM results WHERE fid = ?", (fid,)).fetchone()
    finally:
        con.close()


def ctrl_z(dock):
    QTest.keyClick(dock.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_undo_leaves_the_decision_another_dock_made_on_the_same_file(review_dock, run):
    mine, theirs = review_dock(), review_dock()
    assert mine.open_run(run) and theirs.open_run(run)
    QTest.keyClick(mine.view, Qt.Key.Key_1)  # fid 2 -> 1 here
    theirs.select_fid(5)
    QTest.keyClick(theirs.view, Qt.Key.Key_3)  # fid 5 -> 3 in the other dock, later
    ctrl_z(mine)
    assert reviewed(run, 2)[0] is None  # my decision is taken back
    assert reviewed(run, 5)[0] == 3  # theirs stays
    ctrl_z(mine)
    assert "Nothing to undo" in mine.status_label.text()
    assert reviewed(run, 5)[0] == 3


def test_undo_leaves_another_reviewers_decision(review_dock, run):
    dock = review_dock()
    assert dock.open_run(run)
    QTest.keyClick(dock.view, Qt.Key.Key_1)  # fid 2 -> 1
    with ReviewSession(run, reviewer="li") as colleague:
        colleague.set_review([6], 8)
    ctrl_z(dock)
    assert reviewed(run, 2)[0] is None
    assert reviewed(run, 6) == (8, "li")


def test_undo_does_not_overwrite_what_another_reviewer_decided_since(review_dock, run):
    dock = review_dock()
    assert dock.open_run(run)
    QTest.keyClick(dock.view, Qt.Key.Key_1)  # fid 2 -> 1
    with ReviewSession(run, reviewer="li") as colleague:
        colleague.set_review([2], 7)  # li decides fid 2 again after me
    ctrl_z(dock)
    assert reviewed(run, 2) == (7, "li")
    assert "li" in dock.status_label.text() and "2" in dock.status_label.text()
