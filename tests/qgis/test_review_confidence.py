"""The review dock and the model's confidence: least sure first, and the confidence on each chip."""
import sqlite3
from dataclasses import replace

import pytest
from qgis.PyQt.QtCore import QRect
from qgis.PyQt.QtGui import QColor, QImage, QPainter
from qgis.PyQt.QtWidgets import QStyleOptionViewItem

from helpers.review_data import make_run, standard_predictions

FIDS = list(range(1, 13))
# fid -> (confidence, runner-up); fids 4 and 11 are errors (no answer, no confidence), 7 came from a
# server that gave no log-probabilities
CONFIDENCE = {1: (0.93, 1), 2: (0.41, 6), 3: (0.88, 2), 5: (0.55, 3), 6: (0.62, 1), 7: (None, None),
              8: (0.97, 5), 9: (0.41, 2), 10: (0.75, 5), 12: (0.50, 1)}
LEAST_SURE_FIRST = [2, 9, 12, 5, 6, 10, 3, 1, 8, 4, 7, 11]


@pytest.fixture()
def run(tmp_path):
    path = make_run(str(tmp_path / "run"), standard_predictions(FIDS))
    con = sqlite3.connect(path)
    with con:
        for fid, (confidence, runner_up) in CONFIDENCE.items():
            con.execute("UPDATE results SET confidence = ?, runner_up_class_id = ? WHERE fid = ?",
                        (confidence, runner_up, fid))
    con.close()
    return path


@pytest.fixture()
def dock(review_dock, run):
    opened = review_dock()
    assert opened.open_run(run)
    opened.scope_combo.setCurrentIndex(opened.scope_combo.findData("all"))
    return opened


def listed(dock):
    return [chip.fid for chip in dock.model.rows]


def test_least_sure_first_lists_the_unsure_results_first_and_the_unknown_last(dock):
    assert listed(dock) == FIDS
    dock.sort_combo.setCurrentIndex(dock.sort_combo.findData("confidence"))
    assert dock.sort_combo.currentText() == "Least sure first"
    assert listed(dock) == LEAST_SURE_FIRST
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("needs_review"))
    assert listed(dock) == [2, 9, 12, 5, 6, 4, 11]


def test_the_current_chip_and_its_tooltip_say_how_sure_the_model_was(dock):
    dock.select_fid(2)
    assert "Confidence 41%, next: 6 草地" in dock.info_label.text()
    index = dock.model.index(dock.model.row_of(2), 0)
    assert "Confidence 41%, next: 6 草地" in dock.model.data(index, 3)  # ToolTipRole
    dock.select_fid(7)
    assert "Confidence" not in dock.info_label.text(), "no confidence known, none shown"


def tile(dock, fid):
    """The grid's tile of a fid, painted as the view paints it."""
    index = dock.model.index(dock.model.row_of(fid), 0)
    delegate = dock.view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(dock.view)
    option.rect = QRect(0, 0, delegate.sizeHint(option, index).width(), delegate.sizeHint(option, index).height())
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def label_corner_lightness(image):
    """Mean lightness of the thumbnail's lower left corner, where the confidence label goes."""
    from chipvlm.plugin.gui.review_dock.common import THUMB

    left, bottom = 7, 7 + THUMB  # the tile's margins around the thumbnail
    values = [QColor(image.pixel(x, y)).lightness() for x in range(left + 6, left + 22)
              for y in range(bottom - 17, bottom - 6)]
    return sum(values) / len(values)


def test_a_thumbnail_shows_the_confidence_when_there_is_one(dock):
    dock.select_fid(7)
    row = dock.model.row_of(5)
    chip = dock.model.rows[row]
    assert chip.confidence == 0.55
    shown = tile(dock, 5)
    dock.model.rows[row] = replace(chip, confidence=None)  # the same tile, had the server given none
    plain = tile(dock, 5)
    dock.model.rows[row] = chip
    assert label_corner_lightness(shown) < label_corner_lightness(plain) - 30, "a dark label with the value"
    assert shown.copy(0, 0, shown.width(), 40) == plain.copy(0, 0, plain.width(), 40), "the rest is the same"
