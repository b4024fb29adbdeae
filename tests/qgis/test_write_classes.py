"""Writing the final classes back: chipvlm:writeclasses in place and to a new layer, and the dock's writer."""
import os
import sqlite3

import pytest
from qgis.core import (
    QgsField,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from chipvlm.plugin.core.review import ReviewSession, final_classes
from chipvlm.plugin.layers.features import is_null
from chipvlm.plugin.layers.write_back import ClassFields, WriteBackError, write_classes
from helpers.layers import write_layer
from helpers.review_data import grid_squares, make_run, standard_predictions

INTEGER_TYPES = (QVariant.Int, QVariant.LongLong)


class ErrorFeedback(QgsProcessingFeedback):
    """Keeps what the algorithm reported as errors (processing.run only says that there were some)."""

    def __init__(self):
        super().__init__()
        self.errors = []
        self.infos = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushInfo(self, info):
        self.infos.append(info)
        super().pushInfo(info)


def run(parameters, feedback=None):
    import processing

    return processing.run("chipvlm:writeclasses", parameters, feedback=feedback or ErrorFeedback())


def run_failing(parameters):
    feedback = ErrorFeedback()
    with pytest.raises(QgsProcessingException) as raised:
        run(parameters, feedback)
    # the algorithm's own sentence: in the exception, or (when processing catches it) in the feedback
    return " ".join([str(raised.value)] + feedback.errors)


@pytest.fixture()
def results(tmp_path):
    path = make_run(str(tmp_path / "run"), standard_predictions(range(1, 13)), chip_maker=None)
    with ReviewSession(path, reviewer="analyst") as session:
        session.set_review([2], 1)  # 无法判断 -> 建筑
        session.set_review([4], 7)  # ERROR -> 裸地
    return path


def gpkg(tmp_path, count=12, name="objects.gpkg"):
    return write_layer(str(tmp_path / name), grid_squares(count), crs="EPSG:26914")


def values(layer, key=None, fields=("class_id", "class_name", "review")):
    return {
        (feature.id() if key is None else feature[key]): tuple(feature[f] for f in fields)
        for feature in layer.getFeatures()
    }


def field_type(layer, name):
    return layer.fields().field(name).type()


def test_in_place_into_a_geopackage_with_typed_new_fields(tmp_path, results, chipvlm_provider):
    layer = gpkg(tmp_path)
    path = layer.source().split("|")[0]
    del layer
    result = run({"INPUT": path, "RESULTS": results, "IN_PLACE": True})
    assert (result["WRITTEN"], result["NOT_FOUND"]) == (12, 0)
    reread = QgsVectorLayer(path, "reread", "ogr")
    assert field_type(reread, "class_id") in INTEGER_TYPES
    assert field_type(reread, "class_name") == QVariant.String
    assert field_type(reread, "review") == QVariant.String
    got = values(reread)
    assert got[1] == (2, "耕地", "model")
    assert got[2] == (1, "建筑", "reviewed")
    assert got[4] == (7, "裸地", "reviewed")
    assert got[6] == (0, "无法判断", "to_review")
    assert got[11] == (-1, "识别失败", "error")
    assert reread.fields().names() == ["fid", "obj_id", "class_id", "class_name", "review"]


def test_in_place_into_a_shapefile_matched_by_a_fid_field(tmp_path, chipvlm_provider):
    fids = [305, 101, 204, 102]  # not in file order: matching goes by the field, never by position
    layer = write_layer(str(tmp_path / "objects.shp"), grid_squares(4), crs="EPSG:26914", fids=fids)
    predictions = {305: (5, False), 101: (0, True), 204: (2, False), 102: (8, False)}
    results = make_run(str(tmp_path / "run"), predictions, chip_maker=None)
    with ReviewSession(results) as session:
        session.set_review([101], 6)
    QgsProject.instance().addMapLayer(layer)
    try:
        result = run({"INPUT": layer, "RESULTS": results, "FID_FIELD": "obj_id", "IN_PLACE": True})
        assert result["WRITTEN"] == 4 and result["OUTPUT"] == layer.id()
        reread = QgsVectorLayer(str(tmp_path / "objects.shp"), "reread", "ogr")
        assert field_type(reread, "class_id") in INTEGER_TYPES
        assert values(reread, key="obj_id") == {
            305: (5, "林地/防护林", "model"),
            101: (6, "草地", "reviewed"),
            204: (2, "耕地", "model"),
            102: (8, "果园/园地", "model"),
        }
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_to_a_new_layer_with_other_field_names(tmp_path, results, chipvlm_provider):
    layer = gpkg(tmp_path)
    out = str(tmp_path / "classified.gpkg")
    result = run({"INPUT": layer, "RESULTS": results, "CLASS_FIELD": "cls", "NAME_FIELD": "cls_name",
                  "IN_PLACE": False, "OUTPUT": out})
    assert result["WRITTEN"] == 12
    output = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    assert output.featureCount() == 12
    assert field_type(output, "cls") in INTEGER_TYPES
    got = values(output, key="obj_id", fields=("cls", "cls_name", "review"))
    assert got[2] == (1, "建筑", "reviewed") and got[1] == (2, "耕地", "model")
    # geometries come along, and the input is untouched
    first = next(output.getFeatures())
    assert first.hasGeometry() and not first.geometry().isEmpty()
    assert "cls" not in layer.fields().names() and "class_id" not in layer.fields().names()


def test_to_a_temporary_layer_by_default(tmp_path, results, chipvlm_provider):
    result = run({"INPUT": gpkg(tmp_path), "RESULTS": results})
    output = result["OUTPUT"]
    output = output if isinstance(output, QgsVectorLayer) else QgsVectorLayer(output, "out", "memory")
    assert values(output)[2] == (1, "建筑", "reviewed")


@pytest.mark.parametrize("name", ["objects.gpkg", "objects.shp"])
def test_a_layer_in_edit_mode_gets_one_undoable_command_in_its_edit_buffer(tmp_path, results, name):
    layer = gpkg(tmp_path, name=name)
    path = layer.source().split("|")[0]
    key = "obj_id"  # 1..12 in both (a shapefile's feature ids start at 0)
    assert layer.startEditing()
    before = layer.undoStack().count()
    report = write_classes(layer, final_classes(results), fid_field=key)
    assert report.written == 12 and not report.committed
    assert "edit mode" in report.message()
    assert layer.isEditable() and layer.undoStack().count() == before + 1
    assert values(layer, key)[2] == (1, "建筑", "reviewed")
    on_disk = QgsVectorLayer(path, "disk", "ogr")
    assert "class_id" not in on_disk.fields().names()  # not saved yet: the analyst decides
    layer.undoStack().undo()  # one Ctrl+Z takes back fields and values
    assert "class_id" not in layer.fields().names()
    layer.undoStack().redo()
    assert values(layer, key)[4] == (7, "裸地", "reviewed")
    assert layer.commitChanges()
    on_disk = QgsVectorLayer(path, "disk", "ogr")
    assert field_type(on_disk, "class_id") in INTEGER_TYPES
    assert values(on_disk, key)[4] == (7, "裸地", "reviewed")


def test_existing_class_fields_are_updated_not_duplicated(tmp_path, results):
    layer = gpkg(tmp_path)
    write_classes(layer, final_classes(results))
    with ReviewSession(results) as session:
        session.set_review([1], 3)
    report = write_classes(layer, final_classes(results))
    assert report.created_fields == []
    assert layer.fields().names().count("class_id") == 1
    assert values(layer)[1] == (3, "道路", "reviewed")


def test_a_text_class_id_field_is_a_clear_error(tmp_path, results, chipvlm_provider):
    layer = gpkg(tmp_path)
    assert layer.startEditing()
    layer.addAttribute(QgsField("class_id", QVariant.String))
    assert layer.commitChanges()
    message = run_failing({"INPUT": layer, "RESULTS": results, "IN_PLACE": True})
    assert "'class_id'" in message and "whole number" in message and "objects.gpkg" in message
    with pytest.raises(WriteBackError, match="class_id"):
        write_classes(layer, final_classes(results))
    assert not layer.isEditable()
    assert all(is_null(f["class_id"]) for f in layer.getFeatures())
    # to a new layer it clashes just the same
    message = run_failing({"INPUT": layer, "RESULTS": results, "IN_PLACE": False})
    assert "'class_id'" in message


def test_a_read_only_layer_is_refused(tmp_path, results):
    layer = gpkg(tmp_path)
    layer.setReadOnly(True)
    with pytest.raises(WriteBackError, match="read-only"):
        write_classes(layer, final_classes(results))
    assert "class_id" not in layer.fields().names()


def test_results_without_a_feature_and_features_without_a_result(tmp_path, results, chipvlm_provider):
    con = sqlite3.connect(results)
    con.execute("UPDATE results SET fid = fid + 100 WHERE fid IN (11, 12)")  # 111, 112: not in the layer
    con.commit()
    con.close()
    layer = gpkg(tmp_path, count=12)
    report = write_classes(layer, final_classes(results))
    assert report.not_found == [111, 112]
    assert report.without_result == 2
    assert "fids 111, 112" in report.message() and "2 features have no result" in report.message()
    assert values(layer)[11] == (None, None, None)
    feedback = ErrorFeedback()
    result = run({"INPUT": gpkg(tmp_path, name="copy.gpkg"), "RESULTS": results, "IN_PLACE": True}, feedback)
    assert result["NOT_FOUND"] == 2
    assert any("111" in info for info in feedback.infos)


def test_a_missing_results_file_or_fid_field_is_named(tmp_path, chipvlm_provider):
    layer = gpkg(tmp_path)
    missing = str(tmp_path / "nowhere" / "results.sqlite")
    message = run_failing({"INPUT": layer, "RESULTS": missing, "IN_PLACE": True})
    assert "nowhere" in message and "does not exist" in message
    assert not os.path.exists(missing)
    results = make_run(str(tmp_path / "run"), {1: (2, False)}, chip_maker=None)
    message = run_failing({"INPUT": layer, "RESULTS": results, "FID_FIELD": "nope", "IN_PLACE": True})
    assert "nope" in message


def test_parameters_are_the_documented_ones(chipvlm_provider):
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().algorithmById("chipvlm:writeclasses")
    assert [p.name() for p in algorithm.parameterDefinitions()] == [
        "INPUT", "RESULTS", "FID_FIELD", "CLASS_FIELD", "NAME_FIELD", "IN_PLACE", "OUTPUT"
    ]
    defaults = {p.name(): p.defaultValue() for p in algorithm.parameterDefinitions()}
    assert defaults["CLASS_FIELD"] == "class_id" and defaults["NAME_FIELD"] == "class_name"


class CancelAfter(QgsProcessingFeedback):
    """Cancels once the writer reports progress `after` times (the analyst presses Cancel)."""

    def __init__(self, after):
        super().__init__()
        self.after = after
        self.reports = []
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        self.reports.append(value)
        if len(self.reports) >= self.after:
            self.cancel()


def test_a_layer_not_in_edit_mode_is_written_in_chunks_with_progress(tmp_path, results, monkeypatch):
    from chipvlm.plugin.layers import link, write_back

    monkeypatch.setattr(write_back, "WRITE_CHUNK", 5)
    monkeypatch.setattr(link, "PROGRESS_EVERY", 5)
    layer = gpkg(tmp_path)
    feedback = CancelAfter(after=100)
    report = write_classes(layer, final_classes(results), feedback=feedback)
    assert report.written == 12 and report.committed and not report.canceled
    assert len(feedback.reports) >= 3 and feedback.reports[-1] == 100
    assert not layer.isEditable() and not layer.isModified()
    assert values(layer)[2] == (1, "建筑", "reviewed")
    reread = QgsVectorLayer(layer.source(), "disk", "ogr")
    assert values(reread)[12] == (3, "道路", "to_review")


def test_canceling_a_write_keeps_what_was_written_and_says_so(tmp_path, results, monkeypatch):
    from chipvlm.plugin.layers import link, write_back

    monkeypatch.setattr(write_back, "WRITE_CHUNK", 5)
    monkeypatch.setattr(link, "PROGRESS_EVERY", 5)
    layer = gpkg(tmp_path)
    # 12 features, 5 a chunk: 3 reports while reading the layer, then one per chunk written
    report = write_classes(layer, final_classes(results), feedback=CancelAfter(after=4))
    assert report.canceled and 0 < report.written < 12
    assert "canceled" in report.message().lower() and "again" in report.message()
    written = [fid for fid, value in values(layer).items() if not is_null(value[0])]
    assert len(written) == report.written


def test_shapefile_field_names_longer_than_ten_characters_are_refused(tmp_path, results, chipvlm_provider):
    layer = write_layer(str(tmp_path / "objects.shp"), grid_squares(12), crs="EPSG:26914")
    with pytest.raises(WriteBackError, match="10 characters") as raised:
        write_classes(layer, final_classes(results), fields=ClassFields(class_field="class_id_final"))
    assert "class_id_final" in str(raised.value)
    assert layer.fields().names() == ["obj_id"]
    message = run_failing({"INPUT": layer, "RESULTS": results, "CLASS_FIELD": "class_id_final", "IN_PLACE": True})
    assert "10 characters" in message


def test_a_virtual_field_of_the_same_name_is_a_clear_error(tmp_path, results):
    layer = gpkg(tmp_path)
    layer.addExpressionField("1", QgsField("class_id", QVariant.Int))
    with pytest.raises(WriteBackError, match="virtual") as raised:
        write_classes(layer, final_classes(results))
    assert "'class_id'" in str(raised.value)


def test_a_review_field_of_another_type_is_a_clear_error(tmp_path, results):
    layer = gpkg(tmp_path)
    assert layer.startEditing()
    layer.addAttribute(QgsField("review", QVariant.Int))
    assert layer.commitChanges()
    with pytest.raises(WriteBackError, match="'review'") as raised:
        write_classes(layer, final_classes(results))
    assert "text" in str(raised.value)
    assert "class_id" not in layer.fields().names()


def test_results_of_another_format_are_refused_by_name(tmp_path, chipvlm_provider):
    layer = gpkg(tmp_path)
    path = layer.source().split("|")[0]
    before = open(path, "rb").read()
    message = run_failing({"INPUT": layer, "RESULTS": path, "IN_PLACE": True})  # the layer itself, by mistake
    assert "no results table" in message and "objects.gpkg" in message
    assert open(path, "rb").read() == before
    csv_file = tmp_path / "results.csv"
    csv_file.write_text("fid,class_id\n1,2\n", encoding="utf-8")
    message = run_failing({"INPUT": layer, "RESULTS": str(csv_file), "IN_PLACE": True})
    assert "CSV export" in message


def test_undoing_or_discarding_a_big_write_is_instant(tmp_path):
    """The edit command keeps every old value: without them QGIS re-reads each one from a clone of
    the layer on undo (seconds for a few thousand features, hours for a county)."""
    import time

    from chipvlm.plugin.core.review import FinalClass

    count = 3000
    layer = write_layer(str(tmp_path / "many.gpkg"), grid_squares(count, per_row=60), crs="EPSG:26914")
    finals = {fid: FinalClass(fid, 2, "耕地", "model") for fid in range(1, count + 1)}
    write_classes(layer, {1: FinalClass(1, 5, "林地/防护林", "reviewed")})  # an existing value to restore
    assert layer.startEditing()
    write_classes(layer, finals)
    started = time.perf_counter()
    layer.undoStack().undo()
    undo = time.perf_counter() - started
    assert values(layer)[1] == (5, "林地/防护林", "reviewed") and values(layer)[2] == (None, None, None)
    layer.undoStack().redo()
    assert values(layer)[1] == (2, "耕地", "model")
    started = time.perf_counter()
    assert layer.rollBack()
    rollback = time.perf_counter() - started
    assert undo < 1.0 and rollback < 1.0, (undo, rollback)


def test_reading_the_layer_reports_progress_and_a_cancel_there_writes_nothing(tmp_path, results, monkeypatch):
    from chipvlm.plugin.layers import link, write_back

    monkeypatch.setattr(write_back, "WRITE_CHUNK", 5)
    monkeypatch.setattr(link, "PROGRESS_EVERY", 5)
    layer = gpkg(tmp_path)
    feedback = CancelAfter(after=100)
    write_classes(layer, final_classes(results), fid_field="obj_id", feedback=feedback)
    reading = [value for value in feedback.reports if value < link.READ_SHARE]
    assert len(reading) >= 2, feedback.reports  # the window is redrawn while the fids are read too
    assert feedback.reports == sorted(feedback.reports)

    fresh = gpkg(tmp_path, name="fresh.gpkg")
    report = write_classes(fresh, final_classes(results), fid_field="obj_id", feedback=CancelAfter(after=1))
    assert report.canceled and report.written == 0
    assert "class_id" not in fresh.fields().names()


def test_in_the_modeler_the_classified_layer_chains_on(tmp_path, results, chipvlm_provider):
    """A model: write classes to a new layer, then keep only the reviewed features (native:extractbyattribute)."""
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )

    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("classes then reviewed only", "tests")
    model.addModelParameter(QgsProcessingParameterFile("results", "Results"), QgsProcessingModelParameter("results"))
    write = QgsProcessingModelChildAlgorithm("chipvlm:writeclasses")
    write.setChildId("write")
    write.addParameterSources("INPUT", [static(gpkg(tmp_path).source())])
    write.addParameterSources("RESULTS", [QgsProcessingModelChildParameterSource.fromModelParameter("results")])
    write.addParameterSources("FID_FIELD", [static("obj_id")])
    write.addParameterSources("IN_PLACE", [static(False)])
    for name in ("CLASS_FIELD", "NAME_FIELD"):  # as the modeler fills in the defaults
        write.addParameterSources(name, [static(chipvlm_provider.algorithm("writeclasses").parameterDefinition(name)
                                                .defaultValue())])
    model.addChildAlgorithm(write)
    extract = QgsProcessingModelChildAlgorithm("native:extractbyattribute")
    extract.setChildId("reviewed")
    extract.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("write", "OUTPUT")])
    extract.addParameterSources("FIELD", [static("review")])
    extract.addParameterSources("OPERATOR", [static(0)])
    extract.addParameterSources("VALUE", [static("reviewed")])
    output = QgsProcessingModelOutput("reviewed features")
    output.setChildOutputName("OUTPUT")
    output.setChildId("reviewed")
    extract.setModelOutputs({"reviewed features": output})
    model.addChildAlgorithm(extract)
    assert model.validate()[0], model.validate()[1]

    out = str(tmp_path / "reviewed.gpkg")
    result = processing.run(model, {"results": results, "reviewed:reviewed features": out})
    reviewed = QgsVectorLayer(result["reviewed:reviewed features"], "reviewed", "ogr")
    assert values(reviewed, key="obj_id") == {2: (1, "建筑", "reviewed"), 4: (7, "裸地", "reviewed")}


def test_qgis_process_writes_classes_in_place_into_a_shapefile(tmp_path, results):
    import json
    import subprocess
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    shapefile = str(tmp_path / "objects.shp")
    write_layer(shapefile, grid_squares(12), crs="EPSG:26914")
    env = dict(os.environ, **prepare(tmp_path / "build"))
    done = subprocess.run(
        qgis_process_command() + ["run", "chipvlm:writeclasses", "--json", "--", f"INPUT={shapefile}",
                                  f"RESULTS={results}", "FID_FIELD=obj_id", "IN_PLACE=true"],
        capture_output=True, text=True, env=env, timeout=180)
    if done.returncode != 0:
        pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    outputs = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert (outputs["WRITTEN"], outputs["NOT_FOUND"]) == (12, 0)
    got = values(QgsVectorLayer(shapefile, "reread", "ogr"), key="obj_id")
    assert got[2] == (1, "建筑", "reviewed") and got[12] == (3, "道路", "to_review")
