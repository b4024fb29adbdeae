"""Classification from the GUI: the QgsTask in QGIS's task manager, the "Classify chips" dialog, the menu."""
import json
import os
import sqlite3
import time

import pytest
from qgis.core import Qgis, QgsApplication, QgsSettings, QgsTask
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.gui.classify_task import ClassifyTask, running_tasks, start_task
from chipvlm.plugin.settings import PREFIX, save_endpoints
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run
from helpers.events import wait_until
from helpers.plugin import load_plugin
from helpers.screenshots import screenshot_path

pytestmark = pytest.mark.usefixtures("clean_classify_settings")




def messages(iface, level):
    return list(iface.messageBar().get_messages(level))


def stored_fids(store_path):
    if not os.path.exists(store_path):
        return []
    con = sqlite3.connect(str(store_path))
    try:
        return [row[0] for row in con.execute("SELECT fid FROM results WHERE class_id != -1")]
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def endpoint(fake, name="gpu0", **kwargs):
    return EndpointConfig(name, fake.url, model="gemma3:27b", timeout=5, **kwargs)


class Watch:
    """What a task told the task manager: statuses, progress, and the end (the manager deletes it after)."""

    def __init__(self, task):
        self.statuses, self.progress, self.ended = [], [], []
        task.statusChanged.connect(self.statuses.append)
        task.progressChanged.connect(self.progress.append)
        task.runFinished.connect(lambda summary, error: self.ended.append((summary, error)))

    @property
    def status(self):
        return self.statuses[-1] if self.statuses else None


def run_task(task, timeout=20.0):
    """Start the task in QGIS's task manager and wait for it; returns (summary, error, watch)."""
    watch = Watch(task)
    start_task(task)
    assert wait_until(lambda: watch.ended and watch.status is not None and watch.status >= 3, timeout), \
        "the task did not finish in time"
    return watch.ended[0] + (watch,)


def test_the_task_classifies_an_index_and_reports_the_counts(tmp_path, qgis_iface):
    index = make_run(tmp_path, range(1, 31))
    before = messages(qgis_iface, Qgis.MessageLevel.Success)
    with FakeModelServer() as fake:
        task = ClassifyTask(ClassifyOptions(str(index), [endpoint(fake)], "yili8", batch_size=5,
                                            policy=fast_policy()), iface=qgis_iface)
        assert task.flags() & QgsTask.Flag.CanCancel
        summary, error, watch = run_task(task)
    assert error == "" and watch.status == QgsTask.TaskStatus.Complete
    assert (summary.classified, summary.errors, summary.needs_review) == (30, 0, 0)
    assert watch.progress[-1] == 100
    assert_no_mixup(tmp_path / "results.sqlite", range(1, 31), fake)
    assert os.path.exists(tmp_path / "results.csv")
    new = messages(qgis_iface, Qgis.MessageLevel.Success)[len(before):]
    assert len(new) == 1
    assert "30 chips classified, 0 errors, 0 needing review" in new[0]
    assert str(tmp_path / "results.sqlite") in new[0]


def test_chips_that_need_review_are_counted_in_the_message(tmp_path, qgis_iface):
    index = make_run(tmp_path, range(1, 11))
    before = messages(qgis_iface, Qgis.MessageLevel.Success)
    with FakeModelServer() as fake:
        fake.unsure = set(range(1, 11))  # class 0 for all: every chip goes to review and is asked its reason
        summary, error, _ = run_task(ClassifyTask(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                                  policy=fast_policy()), iface=qgis_iface))
    assert not error and summary.needs_review == 10
    new = messages(qgis_iface, Qgis.MessageLevel.Success)[len(before):]
    assert "10 chips classified, 0 errors, 10 needing review" in new[0]
    assert "Reasons asked again for the 10 chips to review: 10 stored." in new[0]


