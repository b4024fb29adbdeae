"""Writing classes back proves that each feature is the object its chip was cut from (issue 17, point 1).

The case of the issue, on the real NAIP tile: 41 objects named by a field fid_obj that is not the
feature id; chips cut with chipvlm:cutchips, a results.sqlite of the run; then fid_obj deleted and
added again, each feature holding its neighbour's value. Every fid is still valid, so only the
geometry against chips_index.csv can tell that each feature would get another object's class.
"""
import os
import subprocess
import sys

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType

from chipvlm.plugin import compat
from chipvlm.plugin.core.assess.audit import Audit, draw_sample
from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.core.review import final_classes
from chipvlm.plugin.layers.places import RunRecord
from chipvlm.plugin.layers.write_back import MisplacedFeaturesError, write_classes
from helpers.layers import write_layer
from helpers.real_data import raster_bounds, read_index_rows, real_raster
from helpers.review_data import NAMES, SCHEME

NAIP = "naip_m_4709963_se_14_1_20200831.tif"
COUNT = 41  # 40 over the tile, one outside it (no chip)
FIELD_SIDE = 400.0  # the first object: a 400 m field


def box_wkt(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def fid_of(k):
    return 1000 + 7 * k  # fid_obj: never the feature id (1..41)


def class_of(k):
    return 2 if k == 0 else k % 8 + 1  # the field is 耕地 (2); neighbours differ


def naip_objects(raster):
    """41 boxes over the NAIP tile (5 m pixels): a 400 m field, then fields, buildings and sheds of
    15-95 m on a 500 m grid, the last one outside the raster."""
    bounds, _ = raster_bounds(raster)
    boxes = []
    for k in range(COUNT - 1):
        x = bounds.left + 300 + (k % 8) * 540
        y = bounds.top - 300 - (k // 8) * 640
        side = FIELD_SIDE if k == 0 else 15 + (k * 13) % 80
        boxes.append(box_wkt(x - side / 2, y - side / 2, x + side / 2, y + side / 2))
    boxes.append(box_wkt(bounds.right + 2000, bounds.top - 500, bounds.right + 2050, bounds.top - 450))
    return boxes


def in_crs(wkts, source, target):
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(source), QgsCoordinateReferenceSystem(target),
                                       QgsProject.instance())
    out = []
    for wkt in wkts:
        geometry = QgsGeometry.fromWkt(wkt)
        geometry.transform(transform)
        out.append(geometry.asWkt(9))
    return out


def classify(folder):
    """results.sqlite of the run: every chip cut gets its object's class (what a model would say)."""
    rows = [r for r in read_index_rows(folder) if r["status"] == "ok"]
    k_of = {fid_of(k): k for k in range(COUNT)}
    results = os.path.join(folder, "results.sqlite")
    with ResultsStore(results) as store:
        store.set_scheme(SCHEME)
        store.record_results(
            {"fid": int(r["fid"]), "chip_path": r["chip_path"], "class_id": class_of(k_of[int(r["fid"])]),
             "class_name": NAMES[class_of(k_of[int(r["fid"])])], "reason": "纹理", "needs_review": False}
            for r in rows)
    return results


def cut_run(run_algorithm, tmp_path, crs="EPSG:26914", framing="auto", name="objects.gpkg"):
    raster = real_raster(NAIP)
    wkts = naip_objects(raster)
    if crs != "EPSG:26914":
        wkts = in_crs(wkts, "EPSG:26914", crs)
    layer = write_layer(str(tmp_path / name), wkts, crs=crs, fids=[fid_of(k) for k in range(COUNT)],
                        fid_field="fid_obj")
    folder = str(tmp_path / f"run_{framing}")
    result, _ = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "FID_FIELD": "fid_obj", "CHIP_SIZE": 64, "FRAMING": framing,
        "OUTPUT_FOLDER": folder})
    assert result["CHIP_COUNT"] == COUNT - 1
    return layer, classify(folder)


