"""Our QgsTasks: one small base, and the one place that keeps running tasks alive.

Gispo's pattern: `work()` runs on a worker thread and touches no widget, project or authentication
database; whatever it raises is stored (`exception`, `trace`) instead of being lost in the task
manager's thread; `done(result)` runs on the main thread when the task ends, ran or was canceled,
and reports there (message bar, signals). A task started with `start()` is held here until it ends,
so Python never collects it while QGIS still runs it; `running()` lists them and `cancel_all()`
stops them when the plugin unloads.
"""
import traceback
from typing import List, Optional, Type

from qgis.core import QgsApplication, QgsTask

_RUNNING: List["ChipVLMTask"] = []


class ChipVLMTask(QgsTask):
    def __init__(self, description: str, flags=QgsTask.Flag.CanCancel):
        super().__init__(description, flags)
        self.exception: Optional[BaseException] = None
        self.trace = ""  # the traceback of `exception`, for the log

    def work(self) -> bool:
        """The task's work, on a worker thread; True when it completed."""
        raise NotImplementedError

    def done(self, result: bool) -> None:
        """On the main thread once the task has ended (`exception` holds what work() raised)."""

    def run(self) -> bool:
        try:
            return bool(self.work())
        except Exception as exc:  # stored, and reported by done() on the main thread
            self.exception = exc
            self.trace = traceback.format_exc()
            return False

    def finished(self, result: bool) -> None:
        try:
            self.done(result)
        finally:
            forget(self)


def start(task: ChipVLMTask) -> ChipVLMTask:
    """Hand the task to QGIS's task manager; it is kept alive here until it ends."""
    _RUNNING.append(task)
    QgsApplication.taskManager().addTask(task)
    return task


def forget(task: ChipVLMTask) -> None:
    if task in _RUNNING:
        _RUNNING.remove(task)


def running(kind: Optional[Type[ChipVLMTask]] = None) -> List[ChipVLMTask]:
    """The tasks started here that have not ended yet (of one class, when given)."""
    return [task for task in _RUNNING if kind is None or isinstance(task, kind)]


def cancel_all() -> None:
    """Ask every running task to stop (a classification keeps its finished batches)."""
    for task in list(_RUNNING):
        task.cancel()
