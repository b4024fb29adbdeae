"""chipvlm:accuracyreport and chipvlm:drawsample through processing.run, the modeler and qgis_process.

The key test rebuilds Olofsson et al. (2014) section 5 as a layer: 5,000 squares of 180 ha
(ellipsoidal area, EPSG:6933 is equal-area on WGS 84) so that the classes' areas are the paper's
200,000, 150,000, 3,200,000 and 6,450,000 pixels of 0.09 ha (100, 75, 1,600 and 3,225 squares), and
a reference CSV whose 640 units make the paper's error matrix (Table 8; see tests/unit/
test_assess_estimators.py for where it comes from).
"""
import base64
import csv
import json
import math
import os
import re
import subprocess
import sys

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from chipvlm.plugin.core.assess.audit import Audit
from chipvlm.plugin.core.assess.report import TABLE_COLUMNS
from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.core.review import ReviewSession
from helpers.review_data import NAMES, make_run

SIDE = math.sqrt(1_800_000.0)  # metres: 180 ha
SQUARES = {1: 100, 2: 75, 3: 1600, 4: 3225}
OLOFSSON_COUNTS = [[66, 0, 5, 4], [0, 55, 8, 12], [1, 0, 153, 11], [2, 1, 9, 313]]
OLOFSSON_NAMES = {1: "Deforestation", 2: "Forest gain", 3: "Stable forest", 4: "Stable non-forest"}


