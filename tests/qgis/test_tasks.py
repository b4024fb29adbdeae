"""plugin/tasks.py: what a task's work raises is kept and reported on the main thread; one registry."""

from qgis.PyQt.QtCore import QCoreApplication, QThread

from chipvlm.plugin import tasks
from helpers.events import wait_until


class Broken(tasks.ChipVLMTask):
    def __init__(self):
        super().__init__("ChipVLM test: broken")
        self.reports = []
        self.worker_thread = None

    def work(self):
        self.worker_thread = QThread.currentThread()
        return 1 / 0

    def done(self, result):
        on_main = QThread.currentThread() == QCoreApplication.instance().thread()
        self.reports.append((result, type(self.exception).__name__, on_main))


def test_an_exception_in_work_is_kept_and_reported_on_the_main_thread():
    task = tasks.start(Broken())
    assert task in tasks.running(Broken)
    assert wait_until(lambda: task.reports), "done() was never called"
    assert task.reports == [(False, "ZeroDivisionError", True)]
    assert task.worker_thread is not None and task.worker_thread != QCoreApplication.instance().thread()
    assert "ZeroDivisionError" in task.trace and "1 / 0" in task.trace
    assert task not in tasks.running(), "an ended task leaves the registry"


def test_every_task_we_start_is_kept_in_one_place():
    from pathlib import Path

    plugin = Path(__file__).resolve().parents[2] / "plugin"
    starters = [str(p.relative_to(plugin)) for p in plugin.rglob("*.py")
                if "taskManager().addTask" in p.read_text(encoding="utf-8")]
    assert starters == ["tasks.py"]
