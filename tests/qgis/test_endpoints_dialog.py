"""The "Model endpoints" dialog as a user drives it: add, edit, save, test, and keys kept out of settings."""
import json
import socket
import threading
import time
from dataclasses import replace

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.settings import ENDPOINTS_KEY, load_endpoints, save_endpoints, with_api_keys
from fakes.ollama import FakeModelServer
from helpers.events import wait_until
from helpers.screenshots import screenshot_path


@pytest.fixture(autouse=True)
def no_saved_endpoints():
    QgsSettings().remove(ENDPOINTS_KEY)
    yield
    QgsSettings().remove(ENDPOINTS_KEY)


@pytest.fixture()
def open_dialog(qgis_new_project):
    from chipvlm.plugin.gui.endpoints_dialog import EndpointsDialog

    dialogs = []

    def make():
        dialog = EndpointsDialog()
        dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()
    wait_until(lambda: not _running_tests(), 20)


def _running_tests():
    from chipvlm.plugin import tasks
    from chipvlm.plugin.gui.endpoint_check import EndpointTestTask

    return tasks.running(EndpointTestTask)




def type_into(edit, text):
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def click(button):
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def save_button(dialog):
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Save)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_endpoint_added_in_the_form_is_saved_and_comes_back(open_dialog):
    dialog = open_dialog()
    assert dialog.table.rowCount() == 0 and not dialog.form_box.isEnabled()
    click(dialog.add_button)
    click(dialog.add_button)
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(0)
    type_into(dialog.name_edit, "gpu-a")
    type_into(dialog.url_edit, "http://10.0.0.5:11435")
    dialog.api_combo.setCurrentIndex(dialog.api_combo.findData("openai"))
    dialog.model_combo.setEditText("gemma3:12b")
    dialog.concurrency_spin.setValue(4)
    dialog.timeout_spin.setValue(120)
    # the table follows the form as the user types
    assert dialog.table.item(0, 0).text() == "gpu-a"
    assert dialog.table.item(0, 2).text() == "OpenAI API"
    dialog.table.selectRow(1)
    click(dialog.remove_button)
    assert dialog.table.rowCount() == 1
    click(save_button(dialog))
    assert dialog.result() == QDialog.DialogCode.Accepted

    saved = load_endpoints()
    assert [(e.name, e.base_url, e.api, e.model, e.concurrency, e.timeout) for e in saved] == [
        ("gpu-a", "http://10.0.0.5:11435", "openai", "gemma3:12b", 4, 120.0)]
    again = open_dialog()
    assert again.table.rowCount() == 1
    assert again.name_edit.text() == "gpu-a" and again.model_combo.currentText() == "gemma3:12b"
    assert again.concurrency_spin.value() == 4


def test_an_endpoint_that_cannot_work_is_not_saved_and_the_message_says_why(open_dialog):
    save_endpoints([EndpointConfig("gpu0", "http://localhost:11434")])
    dialog = open_dialog()
    click(dialog.add_button)
    type_into(dialog.url_edit, "")
    click(save_button(dialog))
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    message = dialog.message_bar.currentItem().text()
    assert "gpu1" in message and "not a server address" in message
    type_into(dialog.url_edit, "http://localhost:11435")
    type_into(dialog.name_edit, "gpu0")
    click(save_button(dialog))
    assert "Two endpoints are named gpu0" in dialog.message_bar.currentItem().text()
    assert [e.name for e in load_endpoints()] == ["gpu0"], "nothing saved while the list is wrong"
    type_into(dialog.name_edit, "gpu1")
    click(save_button(dialog))
    assert [e.name for e in load_endpoints()] == ["gpu0", "gpu1"]


@pytest.fixture()
def api_key_in_auth_database():
    """A Basic authentication configuration whose password is an API key, as the user would make it."""
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("test master password", True)
    secret = "sk-chipvlm-" + "7f3a9c" * 4
    config = QgsAuthMethodConfig("Basic")
    config.setName("Open WebUI key")
    config.setConfig("username", "")
    config.setConfig("password", secret)
    stored = manager.storeAuthenticationConfig(config)
    assert stored[0] if isinstance(stored, tuple) else stored
    yield config.id(), secret
    manager.removeAuthenticationConfig(config.id())