def refill_with_neighbours_values(layer, field="fid_obj"):
    """What the field report did: the fid field deleted, added again, each feature given its neighbour's value."""
    values = [f[field] for f in layer.getFeatures()]
    ids = [f.id() for f in layer.getFeatures()]
    provider = layer.dataProvider()
    assert provider.deleteAttributes([layer.fields().lookupField(field)])
    layer.updateFields()
    assert provider.addAttributes([compat.new_field(field, QMetaType.Type.Int)])
    layer.updateFields()
    index = layer.fields().lookupField(field)
    assert provider.changeAttributeValues({feature_id: {index: values[(position + 1) % len(values)]}
                                           for position, feature_id in enumerate(ids)})


def written(layer):
    return {f["fid_obj"]: f["class_id"] for f in layer.getFeatures()} if "class_id" in layer.fields().names() else {}


def written_and_audited(run_algorithm, layer, results):
    """The classes written into the layer, then an audit sample drawn and reviewed: every unit right."""
    run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": True})
    draw_sample(results, size="1=5, 2=5, 3=5, 4=5, 5=5, 6=5, 7=5, 8=5", seed=1)
    with Audit(results, reviewer="auditor") as audit:
        for fid, (stratum, _) in audit.references().items():
            audit.set_reference([fid], stratum)


@pytest.fixture()
def naip_run(run_algorithm, tmp_path):
    return cut_run(run_algorithm, tmp_path)


@pytest.mark.parametrize("in_place", [True, False])
def test_a_fid_field_refilled_with_neighbours_values_is_refused_and_nothing_is_written(
        run_algorithm, tmp_path, naip_run, in_place):
    layer, results = naip_run
    refill_with_neighbours_values(layer)
    copy = str(tmp_path / "copy.gpkg")
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": in_place,
                                               "OUTPUT": copy})
    message = str(raised.value)
    assert "40 of the 40 features of layer 'objects.gpkg'" in message
    assert "not where their chips were cut" in message and "chips_index.csv" in message
    assert "fid 1000 (feature 41)" in message  # the field's fid now sits on the last feature
    assert "... and 35 more." in message and "Restore the fid values" in message
    assert "nothing was written" in message
    assert "class_id" not in layer.fields().names()
    assert not os.path.exists(copy)


@pytest.mark.parametrize("framing", ["auto", "fit", "native"])
def test_the_layer_the_chips_were_cut_from_is_written(run_algorithm, tmp_path, framing):
    layer, results = cut_run(run_algorithm, tmp_path, framing=framing)
    result, feedback = run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": True})
    assert (result["WRITTEN"], result["NOT_FOUND"]) == (40, 0)
    assert written(layer) == {**{fid_of(k): class_of(k) for k in range(COUNT - 1)}, fid_of(COUNT - 1): None}
    assert not any("not checked" in text for text in feedback.infos + feedback.warnings)


def test_a_layer_in_another_crs_is_checked_where_the_chips_were_cut(run_algorithm, tmp_path):
    layer, results = cut_run(run_algorithm, tmp_path, crs="EPSG:4326")  # reprojected by the cut and the check
    copy = str(tmp_path / "copy.gpkg")
    result, _ = run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "OUTPUT": copy})
    assert result["WRITTEN"] == 40
    refill_with_neighbours_values(layer)
    with pytest.raises(QgsProcessingException, match="not where their chips were cut"):
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": True})


