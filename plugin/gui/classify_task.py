"""Classification as a QgsTask: the engine of chipvlm:classifychips, run in the background from the GUI.

Gispo's pattern: run() (a worker thread) only calls the engine and keeps what it returned or raised;
finished() (the main thread) tells the user through the message bar and emits ``runFinished`` for
the caller, e.g. to open the review dock on the results. Nothing in run() touches a widget, the
project or QGIS's authentication database: API keys are filled in by the constructor, on the main
thread, where QGIS may ask for the master password.
"""
import threading
from typing import Callable, List, Optional, Sequence

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QPushButton

from .. import tasks
from ..core.classify.clients.endpoints import EndpointConfig, EndpointError
from ..core.classify.run.engine import ClassificationError, run_classification
from ..core.classify.run.report import Progress, RunSummary
from ..core.errors import ChipVLMError
from ..core.review import result_count
from ..core.schemes import SchemeError
from ..i18n import tr, tr_error
from ..settings import with_api_keys, with_measured_speeds
from .message_bar import message_item, push_message

LOG_TAG = "ChipVLM"
# errors whose message is already a sentence for the user; anything else is a bug: say so, log the trace
_USER_ERRORS = (ClassificationError, SchemeError, EndpointError, ValueError, OSError, ChipVLMError)


class ClassifyTask(tasks.ChipVLMTask):
    """Classify every chip of an index not yet done, on the given endpoints, in the background."""

    # (RunSummary or None, error sentence or ""): emitted on the main thread when the task ends
    runFinished = pyqtSignal(object, str)

    def __init__(
        self,
        index_path: str,
        endpoints: Sequence[EndpointConfig],
        scheme,
        store_path: Optional[str] = None,
        batch_size: int = 10,
        limit: int = 0,
        retry_errors: bool = True,
        model: str = "",
        iface=None,
        policy=None,
        fill_api_keys: bool = True,
        on_review: Optional[Callable[[str], None]] = None,
        review_below: float = 0.0,
        references: int = 0,
        reference_results: Optional[str] = None,
    ):
        super().__init__(tr("ChipVLM: classifying chips"))
        chosen = [e.with_model(model.strip()) if model and model.strip() else e for e in endpoints]
        # the auth database is read here, on the main thread; raises EndpointError naming the endpoint
        self.endpoints = with_measured_speeds(with_api_keys(chosen) if fill_api_keys else list(chosen))
        self.index_path = str(index_path)
        self.scheme = scheme
        self.store_path = str(store_path) if store_path else None
        self.batch_size = int(batch_size)
        self.limit = int(limit)
        self.retry_errors = bool(retry_errors)
        self.review_below = float(review_below or 0.0)
        self.references = int(references)
        self.reference_results = reference_results or None
        self.iface = iface
        self.policy = policy
        self.on_review = on_review  # given a results path: open it for review (the end message's button)
        self.summary: Optional[RunSummary] = None
        self.error: str = ""
        self.messages: List[str] = []
        self._lock = threading.Lock()

    # -- worker thread -----------------------------------------------------------------------------
    def work(self) -> bool:
        self.summary = run_classification(
            self.index_path,
            self.endpoints,
            self.scheme,
            store_path=self.store_path,
            batch_size=self.batch_size,
            limit=self.limit,
            retry_errors=self.retry_errors,
            review_below=self.review_below,
            progress=self._on_progress,
            is_canceled=self.isCanceled,
            log=self._log,
            policy=self.policy,
            references=self.references,
            reference_results=self.reference_results,
        )
        return not self.summary.canceled

    def _on_progress(self, progress: Progress) -> None:
        self.setProgress(progress.percent)

    def _log(self, text: str) -> None:
        text = tr_error(text)  # a core sentence (core.errors.Message) in the interface's language
        with self._lock:
            self.messages.append(text)
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Info)  # thread-safe

    # -- main thread -------------------------------------------------------------------------------
    def done(self, result: bool) -> None:
        exc = self.exception
        if isinstance(exc, _USER_ERRORS):
            self.error = tr_error(exc)
            self.summary = getattr(exc, "summary", None)
        elif exc is not None:  # a bug: the user gets a sentence, the log gets the trace
            self.error = tr("The classification failed unexpectedly: {0} (details in the ChipVLM log).").format(
                f"{type(exc).__name__}: {exc}")
            QgsMessageLog.logMessage(self.trace, LOG_TAG, Qgis.MessageLevel.Critical)
        text, level = self.report()
        QgsMessageLog.logMessage(text, LOG_TAG, level)
        if self.iface is not None:
            self._tell(self.iface.messageBar(), text, level, 0 if self.error else 15)
        self.runFinished.emit(self.summary, self.error)

    def _tell(self, bar, text: str, level, duration: int) -> None:
        """The end message (gone after `duration` s); with a Review button, which stays, when there are
        results to look at."""
        path = self.summary.store_path if self.summary is not None else ""
        review = self.on_review
        # a run that failed before its first batch leaves an empty file: nothing to review there
        if review is None or not path or not result_count(path):
            push_message(bar, "ChipVLM", text, level, duration)
            return
        item = message_item("ChipVLM", text)  # whole: QGIS's own would cut the sentence at one line
        button = QPushButton(tr("Review"), item)
        # the task manager deletes the task once it ends: the button keeps only the path and the callback
        button.clicked.connect(lambda _checked=False: review(path))
        item.layout().addWidget(button)
        # no timeout: the button stays until the analyst closes the message (a timed one vanished and a
        # late click landed on the map)
        bar.pushWidget(item, level, 0)

    def report(self):
        """The sentence that ends the run and its message level."""
        summary = self.summary
        if self.error:
            return tr("Classification stopped: {0}").format(self.error), Qgis.MessageLevel.Critical
        if summary is None or summary.canceled:
            done = summary.classified if summary else 0
            return (
                tr("Classification canceled after {0} chips; finished batches are saved, start it again to "
                   "continue where it stopped.").format(done),
                Qgis.MessageLevel.Info,
            )
        text = tr("Classification finished: {0} chips classified, {1} errors, {2} needing review.").format(
            summary.classified, summary.errors, summary.needs_review)
        if summary.to_do == 0:
            text = tr("Nothing to classify: every chip of the index already has a class.")
        text += " " + tr("Results: {0}").format(summary.store_path)
        level = Qgis.MessageLevel.Warning if summary.errors else Qgis.MessageLevel.Success
        return text, level


def start_task(task: ClassifyTask, on_finished: Optional[Callable[[object, str], None]] = None) -> ClassifyTask:
    """Hand the task to QGIS's task manager (plugin/tasks.py keeps it alive until it ends)."""
    if on_finished is not None:
        task.runFinished.connect(on_finished)
    return tasks.start(task)


def running_tasks() -> List[ClassifyTask]:
    return tasks.running(ClassifyTask)
