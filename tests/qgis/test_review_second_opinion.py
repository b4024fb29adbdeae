"""The review dock on a run chipvlm:secondopinion ran on: the analyst filters to the disagreements,
orders them surest first, sees the second opinion beside the model's class on the tile and in the
large view's info (an applied one marked with what the model said), decides with the keys; the blind
audit never shows it.

The run is made as an analyst makes it: parcels cut by chipvlm:cutchips, a model that calls every
young orchard "trees" (tests/helpers/second_opinion.py), 90 decisions, then chipvlm:secondopinion with
APPLY_ABOVE where the model was unsure (even fids): the odd fids' orchards stay disagreements, the even
fids' take the second opinion's class.
"""
import os
import re
import shutil
import sqlite3

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin.core.review import SCOPE_ALL, SORT_FID, SORT_SECOND
from chipvlm.plugin.gui.review_dock.audit_view import SCOPE_AUDIT
from chipvlm.plugin.gui.review_dock.common import CHIP_ROLE
from helpers.dock_texts import shown_texts
from helpers.review_data import make_run, standard_predictions
from helpers.screenshots import ENV as SCREENSHOTS_ENV
from helpers.screenshots import screenshot_path
from helpers.second_opinion import ORCHARD, TREES, case_with_layer

pytest.importorskip("sklearn", reason="scikit-learn is not installed (Debian: apt install python3-sklearn)")


def rows(results, sql, *params):
    con = sqlite3.connect(results)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture()
def opinion_run(run_algorithm, tmp_path):
    """(results.sqlite, layer): chips cut, 90 decisions, the second opinion applied where the model was unsure."""
    folder = str(tmp_path / "run")
    raster, results, _, layer = case_with_layer(folder)
    cut, _ = run_algorithm("chipvlm:cutchips", {"INPUT": layer.source(), "RASTER": raster, "FID_FIELD": "obj_id",
                                                "CHIP_SIZE": 128, "OUTPUT_FOLDER": folder})
    assert cut["CHIP_COUNT"] == 225
    con = sqlite3.connect(results)
    with con:  # the model was unsure of the even fids: there APPLY_ABOVE may take the second opinion's class
        con.execute("UPDATE results SET confidence = CASE WHEN fid % 2 = 0 THEN 0.5 ELSE 0.9 END")
    con.close()
    run_algorithm("chipvlm:secondopinion", {
        "RESULTS": results, "INPUT": layer.source(), "FID_FIELD": "obj_id", "APPLY_ABOVE": 0.7,
        "OUTPUT_TABLE": str(tmp_path / "second.csv"), "OUTPUT_HTML": str(tmp_path / "second.html")})
    QgsProject.instance().addMapLayer(layer)
    return results, layer


def disagreements_surest_first(results):
    found = rows(results, "SELECT fid, second_confidence FROM results WHERE agrees = 0")
    return [fid for fid, _ in sorted(found, key=lambda row: (-row[1], row[0]))]


def choose(combo, value):
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)


def tile_of(dock, fid):
    index = dock.model.index(dock.model.row_of(fid), 0)
    return dock.chip_delegate.tile(index.data(CHIP_ROLE), index)


def filter_to_disagreements(dock):
    """What the analyst clicks: all results, second opinion differs, disagreements first."""
    choose(dock.scope_combo, SCOPE_ALL)
    choose(dock.filters.second_combo, True)
    choose(dock.sort_combo, SORT_SECOND)


def test_the_analyst_filters_to_the_disagreements_surest_first_and_decides_them_with_the_keys(
        review_dock, opinion_run):
    results, layer = opinion_run
    dock = review_dock()
    assert dock.open_run(results, layer=layer)
    assert dock.filters.second_combo.isVisibleTo(dock)
    assert dock.sort_combo.findText("Second opinion: disagreements first") >= 0
    filter_to_disagreements(dock)
    expected = disagreements_surest_first(results)
    assert expected and [chip.fid for chip in dock.model.rows] == expected
    assert dock.counter_label.text().count(str(len(expected))) >= 1
    # the first one not decided yet, and not applied: the analyst sees both opinions and takes the second's
    dock.select_fid(next(f for f in expected if f > 90 and f % 2 == 1))
    chip = dock.current_chip()
    assert chip.class_id == TREES and chip.second_class_id == ORCHARD and not chip.is_reviewed
    info = dock.info_label.text()
    assert f"Model: {TREES} trees" in info and f"Second opinion differs: {ORCHARD} cropland" in info
    tile = tile_of(dock, chip.fid)
    assert tile.second[0].startswith(f"≠{ORCHARD} ") and tile.corner == "90%"
    assert f"Second opinion differs: {ORCHARD} cropland" in dock.model.tooltip(chip)
    QTest.keyClick(dock.view, Qt.Key.Key_2)
    assert rows(results, "SELECT reviewed_class_id FROM results WHERE fid = ?", chip.fid) == [(ORCHARD,)]
    assert dock.current_chip().fid == expected[expected.index(chip.fid) + 1]  # on to the next disagreement


