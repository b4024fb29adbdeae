"""Classify chips through gateways from the Toolbox (processing.run), as a headless user does (issue 8).

Open WebUI here is tests/fakes/open_webui.py in front of the fake Ollama; the key comes from the
environment variable named by API_KEY_ENV, and every output a user or a log can see is scanned for it.
"""
import sqlite3

import pytest
from qgis.core import QgsApplication, QgsProcessingException

from fakes.ollama import FakeModelServer
from fakes.open_webui import FakeOpenWebUI
from fakes.runs import assert_no_mixup, make_run
from helpers.feedback import RecordingFeedback

MODEL = "gemma3:27b"
KEY = "sk-owui-5f1e-secret"


class ScanningFeedback(RecordingFeedback):
    """Keeps everything the algorithm says, on every channel, and what reaches QGIS's message log."""

    def __init__(self):
        super().__init__()
        self.everything = []
        self._log = QgsApplication.messageLog()
        self._log.messageReceived.connect(self._logged)

    def _logged(self, message, tag, level):
        self.everything.append(message)

    def close(self):
        self._log.messageReceived.disconnect(self._logged)

    def pushInfo(self, info):
        self.everything.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):
        self.everything.append(warning)
        super().pushWarning(warning)

    def pushCommandInfo(self, info):
        self.everything.append(info)
        super().pushCommandInfo(info)

    def pushDebugInfo(self, info):
        self.everything.append(info)
        super().pushDebugInfo(info)

    def pushConsoleInfo(self, info):
        self.everything.append(info)
        super().pushConsoleInfo(info)

    def reportError(self, error, fatalError=False):
        self.everything.append(error)
        super().reportError(error, fatalError)

    def setProgressText(self, text):
        self.everything.append(text)
        super().setProgressText(text)


@pytest.fixture()
def scanning():
    made = []

    def make():
        made.append(ScanningFeedback())
        return made[-1]

    yield make
    for feedback in made:
        feedback.close()


def classify(run_algorithm, feedback, **parameters):
    values = {"MODEL": MODEL}
    values.update(parameters)
    return run_algorithm("chipvlm:classifychips", values, feedback)


def assert_nowhere(secret, folder, feedback, extra=""):
    """The secret is in no file of the run folder, no message, no log line."""
    for path in folder.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"{secret!r} leaked into {path.name}"
    for text in feedback.everything + [extra]:
        assert secret not in str(text), f"{secret!r} leaked into a message: {text}"


@pytest.mark.parametrize("path", ["/api", "/ollama"])
def test_through_open_webui_with_the_key_from_api_key_env(run_algorithm, scanning, tmp_path, monkeypatch, path):
    monkeypatch.setenv("CHIPVLM_TEST_KEY", KEY + "\n")  # as `echo key > file; export KEY=$(cat ...)` leaves it
    index = make_run(tmp_path, range(1, 21))
    feedback = scanning()
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        result, _ = classify(run_algorithm, feedback, INDEX=str(index), ENDPOINTS=gateway.url + path,
                             API_KEY_ENV="CHIPVLM_TEST_KEY")
    assert result["CLASSIFIED"] == 20 and result["ERRORS"] == 0
    assert_no_mixup(result["OUTPUT"], range(1, 21), ollama)
    assert {r.options.get("temperature") for r in ollama.records} == {0}
    assert {r.options.get("num_ctx") for r in ollama.records} == {8192}
    assert {r.think for r in ollama.records} == {False}
    assert_nowhere(KEY, tmp_path, feedback)


def test_api_key_env_naming_an_unset_variable_is_a_sentence(run_algorithm, scanning, tmp_path, monkeypatch):
    monkeypatch.delenv("CHIPVLM_NO_SUCH_KEY", raising=False)
    index = make_run(tmp_path, range(1, 4))
    with pytest.raises(QgsProcessingException) as raised:
        classify(run_algorithm, scanning(), INDEX=str(index), ENDPOINTS="http://127.0.0.1:9/api",
                 API_KEY_ENV="CHIPVLM_NO_SUCH_KEY")
    assert "The environment variable CHIPVLM_NO_SUCH_KEY named by API_KEY_ENV is not set" in str(raised.value)


def test_a_key_with_a_line_break_inside_is_refused_without_showing_it(run_algorithm, scanning, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("CHIPVLM_TEST_KEY", "sk-first-half\nsk-second-half")
    index = make_run(tmp_path, range(1, 4))
    feedback = scanning()
    with FakeModelServer(api_key=KEY) as ollama:
        with pytest.raises(QgsProcessingException) as raised:
            classify(run_algorithm, feedback, INDEX=str(index), ENDPOINTS=ollama.url + "/v1",
                     API_KEY_ENV="CHIPVLM_TEST_KEY")
    assert "spaces or line breaks inside it" in str(raised.value)
    assert not ollama.records, "nothing was sent with a damaged key"
    for part in ("sk-first-half", "sk-second-half"):
        assert_nowhere(part, tmp_path, feedback, str(raised.value))


def test_user_and_password_in_a_url_reach_no_output(run_algorithm, scanning, tmp_path):
    index = make_run(tmp_path, range(1, 11))
    feedback = scanning()
    with FakeModelServer() as ollama:
        host = ollama.url.split("://", 1)[1]
        result, _ = classify(run_algorithm, feedback, INDEX=str(index),
                             ENDPOINTS=f"http://chipuser:pw-in-url-77@{host}")
    assert result["CLASSIFIED"] == 10
    assert_no_mixup(result["OUTPUT"], range(1, 11), ollama)
    assert {r.authorization for r in ollama.records} == {""}, "userinfo is not used as credentials"
    assert any("neither used nor stored" in w for w in feedback.warnings)
    con = sqlite3.connect(result["OUTPUT"])
    endpoints = {e for (e,) in con.execute("SELECT endpoint FROM results")}
    endpoints |= {e for (e,) in con.execute("SELECT endpoint FROM requests")}
    con.close()
    assert endpoints == {host}
    for secret in ("pw-in-url-77", "chipuser"):
        assert_nowhere(secret, tmp_path, feedback)


def test_a_model_missing_behind_open_webui_stops_the_run_with_one_sentence(run_algorithm, scanning, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("CHIPVLM_TEST_KEY", KEY)
    index = make_run(tmp_path, range(1, 6))
    with FakeModelServer(model="other:4b") as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        with pytest.raises(QgsProcessingException) as raised:
            classify(run_algorithm, scanning(), INDEX=str(index), ENDPOINTS=gateway.url + "/api",
                     API_KEY_ENV="CHIPVLM_TEST_KEY")
    text = str(raised.value)
    assert "Model gemma3:27b is not on" in text and "available: other:4b" in text
    assert not ollama.records


def test_an_undecodable_chip_costs_one_error_row_and_no_schema_switch(run_algorithm, scanning, tmp_path):
    """Issue 7 point 8, as a user sees it: one -1 row, every other chip classified, no pause warnings."""
    index = make_run(tmp_path, range(1, 31))
    feedback = scanning()
    with FakeModelServer(image_error={13}) as ollama:
        result, _ = classify(run_algorithm, feedback, INDEX=str(index), ENDPOINTS=ollama.url)
    assert result["CLASSIFIED"] == 29 and result["ERRORS"] == 1
    assert len(ollama.records) == 9 and {r.schema_type for r in ollama.records} == {"object"}
    assert not any("paused" in w or "simple schema" in w for w in feedback.warnings)