def test_the_api_key_stays_in_the_auth_database_and_the_test_uses_it(open_dialog, api_key_in_auth_database):
    authcfg, secret = api_key_in_auth_database
    with FakeModelServer(api_key=secret) as fake:
        dialog = open_dialog()
        click(dialog.add_button)
        type_into(dialog.name_edit, "webui")
        type_into(dialog.url_edit, fake.url)
        dialog.auth_select.setConfigId(authcfg)
        assert dialog.rows[0].endpoint.authcfg == authcfg
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state not in ("", "testing"))
        assert "reachable" in dialog.result_label.text() and "vision: yes" in dialog.result_label.text()
        assert secret not in dialog.result_label.text()
        # the Test's measuring requests carry the key from the authentication database, like a run's
        assert len(fake.records) == 4 and {r.authorization for r in fake.records} == {f"Bearer {secret}"}
        click(save_button(dialog))

    settings = QgsSettings()
    everything = " ".join(f"{key}={settings.value(key)}" for key in settings.allKeys())
    assert secret not in everything
    settings.sync()
    with open(settings.fileName(), encoding="utf-8", errors="replace") as handle:
        assert secret not in handle.read()
    saved = load_endpoints()
    assert saved[0].authcfg == authcfg and saved[0].api_key == ""
    assert with_api_keys(saved)[0].api_key == secret  # read from the auth database at run time


def test_the_context_num_ctx_is_set_per_endpoint_saved_and_what_test_reports(open_dialog):
    """The Classify dialog's hint says "raise num_ctx in Model endpoints": the field is there."""
    with FakeModelServer(version="0.12.6") as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=30),
                        EndpointConfig("gpu1", "http://localhost:11435", model="gemma3:27b")])
        dialog = open_dialog()
        assert dialog.context_spin.value() == 8192, "the saved value (the default) is shown"
        dialog.context_spin.selectAll()
        QTest.keyClicks(dialog.context_spin, "16384")
        QTest.keyClick(dialog.context_spin, Qt.Key.Key_Tab)
        assert dialog.rows[0].endpoint.num_ctx == 16384 and dialog.rows[1].endpoint.num_ctx == 8192
        dialog.table.selectRow(1)
        assert dialog.context_spin.value() == 8192, "each endpoint its own"
        dialog.table.selectRow(0)
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "ok")
        assert "context 16384 tokens" in dialog.result_label.text(), "what the requests will ask for"
        click(save_button(dialog))
    assert [e.num_ctx for e in load_endpoints()] == [16384, 8192]


def test_test_reports_server_version_model_present_and_vision(open_dialog):
    with FakeModelServer(version="0.12.6") as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=30)])
        dialog = open_dialog()
        click(dialog.test_button)
        assert dialog.table.item(0, 7).text() == "testing…"
        assert wait_until(lambda: dialog.rows[0].test_state == "ok")
    text = dialog.result_label.text()
    assert text.split("\n")[0] == ("gpu0: reachable, Ollama, server version 0.12.6, model gemma3:27b present, "
                                   "vision: yes, context 8192 tokens.")
    assert dialog.table.item(0, 7).text().startswith("OK, version 0.12.6, ")
    assert dialog.table.item(0, 7).toolTip() == text
    # the server's models are offered in the model box
    assert [dialog.model_combo.itemText(n) for n in range(dialog.model_combo.count())] == ["gemma3:27b"]


def test_changing_the_address_or_model_forgets_the_last_test(open_dialog):
    with FakeModelServer() as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url)])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "ok")
        type_into(dialog.name_edit, "gpu-main")  # a new name is still the same server
        assert dialog.rows[0].test_state == "ok"
        dialog.model_combo.setEditText("gemma3:4b")
        assert dialog.rows[0].test_state == "" and dialog.result_label.text() == "Not tested yet."
        assert dialog.table.item(0, 7).text() == ""


def test_the_last_test_result_is_shown_again_when_the_dialog_is_reopened(open_dialog):
    with FakeModelServer() as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url), EndpointConfig("gpu1", fake.url + "/v1", api="openai")])
        dialog = open_dialog()
        dialog.table.selectRow(0)
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "ok")
        shown = dialog.result_label.text()
        dialog.close()
        again = open_dialog()
        again.table.selectRow(0)
        assert again.rows[0].test_state == "ok" and again.result_label.text().startswith(shown)
        assert again.table.item(0, 7).text() == dialog.table.item(0, 7).text()
        assert again.rows[1].test_state == "", "an endpoint never tested has no result"
        again.model_combo.setEditText("gemma3:4b")  # another model: the old result said nothing of it
        assert again.rows[0].test_state == ""