def test_features_already_holding_a_wrong_class_are_named(run_algorithm, naip_run):
    layer, results = naip_run
    refill_with_neighbours_values(layer)
    # what the write did before the check: each feature got the class of the object its new fid names
    finals = final_classes(results)
    provider = layer.dataProvider()
    provider.addAttributes([compat.new_field("class_id", QMetaType.Type.Int)])
    layer.updateFields()
    index = layer.fields().lookupField("class_id")
    wrong = {f.id(): finals[f["fid_obj"]].class_id for f in layer.getFeatures() if f["fid_obj"] in finals}
    assert provider.changeAttributeValues({fid: {index: value} for fid, value in wrong.items()})
    # the dock calls the same code: a MisplacedFeaturesError (a WriteBackError) it shows as is
    with pytest.raises(MisplacedFeaturesError) as raised:
        write_classes(layer, finals, "fid_obj", run=RunRecord.of_results(results))
    assert raised.value.unsupported == sorted(wrong)
    assert sorted(m.fid for m in raised.value.misplaced)[:3] == [1000, 1007, 1014]
    message = str(raised.value)
    assert f"{len(wrong)} features of 'objects.gpkg' already hold a class in 'class_id' that no result" in message
    assert "$id IN (" + ", ".join(str(i) for i in sorted(wrong)) + ")" in message
    assert {f.id(): f["class_id"] for f in layer.getFeatures() if f.id() in wrong} == wrong  # nothing written


def test_qgis_process_refuses_the_refilled_layer(tmp_path, run_algorithm, naip_run):
    from conftest import ROOT

    layer, results = naip_run
    refill_with_neighbours_values(layer)
    path = layer.source().split("|")[0]
    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    env = dict(os.environ, **prepare(tmp_path / "build"))
    done = subprocess.run(
        qgis_process_command() + ["run", "chipvlm:writeclasses", "--json", "--", f"INPUT={path}",
                                  f"RESULTS={results}", "IN_PLACE=true"],
        capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode != 0, done.stdout[-2000:]
    assert "not where their chips were cut" in done.stdout + done.stderr
    assert "class_id" not in QgsVectorLayer(path, "reread", "ogr").fields().names()


def test_a_rotated_raster_without_crs(run_algorithm, tmp_path):
    raster = real_raster("rotated.tif")
    a, b, c, d, e, f = 17.320508075688775, 5.0, 100.0, 10.0, -8.660254037844387, 200.0
    centres = [(a * col + b * row + c, d * col + e * row + f) for col, row in ((3, 4), (5, 7.5), (7, 11))]
    layer = write_layer(str(tmp_path / "nocrs.gpkg"), [box_wkt(x - 4, y - 4, x + 4, y + 4) for x, y in centres],
                        crs=None, fids=[11, 12, 13], fid_field="fid_obj")
    folder = str(tmp_path / "rot")
    run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "FID_FIELD": "fid_obj", "CHIP_SIZE": 16,
                                       "FRAMING": "fit", "OUTPUT_FOLDER": folder})
    with ResultsStore(os.path.join(folder, "results.sqlite")) as store:
        store.set_scheme(SCHEME)
        store.record_results({"fid": fid, "chip_path": f"chips/{fid:06d}.png", "class_id": k + 1,
                              "class_name": NAMES[k + 1], "reason": "纹理", "needs_review": False}
                             for k, fid in enumerate((11, 12, 13)))
    results = os.path.join(folder, "results.sqlite")
    copy = str(tmp_path / "copy.gpkg")
    result, _ = run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "OUTPUT": copy})
    assert result["WRITTEN"] == 3
    refill_with_neighbours_values(layer)  # neighbours 21 m apart: 1.5 pixels of 14.1 m
    with pytest.raises(QgsProcessingException, match="3 of the 3 features"):
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": True})


def test_the_accuracy_report_refuses_a_join_on_fids_that_name_other_objects(run_algorithm, tmp_path, naip_run):
    layer, results = naip_run
    written_and_audited(run_algorithm, layer, results)
    parameters = {"INPUT": layer, "FID_FIELD": "fid_obj", "REFERENCE": results,
                  "OUTPUT_HTML": str(tmp_path / "r.html"), "OUTPUT_TABLE": str(tmp_path / "r.csv")}
    result, _ = run_algorithm("chipvlm:accuracyreport", parameters)
    assert result["OVERALL_ACCURACY"] == pytest.approx(1.0)
    refill_with_neighbours_values(layer)
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:accuracyreport", dict(parameters, OUTPUT_TABLE=str(tmp_path / "again.csv")))
    assert "not where their chips were cut" in str(raised.value) and "no report was made" in str(raised.value)
    assert not os.path.exists(tmp_path / "again.csv")


