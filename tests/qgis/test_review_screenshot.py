"""The README's picture of the review dock, made from real NAIP imagery mid-review."""
import os
import shutil

import numpy as np
import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFontDatabase, QImage
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin.core.review import ReviewSession
from helpers.layers import write_layer
from helpers.real_data import real_raster
from helpers.review_data import NAMES, REVIEW_REASON, make_run
from helpers.screenshots import ENV as SCREENSHOTS_ENV
from helpers.screenshots import screenshot_path

NAIP = "naip_m_4709963_se_14_1_20200831.tif"
WINDOW = 96  # pixels of 5 m around each object
CHIP = 256


def naip_objects(raster, count=30, seed=7):
    """Polygons over real fields, trees, roads and water, with a class guessed from their NDVI."""
    import rasterio
    from rasterio.transform import xy

    rng = np.random.default_rng(seed)
    with rasterio.open(raster) as dataset:
        data = dataset.read().astype(np.float32)
        transform = dataset.transform
    red, nir = data[0], data[3]
    ndvi = (nir - red) / np.maximum(nir + red, 1)
    height, width = red.shape
    objects = []
    while len(objects) < count:
        col = int(rng.integers(WINDOW, width - WINDOW))
        row = int(rng.integers(WINDOW, height - WINDOW))
        half_w, half_h = int(rng.integers(6, 16)), int(rng.integers(6, 16))
        box = ndvi[row - half_h:row + half_h, col - half_w:col + half_w]
        brightness = float(data[:3, row - half_h:row + half_h, col - half_w:col + half_w].mean())
        value = float(box.mean())
        if value > 0.45:
            class_id = 2
        elif value > 0.25:
            class_id = 6
        elif value < 0.0 and brightness < 70:
            class_id = 4
        elif brightness > 150:
            class_id = 7
        else:
            class_id = 0
        corners = [(col - half_w + rng.integers(-3, 3), row - half_h), (col + half_w, row - half_h + rng.integers(-3, 3)),
                   (col + half_w + rng.integers(-3, 3), row + half_h), (col - half_w, row + half_h + rng.integers(-3, 3))]
        ring = [xy(transform, float(r), float(c), offset="ul") for c, r in corners]  # affine's `*` is deprecated
        objects.append({"col": col, "row": row, "pixels": corners, "ring": ring, "class_id": class_id})
    return data, objects


def chip_maker(data, objects):
    from PIL import Image, ImageDraw

    by_fid = {i + 1: obj for i, obj in enumerate(objects)}

    def make(path, fid, _class_id):
        obj = by_fid[fid]
        r0, c0 = obj["row"] - WINDOW // 2, obj["col"] - WINDOW // 2
        rgb = np.moveaxis(data[:3, r0:r0 + WINDOW, c0:c0 + WINDOW], 0, -1).clip(0, 255).astype(np.uint8)
        image = Image.fromarray(rgb).resize((CHIP, CHIP), Image.BILINEAR)
        scale = CHIP / WINDOW
        outline = [((c - c0) * scale, (r - r0) * scale) for c, r in obj["pixels"]]
        draw = ImageDraw.Draw(image)
        draw.polygon(outline, outline=(255, 0, 0), width=3)
        draw.rectangle([0, 0, 44, 16], fill=(0, 0, 0))
        draw.text((3, 2), str(fid), fill=(255, 255, 255))
        image.save(path)

    return make


