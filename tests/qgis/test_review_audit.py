"""The dock's Audit scope: the blind sample drawn by chipvlm:drawsample, decided with the review keys.

Blind means nothing the dock shows names the model's class, reason or confidence of the chip on
screen; decisions go to the audit tables (with who and when), never to the review's columns.
"""
import sqlite3

import pytest
from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QSignalSpy, QTest

from chipvlm.plugin.gui.review_dock.audit_view import SCOPE_AUDIT
from helpers.dock_texts import shown_texts
from helpers.layers import write_layer
from helpers.review_data import NAMES, grid_squares, make_run, standard_predictions

FIDS = list(range(1, 37))
SAMPLE = 12


def confidence_of(fid):
    return round(0.41 + fid / 100, 2)  # 42% .. 77%: each chip's own figure


@pytest.fixture()
def run(tmp_path):
    results = make_run(str(tmp_path / "run"), standard_predictions(FIDS))
    con = sqlite3.connect(results)
    with con:
        con.executemany("UPDATE results SET confidence = ? WHERE fid = ? AND class_id >= 0",
                        [(confidence_of(fid), fid) for fid in FIDS])
    con.close()
    return results


@pytest.fixture()
def sampled(run, run_algorithm, tmp_path):
    result, _ = run_algorithm("chipvlm:drawsample", {
        "RESULTS": run, "SIZE": str(SAMPLE), "MIN_PER_CLASS": 1, "SEED": 3,
        "OUTPUT": str(tmp_path / "sample.csv")})
    assert result["SAMPLE_SIZE"] == SAMPLE
    return run


@pytest.fixture()
def dock(review_dock, qgis_canvas, tmp_path):
    layer = write_layer(str(tmp_path / "objects.gpkg"), grid_squares(len(FIDS)), crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setExtent(layer.extent())
    opened = review_dock()
    opened.test_layer = layer
    return opened


def rows(run, sql, *params):
    con = sqlite3.connect(run)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def model_answer(run, fid):
    (class_id, reason, confidence), = rows(run, "SELECT class_id, reason, confidence FROM results WHERE fid = ?", fid)
    return class_id, reason, confidence


def assert_blind(dock, run):
    """Nothing shown names the current chip's model class, its reason or its confidence."""
    item = dock.view.currentIndex().data(Qt.UserRole + 2)
    class_id, reason, confidence = model_answer(run, item.fid)
    texts = "\n".join(shown_texts(dock))
    assert NAMES[class_id] not in texts
    assert reason and reason not in texts
    if confidence is not None:
        percent = f"{round(100 * confidence)}"
        assert f"{percent}%" not in texts and f"{percent} %" not in texts
    # no class button marks the model's class (what Space would accept in the review)
    assert not any(button.property("predicted") for button in dock.class_buttons.values())
    assert not dock.confirm_button.isEnabled()


def choose_audit(dock):
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData(SCOPE_AUDIT))


def test_the_audit_is_decided_blind_with_the_review_keys(dock, sampled):
    run = sampled
    assert dock.open_run(run, layer=dock.test_layer)
    review_fids = [chip.fid for chip in dock.model.rows]
    choose_audit(dock)
    sample = [fid for fid, in rows(run, "SELECT fid FROM audit_sample ORDER BY position")]
    assert [item.fid for item in dock.view.model().rows] == sample
    assert dock.counter_label.text() == f"audit 0 of {SAMPLE}"
    assert dock.view.currentIndex().data(Qt.UserRole + 1) == sample[0]
    assert_blind(dock, run)
    assert dock.highlight is not None  # the map still follows the chip
    assert "hidden" in dock.status_label.text()
    first = dock.view.model().index(0, 0)
    spy = QSignalSpy(dock.view.model().thumbnails.loaded)
    if first.data(Qt.ItemDataRole.DecorationRole) is None:  # asked for: it decodes in the background
        assert spy.wait(5000)
    assert first.data(Qt.ItemDataRole.DecorationRole) is not None

    # 7 and 8 are classes the model never gave here: what the dock then says of them is no leak
    QTest.keyClick(dock.view, Qt.Key.Key_7)
    assert_blind(dock, run)
    QTest.keyClick(dock.view, Qt.Key.Key_8)
    assert_blind(dock, run)
    QTest.keyClick(dock.view, Qt.Key.Key_Space)  # nothing to accept: stays, stores nothing
    QTest.keyClick(dock.preview, Qt.Key.Key_7)
    assert_blind(dock, run)
    assert dock.counter_label.text() == f"audit 3 of {SAMPLE}"
    QTest.keyClick(dock.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the last one back
    assert dock.counter_label.text() == f"audit 2 of {SAMPLE}"
    assert dock.view.currentIndex().data(Qt.UserRole + 1) == sample[2]

    decided = rows(run, "SELECT fid, reference_class_id, reference_class_name, referenced_by, referenced_at "
                        "FROM audit_sample WHERE reference_class_id IS NOT NULL ORDER BY position")
    assert [(fid, class_id, name) for fid, class_id, name, _, _ in decided] == [
        (sample[0], 7, NAMES[7]), (sample[1], 8, NAMES[8])]
    assert all(who == dock.reviewer_name() and at.endswith("+00:00") for _, _, _, who, at in decided)
    assert rows(run, "SELECT COUNT(*), SUM(undone) FROM audit_log") == [(3, 1)]
    # apart from the review: no result got a reviewed class, a reviewer or a time
    assert rows(run, "SELECT COUNT(*) FROM results WHERE reviewed_class_id IS NOT NULL OR reviewed_class_name "
                     "IS NOT NULL OR reviewer IS NOT NULL OR reviewed_at IS NOT NULL") == [(0,)]

    QTest.keyClick(dock.view, Qt.Key.Key_M)  # the live map draws no labels in the audit (classes as labels)
    assert not dock.large_view.live_map.mapSettings().testFlag(Qgis.MapSettingsFlag.DrawLabeling)
    assert_blind(dock, run)
    QTest.keyClick(dock.view, Qt.Key.Key_M)

    dock.select_row(0)  # a decided chip shows the analyst's own class, by whom, when (UTC)
    assert f"{NAMES[7]}" in dock.info_label.text() and "UTC" in dock.info_label.text()
    assert dock.class_buttons[7].isChecked()
    QTest.keyClick(dock.view, Qt.Key.Key_N)  # the next chip without a reference
    assert dock.view.currentIndex().data(Qt.UserRole + 1) == sample[2]

    # back to the review: its list, its model answers, its filters
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("needs_review"))
    assert [chip.fid for chip in dock.model.rows] == review_fids and dock.view.model() is dock.model
    assert dock.class_combo.isEnabled() and "Model:" in dock.info_label.text()


def test_a_file_without_a_sample_says_so_in_the_audit_entry(dock, run):
    assert dock.open_run(run)
    index = dock.scope_combo.findData(SCOPE_AUDIT)
    item = dock.scope_combo.model().item(index)
    assert not item.isEnabled()
    assert "no sample" in item.text()
    assert "chipvlm:drawsample" in dock.scope_combo.itemData(index, Qt.ItemDataRole.ToolTipRole)
