"""run_classification(): the one code path behind the Processing algorithm, the QgsTask and scripts.

It reads the index, decides what is left to do (only a class other than -1 counts as done, field
report 4.6), checks the endpoints, feeds the dispatcher and commits every finished batch at once, so
a kill loses at most the requests in flight. It reports progress (chips done, chips per minute, time
left, per-endpoint counts), stops within a second when asked, and exports results.csv at the end.

What a run reports (Progress, RunSummary) is report.py.
"""
from __future__ import annotations

import json
import os
import queue
import threading
import time
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence, Union

from ...chips.index import ChipEntry, read_chip_index
from ...errors import ChipVLMError, Message
from ...results.store import ResultRow, ResultsStore, utc_now
from ...schemes import Scheme, load_scheme
from ..clients.endpoints import EndpointConfig, dedupe_endpoints, unique_names, without_endpoint_name
from ..clients.factory import make_client
from ..clients.servers import EndpointCheck, context_note, kind_from_url
from ..dispatch.dispatcher import MESSAGE, REQUEST, ROWS, Dispatcher, RetryPolicy, WorkItem
from ..request.prompts import load_template
from ..speed.estimate import expected_rate, run_estimate
from .lock import RunLock, RunLockedError
from .report import Progress, RunSummary, eta_seconds, format_duration


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


def check_endpoints(endpoints: Sequence[EndpointConfig], timeout: float = 10.0) -> Dict[str, EndpointCheck]:
    """Check all endpoints at once (one thread each): reachable, model present, vision."""
    results: Dict[str, EndpointCheck] = {}

    def one(endpoint: EndpointConfig) -> None:
        quick = replace(endpoint, timeout=min(timeout, endpoint.timeout))
        client = make_client(quick)
        try:
            results[endpoint.name] = client.check()
        except Exception as exc:  # a check must never stop the run by itself
            results[endpoint.name] = EndpointCheck(name=endpoint.name, problems=[f"{type(exc).__name__}: {exc}"])
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(e,), daemon=True) for e in endpoints]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 3 + 5)
    return results


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


def run_classification(
    index_path: str,
    endpoints: Sequence[EndpointConfig],
    scheme: Union[str, Scheme],
    store_path: Optional[str] = None,
    batch_size: int = 10,
    limit: int = 0,
    retry_errors: bool = True,
    progress: Optional[Callable[[Progress], None]] = None,
    is_canceled: Optional[Callable[[], bool]] = None,
    log: Optional[Callable[[str], None]] = None,
    policy: Optional[RetryPolicy] = None,
    check: bool = True,
    export_csv: bool = True,
    review_below: float = 0.0,
    references: int = 0,
    reference_results: Optional[str] = None,
) -> RunSummary:
    """Classify every chip of the index not yet done; returns what happened.

    ``review_below``: a result whose confidence (from the model's log-probabilities) is under it
    needs review, its reason kept; 0 = off. It applies to the results of earlier runs in the file too
    (it only ever adds the flag). A result without a confidence is not flagged by it.

    Raises ClassificationError when the run cannot start (bad index, scheme, no endpoint) and
    AllEndpointsFailedError when every endpoint stopped answering; finished work is kept in both cases.
    """
    started = time.monotonic()
    policy = policy or RetryPolicy()
    is_canceled = is_canceled or (lambda: False)
    messages: List[str] = []

    def say(text: str) -> None:
        messages.append(text)
        if log:
            log(text)

    if int(batch_size) < 1:
        raise ClassificationError("The batch size must be at least 1 chip per request.")
    scheme = load_scheme(scheme)
    template = load_template(scheme)
    index = read_chip_index(index_path)
    for warning in index.warnings:
        say(warning)
    store_path = os.fspath(store_path) if store_path else default_store_path(index.path)
    # reference examples (REFERENCES per class): chosen and read before anything is sent
    prompt_refs, reference_origins = _prepare_references(scheme, template, references,
                                                         reference_results or store_path, say)

    chosen = [e.validate() for e in unique_names(list(endpoints))]
    if not chosen:
        raise ClassificationError(
            "No endpoint to send chips to: give the server URLs or add endpoints in the ChipVLM settings."
        )
    chosen, duplicates = dedupe_endpoints(chosen)
    for warning in duplicates:
        say(warning)
    if prompt_refs is not None:
        from ...training.references import check_context, request_context

        needed = request_context(template, scheme, int(batch_size), prompt_refs)
        check_context(chosen, needed, len(prompt_refs.images), int(batch_size))
        say(Message("With {0} reference images a request of {1} chips needs a context (num_ctx) of about {2} "
                    "tokens; the endpoints have {3}.", len(prompt_refs.images), int(batch_size), needed,
                    ", ".join(f"{e.name}: {e.num_ctx}" for e in chosen)))

    # one run per results file: a second one refuses to start, naming the first (host, pid, start)
    try:
        lock = RunLock(store_path).acquire()
    except RunLockedError as exc:
        raise ClassificationError(exc.template, *exc.values, detail=exc.detail) from None
    if lock.warning:
        say(lock.warning)
    try:
        return _run_locked(store_path, index, scheme, template, chosen, batch_size, limit, retry_errors, progress,
                           is_canceled, policy, check, export_csv, started, messages, say,
                           review_below=review_below,
                           prompt_refs=prompt_refs, reference_origins=reference_origins)
    finally:
        lock.release()