def test_a_model_that_cannot_read_images_is_reported(open_dialog):
    with FakeModelServer(model="llama3:8b", vision=False) as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url, model="llama3:8b")])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state not in ("", "testing"))
    assert dialog.rows[0].test_state == "warning"
    assert "vision: NO" in dialog.result_label.text() and "cannot read images" in dialog.result_label.text()


def test_a_missing_model_is_reported_with_the_ones_there(open_dialog):
    with FakeModelServer(model="gemma3:4b") as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url, model="gemma3:27b")])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state not in ("", "testing"))
    assert "model gemma3:27b NOT found" in dialog.result_label.text()
    assert "gemma3:4b" in dialog.result_label.text()


def test_a_closed_port_is_reported_not_reachable_naming_the_endpoint(open_dialog):
    port = closed_port()
    save_endpoints([EndpointConfig("gpu7", f"http://127.0.0.1:{port}")])
    dialog = open_dialog()
    click(dialog.test_button)
    assert wait_until(lambda: dialog.rows[0].test_state == "error")
    text = dialog.result_label.text()
    assert text.startswith(f"gpu7 (http://127.0.0.1:{port}): not reachable.")
    assert "connection refused" in text


@pytest.fixture()
def silent_host():
    """A host that takes connections and says nothing for 1.5 s, then hangs up (a dying server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            stop.wait(1.5)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    listener.close()


def test_testing_a_silent_host_never_freezes_the_dialog(open_dialog, silent_host):
    save_endpoints([EndpointConfig("slow", silent_host, timeout=30)])
    dialog = open_dialog()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    started = time.monotonic()
    click(dialog.test_button)
    assert time.monotonic() - started < 0.5, "the click returns at once"
    assert wait_until(lambda: dialog.rows[0].test_state == "error", 10)
    took = time.monotonic() - started
    timer.stop()
    assert took >= 1.4
    # the event loop ran all along: no gap between timer ticks near the time the server kept us waiting
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 15 and max(gaps) < 0.5
    assert "slow" in dialog.result_label.text() and "not reachable" in dialog.result_label.text()
    # editing went on meanwhile: the dialog is still the user's
    assert dialog.form_box.isEnabled()


def test_closing_the_dialog_while_a_test_runs_is_safe(open_dialog, silent_host):
    save_endpoints([EndpointConfig("slow", silent_host)])
    dialog = open_dialog()
    click(dialog.test_button)
    dialog.reject()
    assert wait_until(lambda: not _running_tests(), 10), "the test task ends on its own"


def test_screenshot_of_the_endpoints_dialog(tmp_path, open_dialog):
    with FakeModelServer(version="0.12.6", delay_per_chip=0.3, concurrency=1) as gpu0, \
            FakeModelServer(model="llava:7b", vision=False) as gpu1:
        save_endpoints([
            EndpointConfig("gpu0", gpu0.url, model="gemma3:27b", concurrency=2, timeout=300),
            EndpointConfig("gpu1", gpu1.url, model="llava:7b", concurrency=1, timeout=300),
            EndpointConfig("workstation", f"http://127.0.0.1:{closed_port()}", model="gemma3:12b"),
        ])
        dialog = open_dialog()
        dialog.resize(980, 640)
        dialog.table.selectAll()
        click(dialog.test_button)
        assert wait_until(lambda: all(row.test_state not in ("", "testing") for row in dialog.rows))
    assert [row.test_state for row in dialog.rows] == ["ok", "warning", "error"]
    assert [dialog.table.item(n, 7).text() for n in range(3)] == [
        "OK, version 0.12.6, 0.3 s/chip", "no vision", "not reachable"]
    # the picture shows a LAN's addresses instead of this test's random ports, so it changes only with the UI
    for row, port in zip(dialog.rows, (11434, 11435, 11434)):
        host = "192.168.1.21" if row.endpoint.name == "workstation" else "192.168.1.20"
        row.endpoint = replace(row.endpoint, base_url=f"http://{host}:{port}")
    dialog._fill_table()
    dialog.table.selectRow(0)
    QTest.qWait(50)
    shot = screenshot_path("endpoints_dialog.png", tmp_path)
    assert dialog.grab().save(str(shot))
    image = QImage(str(shot))
    assert image.width() >= 900 and image.height() >= 500


# -- gateways (issue 8) ------------------------------------------------------------------------------
GATEWAY_KEY = "sk-dialog-gateway-key"


def test_typing_open_webuis_paths_picks_the_api_they_speak(open_dialog):
    dialog = open_dialog()
    click(dialog.add_button)
    type_into(dialog.url_edit, "http://webui:3000/api")
    assert dialog.api_combo.currentData() == "openai" and dialog.rows[0].endpoint.api == "openai"
    type_into(dialog.url_edit, "http://webui:3000/ollama")
    assert dialog.api_combo.currentData() == "ollama" and dialog.rows[0].endpoint.api == "ollama"


def _test_row(dialog, number=0):
    dialog.table.selectRow(number)
    click(dialog.test_button)
    assert wait_until(lambda: dialog.rows[number].test_state not in ("", "testing"), 20)
    return dialog.result_label.text()


def test_the_test_through_open_webui_says_what_is_behind_it(open_dialog, monkeypatch):
    import chipvlm.plugin.gui.endpoints_dialog as module
    from fakes.open_webui import FakeOpenWebUI

    # the key comes from QGIS's authentication database in real use (tested above); here it is given
    monkeypatch.setattr(module, "with_api_keys", lambda endpoints: [replace(e, api_key=GATEWAY_KEY) for e in endpoints])
    with FakeModelServer(version="0.12.6") as ollama, FakeOpenWebUI(ollama.url, api_key=GATEWAY_KEY) as gateway:
        save_endpoints([EndpointConfig("owui-api", gateway.url + "/api", api="openai", timeout=30),
                        EndpointConfig("owui-native", gateway.url + "/ollama", timeout=30)])
        dialog = open_dialog()
        api_text = _test_row(dialog, 0)
        native_text = _test_row(dialog, 1)
    assert api_text.split("\n")[0] == ("owui-api: reachable, Open WebUI (/api) 0.12.4, server version 0.12.6, model gemma3:27b "
                        "present, vision: yes, context 8192 tokens.")
    assert native_text.startswith("owui-native: reachable, Open WebUI (/ollama proxy of Ollama) 0.12.4, server "
                                  "version 0.12.6, model gemma3:27b present, vision: yes")
    assert dialog.rows[0].test_state == "ok" and dialog.rows[1].test_state == "ok"


def test_a_refused_key_through_open_webuis_ollama_path_reads_key_refused(open_dialog):
    from fakes.open_webui import FakeOpenWebUI

    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=GATEWAY_KEY) as gateway:
        save_endpoints([EndpointConfig("owui", gateway.url + "/ollama", timeout=30)])  # no key chosen
        dialog = open_dialog()
        text = _test_row(dialog)
    assert "not reachable" not in text and "the API key was refused (HTTP 401)" in text
    assert text.count("owui") == 1, text
    assert dialog.table.item(0, 7).text() == "key refused" and dialog.rows[0].test_state == "error"


def test_a_model_missing_or_a_key_that_sees_no_model_marks_the_endpoint_unusable(open_dialog, monkeypatch):
    import chipvlm.plugin.gui.endpoints_dialog as module
    from fakes.open_webui import FakeOpenWebUI

    monkeypatch.setattr(module, "with_api_keys", lambda endpoints: [replace(e, api_key=GATEWAY_KEY) for e in endpoints])
    with FakeModelServer(model="other:1b") as ollama, FakeOpenWebUI(ollama.url, api_key=GATEWAY_KEY) as gateway:
        save_endpoints([EndpointConfig("owui", gateway.url + "/api", api="openai", timeout=30)])
        dialog = open_dialog()
        missing = _test_row(dialog)
        gateway.models = []
        gateway.refresh_models = lambda: []
        empty = _test_row(dialog)
    assert "model gemma3:27b NOT found" in missing and "other:1b" in missing
    assert "lists no model at all" in empty
    assert dialog.rows[0].test_state == "error" and dialog.table.item(0, 7).text() == "model missing"


# -- the confidence option (log-probabilities), saved with the endpoint ------------------------------
def test_confidence_is_asked_for_by_default_and_switching_it_off_is_saved(open_dialog):
    dialog = open_dialog()
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.logprobs_check.isChecked(), "on by default"
    dialog.logprobs_check.setChecked(False)
    QTest.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert [e.logprobs for e in load_endpoints()] == [False]
    again = open_dialog()
    assert not again.logprobs_check.isChecked()


def test_endpoints_saved_before_the_option_existed_ask_for_confidence():
    save_endpoints([EndpointConfig("gpu0", "http://localhost:11434")])
    items = json.loads(QgsSettings().value(ENDPOINTS_KEY))
    for item in items:
        del item["logprobs"]  # as an older version of the plugin saved them
    QgsSettings().setValue(ENDPOINTS_KEY, json.dumps(items))
    assert [e.logprobs for e in load_endpoints()] == [True]


# -- the speed probe (issue 19 point 4) --------------------------------------------------------------------
@pytest.fixture()
def classify_settings():
    """The Classify dialog's remembered index and the measured speeds, put back after the test."""
    from chipvlm.plugin import settings

    keys = [settings.CLASSIFY_INDEX.full_key, settings.ENDPOINT_SPEEDS.full_key]
    old = {key: QgsSettings().value(key, None) for key in keys}
    for key in keys:
        QgsSettings().remove(key)
    yield settings
    for key, value in old.items():
        if value is None:
            QgsSettings().remove(key)
        else:
            QgsSettings().setValue(key, value)


