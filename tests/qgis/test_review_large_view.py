"""The review dock's large view (issue 11): as large as the dock, zoomable, a live map of the object,
padding outside the raster hatched; and the main canvas zooming to an object too small to see."""
import csv
import os

import numpy as np
import pytest
from qgis.core import Qgis, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtGui import QColor, QPalette
from qgis.PyQt.QtTest import QSignalSpy, QTest

from chipvlm.plugin.core.chips.index import COLUMNS, INDEX_NAME
from chipvlm.plugin.core.run_info import write_run_info
from helpers.layers import write_layer
from helpers.review_data import grid_squares, make_run, standard_predictions

FIDS = list(range(1, 13))


@pytest.fixture()
def layer(tmp_path):
    layer = write_layer(str(tmp_path / "objects.gpkg"), grid_squares(len(FIDS)), crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def dock(review_dock, tmp_path, layer, qgis_canvas):
    run = make_run(str(tmp_path / "run"), standard_predictions(FIDS))
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setLayers([layer])
    qgis_canvas.setExtent(layer.extent())
    opened = review_dock()
    assert opened.open_run(run, layer=layer)
    opened.scope_combo.setCurrentIndex(opened.scope_combo.findData("all"))
    return opened


def settle(widget):
    for _ in range(3):
        QTest.qWait(1)
    return widget


def test_the_large_view_fills_the_dock_and_grows_with_it(dock):
    for width in (600, 400):  # dragged narrower, docked at the side of QGIS's window
        dock.resize(width, 900)
        settle(dock)
    assert dock.width() == 400, dock.minimumSizeHint()
    narrow = dock.preview.chip_rect()
    assert dock.top_splitter.orientation() == Qt.Orientation.Vertical  # the buttons below the chip
    assert dock.preview.width() >= dock.width() - 30
    assert narrow.width() == pytest.approx(min(dock.preview.width(), dock.preview.height()), abs=1)
    dock.resize(1200, 950)  # undocked and widened
    settle(dock)
    wide = dock.preview.chip_rect()
    assert dock.top_splitter.orientation() == Qt.Orientation.Horizontal
    assert wide.width() > 1.2 * narrow.width()
    # the grid shrinks to one row to give the chip more room
    before = dock.preview.height()
    dock.splitter.setSizes([2000, 1])
    settle(dock)
    assert dock.preview.height() > before and dock.view.height() == dock.view.minimumHeight()


def test_plus_and_minus_zoom_the_large_view(dock):
    settle(dock)
    fitted = dock.preview.chip_rect()
    QTest.keyClick(dock.view, Qt.Key.Key_Plus)
    QTest.keyClick(dock.view, Qt.Key.Key_Plus)
    assert dock.preview.zoom == pytest.approx(1.5625)
    zoomed = dock.preview.chip_rect()
    assert zoomed.width() == pytest.approx(fitted.width() * 1.5625) and zoomed.center() == fitted.center()
    QTest.keyClick(dock.view, Qt.Key.Key_Right)  # the zoom is the analyst's: it stays for the next chip
    assert dock.preview.zoom == pytest.approx(1.5625)
    for _ in range(4):
        QTest.keyClick(dock.view, Qt.Key.Key_Minus)
    assert dock.preview.zoom == 1.0 and dock.preview.chip_rect() == fitted


def test_m_shows_the_object_on_a_live_map_and_back(dock, layer):
    QTest.keyClick(dock.view, Qt.Key.Key_M)
    live = dock.large_view.live_map
    assert dock.large_view.showing_map and live.isVisible()
    spy = QSignalSpy(live.mapCanvasRefreshed)
    assert spy.wait(5000)
    chip = dock.current_chip()
    box = layer.getFeature(chip.fid).geometry().boundingBox()
    assert live.extent().contains(box) and live.extent().width() < 5 * box.width()
    assert live.highlight is not None and live.layers() == [layer]
    assert live.mapSettings().testFlag(Qgis.MapSettingsFlag.DrawLabeling)  # off only in the blind audit
    image = live.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre != QColor(live.canvasColor())  # the layer is drawn under the object
    QTest.keyClick(live, Qt.Key.Key_Minus)  # a chosen scale, kept for the next object
    scale = live.scale()
    QTest.keyClick(dock.view, Qt.Key.Key_Right)
    following = layer.getFeature(dock.current_chip().fid).geometry().boundingBox()
    assert live.scale() == pytest.approx(scale, rel=1e-6) and following.contains(live.center())
    QTest.keyClick(dock.view, Qt.Key.Key_M)
    assert not dock.large_view.showing_map and dock.preview.isVisible()


def test_the_canvas_zooms_to_an_object_too_small_to_see(dock, layer, qgis_canvas):
    whole = QgsRectangle(layer.extent())
    whole.scale(400)  # a 60 m square is under a pixel
    qgis_canvas.setExtent(whole)
    QTest.keyClick(dock.view, Qt.Key.Key_Right)
    box = layer.getFeature(dock.current_chip().fid).geometry().boundingBox()
    extent = qgis_canvas.extent()
    assert extent.contains(box)  # zoomed in: the object and its context fill the canvas
    assert max(box.width(), box.height()) >= min(extent.width(), extent.height()) / 4


def write_index(folder, windows):
    with open(os.path.join(folder, INDEX_NAME), "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for fid, (col, row, side, zoom) in windows.items():
            writer.writerow({"fid": fid, "chip_path": f"chips/{fid:06d}.png", "status": "ok", "col_off": col,
                             "row_off": row, "width": side, "height": side, "zoom": zoom})


def test_padding_outside_the_raster_is_hatched_in_the_large_view(review_dock, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    raster = str(tmp_path / "tile.tif")
    with rasterio.open(raster, "w", driver="GTiff", width=200, height=150, count=3, dtype="uint8",
                       crs="EPSG:26914", transform=from_origin(486000, 5206000, 1, 1)) as dataset:
        dataset.write(np.full((3, 150, 200), 90, dtype=np.uint8))
    folder = str(tmp_path / "run")
    run = make_run(folder, {1: (2, True), 2: (2, True)})
    write_run_info(folder, {"raster": raster})
    # fid 1: 16 raster pixels left of the raster; fid 2 wholly inside
    write_index(folder, {1: (-16, 40, 64, 1.0), 2: (60, 40, 64, 1.0)})
    dock = review_dock()
    dock.resize(900, 900)
    assert dock.open_run(run)
    settle(dock)
    assert dock.current_chip().fid == 1
    assert dock.preview._imagery == (16.0, 0.0, 64.0, 64.0)
    target = dock.preview.chip_rect()
    image = dock.preview.grab().toImage()
    scale = target.width() / 64
    padding = image.pixelColor(QPoint(int(target.x() + 8 * scale), int(target.y() + 32 * scale)))
    inside = image.pixelColor(QPoint(int(target.x() + 40 * scale), int(target.y() + 40 * scale)))
    theme = dock.preview.palette().color(QPalette.ColorRole.Window)
    hatch = dock.preview.palette().color(QPalette.ColorRole.Mid)
    assert padding in (theme, hatch)  # not the chip's pixels: the theme's colours
    assert inside not in (theme, hatch)
    QTest.keyClick(dock.view, Qt.Key.Key_Right)
    assert dock.current_chip().fid == 2 and dock.preview.padding_path().isEmpty()
