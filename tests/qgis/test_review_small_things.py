"""Small things a newcomer tripped on in the review dock (issue 11), and the confidence filter (issue 12)."""
import sqlite3

import pytest
from qgis.core import Qgis
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget

from chipvlm.plugin.gui.message_bar import push_message
from chipvlm.plugin.gui.review_dock.common import CAPTION_ROLE
from helpers.review_data import REVIEW_REASON, make_run, standard_predictions

FIDS = list(range(1, 13))


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), standard_predictions(FIDS))


def test_a_reviewed_chip_loses_the_to_review_caption(review_dock, run):
    dock = review_dock()
    assert dock.open_run(run)
    index = dock.view.currentIndex()
    assert index.data(CAPTION_ROLE) == REVIEW_REASON
    QTest.keyClick(dock.view, Qt.Key.Key_2)
    caption = dock.model.index(index.row(), 0).data(CAPTION_ROLE)
    assert REVIEW_REASON not in caption and dock.reviewer_name() in caption


def test_the_review_time_is_labelled_utc(review_dock, run):
    dock = review_dock()
    assert dock.open_run(run)
    QTest.keyClick(dock.view, Qt.Key.Key_2)
    dock.select_row(0)
    (stamp,), = sqlite3.connect(run).execute("SELECT reviewed_at FROM results WHERE fid = 2").fetchall()
    shown = stamp.replace("T", " ")[:19] + " UTC"
    assert shown in dock.info_label.text()
    assert shown in dock.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_refused_file_leaves_the_open_runs_path_in_the_run_field(review_dock, run, tmp_path):
    dock = review_dock()
    assert dock.open_run(run)
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    dock.run_edit.setText(str(bad))
    QTest.keyClick(dock.run_edit, Qt.Key.Key_Return)
    assert dock.status_label.text() and dock.session is not None and dock.session.path == run
    assert dock.run_edit.text() == run


def test_write_next_and_undo_are_off_with_no_run_open(review_dock, run):
    dock = review_dock()
    buttons = (dock.write_button, dock.next_button, dock.undo_button, dock.confirm_button)
    assert not any(button.isEnabled() for button in buttons)
    assert dock.open_run(run)
    assert dock.write_button.isEnabled() and dock.next_button.isEnabled() and dock.undo_button.isEnabled()
    dock.close_run()
    assert not any(button.isEnabled() for button in buttons)


def test_a_long_message_bar_text_is_shown_whole_and_as_typed(qgis_app):
    window = QWidget()
    window.resize(600, 300)
    bar = QgsMessageBar()
    QVBoxLayout(window).addWidget(bar)
    window.show()
    text = ("Layer '<b>sam_segments</b>' has no field 'seg_id' (the field the chips were named by): the link is "
            "broken and writing classes is off. Choose the fid field again.")
    item = push_message(bar, "ChipVLM", text, Qgis.MessageLevel.Warning, 0)
    QTest.qWaitForWindowExposed(window)
    label = item.findChild(QLabel, "chipvlmMessage")
    assert label.text() == f"ChipVLM: {text}" and label.textFormat() == Qt.TextFormat.PlainText
    assert label.wordWrap() and label.height() >= label.heightForWidth(label.width()) > 2 * label.fontMetrics().height()
    window.close()


def test_the_confidence_filter_lists_results_below_it(review_dock, run):
    con = sqlite3.connect(run)
    with con:
        con.executemany("UPDATE results SET confidence = ? WHERE fid = ?", [(fid / 20, fid) for fid in FIDS[:10]])
    con.close()  # fids 11 and 12 have no confidence
    dock = review_dock()
    assert dock.open_run(run)
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("all"))
    assert len(dock.model.rows) == 12
    dock.confidence_spin.setValue(30)  # below 30 %: 0.05 .. 0.25
    assert [chip.fid for chip in dock.model.rows] == [1, 2, 3, 4, 5]
    assert "5 chips listed" in dock.counter_label.text()
    dock.confidence_spin.setValue(0)
    assert len(dock.model.rows) == 12
