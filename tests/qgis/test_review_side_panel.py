"""The dock where analysts put it (issue 20): a narrow side panel, the fid field's name, a map highlight
that leaves the object visible at a sensible scale, the fid label over padding, the info line in Chinese."""
import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter, QPixmap, QTextDocument
from qgis.PyQt.QtTest import QTest

from helpers.layers import write_layer
from helpers.review_data import grid_squares, make_run, square_wkt, standard_predictions

FIDS = list(range(1, 13))


def settle(widget):
    for _ in range(3):
        QTest.qWait(1)
    return widget


@pytest.fixture()
def layer(tmp_path):
    layer = write_layer(str(tmp_path / "objects.gpkg"), grid_squares(len(FIDS)), crs="EPSG:26914", fids=FIDS)
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def narrow_dock(review_dock, layer, tmp_path, qgis_canvas):
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setLayers([layer])
    qgis_canvas.setExtent(layer.extent())
    dock = review_dock()
    assert dock.open_run(make_run(str(tmp_path / "run"), standard_predictions(FIDS)), layer=layer,
                         fid_field="obj_id")
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("all"))
    dock.resize(350, 700)  # docked under the Processing Toolbox
    return settle(dock)


def test_a_350_px_panel_shows_the_chip_first_and_the_classes_as_a_keyed_drop_down(narrow_dock):
    dock = narrow_dock
    assert dock.width() == 350
    assert not dock.settings_box.isVisible() and dock.more_button.isVisible()  # folded away
    assert not dock.view.isVisible()
    assert not dock.keys_label.isVisible()
    assert dock.panel.class_list.isVisible()
    assert not any(button.isVisible() for button in dock.class_buttons.values())
    # the chip first, and large: the whole width, a good part of the height
    assert dock.preview.mapTo(dock, dock.preview.rect().topLeft()).y() < dock.panel.mapTo(dock, dock.panel.rect().topLeft()).y()
    assert dock.preview.width() >= 320 and dock.preview.height() >= 250, (
        dock.splitter.sizes(), dock.chip_area.sizes(), dock.panel.height(), dock.view.height())
    # the drop-down lists every class with its key
    texts = [dock.panel.class_list.itemText(i) for i in range(dock.panel.class_list.count())]
    assert any(text.startswith("[2] ") for text in texts)
    # unfolding shows the run, the layer and the filters
    dock.more_button.click()
    assert dock.settings_box.isVisible() and dock.view.isVisible()
    dock.more_button.click()
    assert not dock.settings_box.isVisible()