def test_cancel_keeps_finished_batches_and_a_rerun_completes(tmp_path, qgis_iface):
    index = make_run(tmp_path, range(1, 41))
    store = tmp_path / "results.sqlite"
    before = messages(qgis_iface, Qgis.MessageLevel.Info)
    with FakeModelServer(delay=0.4, concurrency=1) as fake:
        task = ClassifyTask(ClassifyOptions(str(index), [endpoint(fake)], "yili8", batch_size=5,
                                            policy=fast_policy()), iface=qgis_iface)
        watch = Watch(task)
        start_task(task)
        assert wait_until(lambda: len(stored_fids(store)) >= 5, 10)
        canceled_at = time.monotonic()
        task.cancel()
        assert wait_until(lambda: watch.ended, 5)
        assert time.monotonic() - canceled_at < 1.5, "the task stops within a second of the cancel"
        summary, error = watch.ended[0]
        assert wait_until(lambda: watch.status == QgsTask.TaskStatus.Terminated, 2) and error == ""
        assert summary.canceled and 5 <= summary.classified < 40
        assert any(0 < value < 100 for value in watch.progress), "progress is reported as batches finish"
        kept = stored_fids(store)
        assert len(kept) == summary.classified, "every finished batch is in the results file"
        new = messages(qgis_iface, Qgis.MessageLevel.Info)[len(before):]
        assert any("canceled" in text and "start it again" in text for text in new)

        rerun, error, _ = run_task(ClassifyTask(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                                batch_size=5,
                                                                policy=fast_policy()), iface=qgis_iface))
    assert not error and rerun.already_done == len(kept) and rerun.classified == 40 - len(kept)
    assert_no_mixup(store, range(1, 41), fake)


def test_an_unreachable_endpoint_ends_with_a_clear_message_not_a_traceback(tmp_path, qgis_iface):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    index = make_run(tmp_path, range(1, 6))
    before = messages(qgis_iface, Qgis.MessageLevel.Critical)
    dead = EndpointConfig("gpu9", f"http://127.0.0.1:{port}", timeout=2)
    task = ClassifyTask(ClassifyOptions(str(index), [dead], "yili8", policy=fast_policy()), iface=qgis_iface)
    summary, error, watch = run_task(task)
    assert watch.status == QgsTask.TaskStatus.Terminated
    assert "No endpoint can classify chips" in error and "gpu9" in error and "connection refused" in error
    new = messages(qgis_iface, Qgis.MessageLevel.Critical)[len(before):]
    assert len(new) == 1 and "Classification stopped" in new[0] and "gpu9" in new[0]
    assert "Traceback" not in new[0] and "File \"" not in new[0]
    assert stored_fids(tmp_path / "results.sqlite") == []


def test_a_missing_index_is_a_sentence_too(tmp_path, qgis_iface):
    with FakeModelServer() as fake:
        summary, error, _ = run_task(ClassifyTask(ClassifyOptions(str(tmp_path / "nowhere" / "chips_index.csv"),
                                                                  [endpoint(fake)], "yili8",
                                                                  policy=fast_policy()), iface=qgis_iface))
    assert summary is None and "does not exist" in error and "Cut chips" in error


def test_the_model_override_is_sent_to_every_endpoint(tmp_path, qgis_iface):
    index = make_run(tmp_path, range(1, 6))
    with FakeModelServer(model="gemma3:4b") as fake:
        summary, error, _ = run_task(ClassifyTask(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                                  policy=fast_policy()).with_model("gemma3:4b"), iface=qgis_iface))
    assert not error and summary.classified == 5
    assert {record.model for record in fake.records} == {"gemma3:4b"}


# -- the dialog ------------------------------------------------------------------------------------


def listed_endpoints(dialog):
    items = [dialog.endpoint_list.item(n) for n in range(dialog.endpoint_list.count())]
    return [(item.data(Qt.ItemDataRole.UserRole).name, item.checkState() == Qt.CheckState.Checked)
            for item in items]


