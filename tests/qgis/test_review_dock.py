"""The review dock driven as an analyst drives it: keys, clicks, filters, undo, the map, write back."""
import sqlite3

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin.core.review import ReviewSession
from helpers.layers import write_layer
from helpers.review_data import (
    BackgroundClassification,
    big_predictions,
    grid_squares,
    make_run,
    standard_predictions,
)

FIDS = list(range(1, 13))  # a GeoPackage's feature ids
NEEDS_REVIEW = [2, 4, 5, 6, 9, 11, 12]  # of standard_predictions(FIDS)


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), standard_predictions(FIDS))


@pytest.fixture()
def layer(tmp_path):
    layer = write_layer(str(tmp_path / "objects.gpkg"), grid_squares(len(FIDS)), crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def dock(review_dock, run, layer, qgis_canvas):
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setExtent(layer.extent())
    opened = review_dock()
    assert opened.open_run(run, layer=layer)
    return opened


def stored(run, fid):
    con = sqlite3.connect(run)
    try:
        return con.execute(
            "SELECT reviewed_class_id, reviewed_class_name, reviewer, reviewed_at FROM results WHERE fid = ?", (fid,)
        ).fetchone()
    finally:
        con.close()


def listed(dock):
    return [chip.fid for chip in dock.model.rows]


def press(dock, key, modifier=Qt.KeyboardModifier.NoModifier, widget=None):
    QTest.keyClick(widget or dock.view, key, modifier)


def click_chip(dock, fid, modifier=Qt.KeyboardModifier.NoModifier):
    index = dock.model.index(dock.model.row_of(fid), 0)
    rect = dock.view.visualRect(index)
    assert rect.isValid() and not rect.isEmpty(), f"chip {fid} is not visible"
    QTest.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_a_run_opens_on_what_needs_review_with_the_counter(dock, run):
    assert listed(dock) == NEEDS_REVIEW
    assert dock.current_chip().fid == 2
    assert dock.counter_label.text() == "Reviewed 0 of 7 needing review · 7 chips listed"
    # number keys are shown next to each class name, ERROR cannot be chosen
    assert dock.class_buttons[1].text() == "[1] 建筑"
    assert -1 not in dock.class_buttons
    assert "fid 2" in dock.info_label.text() and "待复核" in dock.info_label.text()
    assert not dock.preview.pixmap().isNull()


def test_a_number_key_sets_the_class_stores_it_and_moves_on(dock, run):
    press(dock, Qt.Key.Key_2)
    class_id, name, reviewer, at = stored(run, 2)
    assert (class_id, name) == (2, "耕地")
    assert reviewer and at
    assert dock.current_chip().fid == 4
    assert dock.counter_label.text().startswith("Reviewed 1 of 7")
    # the reviewed chip stays listed, with its new class
    assert dock.model.rows[0].final_class_id == 2 and dock.model.rows[0].is_reviewed


def test_space_and_enter_confirm_the_models_class(dock, run):
    dock.select_fid(5)
    press(dock, Qt.Key.Key_Space)
    assert stored(run, 5)[0] == 2
    assert dock.current_chip().fid == 6
    press(dock, Qt.Key.Key_Return)
    assert stored(run, 6)[0] == 0
    assert dock.current_chip().fid == 9


def test_confirming_an_error_asks_for_a_class_instead(dock, run):
    dock.select_fid(4)  # class -1
    press(dock, Qt.Key.Key_Enter)
    assert stored(run, 4)[0] is None
    assert "error" in dock.status_label.text() and "4" in dock.status_label.text()
    press(dock, Qt.Key.Key_7, widget=dock.preview)
    assert stored(run, 4)[0] == 7


def test_several_selected_chips_get_one_class_and_ctrl_z_takes_it_back(dock, run):
    click_chip(dock, 5)
    click_chip(dock, 9, Qt.KeyboardModifier.ControlModifier)
    click_chip(dock, 11, Qt.KeyboardModifier.ControlModifier)
    assert sorted(dock.selected_fids()) == [5, 9, 11]
    press(dock, Qt.Key.Key_6)
    assert [stored(run, fid)[0] for fid in (5, 9, 11)] == [6, 6, 6]
    assert stored(run, 6)[0] is None
    assert dock.current_chip().fid == 12  # after the last chip decided
    press(dock, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [stored(run, fid)[0] for fid in (5, 9, 11)] == [None, None, None]
    assert dock.counter_label.text().startswith("Reviewed 0 of 7")
    assert not any(chip.is_reviewed for chip in dock.model.rows)


def test_undo_goes_back_one_decision_at_a_time(dock, run):
    press(dock, Qt.Key.Key_1)  # fid 2
    press(dock, Qt.Key.Key_3)  # fid 4
    dock.undo_button.click()
    assert stored(run, 4)[0] is None and stored(run, 2)[0] == 1
    assert dock.current_chip().fid == 4
    press(dock, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, widget=dock.preview)
    assert stored(run, 2)[0] is None
    press(dock, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dock.status_label.text() == "Nothing to undo."


def test_delete_forgets_a_decision(dock, run):
    press(dock, Qt.Key.Key_8)
    dock.select_fid(2)
    press(dock, Qt.Key.Key_Delete)
    assert stored(run, 2)[0] is None
    assert dock.current_chip().fid == 2


def test_arrows_move_between_chips(dock):
    press(dock, Qt.Key.Key_Right)
    assert dock.current_chip().fid == 4
    press(dock, Qt.Key.Key_Right, widget=dock.preview)
    assert dock.current_chip().fid == 5
    press(dock, Qt.Key.Key_Left, widget=dock.preview)
    press(dock, Qt.Key.Key_Left)
    assert dock.current_chip().fid == 2


def test_n_and_tab_jump_to_the_next_chip_not_reviewed(dock, run):
    with ReviewSession(run) as other:  # decided earlier, e.g. by a colleague
        other.set_review([4, 5], 2)
    dock.apply_filter()
    press(dock, Qt.Key.Key_N)
    assert dock.current_chip().fid == 6
    press(dock, Qt.Key.Key_3)
    press(dock, Qt.Key.Key_Tab)
    assert dock.current_chip().fid == 11  # 9 was current after the decision, N/Tab goes to the next one
    dock.select_fid(12)
    press(dock, Qt.Key.Key_N)
    assert dock.current_chip().fid == 2  # wraps to the top


def test_next_unreviewed_loads_pages_beyond_what_is_shown(tmp_path, review_dock):
    predictions = {fid: (0, True) for fid in range(1000)}
    reviews = {fid: 1 for fid in range(0, 730)}
    run = make_run(str(tmp_path / "big"), predictions, chip_maker=None, reviews=reviews)
    dock = review_dock()
    dock.open_run(run)
    assert dock.model.rowCount() == 200 and dock.model.canFetchMore()
    press(dock, Qt.Key.Key_N)
    assert dock.current_chip().fid == 730
    assert dock.model.rowCount() >= 731
    # this run has no chip images: the large view says where it looked, nothing breaks
    assert "not found" in dock.preview.text() and "000730.png" in dock.preview.text()


def test_the_grid_fetches_more_as_it_scrolls_and_keeps_few_thumbnails(tmp_path, review_dock):
    predictions = {fid: (2, True) for fid in range(700)}
    run = make_run(str(tmp_path / "scroll"), predictions, chip_maker=None)
    dock = review_dock()
    dock.open_run(run)
    assert dock.model.rowCount() == 200
    for _ in range(3):
        dock.view.scrollToBottom()
        QTest.qWait(20)
    dock.view.scrollToBottom()
    dock.model.fetchMore()  # what the view does once the last page is on screen
    assert dock.model.rowCount() == 700 and not dock.model.canFetchMore()
    assert len(dock.model.thumbnails) <= dock.model.thumbnails.capacity


def test_filters(dock, run):
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("errors"))
    assert listed(dock) == [4, 11]
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("all"))
    assert listed(dock) == FIDS
    dock.class_combo.setCurrentIndex(dock.class_combo.findData(2))
    assert listed(dock) == [1, 5]
    dock.class_combo.setCurrentIndex(0)
    dock.select_fid(3)
    press(dock, Qt.Key.Key_4)
    dock.reviewed_combo.setCurrentIndex(dock.reviewed_combo.findData(True))
    assert listed(dock) == [3]
    dock.reviewed_combo.setCurrentIndex(dock.reviewed_combo.findData(False))
    assert 3 not in listed(dock) and len(listed(dock)) == 11
    dock.reviewed_combo.setCurrentIndex(0)
    dock.sort_combo.setCurrentIndex(dock.sort_combo.findData("class"))
    assert listed(dock)[:2] == [4, 11]  # errors first
    assert [chip.final_class_id for chip in dock.model.rows] == sorted(c.final_class_id for c in dock.model.rows)
    dock.sort_combo.setCurrentIndex(0)
    QTest.keyClicks(dock.fid_edit, "7, 9-10 99")
    QTest.keyClick(dock.fid_edit, Qt.Key.Key_Return)
    assert listed(dock) == [7, 9, 10]
    assert dock.counter_label.text().endswith("3 chips listed")
    assert stored(run, 7)[0] is None  # Return in the fid box filters, it does not confirm
    dock.fid_edit.clear()
    assert listed(dock) == FIDS
    QTest.keyClicks(dock.fid_edit, "seven")
    QTest.keyClick(dock.fid_edit, Qt.Key.Key_Return)
    assert "is not a fid" in dock.status_label.text()


def test_typing_in_the_fid_box_does_not_set_classes(dock, run):
    dock.fid_edit.setFocus()
    QTest.keyClicks(dock.fid_edit, "12")
    assert stored(run, 2)[0] is None
    assert dock.fid_edit.text() == "12"


def test_the_map_follows_the_current_chip(dock, layer, qgis_canvas):
    press(dock, Qt.Key.Key_Right)
    chip = dock.current_chip()
    box = layer.getFeature(chip.fid).geometry().boundingBox()
    assert dock.highlight is not None and dock.highlight.isVisible()
    assert box.contains(qgis_canvas.center())
    dock.select_fid(12)
    assert layer.getFeature(12).geometry().boundingBox().contains(qgis_canvas.center())


def test_filter_to_map_selection(dock, layer):
    layer.selectByIds([2, 5, 7, 9])
    dock.map_selection_button.click()
    assert listed(dock) == [2, 5, 9]  # 7 needs no review
    layer.selectByIds([6])  # the list follows the selection while the button is down
    assert listed(dock) == [6]
    dock.map_selection_button.click()
    assert listed(dock) == NEEDS_REVIEW


def test_map_selection_through_a_fid_field(tmp_path, review_dock, qgis_canvas):
    fids = [101, 102, 103, 104]
    shapefile = write_layer(str(tmp_path / "objects.shp"), grid_squares(4), crs="EPSG:26914", fids=fids)
    QgsProject.instance().addMapLayer(shapefile)
    run = make_run(str(tmp_path / "run"), {fid: (0, True) for fid in fids})
    qgis_canvas.setDestinationCrs(shapefile.crs())
    qgis_canvas.setExtent(shapefile.extent())
    dock = review_dock()
    dock.open_run(run, layer=shapefile, fid_field="obj_id")
    shapefile.selectByIds([1, 3])  # shapefile feature ids start at 0: obj_id 102 and 104
    dock.map_selection_button.click()
    assert listed(dock) == [102, 104]
    assert dock.highlight is not None
    assert shapefile.getFeature(1).geometry().boundingBox().contains(qgis_canvas.center())


def test_closing_the_dock_mid_review_and_reopening_finds_every_decision(dock, run, layer, review_dock):
    press(dock, Qt.Key.Key_1)  # fid 2
    press(dock, Qt.Key.Key_Space)  # fid 4 is an error: nothing to confirm
    press(dock, Qt.Key.Key_5, widget=dock.preview)  # fid 4
    click_chip(dock, 6)
    click_chip(dock, 9, Qt.KeyboardModifier.ControlModifier)
    press(dock, Qt.Key.Key_0)
    dock.select_fid(11)
    dock.close()
    assert dock.session is None  # the file is let go of
    decided = {fid: stored(run, fid)[0] for fid in NEEDS_REVIEW}
    assert decided == {2: 1, 4: 5, 5: None, 6: 0, 9: 0, 11: None, 12: None}

    dock.show()  # reopened from the plugin's button: same run, same chip
    assert dock.session is not None
    assert dock.current_chip().fid == 11
    assert {chip.fid: chip.reviewed_class_id for chip in dock.model.rows} == decided
    assert dock.counter_label.text().startswith("Reviewed 4 of 7")

    another = review_dock()  # a new QGIS session another day
    another.open_run(run)
    assert {chip.fid: chip.reviewed_class_id for chip in another.model.rows} == decided
    press(another, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the last decision is still undoable
    assert stored(run, 6)[0] is None and stored(run, 9)[0] is None


def test_a_bad_run_is_reported_in_the_dock(review_dock, tmp_path):
    dock = review_dock()
    assert not dock.open_run(str(tmp_path))
    assert "no results.sqlite" in dock.status_label.text()
    assert dock.counter_label.text() == "No run open"
    press(dock, Qt.Key.Key_1)  # nothing open: keys do nothing, nothing breaks


def test_write_back_button_writes_final_classes_into_the_layer(dock, run, layer):
    press(dock, Qt.Key.Key_1)  # fid 2: 无法判断 -> 建筑
    dock.write_button.click()
    assert "12 features" in dock.status_label.text()
    assert not layer.isEditable()
    values = {f.id(): (f["class_id"], f["class_name"], f["review"]) for f in layer.getFeatures()}
    assert values[2] == (1, "建筑", "reviewed")
    assert values[1] == (2, "耕地", "model")
    assert values[4] == (-1, "识别失败", "error")
    assert values[6] == (0, "无法判断", "to_review")


def test_write_back_button_without_a_layer_says_so(review_dock, run):
    dock = review_dock()
    dock.open_run(run)
    dock.write_button.click()
    assert "Choose the layer" in dock.status_label.text()


def test_big_run_keeps_the_grid_small(tmp_path, review_dock):
    run = make_run(str(tmp_path / "bigger"), big_predictions(5000), chip_maker=None)
    dock = review_dock()
    dock.open_run(run)
    assert dock.model.rowCount() == 200
    assert dock.counter_label.text().endswith(f"{ReviewSession(run).count()} chips listed")
    QTest.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(5, 5))


# -- robustness: missing chips, files that are not runs, a run being classified ------------------
def test_a_missing_chip_image_shows_where_it_was_expected(tmp_path, review_dock):
    run = make_run(str(tmp_path / "run"), standard_predictions(FIDS))
    gone = tmp_path / "run" / "chips" / "000004.png"
    gone.unlink()
    dock = review_dock()
    assert dock.open_run(run)
    dock.select_fid(4)
    assert dock.current_chip().fid == 4
    text = dock.preview.text()
    assert "not found" in text and str(gone) in text
    press(dock, Qt.Key.Key_Right)  # and the next chip shows as usual
    assert dock.current_chip().fid == 5 and not dock.preview.pixmap().isNull()
    assert dock.preview.text() == ""


def test_a_geopackage_opened_as_a_run_is_refused_and_left_alone(tmp_path, review_dock, layer):
    path = layer.source().split("|")[0]
    before = open(path, "rb").read()
    dock = review_dock()
    assert not dock.open_run(path)
    assert "no results table" in dock.status_label.text()
    assert dock.session is None and dock.counter_label.text() == "No run open"
    assert open(path, "rb").read() == before


def test_reviewing_while_a_classification_writes_to_the_same_file(dock, run):
    with BackgroundClassification(run, range(100, 1100)) as classification:
        # fid 2 -> 1; Space on fid 4 (an error) stays; 4 -> 3; N from 5 goes to 6; 6 -> 2
        for key in (Qt.Key.Key_1, Qt.Key.Key_Space, Qt.Key.Key_3, Qt.Key.Key_N, Qt.Key.Key_2):
            press(dock, key)
    assert not classification.failures
    assert dock.status_label.styleSheet() == ""  # no error shown
    assert [stored(run, fid)[0] for fid in (2, 4, 5, 6)] == [1, 3, None, 2]
    dock.apply_filter()  # the new results of the classification come in with the next filter
    assert dock.counter_label.text().startswith("Reviewed 3 of 1007")


def test_a_results_file_locked_too_long_is_a_message_not_a_crash(dock, run):
    dock.session.store.connection.execute("PRAGMA busy_timeout = 100")
    blocker = sqlite3.connect(run, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        press(dock, Qt.Key.Key_1)
        assert "busy" in dock.status_label.text()
        assert dock.current_chip().fid == 2  # did not move on: nothing was stored
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    press(dock, Qt.Key.Key_1)
    assert stored(run, 2)[0] == 1


# -- what the analyst sees -----------------------------------------------------------------------
def test_the_models_class_is_marked_where_the_number_keys_are(dock):
    def marked():
        return [cid for cid, button in dock.class_buttons.items() if button.property("predicted")]

    assert dock.current_chip().fid == 2
    assert marked() == [0] and "0 无法判断" in dock.confirm_button.toolTip()
    dock.select_fid(5)
    assert marked() == [2] and "2 耕地" in dock.confirm_button.toolTip()
    press(dock, Qt.Key.Key_6, widget=dock.preview)  # the analyst's class is the checked one; the mark stays
    dock.select_fid(5)
    assert marked() == [2] and dock.class_buttons[6].isChecked() and not dock.class_buttons[2].isChecked()
    dock.select_fid(4)  # an error: nothing to accept
    assert marked() == [] and not dock.confirm_button.isEnabled()


def test_the_progress_bar_shows_reviewed_of_needing_review(dock):
    assert (dock.progress.value(), dock.progress.maximum()) == (0, 7)
    press(dock, Qt.Key.Key_1)
    press(dock, Qt.Key.Key_2)
    assert dock.progress.value() == 2


def test_clicking_buttons_and_filters_leaves_the_keys_on_the_chips(dock, run):
    # mouse-driven controls take no keyboard focus, so the number keys keep working after a click
    for widget in (dock.scope_combo, dock.class_combo, dock.reviewed_combo, dock.sort_combo, dock.confirm_button,
                   dock.next_button, dock.undo_button, dock.write_button, dock.map_selection_button,
                   *dock.class_buttons.values()):
        assert widget.focusPolicy() == Qt.FocusPolicy.NoFocus, widget
    dock.fid_edit.setFocus()
    QTest.keyClicks(dock.fid_edit, "5-9")
    QTest.keyClick(dock.fid_edit, Qt.Key.Key_Return)
    assert listed(dock) == [5, 6, 9]
    assert dock.fid_edit.text() == "5-9"
    # focusWidget, not hasFocus: offscreen, the dock is never the active window
    assert dock.focusWidget() is dock.view


def test_a_layer_in_edit_mode_gets_the_classes_in_its_edit_buffer(dock, run, layer):
    assert layer.startEditing()
    press(dock, Qt.Key.Key_1)
    dock.write_button.click()
    assert layer.isEditable() and layer.isModified()
    assert "edit mode" in dock.status_label.text()
    assert {f.id(): f["class_id"] for f in layer.getFeatures()}[2] == 1
    layer.undoStack().undo()  # one undo takes the whole write back
    assert "class_id" not in layer.fields().names()
    layer.rollBack()


def test_write_back_reports_results_without_a_feature(tmp_path, review_dock, qgis_canvas):
    layer = write_layer(str(tmp_path / "fewer.gpkg"), grid_squares(10), crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    run = make_run(str(tmp_path / "run"), standard_predictions(FIDS), chip_maker=None)
    dock = review_dock()
    dock.open_run(run, layer=layer)
    dock.write_button.click()
    text = dock.status_label.text()
    assert "10 features" in text and "2 results have no feature" in text and "11, 12" in text
    assert dock.status_label.styleSheet() != ""  # shown as a warning


def test_write_back_to_a_read_only_layer_says_so(dock, layer):
    layer.setReadOnly(True)
    dock.write_button.click()
    assert "read-only" in dock.status_label.text()
    assert "class_id" not in layer.fields().names()


def test_a_run_folder_typed_or_dropped_opens(tmp_path, review_dock, run):
    from qgis.PyQt.QtCore import QMimeData, QPointF, QUrl
    from qgis.PyQt.QtGui import QDropEvent

    folder = str(tmp_path / "run")
    dock = review_dock()
    dock.run_edit.setFocus()
    dock.run_edit.selectAll()
    QTest.keyClicks(dock.run_edit, folder)
    QTest.keyClick(dock.run_edit, Qt.Key.Key_Return)
    assert dock.session is not None and dock.session.path == run
    assert dock.run_edit.text() == run  # the whole path: it can be copied, edited, typed again
    assert listed(dock) == NEEDS_REVIEW

    dock.close_run()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(folder)])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    dock.dropEvent(drop)
    assert dock.session is not None and dock.session.path == run