def test_the_test_measures_seconds_per_chip_with_the_last_index_and_keeps_the_speed(
        open_dialog, classify_settings, tmp_path):
    from fakes.runs import make_run

    index = make_run(tmp_path, [31, 32, 33])
    QgsSettings().setValue("chipvlm/classify/index", str(index))  # as the Classify dialog leaves it
    with FakeModelServer(delay_per_chip=0.25, concurrency=1) as fake:
        endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=30)
        save_endpoints([endpoint])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "ok", 20)
        sent = [r.fids for r in fake.records]
    check, speed = dialog.result_label.text().split("\n")
    assert check.startswith("gpu0: reachable, Ollama")
    assert " s per chip (2 chips in " in speed and "the server ran them one after the other" in speed
    assert "start Ollama with OLLAMA_NUM_PARALLEL=2 or more" in speed
    assert f"Measured with two chips of {index}." in speed
    assert sent == [[31, 32]] * 4
    assert dialog.table.item(0, 7).text().startswith("OK, version 0.12.6, 0.")
    # kept in the plugin settings for the next run's estimate, without pressing Save
    seconds = classify_settings.measured_speed(endpoint)
    assert 0.25 <= seconds < 0.4
    assert classify_settings.with_measured_speeds(load_endpoints())[0].seconds_per_chip == seconds