def test_the_review_dock_keeps_write_off_then_shows_the_refusal(run_algorithm, naip_run, review_dock):
    """Issue 17 point 1, the dock: the refilled field breaks the link and Write stays off; when the
    analyst chooses the field again anyway, the write is refused whole and the dock says why."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    layer, results = naip_run
    QgsProject.instance().addMapLayer(layer)  # the dock links layers of the project
    dock = review_dock()
    assert dock.open_run(results, layer=layer, fid_field="fid_obj")
    assert dock.layer() is layer and dock.write_button.isEnabled()
    refill_with_neighbours_values(layer)
    assert not dock.write_button.isEnabled()
    QTest.mouseClick(dock.write_button, Qt.MouseButton.LeftButton)
    assert "class_id" not in layer.fields().names()
    combo = dock.fid_field_combo
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    QTest.keyClick(combo, Qt.Key.Key_End)  # fid_obj again: the last field
    assert dock.link_field == "fid_obj" and dock.write_button.isEnabled()
    dock.write_button.click()
    assert "not where their chips were cut" in dock.status_label.text()
    assert dock.status_label.styleSheet() != ""  # an error
    assert "class_id" not in layer.fields().names()  # nothing written


def test_a_damaged_run_json_refuses_the_write_with_a_sentence(run_algorithm, naip_run, review_dock):
    layer, results = naip_run
    with open(os.path.join(os.path.dirname(results), "run.json"), "w", encoding="utf-8") as handle:
        handle.write('{"layer_name": "objects.gpkg", "fid_field": ')  # cut short (a full disk, a kill)
    QgsProject.instance().addMapLayer(layer)
    dock = review_dock()
    assert dock.open_run(results, layer=layer, fid_field="fid_obj")  # still reviewable, with a note
    assert not dock.write_back()  # a sentence in the dock, no exception
    assert "Repair or restore run.json" in dock.status_label.text()
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "FID_FIELD": "fid_obj",
                                               "IN_PLACE": True})
    assert "run.json cannot be read" in str(raised.value) and "Repair or restore run.json" in str(raised.value)
    assert "class_id" not in layer.fields().names()  # nothing written


def test_the_accuracy_report_matches_by_the_runs_fid_field_unless_told(run_algorithm, tmp_path, naip_run):
    layer, results = naip_run
    written_and_audited(run_algorithm, layer, results)
    result, feedback = run_algorithm("chipvlm:accuracyreport", {  # no FID_FIELD: run.json's fid_obj
        "INPUT": layer, "REFERENCE": results, "OUTPUT_HTML": str(tmp_path / "r.html"),
        "OUTPUT_TABLE": str(tmp_path / "r.csv")})
    assert result["OVERALL_ACCURACY"] == pytest.approx(1.0)
    assert any("matched by 'fid_obj'" in text for text in feedback.infos)


# -- the check reads a GeoPackage's own envelopes (layers/places.py FilePlacing), and only those ---------
def moved(layer, fid_value, dx=300.0):
    """The feature whose fid_obj is `fid_value`, and its geometry moved `dx` metres east."""
    feature = next(f for f in layer.getFeatures() if f["fid_obj"] == fid_value)
    geometry = QgsGeometry(feature.geometry())
    geometry.translate(dx, 0.0)
    return feature, geometry


def test_a_geopackage_is_checked_from_its_envelopes_which_are_the_features_boxes(run_algorithm, naip_run, tmp_path):
    from chipvlm.plugin.core.chips.envelopes import read_envelopes
    from chipvlm.plugin.layers.link import placing_for
    from chipvlm.plugin.layers.places import FilePlacing

    layer, results = naip_run
    assert isinstance(placing_for(layer, final_classes(results), RunRecord.of_results(results)), FilePlacing)
    boxes = {f.id(): f.geometry().boundingBox() for f in layer.getFeatures()}
    x, y, known = read_envelopes(layer.source(), "").centres(list(boxes))
    assert known.all()
    assert x.tolist() == [(b.xMinimum() + b.xMaximum()) / 2.0 for b in boxes.values()]
    assert y.tolist() == [(b.yMinimum() + b.yMaximum()) / 2.0 for b in boxes.values()]
    (tmp_path / "shp").mkdir()
    shapefile, shapefile_results = cut_run(run_algorithm, tmp_path / "shp", name="objects.shp")
    assert not isinstance(placing_for(shapefile, final_classes(shapefile_results),
                                      RunRecord.of_results(shapefile_results)), FilePlacing)


@pytest.mark.parametrize("name", ["objects.gpkg", "objects.shp"])
def test_a_geometry_moved_in_the_edit_buffer_is_checked_as_the_buffer_holds_it(run_algorithm, tmp_path, name):
    layer, results = cut_run(run_algorithm, tmp_path, name=name)
    assert layer.startEditing()
    feature, geometry = moved(layer, fid_of(3))
    assert layer.changeGeometry(feature.id(), geometry)  # not saved: the file still has it where it was cut
    with pytest.raises(MisplacedFeaturesError, match=f"fid {fid_of(3)} .*lies 60.0 raster pixels"):
        write_classes(layer, final_classes(results), "fid_obj", run=RunRecord.of_results(results))
    assert layer.rollBack()
    assert write_classes(layer, final_classes(results), "fid_obj", run=RunRecord.of_results(results)).written == 40


def test_a_feature_deleted_and_added_again_elsewhere_in_the_edit_buffer_is_refused(run_algorithm, naip_run):
    layer, results = naip_run
    assert layer.startEditing()
    feature, geometry = moved(layer, fid_of(5))
    added = QgsFeature(feature)
    added.setGeometry(geometry)
    assert layer.deleteFeature(feature.id()) and layer.addFeature(added)
    with pytest.raises(MisplacedFeaturesError, match=f"fid {fid_of(5)} \\(feature -"):
        write_classes(layer, final_classes(results), "fid_obj", run=RunRecord.of_results(results))
    layer.rollBack()


def test_in_a_transaction_group_the_uncommitted_geometry_is_checked(run_algorithm, naip_run):
    layer, results = naip_run
    project = QgsProject.instance()
    project.addMapLayer(layer)
    if hasattr(project, "setTransactionMode"):  # QGIS 3.26 and later
        from qgis.core import Qgis

        project.setTransactionMode(Qgis.TransactionMode.AutomaticGroups)
    else:
        project.setAutoTransaction(True)
    try:
        assert layer.startEditing()
        feature, geometry = moved(layer, fid_of(7))
        assert layer.changeGeometry(feature.id(), geometry)  # in the file already, in an open transaction
        with pytest.raises(MisplacedFeaturesError, match=f"fid {fid_of(7)} "):
            write_classes(layer, final_classes(results), "fid_obj", run=RunRecord.of_results(results))
        layer.rollBack()
    finally:
        project.removeAllMapLayers()
        if hasattr(project, "setTransactionMode"):
            project.setTransactionMode(Qgis.TransactionMode.Disabled)
        else:
            project.setAutoTransaction(False)


@pytest.mark.parametrize("content", [b"fid,chip_path\r\n1,chips/1.png\r\n", b"fid,chip_path,status\r\n\xff\xfe,\xc3(,ok\r\n"])
def test_a_chips_index_that_cannot_be_read_refuses_the_write_with_a_sentence(run_algorithm, naip_run, content):
    layer, results = naip_run
    with open(os.path.join(os.path.dirname(results), "chips_index.csv"), "wb") as handle:
        handle.write(content)  # no status column; not UTF-8
    with pytest.raises(QgsProcessingException, match="chips index of this run cannot be read.*chips_index.csv"):
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer, "RESULTS": results, "IN_PLACE": True})
    assert "class_id" not in layer.fields().names()
