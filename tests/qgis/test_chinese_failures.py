"""A Chinese analyst's runs that go wrong: what our algorithms write in the Processing log is Chinese.

The locale is zh_CN the way the plugin installs it. Each run fails (or half-fails) in a way an analyst
meets: a dead endpoint, a model the server lacks, an invalid answer split and retried, a scheme file that
is not one, a fid field the layer lacks, writeclasses refused by run.json. The log (infos, warnings,
progress texts) and the error that stops the algorithm may hold no English sentence (three English words
in a row) except the server's own words, which our messages quote.
"""
import json
import re
import socket

import pytest
from qgis.core import QgsProcessingException

from chipvlm.plugin.core.run_info import write_run_info
from fakes.ollama import STRANGER_FID, FakeModelServer
from fakes.runs import make_run
from helpers.chinese import english_in as english_of
from helpers.feedback import RecordingFeedback
from helpers.layers import write_layer
from helpers.review_data import grid_squares
from helpers.review_data import make_run as make_results
from helpers.synthetic import write_raster


def english_in(texts):
    """Server words and paths are quoted in our messages and stay as they are."""
    return english_of(texts, quoted_allowed=True)


def said(feedback, error=None):
    out = feedback.infos + feedback.warnings + feedback.texts + ([str(error)] if error is not None else [])
    return [t for t in out if not t.startswith("Results: {")]  # QGIS's own line after every algorithm


def run_logged(run_algorithm, algorithm, parameters):
    """(log lines, the error that stopped the run or None)."""
    feedback = RecordingFeedback()
    try:
        run_algorithm(algorithm, parameters, feedback)
    except QgsProcessingException as exc:
        # processing.run puts QGIS's own line (translated by QGIS) before the algorithm's error
        return said(feedback, str(exc).replace("Unable to execute algorithm\n", "")), exc
    return said(feedback), None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dead_endpoint_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 5))
    log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
        "INDEX": str(index), "ENDPOINTS": f"http://127.0.0.1:{free_port()}", "MODEL": "gemma3:27b",
        "SCHEME": "yili8"})
    assert error is not None
    assert not english_in(log), english_in(log)


def test_a_missing_model_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 5))
    with FakeModelServer(language="zh") as fake:
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": "gemma9:1b", "SCHEME": "yili8"})
    assert error is not None
    assert not english_in(log), english_in(log)


def test_an_invalid_answer_split_and_retried_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 9))
    with FakeModelServer(language="zh") as fake:
        fake.add_rule(STRANGER_FID, times=3)
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": "yili8",
            "BATCH_SIZE": 4})
    assert error is None
    assert len(log) > 3
    assert not english_in(log), english_in(log)


def test_a_scheme_file_that_is_not_one_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 5))
    scheme = tmp_path / "我的类别.json"
    scheme.write_text(json.dumps({"id": "mine", "name": "mine", "language": "zh",
                                  "classes": [{"id": "x", "name": "道路"}]}), encoding="utf-8")
    with FakeModelServer(language="zh") as fake:
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": str(scheme)})
    assert error is not None
    assert not english_in(log), english_in(log)


def test_a_fid_field_the_layer_lacks_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    raster = write_raster(str(tmp_path / "影像.tif"), 256, 256)
    layer = write_layer(str(tmp_path / "对象.gpkg"), ["POLYGON((500010 3999990,500050 3999990,"
                                                      "500050 3999950,500010 3999990))"], crs="EPSG:32643")
    log, error = run_logged(run_algorithm, "chipvlm:cutchips", {
        "INPUT": layer.source(), "RASTER": raster, "FID_FIELD": "nowhere", "OUTPUT_FOLDER": str(tmp_path / "运行")})
    assert error is not None
    assert not english_in(log), english_in(log)


def test_writeclasses_refused_by_run_json_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    run = make_results(str(tmp_path / "运行"), {seg: (seg % 8 + 1, False) for seg in range(20)}, chip_maker=None)
    layer = write_layer(str(tmp_path / "对象.gpkg"), grid_squares(20), crs="EPSG:26914",
                        fids=list(range(20)), fid_field="seg_id")
    write_run_info(str(tmp_path / "运行"), {
        "layer_source": layer.source(), "layer_name": layer.name(), "fid_field": "seg_id",
        "feature_count": layer.featureCount(), "raster": "/data/naip.tif", "crs": "EPSG:26914", "chip_size": 512,
        "framing": {"mode": "auto"}, "plugin_version": "0.2.0", "created_at": "2026-12-01T08:00:00+00:00"})
    log, error = run_logged(run_algorithm, "chipvlm:writeclasses", {
        "INPUT": layer, "RESULTS": run, "IN_PLACE": True, "FID_FIELD": "fid"})
    assert error is not None
    assert not english_in(log), english_in(log)


