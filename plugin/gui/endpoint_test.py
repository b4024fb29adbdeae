"""The Test of a model endpoint: check_endpoint() run in a QgsTask (a dead host can take the whole
timeout, the dialog stays usable meanwhile), what its EndpointCheck says in the user's words (a
sentence for the form, a few words and a state for the table), and the last result of each server
in this QGIS session, so that reopening the endpoints dialog shows it again.
"""
import time
from typing import Callable, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import pyqtSignal

from .. import tasks
from ..core.classify.clients.endpoints import EndpointConfig, without_endpoint_name
from ..core.classify.clients.factory import check_endpoint
from ..core.classify.clients.servers import EndpointCheck
from ..i18n import tr, tr_error

# a Test waits at most this long for a server, whatever the endpoint's own (run) timeout
TEST_TIMEOUT = 15.0


def _unnamed(endpoint: EndpointConfig, text: str) -> str:
    """A sentence from the core, translated, without its leading endpoint name: the Test names it once."""
    inner = without_endpoint_name(text, endpoint)
    if inner is not text:
        return tr_error(inner)
    text = tr_error(text)
    for prefix in (f"{endpoint.name}: ", f"{endpoint.name}:"):  # as the translation may write it
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def check_text(endpoint: EndpointConfig, check: EndpointCheck) -> str:
    """The Test result in the user's words: server kind and versions, model, vision, context, or what went wrong."""
    problems = " ".join(_unnamed(endpoint, p) for p in check.problems)
    if not check.reachable:
        text = tr("{0} ({1}): not reachable.").format(endpoint.name, endpoint.url)
        return text + (" " + problems if problems else "")
    kind = check.kind + (" " + check.gateway_version if check.gateway_version else "")
    if check.unusable and check.model_found is None and check.vision is None:
        # it answered, but refused us before the model could be asked about (a key, a wrong API)
        return tr("{0} ({1}): {2}").format(endpoint.name, kind, problems) if kind else \
            tr("{0}: {1}").format(endpoint.name, problems)
    parts = [tr("{0}: reachable").format(endpoint.name)]
    if kind:
        parts.append(kind)
    if check.version:
        parts.append(tr("server version {0}").format(check.version))
    if check.model_found is True:
        parts.append(tr("model {0} present").format(endpoint.model))
    elif check.model_found is False:
        parts.append(tr("model {0} NOT found").format(endpoint.model))
    if check.vision is True:
        parts.append(tr("vision: yes"))
    elif check.vision is False:
        parts.append(tr("vision: NO, this model cannot read images"))
    else:
        parts.append(tr("vision: unknown"))
    if check.num_ctx and check.context_length:
        parts.append(tr("context {0} tokens (model maximum {1})").format(check.num_ctx, check.context_length))
    elif check.num_ctx:
        parts.append(tr("context {0} tokens").format(check.num_ctx))
    elif check.context_length:
        parts.append(tr("context {0} tokens, set on the server").format(check.context_length))
    else:
        parts.append(tr("context size set on the server"))
    text = ", ".join(parts) + "."
    return text + (" " + problems if problems else "")


def check_short(check: EndpointCheck) -> str:
    """The Test result in a few words, for the table."""
    if not check.reachable:
        return tr("not reachable")
    if "key was refused" in check.unusable:
        return tr("key refused")
    if check.model_found is False:
        return tr("model missing")
    if check.vision is False:
        return tr("no vision")
    if check.unusable:
        return tr("unusable")
    if check.ok and check.vision is True:
        return tr("OK, version {0}").format(check.version) if check.version else tr("OK")
    return tr("see details")


def check_state(check: EndpointCheck) -> str:
    if not check.reachable or check.model_found is False or "key was refused" in check.unusable:
        return "error"  # a run leaves it out, and there is nothing to try with it
    return "ok" if check.ok and check.vision is True else "warning"


class EndpointTestTask(tasks.ChipVLMTask):
    """check_endpoint() on a worker thread; ``checked`` is emitted on the main thread."""

    checked = pyqtSignal(object, object)  # (EndpointConfig as tested, EndpointCheck)

    def __init__(self, endpoint: EndpointConfig):
        super().__init__(tr("ChipVLM: testing endpoint {0}").format(endpoint.name))
        self.endpoint = endpoint
        self.result: Optional[EndpointCheck] = None

    def work(self) -> bool:
        self.result = check_endpoint(self.endpoint)
        return True

    def done(self, result: bool) -> None:
        exc = self.exception
        if exc is not None:  # a check reports, it never raises into QGIS
            self.result = EndpointCheck(name=self.endpoint.name, problems=[f"{type(exc).__name__}: {exc}"])
        if self.result is None:  # canceled before it ran
            self.result = EndpointCheck(name=self.endpoint.name, problems=[tr("The test was canceled.")])
        self.checked.emit(self.endpoint, self.result)


def start_endpoint_test(endpoint: EndpointConfig,
                        on_checked: Callable[[EndpointConfig, EndpointCheck], None]) -> EndpointTestTask:
    """Test an endpoint in the background; on_checked(endpoint, check) runs on the main thread."""
    task = EndpointTestTask(endpoint)
    task.checked.connect(on_checked)
    return tasks.start(task)


# The last Test of each server and model in this QGIS session: (base_url, api, model, authcfg) ->
# (text, state, short, models, local time "HH:MM").
_LAST_TESTS: dict = {}


def _tested_key(endpoint: EndpointConfig) -> tuple:
    return (endpoint.base_url, endpoint.api, endpoint.model, endpoint.authcfg)


def remember_test(endpoint: EndpointConfig, text: str, state: str, short: str, models: Sequence[str]) -> None:
    _LAST_TESTS[_tested_key(endpoint)] = (text, state, short, tuple(models), time.strftime("%H:%M"))


def last_test(endpoint: EndpointConfig) -> Optional[Tuple[str, str, str, Tuple[str, ...], str]]:
    """(text, state, short, models, "HH:MM") of the last Test of this server and model, or None."""
    return _LAST_TESTS.get(_tested_key(endpoint))
