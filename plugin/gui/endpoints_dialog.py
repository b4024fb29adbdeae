"""The "Model endpoints" dialog: the servers a run may send chips to, edited, tested and saved.

Built in code rather than from a ui/ file: the table and the form below it change together (the form
edits the selected row live) and QgsAuthConfigSelect would need a custom-widget entry in a .ui.
The Test button starts endpoint_check.py's task (the check, its wording, the session's last results)
and shows what it says. Only the id of a QGIS authentication configuration is kept; the API key is
read from QGIS's authentication database when a test or a run starts and is never shown or saved.

Size (~460 lines): one dialog, whose table, form (editing the selected row live) and actions (add,
remove, test, save) work on the same rows; the Test itself is endpoint_check.py.
"""
from dataclasses import replace
from typing import List, Optional

from qgis.core import Qgis
from qgis.gui import QgsAuthConfigSelect, QgsMessageBar
from qgis.PyQt.QtCore import QEvent, Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.classify.clients.endpoints import (
    API_OLLAMA,
    API_OPENAI,
    EndpointConfig,
    EndpointError,
    api_for_url,
    has_userinfo,
)
from ..core.classify.clients.servers import EndpointCheck
from ..core.classify.speed.probe import SpeedProbe
from ..i18n import tr, tr_error
from ..settings import load_endpoints, remember_speed, save_endpoints, with_api_keys
from .endpoint_check import (
    EndpointTestTask,
    ProbeRequest,
    check_short,
    check_state,
    check_text,
    last_test,
    remember_test,
    speed_short,
    speed_text,
    start_endpoint_test,
)

MIN_NUM_CTX, MAX_NUM_CTX = 2048, 1_048_576  # Ollama's smallest useful context; a million-token model
COLUMNS = ("name", "base_url", "api", "model", "concurrency", "timeout", "authcfg", "test")


def api_label(api: str) -> str:
    return tr("OpenAI API") if api == API_OPENAI else tr("Ollama")


class _Row:
    """One endpoint being edited, with what its last Test said."""

    def __init__(self, endpoint: EndpointConfig):
        self.endpoint = endpoint
        self.test_text = ""
        self.test_short = ""
        self.test_state = ""  # "", "testing", "ok", "warning", "error"
        self.models: List[str] = []
        last = last_test(endpoint)
        if last is not None:
            text, self.test_state, self.test_short, models, when = last
            self.models = list(models)
            self.test_text = text + "\n" + tr("Tested at {0}.").format(when)


