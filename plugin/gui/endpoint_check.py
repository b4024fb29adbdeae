"""The Test of a model endpoint: check_endpoint() and then the speed probe (core/classify/speed: one
real batch of two chips, then two at once) run in a QgsTask (a dead host can take the whole timeout,
a 27B model a minute to load; the dialog stays usable meanwhile), what they say in the user's words
(a sentence for the form, a few words and a state for the table), and the last result of each server
in this QGIS session, so that reopening the endpoints dialog shows it again. The measured speed is
kept in the plugin settings (settings.remember_speed) for the time estimate of a run.
"""
import time
from dataclasses import replace
from typing import Callable, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import pyqtSignal

from .. import tasks
from ..core.classify.clients.endpoints import EndpointConfig, without_endpoint_name
from ..core.classify.clients.factory import check_endpoint
from ..core.classify.clients.servers import EndpointCheck
from ..core.classify.request.prompts import load_template
from ..core.classify.speed.advice import probe_sentences
from ..core.classify.speed.probe import ProbeSample, SpeedProbe, probe_sample, probe_speed
from ..core.schemes import load_scheme
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


def speed_text(endpoint: EndpointConfig, probe: Optional[SpeedProbe]) -> str:
    """What the speed probe found and advises, in the user's words ('' when it did not run)."""
    if probe is None:
        return ""
    return " ".join(tr_error(sentence) for sentence in probe_sentences(probe, probe.server_kind,
                                                                       int(endpoint.concurrency)))


def speed_short(short: str, probe: Optional[SpeedProbe]) -> str:
    """The table's few words with the seconds per chip a run should see, once measured."""
    if probe is None or not probe.measured:
        return short
    return tr("{0}, {1} s/chip").format(short, f"{probe.run_seconds_per_chip:.1f}")


class ProbeRequest:
    """What the probe sends and how, read on the main thread from the settings: two chips of the last
    chips index (or the shipped pair) and the class scheme of the Classify dialog, as a run would."""

    def __init__(self, index_path: str = "", scheme_id: str = ""):
        from .. import settings

        self.sample: ProbeSample = probe_sample(index_path or settings.CLASSIFY_INDEX.read())
        self.scheme_id = scheme_id or settings.CLASSIFY_SCHEME.read()

    def measure(self, endpoint: EndpointConfig, kind: str) -> SpeedProbe:
        try:
            scheme = load_scheme(self.scheme_id)
        except Exception:  # a scheme file gone or broken: the shipped default measures the server as well
            from ..core import defaults

            scheme = load_scheme(defaults.SCHEME)
        probe = probe_speed(endpoint, self.sample, scheme, load_template(scheme))
        probe.server_kind = kind
        return probe


class EndpointTestTask(tasks.ChipVLMTask):
    """check_endpoint() and, when the endpoint can classify, the speed probe, on a worker thread;
    ``checked`` is emitted on the main thread."""

    checked = pyqtSignal(object, object, object)  # (EndpointConfig as tested, EndpointCheck, SpeedProbe or None)

    def __init__(self, endpoint: EndpointConfig, probe: Optional[ProbeRequest] = None):
        super().__init__(tr("ChipVLM: testing endpoint {0}").format(endpoint.name))
        self.endpoint = endpoint
        self.probe_request = probe
        self.result: Optional[EndpointCheck] = None
        self.probe: Optional[SpeedProbe] = None

    def work(self) -> bool:
        # the check waits at most TEST_TIMEOUT; the probe's requests get the run's timeout (a model loads)
        quick = replace(self.endpoint, timeout=min(float(self.endpoint.timeout), TEST_TIMEOUT))
        self.result = check_endpoint(quick)
        if self.probe_request is not None and self.result.ok and not self.isCanceled():
            self.probe = self.probe_request.measure(self.endpoint, self.result.kind)
        return True

    def done(self, result: bool) -> None:
        exc = self.exception
        if exc is not None:  # a check reports, it never raises into QGIS
            self.result = EndpointCheck(name=self.endpoint.name, problems=[f"{type(exc).__name__}: {exc}"])
        if self.result is None:  # canceled before it ran
            self.result = EndpointCheck(name=self.endpoint.name, problems=[tr("The test was canceled.")])
        self.checked.emit(self.endpoint, self.result, self.probe)


def start_endpoint_test(endpoint: EndpointConfig,
                        on_checked: Callable[[EndpointConfig, EndpointCheck, Optional[SpeedProbe]], None],
                        probe: Optional[ProbeRequest] = None) -> EndpointTestTask:
    """Test an endpoint in the background; on_checked(endpoint, check, speed probe) runs on the main thread."""
    task = EndpointTestTask(endpoint, probe)
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
