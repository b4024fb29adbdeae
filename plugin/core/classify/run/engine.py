"""run_classification(): the one code path behind the Processing algorithm, the QgsTask and scripts.

A run is given one ClassifyOptions (options.py) and carried by a ClassificationRun, whose steps are
its methods: prepare, check the endpoints, seed the queue, pump the workers' events, ask the reasons,
finish. With REASONS=review (the default) the first pass asks the class alone; the reasons pass then
asks class and reason, batched, for the chips that go to review and have no reason yet, through the
same dispatcher (same endpoints, same retry table): a run stopped between the passes, or a rerun,
asks only for what still lacks one. It
reads the index, decides what is left to do (only a class other than -1 counts as done:
tests/unit/test_classify_engine.py::test_errors_are_not_done_a_rerun_retries_them_and_skips_real_classes),
checks the endpoints, feeds the dispatcher and commits every finished batch at once, so a kill loses
at most the requests in flight. It reports progress (chips done, chips per minute, time left,
per-endpoint counts), stops within a second when asked, and exports results.csv at the end.

What a run reports (Progress, RunSummary) is report.py; which chips the reasons pass asks and what
of its answers is kept, reasons.py.
"""
from __future__ import annotations

import json
import os
import queue
import time
from typing import Callable, Dict, List, Optional, Tuple

from ...chips.index import ChipEntry, read_chip_index
from ...errors import ChipVLMError, Message
from ...results.store import RequestRow, ResultRow, ResultsStore, utc_now
from ...schemes import Scheme, load_scheme
from ..clients.endpoints import EndpointConfig, dedupe_endpoints, unique_names, without_endpoint_name
from ..clients.factory import check_all, make_client
from ..clients.servers import EndpointCheck, context_note, kind_from_url
from ..dispatch.dispatcher import Dispatcher
from ..dispatch.events import RowsDone, Said
from ..dispatch.state import WorkItem
from ..request.prompts import load_template
from ..request.schemas import CLASS_ONLY, WITH_REASON
from ..speed.estimate import expected_rate, run_estimate
from .lock import RunLock, RunLockedError
from .options import REASONS_ALL, REASONS_REVIEW, ClassifyOptions
from .reasons import reasons_kept, reasons_lacking
from .report import STAGE_CLASSES, STAGE_REASONS, Progress, RunBar, RunSummary, eta_seconds, format_duration


class ClassificationError(ChipVLMError, RuntimeError):
    """A run that cannot start or go on; the message is a sentence for the user (a template and its values)."""

    def __init__(self, template: str, *values, summary: Optional[RunSummary] = None, detail: str = ""):
        super().__init__(template, *values, detail=detail)
        self.summary = summary


class AllEndpointsFailedError(ClassificationError):
    """No endpoint answers any more; finished batches are kept, nothing else is marked done."""


def default_store_path(index_path: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(index_path)), "results.sqlite")


def results_csv_path(store_path: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(store_path)), "results.csv")


def _prepare_references(scheme, template, per_class, results_path, say):
    """The reference examples of every request (None without REFERENCES) and where each came from."""
    if not per_class or int(per_class) <= 0:
        return None, []
    from ...training.references import pick_references, prompt_references

    chosen = pick_references(scheme, int(per_class), results_path, say)
    if not chosen:
        say(Message("No reference examples to send: no class has a reviewed chip or a reference named by the scheme."))
        return None, []
    say(Message("{0} reference examples in every request: {1}", len(chosen),
                ", ".join(f"{r.class_id} {r.class_name} <- {r.origin}" for r in chosen)))
    origins = [{"class_id": r.class_id, "fid": r.fid, "path": r.path} for r in chosen]
    return prompt_references(chosen, template), origins


def _client_factory(references):
    if references is None:
        return make_client

    def factory(endpoint):
        client = make_client(endpoint)
        client.references = references
        return client

    return factory