def test_the_dialog_starts_a_task_that_classifies_the_run(tmp_path, classify_dialog, qgis_iface):
    index = make_run(tmp_path / "run", range(1, 21))
    with FakeModelServer() as gpu0, FakeModelServer() as gpu1:
        save_endpoints([endpoint(gpu0, "gpu0"), endpoint(gpu1, "gpu1")])
        dialog = classify_dialog()
        assert listed_endpoints(dialog) == [("gpu0", True), ("gpu1", True)], "all checked by default"
        assert dialog.batch_spin.value() == 10 and dialog.scheme() == "landcover_en", "the English interface's"
        dialog.index_widget.setFilePath(str(index))
        assert dialog.output_widget.filePath() == str(tmp_path / "run" / "results.sqlite")
        dialog.set_scheme("landcover_en")
        dialog.set_scheme("yili8")
        dialog.batch_spin.setValue(4)
        started = []
        dialog.taskStarted.connect(started.append)
        QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert len(started) == 1 and not dialog.isVisible()
        task = started[0]
        assert task in running_tasks() and [e.name for e in task.options.endpoints] == ["gpu0", "gpu1"]
        ended = []
        task.runFinished.connect(lambda summary, error: ended.append((summary, error)))
        assert wait_until(lambda: ended)
    summary, error = ended[0]
    assert not error and summary.classified == 20
    assert sum(summary.per_endpoint.values()) == 20
    assert_no_mixup(tmp_path / "run" / "results.sqlite", range(1, 21), gpu0)
    assert all(len(r.fids) <= 4 for r in gpu0.records + gpu1.records)

    settings = QgsSettings()
    settings.setValue(PREFIX + "classify/scheme", "landcover_en")
    again = classify_dialog()  # the last choices come back
    assert again.index_widget.filePath() == str(index)
    assert again.scheme() == "landcover_en" and again.batch_spin.value() == 4


def test_an_unchecked_endpoint_is_not_used_and_stays_unchecked(tmp_path, classify_dialog):
    index = make_run(tmp_path, range(1, 6))
    with FakeModelServer() as gpu0, FakeModelServer() as gpu1:
        save_endpoints([endpoint(gpu0, "gpu0"), endpoint(gpu1, "gpu1")])
        dialog = classify_dialog()
        dialog.endpoint_list.item(1).setCheckState(Qt.CheckState.Unchecked)
        dialog.index_widget.setFilePath(str(index))
        dialog.set_scheme("yili8")
        task = dialog.start()
        assert [e.name for e in task.options.endpoints] == ["gpu0"]
        watch = Watch(task)
        assert wait_until(lambda: watch.ended)
    assert gpu1.records == [] and len(gpu0.records) >= 1
    save_endpoints([endpoint(gpu0, "gpu0"), endpoint(gpu1, "gpu1"), endpoint(gpu1, "gpu2")])
    assert listed_endpoints(classify_dialog()) == [("gpu0", True), ("gpu1", False), ("gpu2", True)]


def test_a_second_run_into_the_same_results_file_is_refused_while_the_first_runs(tmp_path, classify_dialog):
    index = make_run(tmp_path, range(1, 31))
    with FakeModelServer(delay=0.3, concurrency=1) as fake:
        save_endpoints([endpoint(fake)])
        first = classify_dialog()
        first.index_widget.setFilePath(str(index))
        task = first.start()
        assert task is not None
        watch = Watch(task)
        second = classify_dialog()
        assert second.index_widget.filePath() == str(index)
        assert second.start() is None and second.isVisible()
        assert "already running" in second.message_bar.currentItem().text()
        task.cancel()
        assert wait_until(lambda: watch.ended, 5)
        assert second.start() is not None, "once the first run ended, a new one may start"