def _run_locked(store_path, index, scheme, template, chosen, batch_size, limit, retry_errors, progress,
                is_canceled, policy, check, export_csv, started, messages, say,
                review_below: float = 0.0, prompt_refs=None, reference_origins=()) -> RunSummary:
    """run_classification() once it holds the results file's run lock."""
    store = ResultsStore(store_path)
    summary: Optional[RunSummary] = None
    try:
        stored_scheme = store.scheme()
        difference = stored_scheme.differs_from(scheme) if stored_scheme is not None else None
        if difference:
            raise ClassificationError(
                "{0} holds results made with the class scheme {1}, which differs from {2} ({3}); choose the scheme "
                "it was made with or another output file.", store_path, repr(stored_scheme.id), repr(scheme.id),
                difference)
        done = store.done_fids()
        skip = set(done) if retry_errors else done | store.error_fids()
        pending: List[ChipEntry] = [e for e in index.entries if e.fid not in skip]
        if limit and int(limit) > 0:
            pending = pending[: int(limit)]
        summary = RunSummary(
            store_path=os.path.abspath(store_path),
            results_csv=results_csv_path(store_path) if export_csv else "",
            index_path=index.path,
            chips_in_index=len(index.entries),
            skipped_in_index=dict(index.skipped),
            already_done=len([e for e in index.entries if e.fid in done]),
            to_do=len(pending),
            warnings=messages,
        )
        if not pending:
            say(Message("Nothing to classify: all {0} chips of the index are done.", summary.chips_in_index))
            _close_run(store, summary, review_below, export_csv, started)
            return summary

        # check the endpoints before writing anything: a run with no server should not start
        usable = chosen
        checks: Dict[str, EndpointCheck] = {}
        if check:
            checks = check_endpoints(chosen, policy.check_timeout)
            usable = []
            problems = []
            notes = []  # said when the run goes on; when it stops, the error lists the problems once
            for endpoint in chosen:
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
                raise AllEndpointsFailedError("No endpoint can classify chips. {0}", problems, summary=summary)
            for note in notes:
                say(note)

        if store.get_meta("created_at") is None:
            store.set_meta("created_at", utc_now())
        store.set_scheme(scheme)
        store.set_meta("index_path", index.path)
        store.set_meta("model", ", ".join(sorted({e.model for e in usable})))
        if prompt_refs is not None or store.get_meta("references") is not None:
            store.set_meta("references", json.dumps(reference_origins, ensure_ascii=False))

        # chips whose file is gone become error rows now (the message says where we looked)
        missing = [e for e in pending if not e.found]
        if missing:
            store.record_results(
                ResultRow(fid=e.fid, chip_path=e.chip_path or "", class_id=-1, class_name=scheme.name_of(-1),
                          reason=scheme.error_reason, error=e.missing_reason(), needs_review=True, attempts=0)
                for e in missing
            )
            summary.errors += len(missing)
            say(Message("{0} chip file(s) not found, recorded as errors (the error column says where each was "
                        "looked for); first: fid {1}, {2}", len(missing), missing[0].fid, missing[0].chip_path))
        present = [e for e in pending if e.found]

        events: queue.Queue = queue.Queue()
        dispatcher = Dispatcher(usable, scheme, template, policy, events,
                                client_factory=_client_factory(prompt_refs))
        for state in dispatcher.states:
            found = checks.get(state.name)
            state.server_kind = found.kind if found and found.kind else kind_from_url(state.config.url, state.config.api)
            state.server_context = found.context_length if found else None
            note = context_note(state.name, state.server_kind, state.config.num_ctx)
            if note:
                say(note)  # once per endpoint and run
        for result in checks.values():
            if result.reachable:
                continue
            for state in dispatcher.states:
                if state.name == result.name:  # unreachable at the start: paused, tried again later
                    state.paused_until = time.monotonic() + policy.pause_base
                    state.pause_count = 1
                    state.outage = True
        size = int(batch_size)
        # the time it should take, at the speed the endpoint Test measured; the time left starts from it
        say(run_estimate(len(present), usable))
        expected = expected_rate(usable)
        prior_chips = size * sum(max(1, int(e.concurrency)) for e in usable)  # one wave of batches
        dispatcher.add([WorkItem(present[i:i + size]) for i in range(0, len(present), size)])
        dispatcher.start()

        resolved = summary.errors
        per_endpoint = {e.name: 0 for e in chosen}  # endpoints left out at the start show 0
        last_report = 0.0
        dead_since: Optional[float] = None
        run_started = time.monotonic()

        def report(force: bool = False) -> None:
            nonlocal last_report
            now = time.monotonic()
            if not progress or (not force and now - last_report < policy.progress_interval):
                return
            last_report = now
            elapsed = now - run_started
            finished_here = resolved - len(missing)
            rate = finished_here / elapsed * 60.0 if elapsed > 0 else 0.0
            eta = eta_seconds(summary.to_do - resolved, finished_here, elapsed, expected, prior_chips)
            progress(Progress(
                total=summary.to_do, done=resolved, classified=summary.classified, errors=summary.errors,
                needs_review=summary.needs_review, elapsed_s=elapsed, chips_per_minute=rate, eta_s=eta,
                per_endpoint=dict(per_endpoint),
                paused=[s.name for s in dispatcher.states if not s.usable(now)],
            ))

        def handle(event) -> None:
            nonlocal resolved
            kind = event[0]
            if kind == REQUEST:
                store.log_request(**event[1])
            elif kind == ROWS:
                rows: List[ResultRow] = event[2]
                if review_below > 0:
                    for row in rows:
                        if row.confidence is not None and row.confidence < review_below:
                            row.needs_review = True
                store.record_results(rows)  # one transaction: the batch is safe from here on
                resolved += len(rows)
                for row in rows:
                    if row.class_id == -1:
                        summary.errors += 1
                    else:
                        summary.classified += 1
                        if event[1]:
                            per_endpoint[event[1]] = per_endpoint.get(event[1], 0) + 1
                    if row.needs_review:
                        summary.needs_review += 1
            elif kind == MESSAGE:
                say(event[1])

        try:
            report(force=True)
            while resolved < summary.to_do:
                try:
                    handle(events.get(timeout=0.1))
                    while True:
                        handle(events.get_nowait())
                except queue.Empty:
                    pass
                if is_canceled():
                    summary.canceled = True
                    say(Message("Canceled; finished batches are saved, a new run continues from there."))
                    break
                now = time.monotonic()
                if dispatcher.fatal:
                    summary.stopped_reason = dispatcher.fatal
                    break
                if all(s.disabled for s in dispatcher.states):
                    # each sentence names its endpoint (once)
                    summary.stopped_reason = Message("every endpoint is out of the run: {0}", list(
                        dict.fromkeys(s.disabled for s in dispatcher.states)))
                    break
                # an endpoint down since its last answer does not keep the run alive, even in the
                # moments between its pauses
                if any(s.answering() for s in dispatcher.states):
                    dead_since = None
                elif dead_since is None:
                    dead_since = now
                elif now - dead_since >= policy.all_dead_after:
                    summary.stopped_reason = Message(
                        "no endpoint has answered for {0}: {1}", format_duration(now - dead_since), list(
                            s.disabled or s.last_error or Message("{0}: paused", s.name) for s in dispatcher.states))
                    break
                report()
        finally:
            dispatcher.stop(wait=0.5)
            # batches that finished while we were stopping are finished work: keep them
            try:
                while True:
                    handle(events.get_nowait())
            except queue.Empty:
                pass
        summary.per_endpoint = per_endpoint
        report(force=True)
        _close_run(store, summary, review_below, export_csv, started)
        if summary.stopped_reason:
            say(Message("Stopped: {0}", summary.stopped_reason))
            raise AllEndpointsFailedError(
                "The run stopped because {0}. {1} chips were classified and saved; run again when an endpoint "
                "answers to classify the rest.", summary.stopped_reason, summary.classified, summary=summary)
        return summary
    finally:
        store.close()


def _close_run(store, summary: RunSummary, review_below: float, export_csv: bool, started: float) -> None:
    """What every run does last, whether it had work or not: flag, count, export, time."""
    if review_below > 0:
        store.flag_confidence_below(review_below)  # results of earlier runs too
    summary.totals = store.counts()
    if export_csv:
        store.export_csv(summary.results_csv)
    summary.elapsed_s = time.monotonic() - started