@pytest.fixture()
def project_folder():
    """A short folder like an analyst's (the run's path is in the picture), emptied before and after."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / "huocheng"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def naip_review_run(project_folder, all_to_review=False):
    """The NAIP tile's objects as a run mid-review (fid 9 an error, every fifth and the 'cannot tell' ones
    to review; or all of them) and the layer they were cut from, added to the project."""
    raster = real_raster(NAIP)
    data, objects = naip_objects(raster)
    if all_to_review:
        predictions = {fid: (obj["class_id"], True) for fid, obj in enumerate(objects, start=1)}
    else:
        predictions = {fid: (obj["class_id"], obj["class_id"] == 0 or fid % 5 == 0)
                       for fid, obj in enumerate(objects, start=1)}
        predictions[9] = (-1, True)
    results = make_run(str(project_folder / "naip_2020_run"), predictions, chip_maker=chip_maker(data, objects))
    wkts = ["MULTIPOLYGON(((" + ",".join(f"{x} {y}" for x, y in obj["ring"] + obj["ring"][:1]) + ")))"
            for obj in objects]
    layer = write_layer(str(project_folder / "sam_segments.gpkg"), wkts, crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    return results, layer


def test_screenshot_of_the_dock_mid_review(tmp_path, project_folder, review_dock, qgis_canvas, qgis_iface):
    if not QFontDatabase().families(QFontDatabase.WritingSystem.SimplifiedChinese):
        pytest.skip("no Chinese font (Debian: fonts-wqy-microhei): the class names would be boxes")
    results, layer = naip_review_run(project_folder)
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setExtent(layer.extent())

    dock = review_dock()
    # docked at the right of a QGIS window on a 1366 x 768 laptop, at the width QGIS gives it
    from qgis.PyQt.QtWidgets import QWidget

    window = qgis_iface.mainWindow()
    stand_in = None
    if window.centralWidget() is None:  # the map's place in QGIS's window
        stand_in = QWidget()
        window.setCentralWidget(stand_in)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(1366, 768)
    window.show()
    assert dock.open_run(results, layer=layer)
    listed = [chip.fid for chip in dock.model.rows]
    assert len(listed) >= 8
    # the analyst's first minutes: a class, a confirmation, a multi-chip decision
    QTest.keyClick(dock.view, Qt.Key.Key_2)
    QTest.keyClick(dock.view, Qt.Key.Key_Space)
    with ReviewSession(results) as session:
        assert session.counts().reviewed_of_needing >= 1
    dock.select_row(3)
    QTest.keyClick(dock.view, Qt.Key.Key_6)
    dock.select_row(7)  # a chip the model could not tell
    thumbnails = dock.model.thumbnails
    for _ in range(100):  # thumbnails load in the background
        QTest.qWait(20)
        if len(thumbnails) >= len(listed) and not thumbnails._pending:
            break
    assert len(thumbnails) >= 4 and not thumbnails._pending  # every tile on screen has its picture
    QTest.qWait(60)

    QTest.qWait(60)
    shot = tmp_path / "review_dock.png"
    assert not dock.isFloating() and dock.grab().save(str(shot))
    image = QImage(str(shot))
    docked_chip = dock.preview.chip_rect()
    assert image.height() >= 600
    # the chip fills the large view in width or in height (it keeps its square shape)
    assert docked_chip.width() >= 0.8 * dock.preview.width() or docked_chip.height() >= 0.8 * dock.preview.height()
    assert dock.width() < 700  # docked beside the map, not the whole window
    # undocked and made large: the chip grows with the dock
    dock.setFloating(True)
    if stand_in is not None:
        window.takeCentralWidget()
        stand_in.deleteLater()
    dock.resize(1280, 900)
    for _ in range(30):
        QTest.qWait(20)
    undocked = tmp_path / "review_dock_undocked.png"
    assert dock.grab().save(str(undocked))
    assert QImage(str(undocked)).width() >= 1200
    assert dock.preview.chip_rect().width() > docked_chip.width()
    current = dock.current_chip()
    assert f"fid {current.fid}" in dock.info_label.text()
    assert dock.run_edit.text().endswith("naip_2020_run/results.sqlite")
    error_row = dock.model.row_of(9)
    assert "识别失败" in dock.model.tooltip(dock.model.rows[error_row]) and NAMES[-1] == "识别失败"
    assert REVIEW_REASON not in dock.model.rows[error_row].reason  # an error carries its own reason
    if os.environ.get(SCREENSHOTS_ENV):
        shutil.copyfile(shot, screenshot_path("review_dock.png", tmp_path))
        shutil.copyfile(undocked, screenshot_path("review_dock_undocked.png", tmp_path))


def test_screenshot_of_the_dock_in_a_350_px_side_panel(tmp_path, project_folder, review_dock, qgis_canvas,
                                                       qgis_iface):
    """Issue 20: docked under the Processing Toolbox, about 350 px wide: the chip first, the classes
    as a keyed drop-down, the rest folded away."""
    from qgis.PyQt.QtWidgets import QDockWidget, QTreeWidget, QTreeWidgetItem, QWidget

    results, layer = naip_review_run(project_folder, all_to_review=True)
    window = qgis_iface.mainWindow()
    stand_in = None
    if window.centralWidget() is None:
        stand_in = QWidget()
        window.setCentralWidget(stand_in)
    toolbox = QDockWidget("Processing Toolbox", window)  # QGIS's own panel (its name as QGIS shows it)
    tree = QTreeWidget()
    tree.setHeaderHidden(True)
    for group in ("Recently used", "ChipVLM", "Cartography", "Database", "GDAL", "Raster analysis"):
        QTreeWidgetItem(tree, [group])
    toolbox.setWidget(tree)
    dock = review_dock()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, toolbox)
    window.splitDockWidget(toolbox, dock, Qt.Orientation.Vertical)
    window.resize(1600, 1000)
    window.show()
    window.resizeDocks([toolbox, dock], [350, 350], Qt.Orientation.Horizontal)
    for _ in range(5):
        QTest.qWait(20)
    # the toolbox keeps what the review dock does not need of the panel's height
    window.resizeDocks([toolbox, dock], [max(toolbox.height() + dock.height() - 700, 60), 700],
                       Qt.Orientation.Vertical)
    for _ in range(10):
        QTest.qWait(20)
    assert dock.open_run(results, layer=layer)
    QTest.keyClick(dock.preview, Qt.Key.Key_2)
    QTest.keyClick(dock.preview, Qt.Key.Key_Space)
    for _ in range(10):
        QTest.qWait(20)
    assert abs(dock.width() - 350) <= 10 and abs(dock.height() - 700) <= 40, dock.size()
    assert dock.narrow and dock.panel.class_list.isVisible() and not dock.settings_box.isVisible()
    assert dock.preview.width() >= 320 and dock.preview.height() >= 250, (
        dock.height(), dock.widget().height(), dock.splitter.sizes(), dock.chip_area.sizes(), dock.panel.height(),
        dock.counter_label.height(), dock.status_label.height(), dock.more_button.height())
    assert dock.session.counts().reviewed_of_needing == 2  # the keys worked, the list folded away
    shot = tmp_path / "review_dock_side_panel.png"
    area = toolbox.geometry().united(dock.geometry())
    assert window.grab(area).save(str(shot))
    image = QImage(str(shot))
    assert image.width() <= 370 and image.height() >= 760
    window.removeDockWidget(toolbox)
    toolbox.deleteLater()
    if stand_in is not None:
        window.takeCentralWidget()
        stand_in.deleteLater()
    chinese = QFontDatabase().families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if chinese and os.environ.get(SCREENSHOTS_ENV):
        shutil.copyfile(shot, screenshot_path("review_dock_side_panel.png", tmp_path))
