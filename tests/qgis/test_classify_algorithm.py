"""The analyst runs "Classify chips" (chipvlm:classifychips) from the Toolbox, the modeler and qgis_process.

Every model server here is a fake Ollama on 127.0.0.1 (tests/fakes/ollama.py) that answers with class
``fid % 8 + 1`` and a reason naming the fid, so a mixed-up fid shows.
"""
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingParameterDefinition

from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, make_run
from helpers.feedback import RecordingFeedback

ROOT = Path(__file__).resolve().parents[2]
MODEL = "gemma3:27b"
DESIGN_PARAMETERS = ["INDEX", "ENDPOINTS", "MODEL", "SCHEME", "BATCH_SIZE", "LIMIT", "RETRY_ERRORS", "OUTPUT"]
DESIGN_OUTPUTS = {"OUTPUT", "RESULTS_CSV", "CLASSIFIED", "ERRORS", "NEEDS_REVIEW"}


class Feedback(RecordingFeedback):
    """Also keeps the errors, and when it was canceled."""

    def __init__(self, cancel_after_progress=None):
        super().__init__(cancel_after_progress)
        self.errors = []
        self.canceled_at = None

    def reportError(self, error, fatalError=False):
        self.errors.append(error)
        super().reportError(error, fatalError)

    def cancel(self):
        self.canceled_at = time.monotonic()
        super().cancel()


def closed_port_url():
    """A URL where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def classify(run_algorithm, index, endpoints, feedback=None, **parameters):
    values = {"INDEX": str(index), "ENDPOINTS": endpoints, "MODEL": MODEL}
    values.update(parameters)
    return run_algorithm("chipvlm:classifychips", values, feedback or Feedback())


def failure_text(run_algorithm, parameters):
    """The algorithm's own sentence, which processing.run passes on in its exception."""
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:classifychips", parameters, Feedback())
    return str(raised.value)


def stored(store_path):
    con = sqlite3.connect(str(store_path))
    try:
        return {fid: endpoint for fid, endpoint in con.execute("SELECT fid, endpoint FROM results")}
    finally:
        con.close()


@pytest.fixture()
def saved_endpoints():
    """Save endpoints in the plugin settings as the settings dialog does; the old value comes back after."""
    from qgis.core import QgsSettings

    from chipvlm.plugin import settings

    old = QgsSettings().value(settings.ENDPOINTS_KEY, None)
    yield settings.save_endpoints
    if old is None:
        QgsSettings().remove(settings.ENDPOINTS_KEY)
    else:
        QgsSettings().setValue(settings.ENDPOINTS_KEY, old)


def test_parameter_and_output_names_are_those_of_design_md(chipvlm_provider):
    algorithm = QgsApplication.processingRegistry().algorithmById("chipvlm:classifychips")
    assert algorithm is not None and algorithm.provider().id() == "chipvlm"
    names = [p.name() for p in algorithm.parameterDefinitions()]
    assert [n for n in names if n in DESIGN_PARAMETERS] == DESIGN_PARAMETERS
    for name in set(names) - set(DESIGN_PARAMETERS):  # our extras are the rarely changed ones
        assert algorithm.parameterDefinition(name).flags() & QgsProcessingParameterDefinition.Flag.FlagAdvanced
    assert {o.name() for o in algorithm.outputDefinitions()} == DESIGN_OUTPUTS
    definition = algorithm.parameterDefinition
    assert definition("BATCH_SIZE").defaultValue() == 10
    assert definition("RETRY_ERRORS").defaultValue() is True
    assert definition("LIMIT").defaultValue() == 0
    assert definition("SCHEME").defaultValue() == "yili8" and "landcover_en" in definition("SCHEME").description()
    for advanced in ("LIMIT", "RETRY_ERRORS"):
        assert definition(advanced).flags() & QgsProcessingParameterDefinition.Flag.FlagAdvanced
    assert definition("ENDPOINTS").flags() & QgsProcessingParameterDefinition.Flag.FlagOptional