class EndpointsDialog(QDialog):
    """Add, edit, remove and test the saved endpoints; Save writes them to the plugin settings."""


    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ChipVLMEndpointsDialog")
        self.setWindowTitle(tr("ChipVLM model endpoints"))
        self.rows: List[_Row] = [_Row(e) for e in load_endpoints()]
        self.tests: List[EndpointTestTask] = []
        self._loading = False
        self._build()
        self._fill_table()
        if self.rows:
            self.table.selectRow(0)
        self._on_selection()
        self.resize(980, 640)

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.message_bar = QgsMessageBar(self)
        self.message_bar.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.message_bar)
        intro = QLabel(tr("The servers that classify chips. A run can use several at once: one Ollama per GPU, "
                          "each on its own port, or an OpenAI-compatible gateway such as Open WebUI or vLLM."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self._build_table(layout)
        self._build_form(layout)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self._name_buttons()
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)

    def _build_table(self, layout) -> None:
        """The endpoints, one row each, and the buttons that act on the selected ones."""
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            tr("Name"), tr("Base URL"), tr("API"), tr("Model"), tr("At once"), tr("Timeout"),
            tr("API key"), tr("Last test"),
        ])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add"), self)
        self.add_button.setToolTip(tr("Add an endpoint"))
        self.add_button.clicked.connect(self.add_endpoint)
        self.remove_button = QPushButton(tr("Remove"), self)
        self.remove_button.setToolTip(tr("Remove the selected endpoints"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button = QPushButton(tr("Test"), self)
        self.test_button.setToolTip(tr("Ask the selected endpoints for their version, the model and its vision "
                                       "capability, then send two chips to measure the seconds per chip and "
                                       "whether the server runs requests in parallel"))
        self.test_button.clicked.connect(self.test_selected)
        for button in (self.add_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _build_form(self, layout) -> None:
        """The selected endpoint's settings, edited live."""
        self.form_box = QGroupBox(tr("Selected endpoint"), self)
        form = QFormLayout(self.form_box)
        self.name_edit = QLineEdit(self.form_box)
        self.name_edit.setPlaceholderText(tr("e.g. gpu0"))
        self.url_edit = QLineEdit(self.form_box)
        self.url_edit.setPlaceholderText("http://localhost:11434")
        self.api_combo = QComboBox(self.form_box)
        self.api_combo.addItem(tr("Ollama native (/api/chat)"), API_OLLAMA)
        self.api_combo.addItem(tr("OpenAI-compatible (Open WebUI, vLLM, llama.cpp)"), API_OPENAI)
        self.model_combo = QComboBox(self.form_box)
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.lineEdit().setPlaceholderText("gemma3:27b")
        self.concurrency_spin = QSpinBox(self.form_box)
        self.concurrency_spin.setRange(1, 64)
        self.concurrency_spin.setToolTip(tr("How many requests this server runs at once (OLLAMA_NUM_PARALLEL)"))
        self.timeout_spin = QDoubleSpinBox(self.form_box)
        self.timeout_spin.setRange(1, 3600)
        self.timeout_spin.setDecimals(0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setToolTip(tr("How long to wait for one answer before trying again"))
        self.context_spin = QSpinBox(self.form_box)
        self.context_spin.setObjectName("ChipVLMContextSpin")
        self.context_spin.setRange(MIN_NUM_CTX, MAX_NUM_CTX)
        self.context_spin.setSingleStep(2048)
        self.context_spin.setSuffix(tr(" tokens"))
        self.context_spin.setToolTip(tr(
            "The context (num_ctx) asked for with every request: about 260 tokens per chip and per reference "
            "image, plus the prompt. Ollama cuts a longer prompt without a word; more context takes more GPU "
            "memory. Kept constant per endpoint (a change makes Ollama reload the model). Servers that take no "
            "num_ctx with a request (vLLM, llama.cpp) set it themselves; Test shows what the model allows."))
        self.logprobs_check = QCheckBox(tr("Ask for the model's confidence (token log-probabilities)"),
                                        self.form_box)
        self.logprobs_check.setToolTip(tr(
            "Ollama 0.12.11 and later, vLLM and llama.cpp return them: each result then gets the probability "
            "of its class. A server that refuses the request field is asked without it; one that ignores "
            "it leaves the confidence empty."))
        self.auth_select = QgsAuthConfigSelect(self.form_box)
        self.auth_select.setToolTip(tr("Optional: a QGIS authentication configuration holding the API key "
                                       "(Basic method, key as password); only its id is saved"))
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Base URL"), self.url_edit)
        form.addRow(tr("API"), self.api_combo)
        form.addRow(tr("Model"), self.model_combo)
        form.addRow(tr("Requests at once"), self.concurrency_spin)
        form.addRow(tr("Timeout"), self.timeout_spin)
        form.addRow(tr("Context (num_ctx)"), self.context_spin)
        form.addRow(tr("Confidence"), self.logprobs_check)
        form.addRow(tr("API key"), self.auth_select)
        self.result_label = QLabel(self.form_box)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(tr("Last test"), self.result_label)
        layout.addWidget(self.form_box)

        self.name_edit.textEdited.connect(self._on_form_edited)
        self.url_edit.textEdited.connect(self._on_form_edited)
        self.api_combo.currentIndexChanged.connect(self._on_form_edited)
        self.model_combo.editTextChanged.connect(self._on_form_edited)
        self.concurrency_spin.valueChanged.connect(self._on_form_edited)
        self.timeout_spin.valueChanged.connect(self._on_form_edited)
        self.context_spin.valueChanged.connect(self._on_form_edited)
        self.logprobs_check.toggled.connect(self._on_form_edited)
        self.auth_select.selectedConfigIdChanged.connect(self._on_form_edited)

    def _name_buttons(self) -> None:
        """Named by the plugin: a QGIS without Qt's own translations would show English."""
        self.button_box.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            # the button box gives its standard buttons Qt's names back after this dialog hears of it
            QTimer.singleShot(0, self._name_buttons)

    # -- table -------------------------------------------------------------------------------------
    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for number in range(len(self.rows)):
            self._fill_row(number)

    def _fill_row(self, number: int) -> None:
        row = self.rows[number]
        endpoint = row.endpoint
        values = {
            "name": endpoint.name,
            "base_url": endpoint.base_url,
            "api": api_label(endpoint.api),
            "model": endpoint.model,
            "concurrency": str(endpoint.concurrency),
            "timeout": f"{float(endpoint.timeout):g} s",
            "authcfg": tr("auth config {0}").format(endpoint.authcfg) if endpoint.authcfg else tr("none"),
            "test": {"testing": tr("testing…")}.get(row.test_state, row.test_short),
        }
        colors = {"ok": QColor("#2e7d32"), "warning": QColor("#b26a00"), "error": QColor("#c62828")}
        for column, key in enumerate(COLUMNS):
            item = self.table.item(number, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(number, column, item)
            item.setText(values[key])
            if key == "test":
                item.setToolTip(row.test_text)
                if row.test_state in colors:
                    item.setForeground(colors[row.test_state])
                else:
                    item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def current_row(self) -> Optional[_Row]:
        number = self.table.currentRow()
        if 0 <= number < len(self.rows) and self.table.selectionModel().isRowSelected(
                number, self.table.rootIndex()):
            return self.rows[number]
        selected = self.selected_rows()
        return selected[0] if selected else None

    def selected_rows(self) -> List[_Row]:
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[n] for n in numbers if n < len(self.rows)]

    def endpoints(self) -> List[EndpointConfig]:
        return [row.endpoint for row in self.rows]

    # -- form --------------------------------------------------------------------------------------
    def _on_selection(self) -> None:
        row = self.current_row()
        self.form_box.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        self.test_button.setEnabled(row is not None)
        self._loading = True
        try:
            if row is None:
                for edit in (self.name_edit, self.url_edit):
                    edit.clear()
                self.model_combo.clear()
                self.result_label.clear()
                return
            endpoint = row.endpoint
            self.name_edit.setText(endpoint.name)
            self.url_edit.setText(endpoint.base_url)
            self.api_combo.setCurrentIndex(max(0, self.api_combo.findData(endpoint.api)))
            self.model_combo.clear()
            self.model_combo.addItems(row.models)
            self.model_combo.setEditText(endpoint.model)
            self.concurrency_spin.setValue(int(endpoint.concurrency))
            self.timeout_spin.setValue(float(endpoint.timeout))
            self.context_spin.setValue(int(endpoint.num_ctx))
            self.logprobs_check.setChecked(bool(endpoint.logprobs))
            self.auth_select.setConfigId(endpoint.authcfg or "")
            self._show_result(row)
        finally:
            self._loading = False

    def _on_form_edited(self, *_args) -> None:
        if self._loading:
            return
        row = self.current_row()
        if row is None:
            return
        before = row.endpoint
        typed_url = self.url_edit.text().strip()
        api = self.api_combo.currentData() or API_OLLAMA
        if typed_url != before.base_url:
            # .../api is Open WebUI's OpenAI API, .../ollama its Ollama proxy, .../v1 OpenAI-compatible
            api = api_for_url(typed_url, api)
            if api != (self.api_combo.currentData() or API_OLLAMA):
                self._loading = True
                try:
                    self.api_combo.setCurrentIndex(max(0, self.api_combo.findData(api)))
                finally:
                    self._loading = False
            if has_userinfo(typed_url):
                self.message_bar.clearWidgets()
                self.message_bar.pushMessage(
                    tr("Credentials in the address"),
                    tr("A user name or password written in the address is neither used nor saved: choose an "
                       "authentication configuration below for the API key."), Qgis.MessageLevel.Warning, 10)
        row.endpoint = replace(
            row.endpoint,
            name=self.name_edit.text().strip(),
            base_url=typed_url,
            api=api,
            model=self.model_combo.currentText().strip(),
            concurrency=int(self.concurrency_spin.value()),
            timeout=float(self.timeout_spin.value()),
            num_ctx=int(self.context_spin.value()),
            logprobs=self.logprobs_check.isChecked(),
            authcfg=self.auth_select.configId() or "",
        )
        tested = ("base_url", "api", "model", "authcfg")
        if row.test_state != "testing" and any(getattr(before, f) != getattr(row.endpoint, f) for f in tested):
            row.test_text = row.test_short = row.test_state = ""  # it described another server or model
            self._show_result(row)
        self._fill_row(self.rows.index(row))

    def _show_result(self, row: _Row) -> None:
        if row.test_state == "testing":
            self.result_label.setText(tr("Testing {0}…").format(row.endpoint.name))
        else:
            self.result_label.setText(row.test_text or tr("Not tested yet."))

    # -- actions -----------------------------------------------------------------------------------
    def add_endpoint(self) -> _Row:
        taken = {row.endpoint.name for row in self.rows}
        number = len(self.rows)
        while f"gpu{number}" in taken:
            number += 1
        port = 11434 + len(self.rows)
        row = _Row(EndpointConfig(name=f"gpu{number}", base_url=f"http://localhost:{port}"))
        self.rows.append(row)
        self._fill_table()
        self.table.selectRow(len(self.rows) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        return row

    def remove_selected(self) -> None:
        doomed = self.selected_rows()
        if not doomed:
            return
        first = self.rows.index(doomed[0])
        self.rows = [row for row in self.rows if row not in doomed]
        self.table.clearSelection()
        self._fill_table()
        if self.rows:
            self.table.selectRow(min(first, len(self.rows) - 1))
        self._on_selection()

    def test_selected(self) -> List[EndpointTestTask]:
        """Test every selected endpoint in the background; results arrive in the table and the form."""
        started = []
        probe = ProbeRequest()  # the chips and scheme every selected endpoint is measured with
        for row in self.selected_rows():
            try:
                endpoint = row.endpoint.validate()
                endpoint = with_api_keys([endpoint])[0]  # main thread: QGIS may ask for its master password
            except EndpointError as exc:
                self._set_result(row, tr_error(exc), "error", tr("cannot test"))
                continue
            row.test_state = "testing"
            self._refresh(row)
            task = start_endpoint_test(
                endpoint, lambda tested, check, speed, row=row: self._on_checked(row, tested, check, speed), probe)
            self.tests.append(task)
            started.append(task)
        return started

    def _on_checked(self, row: _Row, endpoint: EndpointConfig, check: EndpointCheck,
                    speed: Optional[SpeedProbe] = None) -> None:
        self.tests = [t for t in self.tests if t.endpoint is not endpoint]
        if speed is not None:
            remember_speed(endpoint, speed)  # a fact about the server and model, kept without Save
        if row not in self.rows:
            return  # removed while it was tested
        for model in check.models:
            if model and model not in row.models:
                row.models.append(model)
        if row is self.current_row():
            self._loading = True
            try:
                text = self.model_combo.currentText()
                self.model_combo.clear()
                self.model_combo.addItems(row.models)
                self.model_combo.setEditText(text)
            finally:
                self._loading = False
        text = "\n".join(t for t in (check_text(endpoint, check), speed_text(endpoint, speed)) if t)
        self._set_result(row, text, check_state(check), speed_short(check_short(check), speed))

    def _set_result(self, row: _Row, text: str, state: str, short: str) -> None:
        row.test_text, row.test_state, row.test_short = text, state, short
        remember_test(row.endpoint, text, state, short, row.models)
        self._refresh(row)

    def _refresh(self, row: _Row) -> None:
        if row in self.rows:
            self._fill_row(self.rows.index(row))
        if row is self.current_row():
            self._show_result(row)

    def problems(self) -> List[str]:
        """What stops the list from being saved, a sentence each (empty: it can be saved)."""
        found = []
        seen = set()
        for row in self.rows:
            try:
                row.endpoint.validate()
            except EndpointError as exc:
                found.append(tr_error(exc))
            name = row.endpoint.name.strip()
            if not name:
                found.append(tr("An endpoint at {0} has no name: name it, e.g. gpu0.").format(row.endpoint.base_url))
            elif name in seen:
                found.append(tr("Two endpoints are named {0}: results and progress are reported by name, give "
                                "each its own.").format(name))
            seen.add(name)
        return found

    def save(self) -> bool:
        found = self.problems()
        if found:
            self.message_bar.clearWidgets()
            self.message_bar.pushMessage(tr("Not saved"), found[0], Qgis.MessageLevel.Warning, 0)
            for number, row in enumerate(self.rows):
                try:
                    row.endpoint.validate()
                except EndpointError:
                    self.table.selectRow(number)
                    break
            return False
        try:
            save_endpoints(self.endpoints())
        except (EndpointError, ValueError) as exc:
            self.message_bar.pushMessage(tr("Not saved"), tr_error(exc), Qgis.MessageLevel.Critical, 0)
            return False
        self.accept()
        return True

    def done(self, result: int) -> None:
        # tests still running report to nobody: their tasks end on their own (plugin/tasks.py keeps them)
        for task in self.tests:
            try:
                task.checked.disconnect()
            except (TypeError, RuntimeError):  # nothing connected, or the task is already gone
                continue
        self.tests = []
        super().done(result)