@pytest.mark.parametrize("with_a_live_one", [True, False])
def test_the_classify_task_tells_a_dead_endpoint_in_chinese(chinese, qgis_iface, tmp_path, with_a_live_one):
    """The classify dialog's task writes what the run says into QGIS's log (ChipVLM tab) and ends with
    a sentence in the message bar."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtTest import QTest

    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
    from chipvlm.plugin.core.classify.run.options import ClassifyOptions
    from chipvlm.plugin.gui.classify_task import ClassifyTask, running_tasks, start_task
    from fakes.runs import fast_policy

    index = make_run(tmp_path / "运行", range(1, 11))
    with FakeModelServer(language="zh") as fake:
        endpoints = [EndpointConfig("gpu1", f"http://127.0.0.1:{free_port()}", model="gemma3:27b", timeout=5)]
        if with_a_live_one:
            endpoints.insert(0, EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5))
        task = ClassifyTask(ClassifyOptions(str(index), endpoints, "yili8", batch_size=5,
                                            policy=fast_policy()), iface=qgis_iface)
        ended = []
        task.runFinished.connect(lambda summary, error: ended.append((summary, error)))
        start_task(task)
        for _ in range(2000):
            if ended and not running_tasks():
                break
            QgsApplication.processEvents()
            QTest.qWait(10)
    assert ended
    summary, error = ended[0]
    if with_a_live_one:
        assert error == "" and summary.classified == 10
        assert any("gpu1" in m for m in task.messages), task.messages
    else:
        assert "gpu1" in error
    said = task.messages + [error, task.report()[0]]
    assert not english_in(said), english_in(said)


def test_the_same_server_given_twice_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 5))
    with FakeModelServer(language="zh") as fake:
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": f"{fake.url}, {fake.url.replace('127.0.0.1', 'localhost')}",
            "MODEL": "gemma3:27b", "SCHEME": "yili8"})
    assert error is None
    assert any("ollama serve" in line for line in log), log
    assert not english_in(log), english_in(log)


def test_an_endpoint_that_drops_out_mid_run_is_told_in_chinese(chinese, run_algorithm, tmp_path):
    from fakes.ollama import DROP_CONNECTION

    index = make_run(tmp_path / "运行", range(1, 21))
    with FakeModelServer(language="zh") as first, FakeModelServer(language="zh") as second:
        first.add_rule(DROP_CONNECTION)
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": f"{first.url}, {second.url}", "MODEL": "gemma3:27b",
            "SCHEME": "yili8", "BATCH_SIZE": 2})
    assert error is None
    assert any("暂停" in line for line in log), log
    assert not english_in(log), english_in(log)


def test_index_rows_without_a_chip_are_counted_in_chinese(chinese, run_algorithm, tmp_path):
    index = make_run(tmp_path / "运行", range(1, 7), statuses={2: "error", 3: "outside", 4: "empty_geometry"})
    with FakeModelServer(language="zh") as fake:
        log, error = run_logged(run_algorithm, "chipvlm:classifychips", {
            "INDEX": str(index), "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": "yili8"})
    assert error is None
    skipped = [line for line in log if "未发送" in line]
    assert len(skipped) == 1 and not re.search("[A-Za-z]", skipped[0]), skipped  # the index's status codes named
    assert not english_in(log), english_in(log)


def test_a_run_whose_only_endpoint_stops_answering_stops_in_chinese(chinese, qgis_iface, tmp_path):
    """The server answers the check, then drops every request: the run pauses it, then stops."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtTest import QTest

    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
    from chipvlm.plugin.core.classify.run.options import ClassifyOptions
    from chipvlm.plugin.gui.classify_task import ClassifyTask, running_tasks, start_task
    from fakes.ollama import DROP_CONNECTION
    from fakes.runs import fast_policy

    index = make_run(tmp_path / "运行", range(1, 11))
    with FakeModelServer(language="zh") as fake:
        fake.add_rule(DROP_CONNECTION)
        task = ClassifyTask(ClassifyOptions(str(index),
                                            [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)],
                                            "yili8", batch_size=5, policy=fast_policy()), iface=qgis_iface)
        ended = []
        task.runFinished.connect(lambda summary, error: ended.append((summary, error)))
        start_task(task)
        for _ in range(3000):
            if ended and not running_tasks():
                break
            QgsApplication.processEvents()
            QTest.qWait(10)
    assert ended and ended[0][1], ended
    said = task.messages + [ended[0][1]]
    assert any("暂停" in line for line in said), said
    assert not english_in(said), english_in(said)
    # durations in Chinese units, the endpoint named once per sentence
    assert not [line for line in said if re.search(r"\d (?:s|min|h)\b", line) or "无响应(gpu0" in line], said