def test_one_endpoint_classifies_every_chip_into_results_beside_the_index(run_algorithm, tmp_path):
    index = make_run(tmp_path / "run", range(1, 26))
    with FakeModelServer() as fake:
        result, feedback = classify(run_algorithm, index, fake.url)
    assert result["OUTPUT"] == str(tmp_path / "run" / "results.sqlite")
    assert result["RESULTS_CSV"] == str(tmp_path / "run" / "results.csv")
    assert os.path.isfile(result["RESULTS_CSV"])
    assert (result["CLASSIFIED"], result["ERRORS"], result["NEEDS_REVIEW"]) == (25, 0, 0)
    assert_no_mixup(result["OUTPUT"], range(1, 26), fake)
    assert {len(r.fids) for r in fake.records} == {10, 5}, "BATCH_SIZE 10 by default"
    assert feedback.progress_values[-1] == 100
    assert any("25/25 chips" in text and "chips/min" in text for text in feedback.texts + feedback.infos)
    assert any("25 chips classified" in info for info in feedback.infos)


def test_two_endpoints_share_one_run_without_mixing_fids(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 61))
    output = tmp_path / "elsewhere" / "two_gpus.sqlite"
    with FakeModelServer(delay=0.05) as gpu0, FakeModelServer(delay=0.05) as gpu1:
        result, feedback = classify(run_algorithm, index, f"{gpu0.url}, {gpu1.url}", BATCH_SIZE=5,
                                    OUTPUT=str(output))
    assert result["OUTPUT"] == str(output) and result["CLASSIFIED"] == 60
    assert gpu0.records and gpu1.records, "both endpoints got work"
    asked = [f for r in gpu0.records + gpu1.records for f in r.fids]
    assert sorted(asked) == list(range(1, 61)), "each chip asked once"
    assert_no_mixup(output, range(1, 61), gpu0)
    endpoints = stored(output)
    for fake in (gpu0, gpu1):
        name = fake.url.split("//")[1]
        assert {f for f, e in endpoints.items() if e == name} == {f for r in fake.records for f in r.fids}
        assert any(f"{name}: " in text for text in feedback.texts), "per-endpoint counts in the progress"


def test_the_same_server_under_two_names_is_used_once_and_the_user_is_told(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 11))
    with FakeModelServer() as fake:
        port = fake.url.rsplit(":", 1)[1]
        result, feedback = classify(run_algorithm, index, f"{fake.url}, http://localhost:{port}/")
    assert result["CLASSIFIED"] == 10
    assert any("same server" in w and "one 'ollama serve' per GPU" in w for w in feedback.warnings)


def test_missing_chip_files_become_errors_and_are_reported(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 11), statuses={4: "outside"})
    os.remove(tmp_path / "chips" / "000007.png")
    with FakeModelServer() as fake:
        result, feedback = classify(run_algorithm, index, fake.url)
    assert (result["CLASSIFIED"], result["ERRORS"], result["NEEDS_REVIEW"]) == (8, 1, 1)
    assert any("not found" in w and "000007.png" in w for w in feedback.warnings)
    assert any("1 outside" in info for info in feedback.infos), "index rows without a chip are counted"
    assert_no_mixup(result["OUTPUT"], [f for f in range(1, 11) if f != 4], fake, allow_errors={7})


def test_empty_endpoints_use_the_endpoints_saved_in_the_settings(run_algorithm, saved_endpoints, tmp_path):
    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig

    index = make_run(tmp_path, range(1, 13))
    with FakeModelServer() as fake:
        saved_endpoints([EndpointConfig("office-gpu", fake.url, model=MODEL, timeout=5)])
        result, feedback = run_algorithm("chipvlm:classifychips", {"INDEX": str(index)}, Feedback())
    assert result["CLASSIFIED"] == 12 and fake.records
    assert set(stored(result["OUTPUT"]).values()) == {"office-gpu"}
    assert any("office-gpu" in info for info in feedback.infos)
    assert_no_mixup(result["OUTPUT"], range(1, 13), fake)


def test_model_replaces_the_model_of_the_saved_endpoints(run_algorithm, saved_endpoints, tmp_path):
    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig

    index = make_run(tmp_path, range(1, 6))
    with FakeModelServer(model="gemma4:31b") as fake:
        saved_endpoints([EndpointConfig("office-gpu", fake.url, model="gemma3:4b", timeout=5)])
        result, _ = run_algorithm("chipvlm:classifychips", {"INDEX": str(index), "MODEL": "gemma4:31b"},
                                  Feedback())
    assert result["CLASSIFIED"] == 5 and {r.model for r in fake.records} == {"gemma4:31b"}