def test_the_test_of_a_server_with_two_slots_says_they_ran_in_parallel(open_dialog, classify_settings):
    with FakeModelServer(delay_per_chip=0.25, concurrency=2) as fake:
        save_endpoints([EndpointConfig("gpu0", fake.url, model="gemma3:27b", concurrency=1, timeout=30)])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "ok", 20)
        assert {tuple(r.fids) for r in fake.records} == {(1207, 2415)}, "no index known: the shipped chips"
    speed = dialog.result_label.text().split("\n")[1]
    assert "the server ran them in parallel" in speed
    assert "Set 'Requests at once' to the number of requests the server runs together (OLLAMA_NUM_PARALLEL; now 1)" \
        in speed
    assert "Measured with the two sample chips shipped with ChipVLM." in speed


def test_an_endpoint_that_cannot_classify_is_not_measured(open_dialog, classify_settings):
    with FakeModelServer(model="llava:7b", vision=False) as fake:
        save_endpoints([EndpointConfig("gpu1", fake.url, model="llava:7b", timeout=30)])
        dialog = open_dialog()
        click(dialog.test_button)
        assert wait_until(lambda: dialog.rows[0].test_state == "warning", 20)
        assert fake.records == [] and "\n" not in dialog.result_label.text()
    assert classify_settings.ENDPOINT_SPEEDS.read() == []
