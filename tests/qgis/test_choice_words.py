"""Every choice parameter takes the words DESIGN.md documents (`FORMAT=folders`, `WEIGHTS=area`,
`FRAMING=fit`...) from qgis_process and the modeler, and still takes the option's index that a model
saved before held (issue 17 point 5). QGIS 3.22 alone refuses a word for an enum of indexes ("Incorrect
parameter value") and an index for an enum of words.
"""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingParameterEnum

from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, make_run
from helpers.layers import write_layer
from helpers.training import classify_rows, make_cut_run, review

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md's words, per algorithm and parameter, default first
DOCUMENTED = {
    ("cutchips", "FORMAT"): ["PNG", "JPEG"],
    ("cutchips", "FRAMING"): ["auto", "native", "fit"],
    ("classifychips", "API"): ["ollama", "openai"],
    ("classifychips", "REASONS"): ["review", "all", "none"],
    ("accuracyreport", "WEIGHTS"): ["area", "count"],
    ("exporttrainingset", "INCLUDE"): ["reviewed", "reviewed+confident"],
    ("exporttrainingset", "FORMAT"): ["folders", "coco", "csv"],
}


def test_every_choice_parameter_takes_its_words_and_its_indexes(chipvlm_provider):
    context = QgsProcessingContext()
    found = {}
    for algorithm in QgsApplication.processingRegistry().providerById("chipvlm").algorithms():
        for definition in algorithm.parameterDefinitions():
            if isinstance(definition, QgsProcessingParameterEnum):
                found[(algorithm.name(), definition.name())] = definition
    assert set(found) == set(DOCUMENTED), "a choice parameter DESIGN.md does not name, or one missing"
    for key, definition in found.items():
        words = DOCUMENTED[key]
        assert definition.usesStaticStrings() and sorted(definition.options()) == sorted(words), key
        assert definition.defaultValue() == words[0], key
        for index, word in enumerate(definition.options()):
            for value in (word, word.upper(), index, str(index)):
                assert definition.checkValueIsAcceptable(value, context), (key, value)
        for value in ("nonsense", len(words), -1):
            assert not definition.checkValueIsAcceptable(value, context), (key, value)


@pytest.fixture(scope="module")
def qgis_process(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    env = dict(os.environ, **prepare(tmp_path_factory.mktemp("build")))

    def run(algorithm, **parameters):
        arguments = [f"{name}={value}" for name, value in parameters.items()]
        done = subprocess.run(qgis_process_command() + ["run", f"chipvlm:{algorithm}", "--json", "--", *arguments],
                              capture_output=True, text=True, env=env, timeout=180)
        if done.returncode != 0:
            pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return json.loads(done.stdout[done.stdout.index("{"):])["results"]

    return run


@pytest.fixture(scope="module")
def cut_run(tmp_path_factory):
    raster, index, polygons = make_cut_run(str(tmp_path_factory.mktemp("cut")), count=6)
    layer = write_layer(str(Path(index).parent.parent / "objects.gpkg"), [p.wkt for p in polygons], crs="EPSG:32643")
    return raster, index, layer.source()


@pytest.mark.parametrize("style", ["words", "indexes"])
def test_qgis_process_cuts_jpeg_chips_with_fit_framing(qgis_process, cut_run, tmp_path, style):
    raster, _, layer = cut_run
    values = {"FORMAT": "JPEG", "FRAMING": "fit"} if style == "words" else {"FORMAT": 1, "FRAMING": 2}
    result = qgis_process("cutchips", INPUT=layer, RASTER=raster, CHIP_SIZE=64, OUTPUT_FOLDER=tmp_path / "run",
                          **values)
    assert result["CHIP_COUNT"] == 6
    assert {name.rsplit(".", 1)[1] for name in os.listdir(tmp_path / "run" / "chips")} == {"jpg"}
    framing = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))["framing"]
    assert framing["mode"] == "fit"


