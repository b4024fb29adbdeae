"""chipvlm:classifychips: every chip of a chips index gets a class from a vision-language model.

A thin wrapper over core.classify.run.engine.run_classification: parameters in, endpoints resolved (on
the main thread, since API keys come from QGIS's authentication database), engine run with progress
and cancel, counts out.
"""
import os
import sqlite3
import time

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import defaults
from ..core.chips.index import ChipIndexError
from ..core.classify.clients.endpoints import (
    API_KINDS,
    API_OLLAMA,
    EndpointError,
    clean_api_key,
    endpoints_from_urls,
    has_userinfo,
)
from ..core.classify.run.engine import ClassificationError, run_classification
from ..core.classify.run.options import REASONS_CHOICES, REASONS_REVIEW, ClassifyOptions
from ..core.classify.run.report import STAGE_REASONS
from ..core.schemes import available_schemes
from ..core.training.references import MAX_REFERENCES_PER_CLASS
from ..i18n import tr, tr_error
from .base import ChipVLMAlgorithm, WordChoice, in_qgis_process

DEFAULT_MODEL = defaults.MODEL
DEFAULT_TIMEOUT = defaults.TIMEOUT
LOG_EVERY_S = 30.0  # a progress line in the log this often; the progress text follows every report


class ClassifyChipsAlgorithm(ChipVLMAlgorithm):
    NAME = "classifychips"
    GROUP = "classify"
    ICON = "classify.svg"
    INDEX = "INDEX"
    ENDPOINTS = "ENDPOINTS"
    MODEL = "MODEL"
    SCHEME = "SCHEME"
    BATCH_SIZE = "BATCH_SIZE"
    LIMIT = "LIMIT"
    RETRY_ERRORS = "RETRY_ERRORS"
    REVIEW_BELOW = "REVIEW_BELOW"
    REASONS = "REASONS"
    REFERENCES = "REFERENCES"
    REFERENCE_RESULTS = "REFERENCE_RESULTS"
    API = "API"
    CONCURRENCY = "CONCURRENCY"
    TIMEOUT = "TIMEOUT"
    API_KEY_ENV = "API_KEY_ENV"
    OUTPUT = "OUTPUT"
    RESULTS_CSV = "RESULTS_CSV"
    CLASSIFIED = "CLASSIFIED"
    ERRORS = "ERRORS"
    NEEDS_REVIEW = "NEEDS_REVIEW"

    def displayName(self):
        return self.tr("Classify chips")

    def shortHelpString(self):
        return self.tr(
            "Sends the chips of a chips index (made by 'Cut feature chips') to a vision-language model, "
            "BATCH_SIZE chips per request, and stores one class per fid in results.sqlite (with "
            "results.csv beside it).\n\n"
            "Endpoints: the base URLs of the model servers, comma-separated (e.g. "
            "http://gpu1:11434, http://gpu2:11434); all of them work from one queue, a dead one is "
            "paused and its work goes to the others. Empty: the endpoints saved in the ChipVLM settings, "
            "with their API keys from QGIS's authentication database. MODEL, when given, replaces the "
            "model of every endpoint.\n\n"
            "An answer is accepted only when its fids are exactly the batch's and every class is in the "
            "scheme; otherwise the batch is split and retried, and a chip that still fails gets class -1 "
            "(ERROR). The run resumes: a rerun classifies only the chips without a class (and, with "
            "RETRY_ERRORS, the errors). Cancel keeps every finished batch.\n\n"
            "REVIEW_BELOW: every result whose confidence is under this value needs review (its reason "
            "is kept); 0 = off. The confidence is the probability of the chosen class among the scheme's "
            "classes, read from the token log-probabilities the server returns (Ollama 0.12.11 and later, "
            "vLLM, llama.cpp); a server that gives none leaves it empty and this option flags nothing.\n\n"
            "REASONS: review (default) asks each batch for the class alone, then asks class and reason again, "
            "batched, only for the chips that go to review (class 0, a confidence under REVIEW_BELOW): the "
            "model writes a reason only where an analyst will read it, which costs a fraction of the GPU "
            "time. Only the reason of that second answer is kept; when it gives another class the chip stays in "
            "review and the reason says which. all: a class and a reason for every chip (as before); none: "
            "classes only. A run stopped between the two passes asks the missing reasons when run again.\n\n"
            "REFERENCES: that many chips per class whose class an analyst confirmed (taken from "
            "REFERENCE_RESULTS, or from this run's own results, and the ones the scheme names) are shown to the "
            "model before every batch, as examples; they never become results. Each costs about 260 tokens "
            "of context in every request: a run whose endpoints' num_ctx is too small is refused before it "
            "starts, with the num_ctx it needs.\n\n"
            "The CLASSIFIED, ERRORS and NEEDS_REVIEW outputs count the rows of the whole results file."
        ) + "\n\n" + self.tr(
            "Open WebUI in front of Ollama: give http://host:3000/ollama (Ollama's own API through Open WebUI: "
            "temperature, context size and the rest all reach Ollama); http://host:3000/api is its "
            "OpenAI-compatible API. A key for typed endpoints: put it in an environment variable and give "
            "the variable's name in API_KEY_ENV."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            self.INDEX, self.tr("Chips index (chips_index.csv)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Chips index (*.csv);;All files (*)")))
        self.addParameter(QgsProcessingParameterString(
            self.ENDPOINTS, self.tr("Endpoints (comma-separated base URLs; empty = the saved endpoints)"),
            defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.MODEL, self.tr("Model (empty = each saved endpoint's model, or {0})").format(DEFAULT_MODEL),
            defaultValue="", optional=True))
        shipped = ", ".join(sorted(available_schemes()))
        self.addParameter(QgsProcessingParameterString(
            self.SCHEME, self.tr("Class scheme (a shipped one: {0}; or the path of a .json file)").format(shipped),
            defaultValue=defaults.SCHEME))
        self.addParameter(QgsProcessingParameterNumber(
            self.BATCH_SIZE, self.tr("Chips per request"), QgsProcessingParameterNumber.Type.Integer, defaults.BATCH_SIZE,
            minValue=1, maxValue=defaults.MAX_BATCH_SIZE))
        advanced = [
            QgsProcessingParameterNumber(
                self.REVIEW_BELOW,
                self.tr("Review results whose confidence is below (0-1; 0 = off)"),
                QgsProcessingParameterNumber.Type.Double, 0.0, minValue=0.0, maxValue=1.0),
            WordChoice(
                self.REASONS, self.tr("Reasons (review: only for the chips that go to review, asked after their "
                                      "class; all: for every chip; none: classes only)"),
                REASONS_CHOICES, REASONS_REVIEW),
            QgsProcessingParameterNumber(
                self.LIMIT, self.tr("Only the first N chips still to do (0 = all)"),
                QgsProcessingParameterNumber.Type.Integer, 0, minValue=0),
            QgsProcessingParameterBoolean(
                self.RETRY_ERRORS, self.tr("Retry chips that ended as errors (-1) in an earlier run"), True),
            WordChoice(
                self.API, self.tr("API of the endpoints given above (ollama: Ollama's native API; openai: "
                                  "OpenAI-compatible, as vLLM, llama.cpp, Open WebUI and URLs ending in /v1)"),
                API_KINDS, API_OLLAMA),
            QgsProcessingParameterNumber(
                self.CONCURRENCY, self.tr("Requests at once per endpoint given above"),
                QgsProcessingParameterNumber.Type.Integer, 1, minValue=1, maxValue=64),
            QgsProcessingParameterNumber(
                self.TIMEOUT, self.tr("Timeout per request, seconds (endpoints given above)"),
                QgsProcessingParameterNumber.Type.Double, DEFAULT_TIMEOUT, minValue=1, maxValue=36000),
            QgsProcessingParameterString(
                self.API_KEY_ENV,
                self.tr("Environment variable holding the API key for the endpoints given above (its name, "
                        "e.g. CHIPVLM_API_KEY; never the key itself)"),
                defaultValue="", optional=True),
            QgsProcessingParameterNumber(
                self.REFERENCES, self.tr("Reference examples per class in each request (0 = none)"),
                QgsProcessingParameterNumber.Type.Integer, 0, minValue=0, maxValue=MAX_REFERENCES_PER_CLASS),
            QgsProcessingParameterFile(
                self.REFERENCE_RESULTS,
                self.tr("Take the reference examples from (results.sqlite; empty = this run's results)"),
                behavior=QgsProcessingParameterFile.Behavior.File,
                fileFilter=self.tr("Results (*.sqlite);;All files (*)"), optional=True),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        # optional: left empty (and in a model, when not a model output) results.sqlite goes beside the
        # index, so a rerun finds it and resumes instead of starting over in a temporary file
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Results file (empty = results.sqlite beside the chips index)"),
            self.tr("Results (*.sqlite)"), optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputFile(self.RESULTS_CSV, self.tr("Results table (results.csv)")))
        self.addOutput(QgsProcessingOutputNumber(self.CLASSIFIED, self.tr("Chips with a class")))
        self.addOutput(QgsProcessingOutputNumber(self.ERRORS, self.tr("Chips that ended as errors")))
        self.addOutput(QgsProcessingOutputNumber(self.NEEDS_REVIEW, self.tr("Chips needing review")))

    def prepareAlgorithm(self, parameters, context, feedback):
        # here, on the main thread: the settings and QGIS's authentication database are read once.
        # A problem is raised from processAlgorithm, where processing.run passes the sentence on (an
        # exception raised here reaches scripts only as "There were errors executing the algorithm").
        self.problem = None
        self.options = ClassifyOptions(
            self.parameterAsFile(parameters, self.INDEX, context), [],
            scheme=self.parameterAsString(parameters, self.SCHEME, context).strip() or defaults.SCHEME,
            store_path=self.parameterAsFileOutput(parameters, self.OUTPUT, context) or None,
            batch_size=self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            limit=self.parameterAsInt(parameters, self.LIMIT, context),
            retry_errors=self.parameterAsBoolean(parameters, self.RETRY_ERRORS, context),
            review_below=self.parameterAsDouble(parameters, self.REVIEW_BELOW, context),
            references=self.parameterAsInt(parameters, self.REFERENCES, context),
            reference_results=self.parameterAsFile(parameters, self.REFERENCE_RESULTS, context) or None,
            reasons=self.choice(parameters, self.REASONS, context),
        )
        try:
            self.options.endpoints = self._endpoints(parameters, context, feedback)
        except EndpointError as exc:
            self.problem = tr_error(exc)
        from ..settings import with_measured_speeds

        self.options.endpoints = with_measured_speeds(self.options.endpoints)  # the time estimate in the log
        return True

    def _endpoints(self, parameters, context, feedback):
        """The endpoints given as URLs, or the saved ones (with their keys from QGIS's auth database)."""
        model = self.parameterAsString(parameters, self.MODEL, context).strip()
        urls = self.parameterAsString(parameters, self.ENDPOINTS, context).strip()
        key_env = self.parameterAsString(parameters, self.API_KEY_ENV, context).strip()
        if urls and has_userinfo(urls):
            feedback.pushWarning(self.tr(
                "The user name and password written in an endpoint URL are neither used nor stored; give "
                "the API key through API_KEY_ENV (or a saved endpoint's authentication configuration)."))
        if urls:
            endpoints = endpoints_from_urls(
                urls, model or DEFAULT_MODEL,
                api=self.choice(parameters, self.API, context),
                concurrency=self.parameterAsInt(parameters, self.CONCURRENCY, context),
                timeout=self.parameterAsDouble(parameters, self.TIMEOUT, context),
            )
            if key_env:
                key = self._key_from_environment(key_env)
                for endpoint in endpoints:
                    endpoint.api_key = key
            if not model:
                feedback.pushInfo(self.tr("No model given: asking for {0}.").format(DEFAULT_MODEL))
            return endpoints
        from ..settings import load_endpoints, with_api_keys

        if key_env:
            feedback.pushInfo(self.tr(
                "API_KEY_ENV is for the endpoints given in ENDPOINTS; the saved endpoints use their own "
                "authentication configurations."))
        saved = [e.with_model(model) for e in load_endpoints()]
        endpoints = with_api_keys(saved)
        if saved:
            feedback.pushInfo(self.tr("Using the saved endpoints: {0}.").format(
                ", ".join(f"{e.name} ({e.url}, {e.model})" for e in saved)))
        return endpoints

    def _key_from_environment(self, name):
        """The key held by the environment variable ``name``; refused in a sentence that never shows it."""
        if not name.replace("_", "").isalnum():
            raise EndpointError(
                "API_KEY_ENV must be the name of an environment variable (letters, digits, _), not the key itself.")
        value = os.environ.get(name)
        if value is None or not value.strip():
            raise EndpointError(
                "The environment variable {0} named by API_KEY_ENV is not set (or empty) for this QGIS process.",
                name)
        try:
            return clean_api_key(value, name)
        except EndpointError:
            raise EndpointError(
                "The key in the environment variable {0} has spaces or line breaks inside it; set it again (it is "
                "not shown here).", name) from None

    def processAlgorithm(self, parameters, context, feedback):
        if self.problem:
            raise QgsProcessingException(self.problem)
        if not self.options.index_path:
            raise QgsProcessingException(self.tr("Choose the chips index (chips_index.csv) made by 'Cut feature chips'."))
        last_log = [time.monotonic()]
        last_text = [""]

        def progress(report):
            feedback.setProgress(report.percent)
            last_text[0] = progress_text(report)
            self.progress_text(feedback, last_text[0])
            now = time.monotonic()
            if now - last_log[0] >= LOG_EVERY_S and not in_qgis_process():  # see progress_text
                last_log[0] = now
                feedback.pushInfo(last_text[0])

        feedback.setProgressText(self.tr("Reading the chips index and checking the endpoints"))
        try:
            summary = run_classification(
                self.options,
                progress=progress,
                is_canceled=feedback.isCanceled,
                # what the engine says is a problem to know about: duplicate endpoints, missing chip
                # files, paused or failing endpoints, skipped index rows
                log=lambda message: feedback.pushWarning(tr_error(message)),
            )
        except ClassificationError as exc:
            raise QgsProcessingException(self._with_saved_work(tr_error(exc), exc.summary)) from exc
        except (EndpointError, ChipIndexError) as exc:  # a ChipVLMError goes through base.py, translated
            raise QgsProcessingException(tr_error(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            target = self.options.store_path or self.tr("results.sqlite beside the chips index")
            raise QgsProcessingException(
                self.tr("Cannot write the results file {0}: {1}").format(target, exc)) from exc

        if last_text[0]:
            feedback.pushInfo(last_text[0])
        feedback.pushInfo(summary_text(summary))
        if summary.skipped_in_index:
            feedback.pushInfo(self.tr("Index rows without a chip (not sent): {0}.").format(
                ", ".join(f"{count} {status_text(status)}"
                          for status, count in sorted(summary.skipped_in_index.items()))))
        feedback.pushInfo(self.tr("Results: {0}").format(summary.store_path))
        totals = summary.totals or {}
        return {
            self.OUTPUT: summary.store_path,
            self.RESULTS_CSV: summary.results_csv,
            self.CLASSIFIED: totals.get("classified", 0),
            self.ERRORS: totals.get("errors", 0),
            self.NEEDS_REVIEW: totals.get("needs_review", 0),
        }

    def _with_saved_work(self, message, summary):
        """The engine's sentence, plus where the work done before the failure is kept."""
        if summary is None or not (summary.classified or summary.errors or summary.already_done):
            return message
        return message + " " + self.tr("The results so far are in {0}.").format(summary.store_path)


# -- what the run says, in the user's language (core's Progress.text / RunSummary.text are English) ----
def duration_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return tr("{0} s").format(seconds)
    if seconds < 5400:
        return tr("{0} min").format(round(seconds / 60))
    return tr("{0} h {1} min").format(seconds // 3600, round(seconds % 3600 / 60))


def status_text(status: str) -> str:
    """A chips_index.csv status (a fixed code of the file) in the user's words."""
    words = {"error": tr("cutting failed"), "outside": tr("outside the raster"),
             "empty_geometry": tr("empty geometry")}
    return words.get(status, status)


def progress_text(report) -> str:
    if report.stage == STAGE_REASONS:  # the chips to review, asked again for their reason (REASONS=review)
        line = tr("reasons: {0}/{1} chips, {2:.1f} chips/min").format(report.done, report.total,
                                                                      report.chips_per_minute)
    else:
        line = tr("{0}/{1} chips, {2:.1f} chips/min").format(report.done, report.total, report.chips_per_minute)
    if report.eta_s is not None and report.done < report.total:
        line += tr(", about {0} left").format(duration_text(report.eta_s))
    if report.per_endpoint:
        line += "; " + ", ".join(f"{name}: {count}" for name, count in report.per_endpoint.items())
    if report.paused:
        line += "; " + tr("paused: {0}").format(", ".join(report.paused))
    return line


def summary_text(summary) -> str:
    line = tr("{0} chips classified, {1} errors, {2} to review in this run ({3}).").format(
        summary.classified, summary.errors, summary.needs_review, duration_text(summary.elapsed_s))
    if summary.reasons_asked:
        line += " " + tr("Reasons pass: {0} chips to review asked for their reason, {1} reasons stored ({2} with "
                         "another class, named in the reason).").format(
            summary.reasons_asked, summary.reasons_added, summary.reasons_other_class)
    totals = summary.totals or {}
    if totals:
        line += " " + tr("Results file: {0} classified, {1} errors, {2} needing review.").format(
            totals.get("classified", 0), totals.get("errors", 0), totals.get("needs_review", 0))
    if summary.canceled:
        line += " " + tr("Canceled: run again to continue where it stopped.")
    if summary.stopped_reason:
        line += " " + tr("Stopped: {0}").format(tr_error(summary.stopped_reason))
    return line