def test_a_saved_gateway_gets_its_api_key_from_the_auth_database_and_nowhere_else(
        run_algorithm, saved_endpoints, tmp_path):
    from qgis.core import QgsAuthMethodConfig, QgsSettings

    from chipvlm.plugin import settings
    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig

    manager = QgsApplication.authManager()  # pytest-qgis's profile is a temporary one
    assert manager.setMasterPassword("test-master", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("Open WebUI key")
    config.setConfig("username", "")
    config.setConfig("password", "sk-webui-7788")
    stored_ok = manager.storeAuthenticationConfig(config)
    assert (stored_ok[0] if isinstance(stored_ok, tuple) else stored_ok) and config.id()
    index = make_run(tmp_path, range(1, 9))
    try:
        with FakeModelServer(api_key="sk-webui-7788") as webui:
            saved_endpoints([EndpointConfig("webui", webui.url + "/api", api="openai", model=MODEL, timeout=5,
                                            authcfg=config.id())])
            result, feedback = run_algorithm("chipvlm:classifychips", {"INDEX": str(index)}, Feedback())
    finally:
        manager.removeAuthenticationConfig(config.id())
    assert result["CLASSIFIED"] == 8
    assert {r.authorization for r in webui.records} == {"Bearer sk-webui-7788"}
    assert_no_mixup(result["OUTPUT"], range(1, 9), webui)
    assert "sk-webui-7788" not in str(QgsSettings().value(settings.ENDPOINTS_KEY))
    assert "sk-webui-7788" not in " ".join(feedback.infos + feedback.warnings + feedback.texts)
    for written in (tmp_path / "results.sqlite", tmp_path / "results.csv"):
        assert b"sk-webui-7788" not in written.read_bytes()


def test_no_endpoint_anywhere_is_a_clear_error(run_algorithm, saved_endpoints, tmp_path):
    saved_endpoints([])
    index = make_run(tmp_path, range(1, 4))
    text = failure_text(run_algorithm, {"INDEX": str(index)})
    assert "No endpoint to send chips to" in text and "settings" in text


def test_a_dead_endpoint_is_a_clear_error_naming_it(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 6))
    dead = closed_port_url()
    started = time.monotonic()
    text = failure_text(run_algorithm, {"INDEX": str(index), "ENDPOINTS": dead, "MODEL": MODEL})
    assert time.monotonic() - started < 10
    assert "No endpoint can classify chips" in text and dead in text and "does not answer" in text
    assert text.count(dead) == 1, "the endpoint is named once, not once per layer of the error"


def test_a_run_stopped_by_its_dead_endpoint_says_so_once(run_algorithm, tmp_path):
    """qgis_process printed the same sentence as a warning and again in the error (3-4 times in all)."""
    from helpers.feedback import RecordingFeedback

    index = make_run(tmp_path, range(1, 6))
    dead = closed_port_url()
    feedback = RecordingFeedback()
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:classifychips", {"INDEX": str(index), "ENDPOINTS": dead, "MODEL": MODEL}, feedback)
    assert dead in str(raised.value)
    assert not [line for line in feedback.warnings + feedback.infos + feedback.texts if dead in line]


def test_a_dead_endpoint_among_two_does_not_stop_the_run(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 21))
    dead = closed_port_url()
    with FakeModelServer() as alive:
        result, feedback = classify(run_algorithm, index, f"{dead}, {alive.url}", BATCH_SIZE=5)
    assert result["CLASSIFIED"] == 20
    assert any(dead in w and "does not answer" in w for w in feedback.warnings)
    assert_no_mixup(result["OUTPUT"], range(1, 21), alive)


