"""Dialogs that carry the run along (issue 20): Cut chips… opens with the imagery, the objects and their
fid field chosen; Classify chips… offers the index the last cut wrote and the scheme of the interface's
language; the end message's Review button stays until the analyst closes it."""
import pytest
from qgis.core import QgsProject, QgsRasterLayer, QgsSettings, QgsWkbTypes
from qgis.PyQt.QtCore import QEvent
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication

from helpers.layers import write_layer
from helpers.plugin import load_plugin
from helpers.real_data import raster_bounds, real_raster
from helpers.screenshots import screenshot_path

NAIP = "naip_m_4709963_se_14_1_20200831.tif"


def box(bounds, dx, dy, side=50.0):
    x, y = bounds.left + dx, bounds.top - dy
    return f"POLYGON(({x} {y},{x + side} {y},{x + side} {y - side},{x} {y - side},{x} {y}))"


@pytest.fixture()
def project_with_imagery_and_objects(qgis_new_project, tmp_path):
    """The NAIP tile, a polygon layer of objects (fid field obj_id) and a line layer, as an analyst has them."""
    raster_path = real_raster(NAIP)
    bounds, crs = raster_bounds(raster_path)
    objects = write_layer(str(tmp_path / "segments.gpkg"), [box(bounds, 200 + 80 * n, 300) for n in range(4)],
                          crs=crs.to_string(), fids=[11, 12, 13, 14])
    roads = write_layer(str(tmp_path / "roads.gpkg"), [f"LINESTRING({bounds.left} {bounds.top - 10},"
                                                      f"{bounds.right} {bounds.top - 10})"],
                        crs=crs.to_string(), geometry_type=QgsWkbTypes.LineString)
    raster = QgsRasterLayer(raster_path, "naip")
    assert raster.isValid()
    for layer in (raster, roads, objects):
        QgsProject.instance().addMapLayer(layer)
    yield raster, objects, roads
    # the dialogs hold the layers: delete them first (QGIS 3.40 died in removeAllMapLayers otherwise)
    for dialog in OPENED:
        dialog.close()
        dialog.deleteLater()
    OPENED.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QgsProject.instance().removeAllMapLayers()


OPENED = []  # the Processing dialogs a test opened, deleted before the project's layers go


def opened_cut_dialog(plugin):
    before = set(QApplication.topLevelWidgets())
    plugin.cut_action.trigger()
    (dialog,) = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
    OPENED.append(dialog)
    return dialog


def layer_id(value):
    source = getattr(value, "source", value)  # a feature source definition, or the layer id itself
    return getattr(source, "staticValue", lambda: source)()


@pytest.mark.parametrize("active", ["raster", "objects"])
def test_cut_chips_opens_with_the_imagery_the_objects_and_their_fid_field(qgis_iface, project_with_imagery_and_objects,
                                                                         active):
    raster, objects, roads = project_with_imagery_and_objects
    qgis_iface.setActiveLayer(raster if active == "raster" else objects)
    plugin = load_plugin(qgis_iface)
    try:
        dialog = opened_cut_dialog(plugin)
        values = dialog.createProcessingParameters()
        assert layer_id(values["RASTER"]) in (raster.id(), raster.source())
        assert layer_id(values["INPUT"]) in (objects.id(), objects.source()), "the polygons, not the roads"
        assert values["FID_FIELD"] == "obj_id"
        dialog.close()
    finally:
        plugin.unload()


def test_screenshot_of_the_cut_dialog_prefilled(qgis_iface, project_with_imagery_and_objects, tmp_path):
    raster, objects, _ = project_with_imagery_and_objects
    qgis_iface.setActiveLayer(objects)
    plugin = load_plugin(qgis_iface)
    try:
        dialog = opened_cut_dialog(plugin)
        dialog.resize(900, 700)
        QTest.qWait(50)
        shot = screenshot_path("cut_dialog.png", tmp_path)
        assert dialog.grab().save(str(shot))
        assert QImage(str(shot)).width() >= 800
        dialog.close()
    finally:
        plugin.unload()


def test_classify_offers_the_index_of_the_last_cut(run_algorithm, classify_dialog, clean_classify_settings,
                                                   project_with_imagery_and_objects, tmp_path):
    raster, objects, _ = project_with_imagery_and_objects
    first = classify_dialog()
    first.index_widget.setFilePath(str(tmp_path / "older" / "chips_index.csv"))
    first._remember()  # the index a classification was started on before
    first.close()
    result, _ = run_algorithm("chipvlm:cutchips", {"INPUT": objects, "RASTER": raster, "FID_FIELD": "obj_id",
                                                   "OUTPUT_FOLDER": str(tmp_path / "run")})
    assert result["CHIP_COUNT"] == 4
    dialog = classify_dialog()
    assert dialog.index_widget.filePath() == result["INDEX"]
    assert dialog.output_widget.filePath() == str(tmp_path / "run" / "results.sqlite")


@pytest.mark.parametrize("locale, scheme", [("en_US", "landcover_en"), ("zh-Hans", "yili8")])
def test_the_default_scheme_follows_the_interface_language(classify_dialog, clean_classify_settings, locale, scheme):
    settings = QgsSettings()
    before = settings.value("locale/userLocale", None)
    flag_before = settings.value("locale/overrideFlag", None)
    # Settings > Options > General > "Override system locale", as QGIS writes it
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", locale)
    try:
        assert classify_dialog().scheme() == scheme
        settings.setValue("chipvlm/classify/scheme", "yili8" if scheme != "yili8" else "landcover_en")
        assert classify_dialog().scheme() != scheme, "a scheme the analyst chose is kept"
    finally:
        for key, value in (("locale/userLocale", before), ("locale/overrideFlag", flag_before)):
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)