def test_an_applied_second_opinion_says_what_the_model_said(review_dock, opinion_run):
    results, layer = opinion_run
    applied = [fid for fid, in rows(results, "SELECT fid FROM results WHERE model_class_id IS NOT NULL ORDER BY fid")]
    assert applied and all(fid % 2 == 0 and fid > 90 for fid in applied)
    dock = review_dock()
    assert dock.open_run(results, layer=layer)
    filter_to_disagreements(dock)
    assert set(applied) <= {chip.fid for chip in dock.model.rows}
    assert dock.select_fid(applied[0])
    info = dock.info_label.text()
    assert f"Model: {TREES} trees" in info  # the model's own class, not the class applied
    assert f"Second opinion applied: {ORCHARD} cropland" in info and f"the model said {TREES} trees" in info
    tile = tile_of(dock, applied[0])
    assert tile.second[0].startswith(f"✓{ORCHARD} ") and tile.badge == str(ORCHARD)
    assert tile.caption == f"second opinion applied, model said {TREES} trees"
    # where they agree, the tile shows it plainly
    choose(dock.filters.second_combo, False)
    agreeing = dock.model.rows[0]
    assert agreeing.agrees and tile_of(dock, agreeing.fid).second[0].startswith(f"={agreeing.second_class_id} ")


def test_the_blind_audit_never_shows_the_second_opinion(review_dock, opinion_run, run_algorithm, tmp_path):
    results, layer = opinion_run
    run_algorithm("chipvlm:drawsample", {"RESULTS": results, "SIZE": "20", "MIN_PER_CLASS": 1, "SEED": 3,
                                         "OUTPUT": str(tmp_path / "sample.csv")})
    sampled = [fid for fid, in rows(results, "SELECT fid FROM audit_sample")]
    opinions = dict(rows(results, "SELECT fid, second_class_id FROM results"))
    assert any(opinions[fid] == ORCHARD for fid in sampled)
    dock = review_dock()
    assert dock.open_run(results, layer=layer)
    filter_to_disagreements(dock)
    choose(dock.scope_combo, SCOPE_AUDIT)
    assert dock.audit_mode.active and not dock.filters.second_combo.isEnabled()
    for row in range(dock.audit_mode.model.rowCount()):
        dock.select_row(row)
        texts = "\n".join(shown_texts(dock))
        # no chip's second opinion (the filter's own entries, disabled here, name no class)
        assert not re.search(r"[Ss]econd opinion[^:\n]*: -?\d", texts) and "model said" not in texts
        assert not any(mark in texts for mark in ("≠", "✓"))
        index = dock.audit_mode.model.index(row, 0)
        assert dock.audit_mode.delegate.tile(index.data(CHIP_ROLE), index).second is None
    QTest.keyClick(dock.view, Qt.Key.Key_2)  # decided blind, as the audit is
    # back in the review, the second opinion is there again
    choose(dock.scope_combo, SCOPE_ALL)
    assert dock.filters.second_combo.isEnabled() and "Second opinion" in dock.info_label.text()


def test_a_run_without_a_second_opinion_offers_neither_its_filter_nor_its_order(review_dock, opinion_run, tmp_path):
    results, layer = opinion_run
    plain = make_run(str(tmp_path / "plain"), standard_predictions(range(1, 13)))
    dock = review_dock()
    assert dock.open_run(results, layer=layer)
    filter_to_disagreements(dock)
    assert dock.open_run(plain)
    assert not dock.filters.second_combo.isVisibleTo(dock)
    assert dock.sort_combo.findData(SORT_SECOND) < 0 and dock.sort_combo.currentData() == SORT_FID
    assert dock.filters.review_filter().second_differs is None
    assert dock.model.rowCount() == dock.session.count(dock.filters.review_filter()) > 0
    assert "Second opinion" not in dock.info_label.text()


def test_the_second_opinion_filter_speaks_chinese(review_dock, opinion_run, chinese):
    results, layer = opinion_run
    dock = review_dock()
    assert dock.open_run(results, layer=layer)
    offered = [dock.filters.second_combo.itemText(i) for i in range(dock.filters.second_combo.count())]
    offered.append(dock.sort_combo.itemText(dock.sort_combo.findData(SORT_SECOND)))
    assert all(text and not any("a" <= ch.lower() <= "z" for ch in text) for text in offered), offered
    filter_to_disagreements(dock)
    assert "Second opinion" not in dock.info_label.text() and "second opinion" not in dock.info_label.text()


def test_screenshot_of_the_dock_filtered_to_the_disagreements(review_dock, opinion_run, tmp_path):
    """README's picture of the second opinion in the review."""
    results, layer = opinion_run
    dock = review_dock()
    dock.resize(900, 820)
    assert dock.open_run(results, layer=layer)
    filter_to_disagreements(dock)
    dock.select_fid(next(chip.fid for chip in dock.model.rows if not chip.is_reviewed and not chip.second_applied))
    thumbnails = dock.model.thumbnails
    for _ in range(100):  # thumbnails load in the background
        QTest.qWait(20)
        if not thumbnails._pending and len(thumbnails) >= 8:
            break
    QTest.qWait(60)
    shot = tmp_path / "review_second_opinion.png"
    assert dock.grab().save(str(shot))
    assert QImage(str(shot)).width() >= 880
    assert dock.preview.pixmap() is not None and not dock.preview.pixmap().isNull()  # a chip, not "not found"
    if os.environ.get(SCREENSHOTS_ENV):
        shutil.copyfile(shot, screenshot_path("review_second_opinion.png", tmp_path))