@pytest.mark.parametrize("style", ["words", "indexes"])
def test_qgis_process_classifies_through_the_openai_api(qgis_process, tmp_path, style):
    index = make_run(tmp_path / "run", range(1, 4))
    with FakeModelServer() as fake:
        result = qgis_process("classifychips", INDEX=index, ENDPOINTS=fake.url + "/v1", MODEL=fake.model,
                              API="openai" if style == "words" else 1)
    assert result["CLASSIFIED"] == 3
    assert {record.api for record in fake.records} == {"openai"}


@pytest.mark.parametrize("style", ["words", "indexes"])
def test_qgis_process_classifies_with_reasons_for_the_chips_to_review_only(qgis_process, tmp_path, style):
    index = make_run(tmp_path / "run", range(1, 9))
    with FakeModelServer() as fake:
        fake.unsure = {5}
        result = qgis_process("classifychips", INDEX=index, ENDPOINTS=fake.url, MODEL=fake.model,
                              REASONS="review" if style == "words" else 0)
    assert (result["CLASSIFIED"], result["NEEDS_REVIEW"]) == (8, 1)
    assert [(r.fids, r.class_only) for r in fake.records] == [(list(range(1, 9)), True), ([5], False)]
    assert_no_mixup(result["OUTPUT"], range(1, 9), fake)


@pytest.mark.parametrize("style", ["words", "indexes"])
def test_qgis_process_exports_a_coco_training_set(qgis_process, cut_run, tmp_path, style):
    _, index, _ = cut_run
    results = classify_rows(index, {fid: 4 for fid in range(1, 7)})
    review(results, {1: 2, 2: 2, 3: 5})
    values = {"INCLUDE": "reviewed", "FORMAT": "coco"} if style == "words" else {"INCLUDE": 0, "FORMAT": 1}
    result = qgis_process("exporttrainingset", RESULTS=results, OUTPUT_FOLDER=tmp_path / "set", **values)
    assert result["CHIP_COUNT"] == 3, "reviewed chips only"
    assert any(name.endswith(".json") for name in os.listdir(tmp_path / "set"))


@pytest.mark.parametrize("style", ["words", "indexes"])
def test_qgis_process_weights_the_accuracy_report_by_count(qgis_process, tmp_path, style):
    squares = [f"POLYGON(({x} 0, {x + 50} 0, {x + 50} 50, {x} 50, {x} 0))" for x in range(0, 600, 100)]
    layer = write_layer(str(tmp_path / "map.gpkg"), squares, crs="EPSG:32643")
    reference = tmp_path / "reference.csv"
    with open(reference, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fid", "class_id"])
        writer.writerows([fid, fid] for fid in range(1, 7))
    result = qgis_process("accuracyreport", INPUT=layer.source(), CLASS_FIELD="obj_id", FID_FIELD="obj_id",
                          REFERENCE=reference, WEIGHTS="count" if style == "words" else 1,
                          OUTPUT_HTML=tmp_path / "report.html", OUTPUT_TABLE=tmp_path / "table.csv")
    html = Path(result["OUTPUT_HTML"]).read_text(encoding="utf-8")
    assert "Strata weighted by the number of objects" in html
    assert result["OVERALL_ACCURACY"] == pytest.approx(1.0)


@pytest.mark.parametrize("fmt", ["csv", 2])
def test_a_model_gives_the_export_its_format_as_a_word_or_as_the_index_an_older_model_holds(
        chipvlm_provider, cut_run, tmp_path, fmt):
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
    )

    _, index, _ = cut_run
    results = classify_rows(index, {fid: 4 for fid in range(1, 7)})
    review(results, {1: 2, 2: 5})
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("export", "tests")
    export = QgsProcessingModelChildAlgorithm("chipvlm:exporttrainingset")
    export.setChildId("export")
    given = {"RESULTS": results, "FORMAT": fmt, "OUTPUT_FOLDER": str(tmp_path / "set")}
    for definition in chipvlm_provider.algorithm("exporttrainingset").parameterDefinitions():
        value = given.get(definition.name(), definition.defaultValue())
        if value is not None:
            export.addParameterSources(definition.name(), [static(value)])
    model.addChildAlgorithm(export)
    assert model.validate()[0], model.validate()[1]
    processing.run(model, {})
    assert os.path.isfile(tmp_path / "set" / "manifest.csv")