def run_classification(options: ClassifyOptions, progress: Optional[Callable[[Progress], None]] = None,
                       is_canceled: Optional[Callable[[], bool]] = None,
                       log: Optional[Callable[[str], None]] = None) -> RunSummary:
    """Classify every chip of the index not yet done; returns what happened.

    ``options.review_below``: a result whose confidence (from the model's log-probabilities) is under
    it needs review, its reason kept; 0 = off. It applies to the results of earlier runs in the file
    too (it only ever adds the flag). A result without a confidence is not flagged by it.

    Raises ClassificationError when the run cannot start (bad index, scheme, no endpoint) and
    AllEndpointsFailedError when every endpoint stopped answering; finished work is kept in both cases.
    """
    return ClassificationRun(options, progress, is_canceled, log).run()


class ClassificationRun:
    """One run, step by step: prepare, check the endpoints, seed the queue, pump the workers' events,
    finish. Only this object writes the results store, from the thread that calls run()."""

    def __init__(self, options: ClassifyOptions, progress: Optional[Callable[[Progress], None]] = None,
                 is_canceled: Optional[Callable[[], bool]] = None, log: Optional[Callable[[str], None]] = None):
        self.options = options
        self.policy = options.policy
        self.progress = progress
        self.is_canceled = is_canceled or (lambda: False)
        self.log = log
        self.started = time.monotonic()
        self.messages: List[str] = []
        self.scheme: Optional[Scheme] = None
        self.template = None
        self.index = None
        self.store_path = ""
        self.prompt_refs = None
        self.reference_origins: list = []
        self.chosen: List[EndpointConfig] = []
        self.store: Optional[ResultsStore] = None
        self.summary: Optional[RunSummary] = None
        self.dispatcher: Optional[Dispatcher] = None
        self.events: queue.Queue = queue.Queue()
        self.resolved = 0  # chips of this run finished (a class or an error)
        self.missing = 0  # of them, chips whose file was not found (error rows before any request)
        self.per_endpoint: Dict[str, int] = {}
        self.last_report = 0.0
        self.run_started = 0.0
        self.expected_rate: Optional[float] = None  # chips/s the endpoint Test measured (None: not measured)
        self.prior_chips = 0  # the time left starts as if this many chips had gone at that rate
        self.first_classes: Dict[int, int] = {}  # reasons pass: fid -> the class the first pass gave
        self.reasons_resolved = 0  # reasons pass: chips answered or given up on
        self.reasons_total = 0  # reasons pass: chips asked again
        self.reasons_started = 0.0  # when the reasons pass began (0: not yet)
        self.first_pass_rate: Optional[float] = None  # chips/s: the reasons pass's time left starts from it
        self.to_review = 0  # first pass: chips of this run that went to review with a class (REASONS=review asks them)
        self.bar = RunBar()  # the whole run's percentage, over both passes (report.py)

    def say(self, text: str) -> None:
        self.messages.append(text)
        if self.log:
            self.log(text)

    def run(self) -> RunSummary:
        self.prepare()
        # one run per results file: a second one refuses to start, naming the first (host, pid, start)
        try:
            lock = RunLock(self.store_path).acquire()
        except RunLockedError as exc:
            raise ClassificationError(exc.template, *exc.values, detail=exc.detail) from None
        if lock.warning:
            self.say(lock.warning)
        try:
            return self._run_locked()
        finally:
            lock.release()

    # -- the steps ---------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Scheme, prompt, index, reference examples and endpoints, before anything is written."""
        options = self.options
        if options.batch_size < 1:
            raise ClassificationError("The batch size must be at least 1 chip per request.")
        self.scheme = load_scheme(options.scheme)
        self.template = load_template(self.scheme)
        self.index = read_chip_index(options.index_path)
        for warning in self.index.warnings:
            self.say(warning)
        self.store_path = options.store_path or default_store_path(self.index.path)
        # reference examples (REFERENCES per class): chosen and read before anything is sent
        self.prompt_refs, self.reference_origins = _prepare_references(
            self.scheme, self.template, options.references, options.reference_results or self.store_path, self.say)
        chosen = [e.validate() for e in unique_names(list(options.endpoints))]
        if not chosen:
            raise ClassificationError(
                "No endpoint to send chips to: give the server URLs or add endpoints in the ChipVLM settings."
            )
        self.chosen, duplicates = dedupe_endpoints(chosen)
        for warning in duplicates:
            self.say(warning)
        if self.prompt_refs is not None:
            self._check_reference_context()

    def _check_reference_context(self) -> None:
        from ...training.references import check_context, request_context

        size, images = self.options.batch_size, len(self.prompt_refs.images)
        needed = request_context(self.template, self.scheme, size, self.prompt_refs)
        check_context(self.chosen, needed, images, size)
        self.say(Message("With {0} reference images a request of {1} chips needs a context (num_ctx) of about {2} "
                         "tokens; the endpoints have {3}.", images, size, needed,
                         ", ".join(f"{e.name}: {e.num_ctx}" for e in self.chosen)))

    def _run_locked(self) -> RunSummary:
        """run() once it holds the results file's run lock."""
        self.store = ResultsStore(self.store_path)
        try:
            pending = self.plan()
            if not pending and not self.reasons_lacking():
                self.say(Message("Nothing to classify: all {0} chips of the index are done.",
                                 self.summary.chips_in_index))
                self.close()
                return self.summary
            # check the endpoints before writing anything: a run with no server should not start
            usable, checks = self.check_endpoints()
            self.record_start(usable)
            present = self.record_missing(pending)
            self.seed_queue(usable, checks, present)
            try:
                self.pump_events(lambda: self.resolved >= self.summary.to_do)
                if not self.summary.canceled and not self.summary.stopped_reason:
                    self.ask_reasons()
            finally:
                self.stop_workers()
            return self.finish()
        finally:
            self.store.close()

    def plan(self) -> List[ChipEntry]:
        """The chips still to do, and the summary that counts them; refuses a file of another scheme."""
        store, options, index = self.store, self.options, self.index
        stored_scheme = store.scheme()
        difference = stored_scheme.differs_from(self.scheme) if stored_scheme is not None else None
        if difference:
            raise ClassificationError(
                "{0} holds results made with the class scheme {1}, which differs from {2} ({3}); choose the scheme "
                "it was made with or another output file.", self.store_path, repr(stored_scheme.id),
                repr(self.scheme.id), difference)
        done = store.done_fids()
        skip = set(done) if options.retry_errors else done | store.error_fids()
        pending: List[ChipEntry] = [e for e in index.entries if e.fid not in skip]
        if options.limit > 0:
            pending = pending[: options.limit]
        self.summary = RunSummary(
            store_path=os.path.abspath(self.store_path),
            results_csv=results_csv_path(self.store_path) if options.export_csv else "",
            index_path=index.path,
            chips_in_index=len(index.entries),
            skipped_in_index=dict(index.skipped),
            already_done=len([e for e in index.entries if e.fid in done]),
            to_do=len(pending),
            warnings=self.messages,
        )
        return pending

    def check_endpoints(self) -> Tuple[List[EndpointConfig], Dict[str, EndpointCheck]]:
        """The endpoints the run may use and what their check found; stops when none can classify."""
        if not self.options.check:
            return self.chosen, {}
        checks = check_all(self.chosen, self.policy.check_timeout)
        usable = []
        problems = []
        notes = []  # said when the run goes on; when it stops, the error lists the problems once
        for endpoint in self.chosen:
            result = checks.get(endpoint.name)
            if result is None or not result.reachable:
                detail = [without_endpoint_name(p, endpoint) for p in result.problems] if result else [
                    Message("no answer")]
                problems.append(Message("{0} ({1}) does not answer: {2}", endpoint.name, endpoint.url, detail))
                notes.append(problems[-1])
            elif result.unusable:
                problems.append(result.unusable)
                notes.append(result.unusable)
                continue
            elif result.problems:
                notes.append(Message("{0}", list(result.problems)))
            usable.append(endpoint)
        if not any(checks.get(e.name) and checks[e.name].reachable for e in usable):
            raise AllEndpointsFailedError("No endpoint can classify chips. {0}", problems, summary=self.summary)
        for note in notes:
            self.say(note)
        return usable, checks

    def record_start(self, usable: List[EndpointConfig]) -> None:
        """What the results file keeps about the run: scheme, index, model, reference examples."""
        store = self.store
        if store.get_meta("created_at") is None:
            store.set_meta("created_at", utc_now())
        store.set_scheme(self.scheme)
        store.set_meta("index_path", self.index.path)
        store.set_meta("model", ", ".join(sorted({e.model for e in usable})))
        if self.prompt_refs is not None or store.get_meta("references") is not None:
            store.set_meta("references", json.dumps(self.reference_origins, ensure_ascii=False))

    def record_missing(self, pending: List[ChipEntry]) -> List[ChipEntry]:
        """Chips whose file is gone become error rows now (the message says where we looked); returns
        the chips that are there."""
        missing = [e for e in pending if not e.found]
        if missing:
            scheme = self.scheme
            self.store.record_results(
                ResultRow(fid=e.fid, chip_path=e.chip_path or "", class_id=-1, class_name=scheme.name_of(-1),
                          reason=scheme.error_reason, error=e.missing_reason(), needs_review=True, attempts=0)
                for e in missing
            )
            self.summary.errors += len(missing)
            self.say(Message("{0} chip file(s) not found, recorded as errors (the error column says where each "
                             "was looked for); first: fid {1}, {2}", len(missing), missing[0].fid,
                             missing[0].chip_path))
        self.missing = self.resolved = len(missing)
        return [e for e in pending if e.found]

    def seed_queue(self, usable: List[EndpointConfig], checks: Dict[str, EndpointCheck],
                   present: List[ChipEntry]) -> None:
        """The dispatcher over the usable endpoints, every batch queued, the workers started."""
        dispatcher = Dispatcher(usable, self.scheme, self.template, self.policy, self.events,
                                client_factory=_client_factory(self.prompt_refs))
        for state in dispatcher.states:
            found = checks.get(state.name)
            state.server_kind = found.kind if found and found.kind else kind_from_url(state.config.url, state.config.api)
            state.server_context = found.context_length if found else None
            note = context_note(state.name, state.server_kind, state.config.num_ctx)
            if note:
                self.say(note)  # once per endpoint and run
            if found is not None and not found.reachable:
                state.unreachable_at_start(self.policy)  # paused, tried again later
        size = self.options.batch_size
        # the time it should take, at the speed the endpoint Test measured; the time left starts from it
        self.say(run_estimate(len(present), usable))
        self.expected_rate = expected_rate(usable)
        self.prior_chips = size * sum(max(1, int(e.concurrency)) for e in usable)  # one wave of batches
        shape = WITH_REASON if self.options.reasons == REASONS_ALL else CLASS_ONLY
        dispatcher.add([WorkItem(present[i:i + size], shape=shape) for i in range(0, len(present), size)])
        self.per_endpoint = {e.name: 0 for e in self.chosen}  # endpoints left out at the start show 0
        self.dispatcher = dispatcher
        dispatcher.start()

    def pump_events(self, done: Callable[[], bool]) -> None:
        """Commit what the workers hand over until ``done()`` (every chip of the pass is done), the user
        cancels or no endpoint is left."""
        events, summary = self.events, self.summary
        dead_since: Optional[float] = None
        if not self.run_started:  # the first pass: the first report's time left is the measured speed's alone
            self.run_started = time.monotonic()
            self.report(force=True, now=self.run_started)
        else:
            self.report(force=True)
        while not done():
            try:
                self.handle(events.get(timeout=0.1))
                while True:
                    self.handle(events.get_nowait())
            except queue.Empty:
                pass
            if self.is_canceled():
                summary.canceled = True
                self.say(Message("Canceled; finished batches are saved, a new run continues from there."))
                break
            summary.stopped_reason, dead_since = self._stop_reason(dead_since)
            if summary.stopped_reason:
                break
            self.report()

    def stop_workers(self) -> None:
        """Stop the dispatcher; batches that finished while it stopped are finished work: kept too."""
        self.dispatcher.stop(wait=0.5)
        try:
            while True:
                self.handle(self.events.get_nowait())
        except queue.Empty:
            pass

    def reasons_lacking(self) -> Dict[int, int]:
        """REASONS=review: fid -> class of the chips that go to review without a reason (reasons.py);
        {} with REASONS=all or none."""
        if self.options.reasons != REASONS_REVIEW:
            return {}
        return reasons_lacking(self.store, self.index, self.options.review_below)

    def ask_reasons(self) -> None:
        """The reasons pass (reasons.py): the chips that go to review and have no reason are asked again,
        batched, for class and reason, through the same dispatcher; each answered batch is stored at once."""
        self.first_classes = self.reasons_lacking()
        if not self.first_classes:
            return
        summary, size = self.summary, self.options.batch_size
        chips = [e for e in self.index.entries if e.fid in self.first_classes]
        summary.reasons_asked = len(chips)
        self.say(Message("Reasons pass: asking class and reason again for the {0} chips that go to review "
                         "without a reason, {1} a request.", len(chips), size))
        now = time.monotonic()
        judged = self.resolved - self.missing
        first_elapsed = now - self.run_started
        self.first_pass_rate = judged / first_elapsed if judged > 0 and first_elapsed > 0 else self.expected_rate
        self.reasons_total, self.reasons_started = len(chips), now
        self.dispatcher.add([WorkItem(chips[i:i + size], shape=WITH_REASON, reasons_pass=True)
                             for i in range(0, len(chips), size)])
        self.pump_events(lambda: self.reasons_resolved >= len(chips))
        self.say(Message("Reasons pass: {0} reasons stored, {1} of them given with another class than the first "
                         "pass (the chip stays in review, the reason names that class); {2} chips got no reason "
                         "(a new run asks again).", summary.reasons_added, summary.reasons_other_class,
                         len(chips) - summary.reasons_added))

    def _stop_reason(self, dead_since: Optional[float]):
        """Why the run cannot go on ("" while it can), and since when no endpoint answers."""
        dispatcher, now = self.dispatcher, time.monotonic()
        if dispatcher.fatal:
            return dispatcher.fatal, dead_since
        states = dispatcher.states
        if all(s.disabled for s in states):
            # each sentence names its endpoint (once)
            return Message("every endpoint is out of the run: {0}", list(dict.fromkeys(s.disabled for s in states))), \
                dead_since
        # an endpoint down since its last answer does not keep the run alive, even in the moments
        # between its pauses
        if any(s.answering() for s in states):
            return "", None
        if dead_since is None:
            return "", now
        if now - dead_since >= self.policy.all_dead_after:
            return Message("no endpoint has answered for {0}: {1}", format_duration(now - dead_since), list(
                s.disabled or s.last_error or Message("{0}: paused", s.name) for s in states)), dead_since
        return "", dead_since

    def handle(self, event) -> None:
        """One event of a worker (dispatch/events.py), in the order they came."""
        if isinstance(event, RowsDone) and event.reasons_pass:
            self._record_reasons(event)
        elif isinstance(event, RowsDone):
            self._record(event)
        elif isinstance(event, RequestRow):
            self.store.log_request(event)
        elif isinstance(event, Said):
            self.say(event.text)

    def _record(self, event: RowsDone) -> None:
        summary, review_below = self.summary, self.options.review_below
        rows = event.rows
        if review_below > 0:
            for row in rows:
                if row.confidence is not None and row.confidence < review_below:
                    row.needs_review = True
        self.store.record_results(rows)  # one transaction: the batch is safe from here on
        self.resolved += len(rows)
        for row in rows:
            if row.class_id == -1:
                summary.errors += 1
            else:
                summary.classified += 1
                if event.endpoint:
                    self.per_endpoint[event.endpoint] = self.per_endpoint.get(event.endpoint, 0) + 1
            if row.needs_review:
                summary.needs_review += 1
                if row.class_id != -1:
                    self.to_review += 1

    def _record_reasons(self, event: RowsDone) -> None:
        """A batch of the reasons pass: its reasons written, the first pass's classes kept (reasons.py)."""
        reasons, other = reasons_kept(event.rows, self.first_classes, self.template)
        self.reasons_resolved += len(event.rows)
        self.store.record_reasons(reasons)  # one transaction, as a first-pass batch
        self.summary.reasons_added += len(reasons)
        self.summary.reasons_other_class += other

    def report(self, force: bool = False, now: Optional[float] = None) -> None:
        """Progress to the caller, at most every policy.progress_interval unless forced: the counts, rate
        and time left of the pass under way, the whole run's percentage (RunBar, report.py)."""
        now = time.monotonic() if now is None else now
        if not self.progress or (not force and now - self.last_report < self.policy.progress_interval):
            return
        self.last_report = now
        summary = self.summary
        if self.reasons_started:
            stage, total, done, rate, eta, left = self._reasons_pace(now)
        else:
            stage, total, done, rate, eta, left = self._first_pass_pace(now)
        self.progress(Progress(
            total=total, done=done, classified=summary.classified, errors=summary.errors,
            needs_review=summary.needs_review, elapsed_s=now - self.run_started, chips_per_minute=rate, eta_s=eta,
            per_endpoint=dict(self.per_endpoint), paused=[s.name for s in self.dispatcher.states if not s.usable(now)],
            stage=stage, run_percent=self.bar.advance(self.resolved + self.reasons_resolved, left),
        ))

    def _first_pass_pace(self, now: float):
        """(stage, total, done, chips/min, time left, chips left in the run) during the first pass. The
        time left counts the reasons pass's chips as estimated so far, at the first pass's rate; the bar
        keeps at least a chip's worth for the reasons pass, which is known only when the first pass ends."""
        elapsed = now - self.run_started
        finished_here = self.resolved - self.missing
        rate = finished_here / elapsed * 60.0 if elapsed > 0 else 0.0
        left = self.summary.to_do - self.resolved
        reasons = self._reasons_expected(left)
        eta = eta_seconds(left + reasons, finished_here, elapsed, self.expected_rate, self.prior_chips)
        if self.options.reasons == REASONS_REVIEW:
            reasons = max(1.0, reasons)
        return STAGE_CLASSES, self.summary.to_do, self.resolved, rate, eta, left + reasons

    def _reasons_expected(self, left: int) -> float:
        """Chips the reasons pass should ask, as far as the first pass shows: those of this run that went
        to review, and the same share of the ``left`` chips still to classify."""
        judged = self.resolved - self.missing
        if self.options.reasons != REASONS_REVIEW or judged <= 0:
            return 0.0
        return self.to_review + self.to_review / judged * left

    def _reasons_pace(self, now: float):
        """(stage, total, done, chips/min, time left, chips left) during the reasons pass; its time left
        starts from the first pass's rate and follows its own."""
        elapsed = now - self.reasons_started
        done, total = self.reasons_resolved, self.reasons_total
        rate = done / elapsed * 60.0 if elapsed > 0 else 0.0
        eta = eta_seconds(total - done, done, elapsed, self.first_pass_rate, self.prior_chips)
        return STAGE_REASONS, total, done, rate, eta, total - done

    def finish(self) -> RunSummary:
        """Counts, export and the end sentence; raises when the run stopped before its end."""
        summary = self.summary
        summary.per_endpoint = self.per_endpoint
        if summary.finished:
            self.bar.complete()  # both passes done (the bar kept a share for a reasons pass that had nothing to ask)
        self.report(force=True)
        self.close()
        if summary.stopped_reason:
            self.say(Message("Stopped: {0}", summary.stopped_reason))
            raise AllEndpointsFailedError(
                "The run stopped because {0}. {1} chips were classified and saved; run again when an endpoint "
                "answers to classify the rest.", summary.stopped_reason, summary.classified, summary=summary)
        return summary

    def close(self) -> None:
        """What every run does last, whether it had work or not: flag, count, export, time."""
        store, summary, review_below = self.store, self.summary, self.options.review_below
        if review_below > 0:
            store.flag_confidence_below(review_below)  # results of earlier runs too
        summary.totals = store.counts()
        if self.options.export_csv:
            store.export_csv(summary.results_csv)
        summary.elapsed_s = time.monotonic() - self.started
