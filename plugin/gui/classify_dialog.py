"""The "Classify chips" dialog: choose a run's index, the endpoints and the scheme, and start a ClassifyTask.

Built in code like the endpoints dialog it opens. The last choices are kept in the plugin settings
(chipvlm/classify/...); endpoints are remembered by the ones left unchecked, so an endpoint added
later is used by default.
"""
import os
from typing import List, Optional

from qgis.core import Qgis
from qgis.gui import QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import QEvent, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..core import defaults
from ..core.classify.clients.endpoints import EndpointConfig, EndpointError
from ..core.classify.request.prompts import PromptError, load_template
from ..core.classify.run.engine import default_store_path
from ..core.classify.run.options import REASONS_ALL, REASONS_NONE, REASONS_REVIEW, ClassifyOptions
from ..core.errors import ChipVLMError
from ..core.schemes import SchemeError, available_schemes, load_scheme, scheme_for_language
from ..core.training.references import MAX_REFERENCES_PER_CLASS, pick_references, request_context
from ..i18n import qgis_locale, tr, tr_error
from .classify_task import ClassifyTask, running_tasks, start_task
from .message_bar import push_message


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime_ns if path else 0
    except OSError:
        return 0


class ClassifyDialog(QDialog):
    """Pick what to classify and where, then Start: the run goes on in QGIS's task manager."""

    taskStarted = pyqtSignal(object)  # the ClassifyTask, already in the task manager

    def __init__(self, iface=None, parent=None, policy=None, on_review=None):
        super().__init__(parent)
        self.iface = iface
        self.on_review = on_review  # handed to each task: its end message opens the results for review
        self.policy = policy  # tests shorten the engine's waits
        self.task: Optional[ClassifyTask] = None
        self.endpoints_dialog = None
        self._output_auto = True
        self._reference_cache = None
        self.setObjectName("ChipVLMClassifyDialog")
        self.setWindowTitle(tr("ChipVLM: classify chips"))
        self._build()
        self.reload_endpoints()
        self._restore()
        self.resize(720, 560)

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.message_bar = QgsMessageBar(self)
        self.message_bar.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.message_bar)
        form = QFormLayout()
        layout.addLayout(form)

        self.index_widget = QgsFileWidget(self)
        self.index_widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.index_widget.setFilter(tr("Chip index (chips_index.csv *.csv)"))
        self.index_widget.setDialogTitle(tr("Chip index of a run"))
        self.index_widget.lineEdit().setPlaceholderText(tr("chips_index.csv written by Cut chips"))
        self.index_widget.fileChanged.connect(self._on_index_changed)
        form.addRow(tr("Chip index"), self.index_widget)

        self._build_sources(form)
        self._build_options(form)
        self._build_output(form)

        for signal in (self.references_spin.valueChanged, self.batch_spin.valueChanged,
                       self.scheme_combo.currentIndexChanged, self.endpoint_list.itemChanged,
                       self.reference_widget.fileChanged, self.output_widget.fileChanged):
            signal.connect(self.update_reference_note)

        note = QLabel(tr("The run goes on in the background (see the task manager): QGIS stays usable, "
                         "cancel keeps every finished batch and a new run continues from there."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._name_buttons()
        self.start_button = self.button_box.addButton(tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("ChipVLMStartButton")
        self.button_box.accepted.connect(self.start)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)

    def _build_sources(self, form) -> None:
        """What is classified and by whom: the endpoints, the model, the scheme."""
        endpoints_box = QWidget(self)
        endpoints_layout = QVBoxLayout(endpoints_box)
        endpoints_layout.setContentsMargins(0, 0, 0, 0)
        self.endpoint_list = QListWidget(endpoints_box)
        self.endpoint_list.setToolTip(tr("Every checked endpoint takes batches from the same queue"))
        self.endpoint_list.setMinimumHeight(90)
        endpoints_layout.addWidget(self.endpoint_list)
        self.no_endpoint_label = QLabel(tr("No endpoint saved yet: add one with Model endpoints…"), endpoints_box)
        self.no_endpoint_label.setWordWrap(True)
        endpoints_layout.addWidget(self.no_endpoint_label)
        row = QHBoxLayout()
        self.endpoints_button = QPushButton(tr("Model endpoints…"), endpoints_box)
        self.endpoints_button.setToolTip(tr("Add, edit and test the servers"))
        self.endpoints_button.clicked.connect(self.open_endpoints_dialog)
        row.addWidget(self.endpoints_button)
        row.addStretch(1)
        endpoints_layout.addLayout(row)
        form.addRow(tr("Endpoints"), endpoints_box)

        self.model_edit = QLineEdit(self)
        self.model_edit.setPlaceholderText(tr("each endpoint's own model"))
        self.model_edit.setToolTip(tr("Optional: ask every checked endpoint for this model instead"))
        form.addRow(tr("Model override"), self.model_edit)

        scheme_row = QHBoxLayout()
        self.scheme_combo = QComboBox(self)
        self.scheme_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for scheme_id, path in available_schemes().items():
            try:
                label = f"{load_scheme(path).name} ({scheme_id})"
            except SchemeError:
                label = scheme_id
            self.scheme_combo.addItem(label, scheme_id)
        self.scheme_button = QToolButton(self)
        self.scheme_button.setText("…")
        self.scheme_button.setToolTip(tr("Use a class scheme from a .json file"))
        self.scheme_button.clicked.connect(self.browse_scheme)
        scheme_row.addWidget(self.scheme_combo)
        scheme_row.addWidget(self.scheme_button)
        form.addRow(tr("Class scheme"), scheme_row)


    def _build_options(self, form) -> None:
        """How the run goes: batch size, limit, retries, review threshold, reference examples."""
        self.batch_spin = QSpinBox(self)
        self.batch_spin.setRange(1, defaults.MAX_BATCH_SIZE)
        self.batch_spin.setValue(defaults.BATCH_SIZE)
        self.batch_spin.setSuffix(tr(" chips per request"))
        form.addRow(tr("Batch size"), self.batch_spin)

        self.limit_spin = QSpinBox(self)
        self.limit_spin.setRange(0, 10_000_000)
        self.limit_spin.setSpecialValueText(tr("all chips"))
        self.limit_spin.setToolTip(tr("Classify only this many chips in this run (0: all); a later run does the rest"))
        form.addRow(tr("Limit"), self.limit_spin)

        self.retry_check = QCheckBox(tr("Retry chips that ended as errors"), self)
        self.retry_check.setChecked(True)
        form.addRow("", self.retry_check)

        self.review_below_spin = QDoubleSpinBox(self)
        self.review_below_spin.setObjectName("ChipVLMReviewBelow")
        self.review_below_spin.setRange(0.0, 1.0)
        self.review_below_spin.setDecimals(2)
        self.review_below_spin.setSingleStep(0.05)
        self.review_below_spin.setSpecialValueText(tr("off"))
        self.review_below_spin.setToolTip(tr(
            "A result whose confidence (the model's probability of its class, from the token "
            "log-probabilities of servers that give them) is under this value needs review; its reason "
            "is kept. 0: off."))
        form.addRow(tr("Review when confidence is below"), self.review_below_spin)
        self.reasons_combo = QComboBox(self)
        self.reasons_combo.setObjectName("ChipVLMReasons")
        for word, label in ((REASONS_REVIEW, tr("only for the chips to review")),
                            (REASONS_ALL, tr("for every chip")), (REASONS_NONE, tr("none"))):
            self.reasons_combo.addItem(label, word)
        self.reasons_combo.setToolTip(tr(
            "Only for the chips to review: each batch is asked for the class alone, then the chips that go to "
            "review are asked again for their reason; the model writes a reason only where an analyst reads "
            "it, a fraction of the GPU time. For every chip: class and reason in every answer (slower)."))
        form.addRow(tr("Reasons"), self.reasons_combo)
        self.references_spin = QSpinBox(self)
        self.references_spin.setObjectName("ChipVLMReferencesSpin")
        self.references_spin.setRange(0, MAX_REFERENCES_PER_CLASS)
        self.references_spin.setSpecialValueText(tr("none"))
        self.references_spin.setSuffix(tr(" per class"))
        self.references_spin.setToolTip(tr("Chips an analyst reviewed, shown to the model before every batch as "
                                           "examples of each class (about 260 tokens of context each)"))
        form.addRow(tr("Reference examples"), self.references_spin)
        self.reference_widget = QgsFileWidget(self)
        self.reference_widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.reference_widget.setFilter(tr("Results (*.sqlite)"))
        self.reference_widget.lineEdit().setPlaceholderText(tr("this run's results"))
        form.addRow(tr("References from"), self.reference_widget)
        self.reference_note = QLabel("", self)
        self.reference_note.setObjectName("ChipVLMReferenceNote")
        self.reference_note.setWordWrap(True)
        form.addRow("", self.reference_note)


    def _build_output(self, form) -> None:
        """Where the results go."""
        self.output_widget = QgsFileWidget(self)
        self.output_widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.output_widget.setFilter(tr("Results (*.sqlite)"))
        self.output_widget.setDialogTitle(tr("Results file"))
        self.output_widget.lineEdit().setPlaceholderText(tr("results.sqlite beside the index"))
        self.output_widget.fileChanged.connect(self._on_output_changed)
        form.addRow(tr("Results"), self.output_widget)

    # -- endpoints ---------------------------------------------------------------------------------
    def _name_buttons(self) -> None:
        """Named by the plugin: a QGIS without Qt's own translations would show English."""
        self.button_box.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            # the button box gives its standard buttons Qt's names back after this dialog hears of it
            QTimer.singleShot(0, self._name_buttons)

    def reload_endpoints(self) -> None:
        """List the saved endpoints; keep what the user (un)checked, check new ones."""
        unchecked = set(self._unchecked_names()) if self.endpoint_list.count() == 0 else {
            self.endpoint_list.item(n).data(Qt.ItemDataRole.UserRole).name
            for n in range(self.endpoint_list.count())
            if self.endpoint_list.item(n).checkState() != Qt.CheckState.Checked
        }
        self.endpoint_list.clear()
        for endpoint in settings.load_endpoints():
            item = QListWidgetItem(f"{endpoint.name} — {endpoint.base_url} · {endpoint.model}")
            item.setData(Qt.ItemDataRole.UserRole, endpoint)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if endpoint.name in unchecked else Qt.CheckState.Checked)
            self.endpoint_list.addItem(item)
        self.no_endpoint_label.setVisible(self.endpoint_list.count() == 0)
        self.update_reference_note()  # the num_ctx of the endpoints may have changed

    def _unchecked_names(self) -> List[str]:
        return [str(name) for name in settings.CLASSIFY_UNCHECKED.read()]

    def checked_endpoints(self) -> List[EndpointConfig]:
        return [
            self.endpoint_list.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.endpoint_list.count())
            if self.endpoint_list.item(n).checkState() == Qt.CheckState.Checked
        ]

    def open_endpoints_dialog(self):
        from .endpoints_dialog import EndpointsDialog

        if self.endpoints_dialog is None:
            self.endpoints_dialog = EndpointsDialog(self)
            self.endpoints_dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.endpoints_dialog.finished.connect(self._on_endpoints_dialog_closed)
        self.endpoints_dialog.show()
        self.endpoints_dialog.raise_()
        return self.endpoints_dialog

    def _on_endpoints_dialog_closed(self, *_args) -> None:
        self.reload_endpoints()
        if self.endpoints_dialog is not None:
            self.endpoints_dialog.deleteLater()
            self.endpoints_dialog = None

    # -- scheme, index, output ---------------------------------------------------------------------
    def browse_scheme(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Class scheme"), "", tr("Class scheme (*.json)"))
        if path:
            self.set_scheme(path)

    def set_scheme(self, value: str) -> None:
        """Select a shipped scheme by id, or add and select a .json file."""
        position = self.scheme_combo.findData(value)
        if position < 0:
            self.scheme_combo.addItem(os.path.basename(value), value)
            position = self.scheme_combo.count() - 1
            self.scheme_combo.setItemData(position, value, Qt.ItemDataRole.ToolTipRole)
        self.scheme_combo.setCurrentIndex(position)

    def scheme(self) -> str:
        return self.scheme_combo.currentData() or ""

    def _on_index_changed(self, path: str) -> None:
        if self._output_auto:
            self.output_widget.blockSignals(True)
            self.output_widget.setFilePath(default_store_path(path) if path else "")
            self.output_widget.blockSignals(False)

    def _on_output_changed(self, path: str) -> None:
        index = self.index_widget.filePath()
        self._output_auto = not path or (bool(index) and path == default_store_path(index))

    # -- reference examples ------------------------------------------------------------------------
    def reference_plan(self):
        """(reference images, num_ctx a request needs, endpoints too small) for the current choices.

        The images are counted as the run will choose them (from the reference results' reviewed
        chips and the scheme's own); raises ChipVLMError / SchemeError when they cannot be chosen.
        """
        per_class = self.references_spin.value()
        if per_class <= 0:
            return 0, 0, []
        scheme = load_scheme(self.scheme())
        index = self.index_widget.filePath().strip()
        results = (self.reference_widget.filePath().strip() or self.output_widget.filePath().strip()
                   or (default_store_path(index) if index else ""))
        # choosing reads the results and the index: once per change of what they depend on, not per click
        key = (self.scheme(), per_class, results, _mtime(results), _mtime(results + "-wal"))
        if self._reference_cache is None or self._reference_cache[0] != key:
            self._reference_cache = (key, len(pick_references(scheme, per_class, results or None)))
        count = self._reference_cache[1]
        needed = request_context(load_template(scheme), scheme, self.batch_spin.value(), reference_count=count)
        small = [e for e in self.checked_endpoints() if int(e.num_ctx) < needed] if count else []
        return count, needed, small

    def update_reference_note(self, *_args) -> str:
        """Say what the references cost and whether the checked endpoints can hold it; returns a problem."""
        problem = self._update_reference_note()
        self.reference_note.setVisible(bool(self.reference_note.text()))
        return problem

    def _update_reference_note(self) -> str:
        try:
            count, needed, small = self.reference_plan()
        except (ChipVLMError, SchemeError, PromptError) as exc:
            self.reference_note.setText(tr_error(exc))
            return tr_error(exc)
        if self.references_spin.value() <= 0:
            self.reference_note.setText("")
            return ""
        if not count:
            self.reference_note.setText(tr("No reviewed chip to show yet: review some chips of this run, or choose "
                                           "the results of a reviewed run."))
            return ""
        text = tr("{0} reference images in every request: a request of {1} chips needs num_ctx of at least {2}.").format(
            count, self.batch_spin.value(), needed)
        problem = ""
        if small:
            problem = tr("Too small for that: {0}. Lower the references or the batch size, or raise num_ctx in "
                         "Model endpoints….").format(", ".join(f"{e.name} ({e.num_ctx})" for e in small))
            text += " " + problem
        self.reference_note.setText(text)
        return problem

    # -- settings ----------------------------------------------------------------------------------
    def _restore(self) -> None:
        scheme = settings.CLASSIFY_SCHEME.read() or scheme_for_language(qgis_locale())
        if scheme and (scheme in available_schemes() or os.path.isfile(scheme)):
            self.set_scheme(scheme)
        self.model_edit.setText(settings.CLASSIFY_MODEL.read())
        self.batch_spin.setValue(settings.CLASSIFY_BATCH_SIZE.read())
        self.limit_spin.setValue(settings.CLASSIFY_LIMIT.read())
        self.retry_check.setChecked(settings.CLASSIFY_RETRY_ERRORS.read())
        self.review_below_spin.setValue(settings.CLASSIFY_REVIEW_BELOW.read())
        self.reasons_combo.setCurrentIndex(max(0, self.reasons_combo.findData(settings.CLASSIFY_REASONS.read())))
        self.references_spin.setValue(settings.CLASSIFY_REFERENCES.read())
        self.reference_widget.setFilePath(settings.CLASSIFY_REFERENCE_RESULTS.read())
        index = settings.CLASSIFY_INDEX.read()
        if index:
            self.index_widget.setFilePath(index)
            self._on_index_changed(index)

    def _remember(self) -> None:
        settings.CLASSIFY_INDEX.write(self.index_widget.filePath())
        settings.CLASSIFY_SCHEME.write(self.scheme())
        settings.CLASSIFY_MODEL.write(self.model_edit.text().strip())
        settings.CLASSIFY_BATCH_SIZE.write(self.batch_spin.value())
        settings.CLASSIFY_LIMIT.write(self.limit_spin.value())
        settings.CLASSIFY_RETRY_ERRORS.write(self.retry_check.isChecked())
        settings.CLASSIFY_REVIEW_BELOW.write(self.review_below_spin.value())
        settings.CLASSIFY_REASONS.write(self.reasons_combo.currentData())
        settings.CLASSIFY_REFERENCES.write(self.references_spin.value())
        settings.CLASSIFY_REFERENCE_RESULTS.write(self.reference_widget.filePath().strip())
        unchecked = [
            self.endpoint_list.item(n).data(Qt.ItemDataRole.UserRole).name
            for n in range(self.endpoint_list.count())
            if self.endpoint_list.item(n).checkState() != Qt.CheckState.Checked
        ]
        settings.CLASSIFY_UNCHECKED.write(unchecked)

    # -- start -------------------------------------------------------------------------------------
    def problem(self) -> str:
        """Why Start cannot start, in a sentence ('' when it can)."""
        index = self.index_widget.filePath().strip()
        if not index:
            return tr("Choose the chips_index.csv of a run (made by Cut chips).")
        if not os.path.isfile(index):
            return tr("The chip index {0} does not exist.").format(index)
        if not self.checked_endpoints():
            if self.endpoint_list.count() == 0:
                return tr("No endpoint is saved: add one in Model endpoints…")
            return tr("Check at least one endpoint to send chips to.")
        try:
            load_scheme(self.scheme())
        except SchemeError as exc:
            return str(exc)
        problem = self.update_reference_note()
        if problem:
            return problem
        output = os.path.abspath(self.output_widget.filePath().strip() or default_store_path(index))
        for task in running_tasks():
            if os.path.abspath(task.options.store_path or default_store_path(task.options.index_path)) == output:
                # two runs on one results file would send the same chips twice
                return tr("A classification into {0} is already running: wait for it, or cancel it in the task "
                          "manager (finished batches are kept).").format(output)
        return ""

    def start(self) -> Optional[ClassifyTask]:
        problem = self.problem()
        if problem:
            self.show_problem(problem)
            return None
        self._remember()
        index = self.index_widget.filePath().strip()
        output = self.output_widget.filePath().strip() or default_store_path(index)
        try:
            task = ClassifyTask(self.options(index, output), iface=self.iface, on_review=self.on_review)
        except (EndpointError, ValueError) as exc:
            self.show_problem(tr_error(exc))
            return None
        self.task = start_task(task)
        names = ", ".join(e.name for e in task.options.endpoints)
        if self.iface is not None:
            push_message(
                self.iface.messageBar(), "ChipVLM", tr("Classifying the chips of {0} on {1}; progress in the task "
                                                       "manager.").format(index, names), Qgis.MessageLevel.Info, 5)
        self.taskStarted.emit(task)
        self.accept()
        return task

    def options(self, index: str, output: str) -> ClassifyOptions:
        """The run the dialog's fields describe (the same object chipvlm:classifychips builds)."""
        return ClassifyOptions(
            index, self.checked_endpoints(), self.scheme(), store_path=output, batch_size=self.batch_spin.value(),
            limit=self.limit_spin.value(), retry_errors=self.retry_check.isChecked(),
            review_below=self.review_below_spin.value(), references=self.references_spin.value(),
            reference_results=self.reference_widget.filePath().strip() or None, policy=self.policy,
            reasons=self.reasons_combo.currentData(),
        ).with_model(self.model_edit.text())

    def show_problem(self, text: str) -> None:
        self.message_bar.clearWidgets()
        push_message(self.message_bar, tr("Cannot start"), text, Qgis.MessageLevel.Warning, 0)

    def done(self, result: int) -> None:
        if self.endpoints_dialog is not None:
            self.endpoints_dialog.reject()
        super().done(result)