def test_start_explains_what_is_missing(tmp_path, classify_dialog):
    dialog = classify_dialog()
    assert dialog.no_endpoint_label.isVisibleTo(dialog)
    assert dialog.start() is None and dialog.isVisible()
    assert "chips_index.csv" in dialog.message_bar.currentItem().text()
    index = make_run(tmp_path, range(1, 3))
    dialog.index_widget.setFilePath(str(index))
    assert dialog.start() is None
    assert "No endpoint is saved" in dialog.message_bar.currentItem().text()
    save_endpoints([EndpointConfig("gpu0", "http://localhost:11434")])
    dialog.reload_endpoints()
    dialog.endpoint_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.start() is None
    assert "Check at least one endpoint" in dialog.message_bar.currentItem().text()
    assert running_tasks() == []


def test_a_scheme_from_a_json_file_can_be_chosen(tmp_path, classify_dialog):
    scheme = tmp_path / "mine.json"
    scheme.write_text(json.dumps({"id": "mine", "language": "en", "classes": [
        {"id": -1, "name": "ERROR"}, {"id": 0, "name": "cannot tell"}, {"id": 1, "name": "roof"}]}))
    dialog = classify_dialog()
    dialog.set_scheme(str(scheme))
    assert dialog.scheme() == str(scheme) and dialog.scheme_combo.currentText() == "mine.json"


def test_the_endpoints_button_opens_the_endpoints_dialog_and_the_list_follows(classify_dialog):
    dialog = classify_dialog()
    QTest.mouseClick(dialog.endpoints_button, Qt.MouseButton.LeftButton)
    editor = dialog.endpoints_dialog
    assert editor is not None and editor.isVisible()
    editor.add_endpoint()
    assert editor.save()
    assert wait_until(lambda: dialog.endpoints_dialog is None, 2)
    assert listed_endpoints(dialog) == [("gpu0", True)]


def test_screenshot_of_the_classify_dialog(tmp_path, classify_dialog):
    save_endpoints([
        EndpointConfig("gpu0", "http://192.168.1.20:11434", model="gemma3:27b", concurrency=2),
        EndpointConfig("gpu1", "http://192.168.1.20:11435", model="gemma3:27b", concurrency=2),
        EndpointConfig("webui", "https://webui.example.org/api", api="openai", model="gemma3:27b"),
    ])
    dialog = classify_dialog()
    dialog.endpoint_list.item(2).setCheckState(Qt.CheckState.Unchecked)
    # a path as a user's would read (the dialog checks it only on Start), so the picture stays the same
    dialog.index_widget.setFilePath("/data/runs/county_2024/chips_index.csv")
    assert dialog.output_widget.filePath() == "/data/runs/county_2024/results.sqlite"
    dialog.set_scheme("landcover_en")  # the Yili scheme's Chinese name needs a CJK font CI may lack
    QTest.qWait(50)
    shot = screenshot_path("classify_dialog.png", tmp_path)
    assert dialog.grab().save(str(shot))
    image = QImage(str(shot))
    assert image.width() >= 600 and image.height() >= 450


# -- the plugin menu -------------------------------------------------------------------------------
def test_the_menu_opens_both_dialogs_and_unload_closes_them(qgis_iface, qgis_new_project):
    plugin = load_plugin(qgis_iface)
    try:
        assert plugin.classify_action.text() == "Classify chips…"
        assert plugin.endpoints_action.text() == "Model endpoints…"
        assert plugin.classify_action in plugin.actions and plugin.endpoints_action in plugin.actions
        plugin.classify_action.trigger()
        plugin.endpoints_action.trigger()
        classify, endpoints = plugin.classify_dialog, plugin.endpoints_dialog
        assert classify.isVisible() and endpoints.isVisible()
        plugin.classify_action.trigger()  # a second click shows the same dialog
        assert plugin.classify_dialog is classify
    finally:
        plugin.unload()
    assert plugin.classify_dialog is None and plugin.endpoints_dialog is None and plugin.actions == []
    assert not classify.isVisible() and not endpoints.isVisible()