def write_classified_layer(path, classes, crs="EPSG:6933", names=None, side=SIDE, columns=71):
    """Squares in a grid, fid field obj_id = 1.., with class_id (and class_name) fields."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransformContext

    fields = QgsFields()
    fields.append(QgsField("obj_id", QVariant.Int))
    fields.append(QgsField("class_id", QVariant.Int))
    fields.append(QgsField("class_name", QVariant.String))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    writer = QgsVectorFileWriter.create(path, fields, QgsWkbTypes.Polygon, QgsCoordinateReferenceSystem(crs),
                                        QgsCoordinateTransformContext(), options)
    for k, (fid, class_id) in enumerate(sorted(classes.items())):
        x, y = (k % columns) * side, (k // columns) * side
        feature = QgsFeature(fields)
        feature.setAttributes([fid, class_id, (names or {}).get(class_id, "")])
        feature.setGeometry(QgsGeometry.fromWkt(
            f"POLYGON(({x} {y},{x + side} {y},{x + side} {y + side},{x} {y + side},{x} {y}))"))
        writer.addFeature(feature)
    del writer
    layer = QgsVectorLayer(path, "olofsson", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture()
def olofsson(tmp_path):
    classes, fid = {}, 1
    for class_id, n in SQUARES.items():
        for _ in range(n):
            classes[fid] = class_id
            fid += 1
    layer = write_classified_layer(str(tmp_path / "olofsson.gpkg"), classes, names=OLOFSSON_NAMES)
    reference = tmp_path / "reference.csv"
    with open(reference, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fid", "class_id"])
        for map_class, row in enumerate(OLOFSSON_COUNTS, start=1):
            fids = iter(f for f, c in classes.items() if c == map_class)
            for ref_class, n in enumerate(row, start=1):
                for _ in range(n):
                    writer.writerow([next(fids), ref_class])
    return layer, str(reference)


def read_table(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, {row["class_id"]: row for row in reader}


def report(run_algorithm, tmp_path, layer, reference, **extra):
    parameters = {"INPUT": layer, "CLASS_FIELD": "class_id", "FID_FIELD": "obj_id", "REFERENCE": reference,
                  "OUTPUT_HTML": str(tmp_path / "report.html"), "OUTPUT_TABLE": str(tmp_path / "table.csv")}
    parameters.update(extra)
    return run_algorithm("chipvlm:accuracyreport", parameters)


def test_the_papers_worked_example_through_processing(tmp_path, olofsson, run_algorithm):
    layer, reference = olofsson
    result, feedback = report(run_algorithm, tmp_path, layer, reference)
    assert round(result["OVERALL_ACCURACY"], 2) == 0.95 and round(result["OVERALL_ACCURACY_CI"], 2) == 0.02
    columns, rows = read_table(result["OUTPUT_TABLE"])
    assert tuple(columns) == TABLE_COLUMNS
    assert list(rows) == ["1", "2", "3", "4", "overall"]
    users = {"1": (0.88, 0.07), "2": (0.73, 0.10), "3": (0.93, 0.04), "4": (0.96, 0.02)}
    producers = {"1": (0.75, 0.21), "2": (0.85, 0.25), "3": (0.93, 0.03), "4": (0.96, 0.02)}
    adjusted = {"1": (21_158, 6_158), "2": (11_686, 3_756), "3": (285_770, 15_510), "4": (581_386, 16_282)}
    mapped = {"1": 18_000, "2": 13_500, "3": 288_000, "4": 580_500}
    for key, row in rows.items():
        if key == "overall":
            continue
        assert (round(float(row["users_accuracy"]), 2), round(float(row["users_accuracy_ci"]), 2)) == users[key]
        assert (round(float(row["producers_accuracy"]), 2),
                round(float(row["producers_accuracy_ci"]), 2)) == producers[key]
        assert round(float(row["mapped_area_ha"])) == mapped[key]
        assert (round(float(row["adjusted_area_ha"])), round(float(row["adjusted_area_ci_ha"]))) == adjusted[key]
        assert int(row["mapped_count"]) == SQUARES[int(key)]
        assert row["class_name"] == OLOFSSON_NAMES[int(key)]
    assert [int(rows[k]["sample_count"]) for k in "1234"] == [75, 75, 165, 325]
    overall = rows["overall"]
    assert (round(float(overall["users_accuracy"]), 2), round(float(overall["users_accuracy_ci"]), 2)) == (0.95, 0.02)
    assert int(overall["sample_count"]) == 640 and overall["producers_accuracy"] == ""

    text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) == 2  # heat map, areas (no confidence in a CSV reference: no calibration chart)
    assert all(base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n" for image in images)
    assert "0.947 ± 0.018" in text and "581,386 ± 16,282" in text
    assert "kappa" not in text.lower().replace("kappa is not reported", "")


def test_count_weights_give_the_same_estimates_for_objects_of_one_size(tmp_path, olofsson, run_algorithm):
    layer, reference = olofsson
    by_area, _ = report(run_algorithm, tmp_path / "area", layer, reference, WEIGHTS=0)
    by_count, _ = report(run_algorithm, tmp_path / "count", layer, reference, WEIGHTS=1)
    _, area_rows = read_table(by_area["OUTPUT_TABLE"])
    _, count_rows = read_table(by_count["OUTPUT_TABLE"])
    assert by_count["OVERALL_ACCURACY"] == pytest.approx(by_area["OVERALL_ACCURACY"], rel=1e-9)
    for key in "1234":
        for column in ("producers_accuracy", "producers_accuracy_ci", "adjusted_area_ha", "adjusted_area_ci_ha"):
            assert float(count_rows[key][column]) == pytest.approx(float(area_rows[key][column]), rel=1e-6)
    assert "assume objects of one size" in open(by_count["OUTPUT_HTML"], encoding="utf-8").read()


def audit_run(tmp_path, count=300):
    """A classified run, a layer of its objects with the final classes, an audit sample decided."""
    predictions = {fid: ((2 if fid % 3 else 5), False) for fid in range(1, count + 1)}
    results = make_run(str(tmp_path / "run"), predictions, chip_maker=None)
    with ResultsStore(results) as store, store.transaction() as con:
        con.execute("UPDATE results SET confidence = 0.55 + (fid % 45) / 100.0, endpoint = 'gpu1', model = 'gemma3'")
    with ReviewSession(results, reviewer="analyst") as session:
        session.set_review([1, 2], 5)  # 1 was 2: changed; 2 was 2: changed
        session.set_review([3], 5)  # 3 was 5: confirmed
    return results


def test_an_audit_sample_from_results_sqlite(tmp_path, run_algorithm):
    results = audit_run(tmp_path)
    drawn, _ = run_algorithm("chipvlm:drawsample", {"RESULTS": results, "SIZE": "2=40, 5=30", "SEED": 4,
                                                    "OUTPUT": str(tmp_path / "sample.csv")})
    assert drawn["SAMPLE_SIZE"] == 70
    right, decided = {2: 0, 5: 0}, {2: 0, 5: 0}
    with Audit(results, reviewer="auditor") as audit:
        items = audit.items()
        refs = audit.references()
        for k, item in enumerate(items[:60]):  # the model is wrong on every fifth chip
            stratum = refs[item.fid][0]
            audit.set_reference([item.fid], stratum if k % 5 else (7 if stratum == 2 else 2))
            decided[stratum] += 1
            right[stratum] += 1 if k % 5 else 0
        audit.set_reference([items[60].fid], 0)  # cannot tell
    finals = {fid: (5 if fid in (1, 2, 3) else (2 if fid % 3 else 5)) for fid in range(1, 301)}
    layer = write_classified_layer(str(tmp_path / "map.gpkg"), finals, crs="EPSG:6933", side=100.0)
    result, feedback = report(run_algorithm, tmp_path, layer, results)
    population = {2: 198, 5: 102}  # final classes: 1 and 2 reviewed from 2 to 5
    expected = sum(population[c] / 300 * right[c] / decided[c] for c in (2, 5))
    assert result["OVERALL_ACCURACY"] == pytest.approx(expected)
    _, rows = read_table(result["OUTPUT_TABLE"])
    assert rows["2"]["class_name"] == NAMES[2] and rows["7"]["mapped_count"] == "0"
    assert int(rows["overall"]["sample_count"]) == 60
    text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    assert "9 sampled chips have no reference decision yet" in text
    assert "1 sample units were marked 'cannot tell'" in text
    assert text.count("data:image/png;base64,") == 3  # heat map, areas, calibration
    # reviews: model class 2 reviewed twice, both changed; model class 5 once, kept; one endpoint
    assert "<td>2 " + NAMES[2] + "</td><td>2</td><td>2</td><td>100%</td>" in text
    assert "<td>gpu1</td><td>gemma3</td><td>3</td><td>2</td><td>67%</td>" in text


def test_a_second_run_is_reported_beside_the_first_on_the_same_sample(tmp_path, olofsson, run_algorithm):
    layer, reference = olofsson
    # run B: right wherever run A was right, and also on every unit A mapped as 4
    second = {}
    with open(reference, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            second[int(row["fid"])] = int(row["class_id"])
    layer_classes = {f["obj_id"]: f["class_id"] for f in layer.getFeatures()}
    rows = [{"fid": fid, "chip_path": f"/x/{fid}.png", "class_id": ref if layer_classes[fid] == 4 else layer_classes[fid],
             "class_name": "x"} for fid, ref in second.items()]
    b = str(tmp_path / "b" / "results.sqlite")
    with ResultsStore(b) as store:
        store.record_results(rows)
    result, _ = report(run_algorithm, tmp_path, layer, reference, COMPARE_RESULTS=b)
    text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    assert "Two runs on the same audit sample" in text
    section = text[text.index("Two runs on the same audit sample"):]
    assert "<td>Overall</td><td>0.947 ± 0.018</td>" in section
    assert "<td>4 Stable non-forest</td><td>0.963 ± 0.021</td><td>1.000" in section


def test_a_reference_that_matches_no_feature_or_a_bad_csv_is_named(tmp_path, olofsson, run_algorithm):
    layer, _ = olofsson
    bad = tmp_path / "bad.csv"
    bad.write_text("fid,class\n1,2\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as raised:
        report(run_algorithm, tmp_path, layer, str(bad))
    assert "fid and class_id" in str(raised.value)
    far = tmp_path / "far.csv"
    far.write_text("fid,class_id\n999999,2\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as raised:
        report(run_algorithm, tmp_path, layer, str(far))
    assert "No reference fid matches" in str(raised.value)


def test_drawsample_outputs_and_its_refusal_to_replace_decisions(tmp_path, run_algorithm):
    results = audit_run(tmp_path)
    first, feedback = run_algorithm("chipvlm:drawsample", {"RESULTS": results, "MIN_PER_CLASS": 20,
                                                           "OUTPUT": str(tmp_path / "s.csv")})
    with open(first["OUTPUT"], encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == first["SAMPLE_SIZE"] > 0
    assert set(rows[0]) == {"fid", "stratum_class_id", "chip_path"}
    assert any("expected user's accuracy" in info for info in feedback.infos)
    with Audit(results) as audit:
        audit.set_reference([int(rows[0]["fid"])], 2)
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:drawsample", {"RESULTS": results, "SEED": 2, "OUTPUT": str(tmp_path / "t.csv")})
    assert "REPLACE" in str(raised.value)
    again, _ = run_algorithm("chipvlm:drawsample", {"RESULTS": results, "SEED": 2, "REPLACE": True,
                                                    "OUTPUT": str(tmp_path / "t.csv")})
    assert again["SAMPLE_SIZE"] > 0


def test_parameters_are_the_documented_ones(chipvlm_provider):
    from qgis.core import QgsApplication, QgsProcessingParameterDefinition

    registry = QgsApplication.processingRegistry()
    draw = registry.algorithmById("chipvlm:drawsample")
    assert [p.name() for p in draw.parameterDefinitions()] == [
        "RESULTS", "SIZE", "TARGET_SE", "MIN_PER_CLASS", "SEED", "REPLACE", "OUTPUT"]
    assert {o.name() for o in draw.outputDefinitions()} == {"SAMPLE_SIZE", "OUTPUT"}
    defaults = {p.name(): p.defaultValue() for p in draw.parameterDefinitions()}
    assert (defaults["TARGET_SE"], defaults["MIN_PER_CLASS"]) == (0.01, 50)
    assert draw.parameterDefinition("REPLACE").flags() & QgsProcessingParameterDefinition.Flag.FlagAdvanced
    accuracy = registry.algorithmById("chipvlm:accuracyreport")
    assert [p.name() for p in accuracy.parameterDefinitions()] == [
        "INPUT", "CLASS_FIELD", "FID_FIELD", "REFERENCE", "WEIGHTS", "CONFIDENCE", "COMPARE_RESULTS",
        "OUTPUT_HTML", "OUTPUT_TABLE"]
    assert {o.name() for o in accuracy.outputDefinitions()} == {
        "OVERALL_ACCURACY", "OVERALL_ACCURACY_CI", "OUTPUT_HTML", "OUTPUT_TABLE"}
    defaults = {p.name(): p.defaultValue() for p in accuracy.parameterDefinitions()}
    assert (defaults["CLASS_FIELD"], defaults["WEIGHTS"], defaults["CONFIDENCE"]) == ("class_id", "area", 0.95)
    assert accuracy.parameterDefinition("COMPARE_RESULTS").flags() & QgsProcessingParameterDefinition.Flag.FlagAdvanced


def test_in_the_modeler_writeclasses_chains_into_accuracyreport(tmp_path, chipvlm_provider):
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )

    from chipvlm.plugin.core.assess.audit import draw_sample

    results = audit_run(tmp_path, count=120)
    draw_sample(results, size="2=20, 5=20", seed=1)
    with Audit(results) as audit:  # the audit agrees with every final class
        for fid, (stratum, _) in audit.references().items():
            audit.set_reference([fid], stratum)
    # the layer the chips were cut from: no class fields yet, writeclasses adds them
    objects = write_classified_layer(str(tmp_path / "objects.gpkg"), {fid: None for fid in range(1, 121)},
                                     crs="EPSG:6933", side=100.0)

    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("classes then accuracy", "tests")
    model.addModelParameter(QgsProcessingParameterFile("results", "Results"), QgsProcessingModelParameter("results"))
    write = QgsProcessingModelChildAlgorithm("chipvlm:writeclasses")
    write.setChildId("write")
    write.addParameterSources("INPUT", [static(objects.source())])
    write.addParameterSources("RESULTS", [QgsProcessingModelChildParameterSource.fromModelParameter("results")])
    write.addParameterSources("FID_FIELD", [static("obj_id")])
    write.addParameterSources("IN_PLACE", [static(False)])
    for name in ("CLASS_FIELD", "NAME_FIELD"):
        write.addParameterSources(name, [static(chipvlm_provider.algorithm("writeclasses").parameterDefinition(name)
                                                .defaultValue())])
    model.addChildAlgorithm(write)
    accuracy = QgsProcessingModelChildAlgorithm("chipvlm:accuracyreport")
    accuracy.setChildId("accuracy")
    accuracy.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("write", "OUTPUT")])
    accuracy.addParameterSources("REFERENCE", [QgsProcessingModelChildParameterSource.fromModelParameter("results")])
    accuracy.addParameterSources("FID_FIELD", [static("obj_id")])
    accuracy.addParameterSources("CLASS_FIELD", [static("class_id")])
    accuracy.addParameterSources("WEIGHTS", [static(0)])
    accuracy.addParameterSources("CONFIDENCE", [static(0.95)])
    outputs = {}
    for name in ("OUTPUT_HTML", "OUTPUT_TABLE"):
        output = QgsProcessingModelOutput(name.lower())
        output.setChildOutputName(name)
        output.setChildId("accuracy")
        outputs[name.lower()] = output
    accuracy.setModelOutputs(outputs)
    model.addChildAlgorithm(accuracy)
    assert model.validate()[0], model.validate()[1]

    result = processing.run(model, {"results": results, "accuracy:output_html": str(tmp_path / "m.html"),
                                    "accuracy:output_table": str(tmp_path / "m.csv")})
    _, rows = read_table(result["accuracy:output_table"])
    assert rows["overall"]["users_accuracy"] == "1.0" and rows["overall"]["sample_count"] == "40"
    assert os.path.getsize(result["accuracy:output_html"]) > 1000


def test_qgis_process_draws_a_sample_and_reports(tmp_path, olofsson):
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    env = dict(os.environ, **prepare(tmp_path / "build"))
    results = audit_run(tmp_path)

    def run(algorithm, *arguments):
        done = subprocess.run(qgis_process_command() + ["run", algorithm, "--json", "--", *arguments],
                              capture_output=True, text=True, env=env, timeout=180)
        if done.returncode != 0:
            pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return json.loads(done.stdout[done.stdout.index("{"):])["results"]

    drawn = run("chipvlm:drawsample", f"RESULTS={results}", "SIZE=2=30, 5=20", f"OUTPUT={tmp_path / 'sample.csv'}")
    assert drawn["SAMPLE_SIZE"] == 50 and os.path.isfile(drawn["OUTPUT"])
    layer, reference = olofsson
    outputs = run("chipvlm:accuracyreport", f"INPUT={layer.source()}", "FID_FIELD=obj_id", f"REFERENCE={reference}",
                  f"OUTPUT_HTML={tmp_path / 'q.html'}", f"OUTPUT_TABLE={tmp_path / 'q.csv'}")
    assert (round(outputs["OVERALL_ACCURACY"], 2), round(outputs["OVERALL_ACCURACY_CI"], 2)) == (0.95, 0.02)
    assert os.path.isfile(outputs["OUTPUT_HTML"]) and os.path.isfile(outputs["OUTPUT_TABLE"])


def test_the_report_speaks_the_interface_language(tmp_path, olofsson, run_algorithm):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from conftest import ROOT

    translator = QTranslator()
    assert translator.load(str(ROOT / "resources" / "i18n" / "chipvlm_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        layer, reference = olofsson
        result, _ = report(run_algorithm, tmp_path, layer, reference)
    finally:
        QCoreApplication.removeTranslator(translator)
    text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    assert "<h1>精度报告</h1>" in text
    assert "总体精度 0.947 ± 0.018(95% 置信区间)" in text
    assert "<th>用户精度</th>" in text


def test_a_class_all_wrong_or_all_right_gets_its_interval_marked_unreliable(tmp_path, run_algorithm):
    """Issue 17 point 6: 0 of 5 right must not read "0.000 ± 0.000"; 40 of 40 right neither."""
    classes = {fid: (1 if fid <= 50 else 2 if fid <= 450 else 3) for fid in range(1, 1001)}
    layer = write_classified_layer(str(tmp_path / "map.gpkg"), classes, names={1: "水体", 2: "耕地", 3: "林地"})
    reference = tmp_path / "reference.csv"
    rows = [(fid, 2) for fid in range(1, 6)]  # class 1: 0 of 5 right
    rows += [(fid, 2) for fid in range(51, 91)]  # class 2: 40 of 40 right
    rows += [(fid, 1 if fid == 451 else 2 if fid <= 461 else 3) for fid in range(451, 496)]  # class 3: 34 of 45
    with open(reference, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("fid", "class_id")] + rows)
    result, _ = report(run_algorithm, tmp_path, layer, str(reference))
    columns, table = read_table(result["OUTPUT_TABLE"])
    assert tuple(columns) == TABLE_COLUMNS and tuple(columns[:3]) == ("class_id", "class_name", "mapped_area_ha")
    assert (table["1"]["users_accuracy"], table["1"]["users_accuracy_ci"]) == ("0.0", "0.0")  # the paper's
    assert (table["1"]["ci_unreliable"], table["1"]["ci_unreliable_reason"]) == ("1", "all_wrong under_10_units")
    assert (table["2"]["ci_unreliable"], table["2"]["ci_unreliable_reason"]) == ("1", "all_correct")
    assert (table["3"]["ci_unreliable"], table["overall"]["ci_unreliable"]) == ("0", "1")
    assert int(table["1"]["recommended_sample_count"]) >= 50
    text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    assert "0.000 ± 0.000 ⚠" in text and "Intervals that mean nothing" in text
    assert f"SIZE '1={table['1']['recommended_sample_count']}, 2=50, 3=45'" in text