def test_every_review_key_works_in_the_narrow_panel(narrow_dock):
    dock = narrow_dock
    dock.activateWindow()
    dock.preview.setFocus()  # the chip list is folded away: the keys go to the chip
    first = dock.current_chip().fid
    QTest.keyClick(dock.preview, Qt.Key.Key_3)  # a class, then on to the next chip
    assert dock.session.chip(first).reviewed_class_id == 3 and dock.current_chip().fid != first
    while dock.current_chip().class_id == -1:
        QTest.keyClick(dock.preview, Qt.Key.Key_Right)
    confirmed = dock.current_chip()
    QTest.keyClick(dock.preview, Qt.Key.Key_Space)
    assert dock.session.chip(confirmed.fid).reviewed_class_id == confirmed.class_id
    QTest.keyClick(dock.preview, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not dock.session.chip(confirmed.fid).is_reviewed and dock.current_chip().fid == confirmed.fid
    QTest.keyClick(dock.preview, Qt.Key.Key_Right)
    QTest.keyClick(dock.preview, Qt.Key.Key_Left)
    assert dock.current_chip().fid == confirmed.fid
    QTest.keyClick(dock.preview, Qt.Key.Key_N)
    assert not dock.current_chip().is_reviewed
    QTest.keyClick(dock.preview, Qt.Key.Key_Plus)
    assert dock.preview.zoom > 1
    QTest.keyClick(dock.preview, Qt.Key.Key_Minus)
    QTest.keyClick(dock.preview, Qt.Key.Key_M)
    assert dock.large_view.showing_map
    QTest.keyClick(dock.preview, Qt.Key.Key_M)
    # the drop-down sets a class as a number key does
    chip = dock.current_chip()
    row = dock.panel.class_list.findData(5)
    dock.panel.class_list.setCurrentIndex(row)
    dock.panel.class_list.activated.emit(row)
    assert dock.session.chip(chip.fid).reviewed_class_id == 5
    QTest.keyClick(dock.preview, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dock.panel.class_list.currentIndex() == 0  # undone: no class chosen
    QTest.keyClick(dock.preview, Qt.Key.Key_Delete)


def test_the_fid_field_shows_its_name_alone(review_dock, layer, tmp_path):
    dock = review_dock()
    assert dock.open_run(make_run(str(tmp_path / "run"), standard_predictions(FIDS)), layer=layer,
                         fid_field="obj_id")
    combo = dock.fid_field_combo
    assert combo.currentText() == "obj_id"
    # no type icon in front of it ("123 obj_id" read as a value and a name)
    assert combo.iconSize().isEmpty()
    shown = combo.grab().toImage()
    left = [QColor(shown.pixel(x, shown.height() // 2)) for x in range(4, 24)]
    assert not any(color.red() > 200 and color.green() < 120 for color in left)  # QGIS's integer icon is red-ish


def test_the_map_highlight_is_an_outline_and_a_small_object_keeps_its_ground(review_dock, tmp_path, qgis_canvas):
    from helpers.review_data import NAIP_ORIGIN

    x, y = NAIP_ORIGIN
    small = write_layer(str(tmp_path / "small.gpkg"), [square_wkt(x + i * 500, y, 5.0) for i in range(3)],
                        crs="EPSG:26914", fids=[1, 2, 3])
    QgsProject.instance().addMapLayer(small)
    qgis_canvas.resize(800, 600)
    qgis_canvas.setDestinationCrs(small.crs())
    qgis_canvas.setLayers([small])
    qgis_canvas.setExtent(small.extent())
    dock = review_dock()
    assert dock.open_run(make_run(str(tmp_path / "run"), {1: (2, True), 2: (3, True), 3: (4, True)}), layer=small,
                         fid_field="obj_id")
    assert dock.highlight is not None
    assert dock.highlight.fillColor().alpha() == 0  # outline only: the object stays visible
    box = small.getFeature(1).geometry().boundingBox()
    assert qgis_canvas.extent().contains(box)
    assert qgis_canvas.scale() >= 1500 * 0.99  # not 1:352
    assert qgis_canvas.extent().width() < 500  # still about the object, not the whole layer
    QTest.keyClick(dock.preview, Qt.Key.Key_M)  # the live map: outline only, the same minimum
    live = dock.large_view.live_map
    assert live.highlight is not None and live.highlight.fillColor().alpha() == 0
    assert live.scale() >= 1500 * 0.99 and live.extent().contains(box)


def test_the_hatching_of_padding_leaves_the_fid_label_readable(review_dock):
    from chipvlm.plugin.gui.review_dock.large_view import ChipPreview

    chip = QImage(256, 256, QImage.Format.Format_RGB32)
    chip.fill(QColor(0, 0, 0))  # padding outside the raster (black, as the cutter pads)
    painter = QPainter(chip)
    painter.fillRect(0, 120, 256, 136, QColor(90, 140, 60))  # the imagery: the lower part
    painter.fillRect(0, 0, 60, 22, QColor(0, 0, 0))  # the fid label: white on a black box, top left
    painter.fillRect(5, 5, 48, 12, QColor(255, 255, 255))
    painter.end()
    preview = ChipPreview()
    preview.resize(256, 256)
    preview.set_chip_pixmap(QPixmap.fromImage(chip), imagery=(0, 120, 256, 256))
    preview.show()
    settle(preview)
    shown = preview.grab().toImage()
    target = preview.chip_rect()
    scale = target.width() / 256
    white = sum(1 for x in range(6, 52) for y in range(6, 16)
                if QColor(shown.pixel(int(target.x() + x * scale), int(target.y() + y * scale))).lightness() == 255)
    assert white > 0.9 * 46 * 10  # the label as the cutter drew it
    hatched = QColor(shown.pixel(int(target.x() + 200 * scale), int(target.y() + 60 * scale)))
    assert hatched != QColor(0, 0, 0)  # the rest of the padding is still marked
    preview.close()


def test_the_info_line_shows_the_review_date_in_chinese_in_a_narrow_panel(chinese, review_dock, layer, tmp_path):
    long_reason = ("图斑边缘模糊,纹理介于果园与林地之间,局部有道路穿过,阴影较多,树冠排列不够规则,"
                   "东侧与耕地相接,西侧有水渠,整体颜色偏暗,需要人工复核确认")
    run = make_run(str(tmp_path / "run"), {1: (8, True), 2: (3, True)})
    dock = review_dock()
    assert dock.open_run(run, layer=layer, fid_field="obj_id")
    import sqlite3

    with sqlite3.connect(run) as connection:
        connection.execute("UPDATE results SET reason = ? WHERE fid = 1", (long_reason,))
    dock.resize(350, 700)
    settle(dock)
    dock.apply_filter(select_fid=1)
    QTest.keyClick(dock.preview, Qt.Key.Key_8)
    dock.select_fid(1)
    settle(dock)
    label = dock.info_label
    chip = dock.current_chip()
    assert chip.is_reviewed and long_reason in label.text()
    date = chip.reviewed_at.replace("T", " ")[:19]
    text = label.text()
    assert date in text
    shown = QTextDocument()  # the box's text up to the date, laid out as the label lays it out
    shown.setDefaultFont(label.font())
    shown.setDocumentMargin(0)
    shown.setTextWidth(label.contentsRect().width())
    shown.setHtml(text[: text.index(date) + len(date)])
    assert shown.size().height() <= label.contentsRect().height(), "the review date is cut off"