def test_an_unknown_model_is_named_in_the_error(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer() as fake:
        text = failure_text(run_algorithm, {"INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": "gemma9:1t"})
    assert "gemma9:1t" in text


@pytest.mark.parametrize("parameters, expected", [
    ({"SCHEME": "yili9"}, "Class scheme 'yili9' not found"),
    ({"INDEX": "/nowhere/chips_index.csv"}, "does not exist; run 'Cut chips' first"),
    ({"ENDPOINTS": "http://"}, "is not a server address"),
])
def test_bad_input_gets_the_engines_sentence(run_algorithm, tmp_path, parameters, expected):
    index = make_run(tmp_path, range(1, 4))
    values = {"INDEX": str(index), "ENDPOINTS": closed_port_url(), "MODEL": MODEL}
    values.update(parameters)
    assert expected in failure_text(run_algorithm, values)


def test_a_scheme_from_a_json_file(run_algorithm, tmp_path):
    from chipvlm.plugin.core.schemes import load_scheme

    scheme = json.loads(load_scheme("landcover_en").to_json())
    scheme["id"] = "my_classes"
    path = tmp_path / "my_classes.json"
    path.write_text(json.dumps(scheme), encoding="utf-8")
    index = make_run(tmp_path, range(1, 8))
    with FakeModelServer(language="en", classes=len(scheme["classes"]) - 2) as fake:
        result, _ = classify(run_algorithm, index, fake.url, SCHEME=str(path))
    assert result["CLASSIFIED"] == 7
    assert_no_mixup(result["OUTPUT"], range(1, 8), fake)


def test_cancel_keeps_finished_batches_and_a_rerun_finishes(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 41))
    # 10 of 40 chips: a bit under 25 %, since the bar keeps a chip's worth for the reasons pass (RunBar)
    feedback = Feedback(cancel_after_progress=20)
    with FakeModelServer(delay=0.3) as slow:
        result, feedback = classify(run_algorithm, index, slow.url, feedback, BATCH_SIZE=5)
        returned = time.monotonic()
    assert feedback.canceled_at is not None
    assert returned - feedback.canceled_at < 1.5, "stopped within about a second of the cancel"
    assert 10 <= result["CLASSIFIED"] < 40 and result["ERRORS"] == 0
    assert any("Canceled" in w for w in feedback.warnings)
    done = set(stored(result["OUTPUT"]))
    assert len(done) == result["CLASSIFIED"]

    with FakeModelServer() as again:
        rerun, _ = classify(run_algorithm, index, again.url, BATCH_SIZE=5)
    assert rerun["CLASSIFIED"] == 40
    assert not done & {f for r in again.records for f in r.fids}, "the rerun does not redo finished chips"
    assert_no_mixup(rerun["OUTPUT"], range(1, 41), again)


class ModelRemovedFeedback(Feedback):
    """Someone removes the model from the only server once the run is a quarter done."""

    def __init__(self, fake):
        super().__init__()
        self.fake = fake

    def setProgress(self, progress):
        super().setProgress(progress)
        if progress >= 25:
            self.fake.model = "removed"


def test_a_run_whose_last_endpoint_fails_says_that_finished_work_is_saved(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 41))
    with FakeModelServer(delay=0.2) as fake:
        feedback = ModelRemovedFeedback(fake)
        with pytest.raises(QgsProcessingException) as raised:
            classify(run_algorithm, index, fake.url, feedback, BATCH_SIZE=5)
    text = str(raised.value)
    assert "The run stopped because every endpoint is out of the run" in text and "not found" in text
    assert "were classified and saved" in text and str(tmp_path / "results.sqlite") in text
    with ResultsStore(tmp_path / "results.sqlite") as store:
        saved = store.counts()
    assert 10 <= saved["classified"] < 40 and saved["errors"] == 0, "finished batches kept, nothing marked failed"
    with FakeModelServer() as again:
        rerun, _ = classify(run_algorithm, index, again.url, BATCH_SIZE=5)
    assert rerun["CLASSIFIED"] == 40
    assert_no_mixup(rerun["OUTPUT"], range(1, 41), again)


def test_limit_and_retry_errors(run_algorithm, tmp_path):
    index = make_run(tmp_path, range(1, 21))
    with ResultsStore(tmp_path / "results.sqlite") as store:
        store.record_results([ResultRow(fid=1, chip_path="chips/000001.png", class_id=-1, class_name="ERROR",
                                        reason="timeout", needs_review=True)])
    with FakeModelServer() as fake:
        first, _ = classify(run_algorithm, index, fake.url, LIMIT=6, RETRY_ERRORS=False)
        assert (first["CLASSIFIED"], first["ERRORS"]) == (6, 1)
        assert 1 not in {f for r in fake.records for f in r.fids}
        second, _ = classify(run_algorithm, index, fake.url)
    assert (second["CLASSIFIED"], second["ERRORS"]) == (20, 0)
    assert_no_mixup(second["OUTPUT"], range(1, 21), fake)


def _objects_over(raster, tmp_path):
    from helpers.layers import write_layer
    from helpers.real_data import raster_bounds

    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    boxes = [(cx + dx, cy + dy) for dx, dy in ((0, 0), (-20000, 0), (0, -15000), (15000, 10000))]
    wkts = [f"POLYGON(({x} {y},{x + 3000} {y},{x + 3000} {y + 2000},{x} {y + 2000},{x} {y}))" for x, y in boxes]
    return write_layer(str(tmp_path / "objects.gpkg"), wkts, crs=crs.to_string(), fids=[11, 5, 230, 42])