def test_the_end_message_opens_the_finished_run_in_the_review_dock(tmp_path, qgis_iface, qgis_new_project,
                                                                   monkeypatch):
    from qgis.gui import QgsMessageBar
    from qgis.PyQt.QtWidgets import QLabel, QPushButton


    bar = QgsMessageBar()  # pytest-qgis's bar keeps only text; QGIS's holds the message's button
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    index = make_run(tmp_path / "run", range(1, 11))
    plugin = load_plugin(qgis_iface)
    try:
        with FakeModelServer() as fake:
            fake.add_rule("garbage_reason", times=1)
            save_endpoints([endpoint(fake)])
            plugin.classify_action.trigger()
            dialog = plugin.classify_dialog
            dialog.policy = fast_policy()
            dialog.index_widget.setFilePath(str(index))
            dialog.set_scheme("yili8")  # the fake model's classes
            ended = []
            dialog.taskStarted.connect(lambda task: task.runFinished.connect(lambda *args: ended.append(args)))
            QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
            assert wait_until(lambda: ended)
        QgsApplication.processEvents()
        item = bar.currentItem()
        assert item is not None and "10 chips classified" in item.text()
        shown = item.findChild(QLabel, "chipvlmMessage")  # whole, wrapped: QGIS's own line cuts it
        assert shown.isVisibleTo(item) and shown.wordWrap() and "10 chips classified" in shown.text()
        review = [b for b in item.findChildren(QPushButton) if b.text() == "Review"]
        assert len(review) == 1, "the end message offers to review the run"
        assert item.duration() == 0, "it stays until the analyst closes it (a late click no longer hits the map)"
        assert plugin.review_dock is None
        review[0].click()
        dock = plugin.review_dock
        assert dock is not None and not dock.isHidden()
        assert dock.run_path == str(tmp_path / "run" / "results.sqlite")
    finally:
        plugin.unload()


def test_review_below_in_the_dialog_flags_unsure_results_and_is_remembered(tmp_path, classify_dialog):
    index = make_run(tmp_path / "run", range(1, 21))
    with FakeModelServer() as gpu0:
        save_endpoints([endpoint(gpu0, "gpu0")])
        dialog = classify_dialog()
        assert dialog.review_below_spin.value() == 0, "off by default"
        assert dialog.review_below_spin.text() == dialog.review_below_spin.specialValueText()
        dialog.index_widget.setFilePath(str(index))
        dialog.set_scheme("yili8")
        dialog.review_below_spin.setValue(0.7)
        task = dialog.start()
        assert task is not None and task.options.review_below == pytest.approx(0.7)
        watch = Watch(task)
        assert wait_until(lambda: watch.ended)
    summary, error = watch.ended[0]
    unsure = {fid for fid in range(1, 21) if gpu0.expected_confidence(fid) < 0.7}
    assert not error and summary.needs_review == len(unsure) > 0
    con = sqlite3.connect(str(tmp_path / "run" / "results.sqlite"))
    try:
        flagged = {row[0] for row in con.execute("SELECT fid FROM results WHERE needs_review = 1")}
    finally:
        con.close()
    assert flagged == unsure
    assert classify_dialog().review_below_spin.value() == pytest.approx(0.7)


def test_reasons_in_the_dialog_default_to_review_and_are_remembered(tmp_path, classify_dialog):
    index = make_run(tmp_path / "run", range(1, 13))
    with FakeModelServer() as gpu0:
        gpu0.unsure = {6}
        save_endpoints([endpoint(gpu0, "gpu0")])
        dialog = classify_dialog()
        assert dialog.reasons_combo.currentData() == "review", "reasons only for the chips to review by default"
        dialog.index_widget.setFilePath(str(index))
        dialog.set_scheme("yili8")
        dialog.reasons_combo.setCurrentIndex(dialog.reasons_combo.findData("none"))
        task = dialog.start()
        assert task is not None and task.options.reasons == "none"
        watch = Watch(task)
        assert wait_until(lambda: watch.ended)
    summary, error = watch.ended[0]
    assert not error and summary.needs_review == 1 and summary.reasons_asked == 0
    assert gpu0.records and all(r.class_only for r in gpu0.records), "none: no reason asked at all"
    assert classify_dialog().reasons_combo.currentData() == "none"
