"""A classification that failed before its first batch leaves a results.sqlite with no results and no
class scheme (issue 7 point 5): nothing offers to review it, and the dock says what it is."""
import socket
import time

from qgis.core import QgsApplication
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QPushButton

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.gui.classify_task import ClassifyTask, start_task
from fakes.runs import fast_policy, make_run


def run_task(task, timeout=20.0):
    """Start the task in QGIS's task manager, process events until it has ended; (summary, error)."""
    ended = []
    task.runFinished.connect(lambda summary, error: ended.append((summary, error)))
    start_task(task)
    deadline = time.monotonic() + timeout
    while not ended and time.monotonic() < deadline:
        QgsApplication.processEvents()
        QTest.qWait(10)
    assert ended, "the task did not finish in time"
    return ended[0]


def dead_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return EndpointConfig("gpu9", f"http://127.0.0.1:{port}", timeout=2)


def test_a_failed_classification_does_not_offer_review(tmp_path, qgis_iface, monkeypatch):
    bar = QgsMessageBar()  # pytest-qgis's bar keeps only text; QGIS's holds the message's button
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    index = make_run(tmp_path, range(1, 6))
    opened = []
    task = ClassifyTask(ClassifyOptions(str(index), [dead_endpoint()], "yili8",
                                        policy=fast_policy()), iface=qgis_iface, on_review=opened.append)
    summary, error = run_task(task)
    assert error and summary is not None and (tmp_path / "results.sqlite").exists()
    QgsApplication.processEvents()
    item = bar.currentItem()
    assert item is not None and "Classification stopped" in item.text()
    assert [b.text() for b in item.findChildren(QPushButton) if b.text() == "Review"] == []


def test_the_dock_says_an_empty_results_file_has_no_results_and_no_scheme(tmp_path, review_dock):
    path = tmp_path / "results.sqlite"
    ResultsStore(str(path)).close()  # what the failed run above leaves behind
    dock = review_dock()
    assert not dock.open_run(str(path))
    text = dock.status_label.text()
    assert "no results yet" in text and "no class scheme" in text and str(path) in text
    assert dock.session is None and dock.class_buttons == {}
    assert dock.counter_label.text() == "No run open"


def test_a_run_with_a_scheme_but_no_results_yet_opens_and_says_so(tmp_path, review_dock):
    from chipvlm.plugin.core.schemes import load_scheme

    path = tmp_path / "results.sqlite"
    with ResultsStore(str(path)) as store:
        store.set_scheme(load_scheme("yili8"))  # a classification that has started: results come
    dock = review_dock()
    assert dock.open_run(str(path))
    assert "no results yet" in dock.status_label.text()
    assert dock.class_buttons[1].text() == "[1] 建筑"