def test_cut_chips_then_classify_them_on_a_real_raster(run_algorithm, tmp_path):
    from helpers.real_data import real_raster

    raster = real_raster("RGB.byte.tif")
    layer = _objects_over(raster, tmp_path)
    cut, _ = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id",
                                                "CHIP_SIZE": 128, "OUTPUT_FOLDER": str(tmp_path / "run")})
    assert cut["CHIP_COUNT"] == 4
    with FakeModelServer() as fake:
        result, _ = classify(run_algorithm, cut["INDEX"], fake.url)
    assert result["OUTPUT"] == str(tmp_path / "run" / "results.sqlite")
    assert result["CLASSIFIED"] == cut["CHIP_COUNT"]
    assert_no_mixup(result["OUTPUT"], [11, 5, 230, 42], fake)
    assert sorted(fake.records[0].fids) == [5, 11, 42, 230]


def test_a_model_chains_the_index_of_cutchips_into_classifychips(chipvlm_provider, tmp_path):
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
        QgsProcessingParameterString,
    )
    from qgis.gui import QgsGui

    from helpers.real_data import real_raster

    raster = real_raster("RGB.byte.tif")
    layer = _objects_over(raster, tmp_path)
    model = QgsProcessingModelAlgorithm("cut and classify", "tests")
    model.addModelParameter(QgsProcessingParameterString("endpoints", "Endpoints"),
                            QgsProcessingModelParameter("endpoints"))

    cut = QgsProcessingModelChildAlgorithm("chipvlm:cutchips")
    cut.setChildId("cut")
    cut.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromStaticValue(layer.source())])
    cut.addParameterSources("RASTER", [QgsProcessingModelChildParameterSource.fromStaticValue(raster)])
    cut.addParameterSources("CHIP_SIZE", [QgsProcessingModelChildParameterSource.fromStaticValue(96)])
    cut.addParameterSources("OUTPUT_FOLDER", [
        QgsProcessingModelChildParameterSource.fromStaticValue(str(tmp_path / "run"))])
    model.addChildAlgorithm(cut)

    classify_child = QgsProcessingModelChildAlgorithm("chipvlm:classifychips")
    classify_child.setChildId("classify")
    classify_child.addParameterSources("INDEX", [QgsProcessingModelChildParameterSource.fromChildOutput("cut", "INDEX")])
    classify_child.addParameterSources("ENDPOINTS", [
        QgsProcessingModelChildParameterSource.fromModelParameter("endpoints")])
    classify_child.addParameterSources("MODEL", [QgsProcessingModelChildParameterSource.fromStaticValue(MODEL)])
    counted = QgsProcessingModelOutput("classified")
    counted.setChildOutputName("CLASSIFIED")
    counted.setChildId("classify")
    classify_child.setModelOutputs({"classified": counted})
    model.addChildAlgorithm(classify_child)
    for child in (cut, classify_child):  # the modeler fills the rest with their defaults, as here
        child = model.childAlgorithm(child.childId())
        for parameter in child.algorithm().parameterDefinitions():
            if not child.parameterSources().get(parameter.name()) and not parameter.isDestination():
                child.addParameterSources(parameter.name(), [
                    QgsProcessingModelChildParameterSource.fromStaticValue(parameter.defaultValue())])
    assert model.validate()[0], model.validate()[1]

    # the modeler offers cutchips' INDEX as a source for classifychips' INDEX
    definition = QgsApplication.processingRegistry().algorithmById("chipvlm:classifychips").parameterDefinition("INDEX")
    assert isinstance(definition, QgsProcessingParameterFile)
    widget = QgsGui.processingGuiRegistry().createModelerParameterWidget(
        model, "classify", definition, QgsProcessingContext())
    from qgis.PyQt.QtWidgets import QComboBox

    offered = [box.itemText(i) for box in widget.findChildren(QComboBox) for i in range(box.count())]
    assert any(text.startswith("“Chips index (chips_index.csv)”") for text in offered), offered

    with FakeModelServer() as fake:
        result = processing.run(model, {"endpoints": fake.url}, feedback=Feedback())
    from helpers.models import model_output

    assert model_output(result, "classify", "classified", "CLASSIFIED") == 4, result
    # not a model output: the results land beside the index, where a rerun finds them
    assert_no_mixup(tmp_path / "run" / "results.sqlite", [1, 2, 3, 4], fake)


def test_qgis_process_classifies_against_a_server_in_this_process(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_env import prepare, qgis_process_command

    index = make_run(tmp_path / "run", range(1, 16))
    env = dict(os.environ, **prepare(tmp_path / "build"))
    with FakeModelServer() as fake:
        done = subprocess.run(
            qgis_process_command() + ["run", "chipvlm:classifychips", "--json", "--", f"INDEX={index}",
                                      f"ENDPOINTS={fake.url}", f"MODEL={MODEL}", "BATCH_SIZE=4"],
            capture_output=True, text=True, env=env, timeout=180)
    if done.returncode != 0:
        pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert result["OUTPUT"] == str(tmp_path / "run" / "results.sqlite")
    assert (result["CLASSIFIED"], result["ERRORS"]) == (15, 0)
    assert {len(r.fids) for r in fake.records} == {4, 3}
    assert_no_mixup(result["OUTPUT"], range(1, 16), fake)


def test_review_below_flags_results_the_model_was_unsure_of(run_algorithm, tmp_path):
    index = make_run(tmp_path / "run", range(1, 21))
    with FakeModelServer() as fake:
        result, _ = classify(run_algorithm, index, fake.url, REVIEW_BELOW=0.7)
    unsure = {fid for fid in range(1, 21) if fake.expected_confidence(fid) < 0.7}
    assert unsure and result["NEEDS_REVIEW"] == len(unsure)
    con = sqlite3.connect(result["OUTPUT"])
    try:
        rows = {r[0]: r[1:] for r in con.execute("SELECT fid, confidence, needs_review, reason FROM results")}
    finally:
        con.close()
    assert {fid for fid, row in rows.items() if row[1] == 1} == unsure
    assert all(rows[fid][0] == pytest.approx(fake.expected_confidence(fid)) for fid in rows)
    # REASONS=review (the default): the unsure chips got their reason in the reasons pass, the others none
    assert all(rows[fid][2] == (fake.expected_reason(fid) if fid in unsure else "") for fid in rows)
    algorithm = QgsApplication.processingRegistry().algorithmById("chipvlm:classifychips")
    assert algorithm.parameterDefinition("REVIEW_BELOW").defaultValue() == 0


def stored_reasons(path):
    con = sqlite3.connect(path)
    try:
        return {fid: (reason, review) for fid, reason, review in con.execute(
            "SELECT fid, reason, needs_review FROM results")}
    finally:
        con.close()


@pytest.mark.parametrize("reasons", ["review", "all", "none", 2])
def test_reasons_from_the_toolbox(run_algorithm, tmp_path, reasons):
    """REASONS: review (default) asks the unsure chips again for their reason, all gives every chip one
    in the first answer, none (or its index, 2) never asks for one; the classes are the same."""
    index = make_run(tmp_path / "run", range(1, 21))
    with FakeModelServer() as fake:
        fake.unsure = {4, 9}
        parameters = {} if reasons == "review" else {"REASONS": reasons}
        result, feedback = classify(run_algorithm, index, fake.url, **parameters)
    assert (result["CLASSIFIED"], result["NEEDS_REVIEW"]) == (20, 2)
    rows = stored_reasons(result["OUTPUT"])
    class_only = {tuple(r.fids): r.class_only for r in fake.records}
    if reasons == "review":
        assert sorted(fids for fids, only in class_only.items() if not only) == [(4, 9)]
        assert_no_mixup(result["OUTPUT"], range(1, 21), fake)
        assert [rows[f][0] for f in (4, 9)] == [fake.expected_reason(4), fake.expected_reason(9)]
        assert any("Reasons pass: 2 chips to review asked for their reason, 2 reasons stored" in info
                   for info in feedback.infos)
    elif reasons == "all":
        assert not any(class_only.values())
        assert all(rows[f][0] == fake.expected_reason(f) for f in rows)
    else:
        assert all(class_only.values()) and all(reason == "" for reason, _ in rows.values())
        assert not any("Reasons pass" in text for text in feedback.infos + feedback.warnings)


class ProgressFeedback(Feedback):
    """Keeps each progress text with the percentage the bar showed when it came."""

    def __init__(self):
        super().__init__()
        self.shown = []  # (percent, text)

    def setProgressText(self, text):
        self.shown.append((self.progress_values[-1] if self.progress_values else 0.0, text))
        super().setProgressText(text)


def test_the_bar_is_under_100_and_says_so_while_the_toolbox_asks_the_reasons(run_algorithm, tmp_path):
    index = make_run(tmp_path / "run", range(1, 21))
    feedback = ProgressFeedback()
    with FakeModelServer() as fake:
        fake.unsure = {4, 9, 15}
        result, feedback = classify(run_algorithm, index, fake.url, feedback, BATCH_SIZE=5)
    assert result["CLASSIFIED"] == 20 and stored_reasons(result["OUTPUT"])[9][0] == fake.expected_reason(9)
    values = feedback.progress_values
    assert values == sorted(values) and values[-1] == pytest.approx(100), "never back, 100 % at the end"
    reasons = [(percent, text) for percent, text in feedback.shown if text.startswith("reasons: ")]
    assert reasons and reasons[0][1].startswith("reasons: 0/3 chips") and reasons[0][0] < 100
    assert reasons[-1][1].startswith("reasons: 3/3 chips") and reasons[-1][0] == pytest.approx(100)
    first = [percent for percent, text in feedback.shown if "/20 chips" in text and "reasons" not in text]
    assert first and all(p < 100 for p in first), "the first pass is not the whole run"


# -- how long a run should take (issue 19 point 4) -------------------------------------------------------
@pytest.fixture()
def measured_speeds():
    """The speeds the endpoint Test keeps in the settings; the old value comes back after."""
    from qgis.core import QgsSettings

    from chipvlm.plugin import settings

    key = settings.ENDPOINT_SPEEDS.full_key
    old = QgsSettings().value(key, None)
    QgsSettings().remove(key)
    yield settings
    if old is None:
        QgsSettings().remove(key)
    else:
        QgsSettings().setValue(key, old)


def test_the_log_says_how_long_the_run_should_take_on_the_endpoints_the_test_measured(
        run_algorithm, saved_endpoints, measured_speeds, tmp_path):
    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
    from chipvlm.plugin.core.classify.speed.probe import SpeedProbe

    index = make_run(tmp_path, range(1, 13))
    with FakeModelServer() as gpu0, FakeModelServer() as gpu1:
        saved = [EndpointConfig("gpu0", gpu0.url, model=MODEL, timeout=5),
                 EndpointConfig("gpu1", gpu1.url, model=MODEL, timeout=5)]
        saved_endpoints(saved)
        # the endpoint Test measured gpu0 (2 chips: 6 s alone, 12 s for two at once: one after the other)
        measured_speeds.remember_speed(saved[0], SpeedProbe(chips=2, first_s=30.0, single_s=6.0, pair_s=12.0))
        result, feedback = run_algorithm("chipvlm:classifychips", {"INDEX": str(index)}, Feedback())
        assert result["CLASSIFIED"] == 12
        said = feedback.warnings + feedback.infos
        assert ("At the measured speed this run should take about 36 s for 12 chips on 1 endpoint (gpu0 3.0 s/chip). "
                "Not measured, so not counted: gpu1.") in said

        # the same servers given as URLs: a speed belongs to the server and model, whatever the name
        measured_speeds.remember_speed(saved[1], SpeedProbe(chips=2, first_s=30.0, single_s=6.0, pair_s=6.4))
        again, feedback = classify(run_algorithm, make_run(tmp_path / "b", range(1, 201)),
                                   f"{gpu0.url},{gpu1.url}")
    assert again["CLASSIFIED"] == 200
    estimate = [line for line in feedback.warnings + feedback.infos if "should take" in line]
    assert estimate == [f"At the measured speed this run should take about 3 min for 200 chips on 2 endpoints "
                        f"({gpu0.url.split('//')[1]} 3.0 s/chip, {gpu1.url.split('//')[1]} 1.6 s/chip)."]


def test_the_log_says_when_the_endpoints_were_never_measured(run_algorithm, measured_speeds, tmp_path):
    index = make_run(tmp_path, range(1, 6))
    with FakeModelServer() as fake:
        _, feedback = classify(run_algorithm, index, fake.url)
    assert any(line.startswith("No time estimate for 5 chips: the endpoints have not been measured yet")
               for line in feedback.warnings)
