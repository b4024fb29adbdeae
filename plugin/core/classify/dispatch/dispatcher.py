"""One queue of batches feeding every endpoint of a run, each with its own number of requests at once.

Each endpoint gets ``concurrency`` worker threads that pull the next batch when they are free, so a
fast endpoint simply takes more work. A worker sends its batch and checks the answer (every fid of
the batch once, no stranger, classes of the scheme, a prompt the server did not cut short): an
accepted answer's rows go to the main thread, which commits them at once. Anything else (an answer
refused, a failed request, our own handling crashing) is decided by retry.decide(), the one place
that says when a batch is asked again, elsewhere, halved or given up on, and what becomes of its
endpoint; _carry_out() does what it says. Two rules of what counts as a refused answer:

- any error while reading an answer (not only a wrong fid or class: a RecursionError from 100,000
  nested brackets, a 5,000-digit number) makes it an invalid answer: the batch splits at once, never
  retried as a server failure;
- a prompt counts as cut by the server (num_ctx too small) only on evidence: the server says so, the
  count reaches the context size, or our low estimate alone exceeds it. A count under the estimate is
  no evidence (servers that count only what their prefix cache did not hold): it is said once per
  endpoint, and the answer is accepted.

Workers never touch the results store: they hand events (events.py) to the main thread through a
queue, so every write happens in one thread, in order, one transaction per finished batch. The work
items, endpoint states and retry policy are state.py.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from typing import Callable, Deque, List, Optional, Tuple

from ...chips.index import ChipEntry
from ...errors import Message
from ...results.store import RequestRow, ResultRow, utc_now
from ...schemes import ERROR_CLASS, Scheme
from ..answer.confidence import class_confidences
from ..answer.parse import InvalidAnswerError, parse_answer
from ..clients.endpoints import EndpointConfig, without_endpoint_name
from ..clients.factory import make_client
from ..clients.failures import (
    HTTP,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MODEL_MISSING,
    RequestFailedError,
    failure_meaning,
)
from ..clients.servers import (
    TAKES_NUM_CTX,
    count_below_estimate,
    estimated_prompt_tokens,
    key_refused_sentence,
    prompt_truncated,
)
from ..clients.transport import stored_copy
from ..request.chip_payload import encode_chip
from ..request.prompts import PromptTemplate
from ..request.schemas import STRICT, answer_schema
from .events import RowsDone, Said
from .retry import (
    COUNT_FAILURE,
    CRASHED,
    ELSEWHERE,
    GIVE_UP,
    HALVE,
    INVALID_ANSWER,
    LEAVE_OUT,
    PAUSE_NOW,
    PROMPT_TRUNCATED,
    SIMPLE_SCHEMA,
    STOP_RUN,
    Batch,
    Endpoint,
    Retry,
    decide,
)
from .state import FIRST_WAVE_WAIT, EndpointState, RetryPolicy, WorkItem, backoff


def fid_list(fids: List[int]) -> str:
    """The first ten fids of a batch, for a sentence of the log."""
    return ", ".join(map(str, fids[:10]))


class Dispatcher:
    def __init__(
        self,
        endpoints: List[EndpointConfig],
        scheme: Scheme,
        template: PromptTemplate,
        policy: RetryPolicy,
        events: queue.Queue,
        client_factory: Callable = make_client,
    ):
        self.states = [EndpointState(e) for e in endpoints]
        self.scheme = scheme
        self.template = template
        self.policy = policy
        self.events = events
        self.client_factory = client_factory
        self.work: Deque[WorkItem] = deque()
        self.cond = threading.Condition()
        self.stop_event = threading.Event()
        self.threads: List[threading.Thread] = []
        self.started_at = time.monotonic()
        self.fatal = ""  # a sentence that stops the whole run (a request no server will take)
        # as many batches are read and checked at once as there are cores: at the start every request
        # slot wants its batch at the same moment, and this way the first batches are ready first
        # instead of all of them late (docs/benchmarks.md)
        self.checking = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))

    # -- queue -------------------------------------------------------------------------------------
    def add(self, items: List[WorkItem]) -> None:
        with self.cond:
            self.work.extend(items)
            self.cond.notify_all()

    def _put_front(self, items: List[WorkItem]) -> None:
        with self.cond:
            for item in reversed(items):
                self.work.appendleft(item)
            self.cond.notify_all()

    def _others_usable(self, state: EndpointState) -> bool:
        now = time.monotonic()
        return any(s is not state and s.usable(now) for s in self.states)

    def _take(self, state: EndpointState) -> Optional[WorkItem]:
        with self.cond:
            while not self.stop_event.is_set():
                if self.work:
                    now = time.monotonic()
                    others = None
                    for position, item in enumerate(self.work):
                        if position >= 32:
                            break
                        if item.avoid == state.name and item.avoid_until > now:
                            if others is None:
                                others = self._others_usable(state)
                            if others:
                                continue  # leave it to an endpoint that did not just fail on it
                        del self.work[position]
                        return item
                self.cond.wait(0.05)
        return None

    # -- threads -----------------------------------------------------------------------------------
    def start(self) -> None:
        self.started_at = time.monotonic()
        for state in self.states:
            slots = max(1, int(state.config.concurrency))
            ahead = slots if self.policy.queue_ahead is None else max(0, int(self.policy.queue_ahead))
            for slot in range(slots + ahead):
                thread = threading.Thread(
                    target=self._worker, args=(state, slot >= slots), name=f"chipvlm-{state.name}-{slot}",
                    daemon=True,
                )
                self.threads.append(thread)
                thread.start()

    def stop(self, wait: float = 0.5) -> None:
        """Stop handing out work; wait briefly for idle workers (requests in flight are abandoned)."""
        self.stop_event.set()
        with self.cond:
            self.cond.notify_all()
        deadline = time.monotonic() + wait
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _first_requests_pending(self, state: EndpointState) -> bool:
        """Whether a queued-ahead worker of ``state`` should still wait for first requests to go out.

        It waits for its own endpoint's first requests, and for a short while (an endpoint that fails
        to send must not hold the others back) for those of every other usable endpoint.
        """
        if state.sent < state.config.concurrency:
            return True
        now = time.monotonic()
        if now - self.started_at > FIRST_WAVE_WAIT:
            return False
        return any(s.usable(now) and s.sent < s.config.concurrency for s in self.states if s is not state)

    def _sleep(self, seconds: float) -> None:
        self.stop_event.wait(max(0.0, seconds))

    def _message(self, text: str) -> None:
        self.events.put(Said(text))

    def _worker(self, state: EndpointState, ahead: bool = False) -> None:
        client = self.client_factory(state.config)
        if state.server_kind and hasattr(client, "server_kind"):
            client.server_kind = state.server_kind
        try:
            # the queued-ahead requests go after the first ones of every endpoint, so each GPU starts
            # as early as it can (uploads share our CPU and the network)
            while ahead and self._first_requests_pending(state) and not self.stop_event.is_set():
                self._sleep(0.005)
            while not self.stop_event.is_set() and not state.disabled:
                left = state.pause_left()
                if left > 0:
                    self._sleep(min(left, 0.2))
                    continue
                item = self._take(state)
                if item is None:
                    return
                if not state.usable():
                    self._put_front([item])  # paused or disabled while we waited
                    continue
                try:
                    self._process(state, client, item)
                except Exception as exc:  # RecursionError, a 5,000-digit int, a bug: never an endless put-back
                    self._crashed(state, item, exc)
        finally:
            client.close()

    # -- one batch ---------------------------------------------------------------------------------
    def _error_rows(self, chips: List[ChipEntry], reason: str, state: Optional[EndpointState], attempts: int):
        return [
            ResultRow(
                fid=c.fid,
                chip_path=c.path or c.chip_path,
                class_id=ERROR_CLASS,
                class_name=self.scheme.name_of(ERROR_CLASS),
                reason=self.scheme.error_reason,
                error=reason,
                needs_review=True,
                model=state.config.model if state else None,
                endpoint=state.name if state else None,
                attempts=attempts,
            )
            for c in chips
        ]

    def _encode(self, state: EndpointState, item: WorkItem) -> bool:
        """Read the batch's chips once; a chip that cannot be read becomes an error row on its own."""
        unreadable = []
        with self.checking:
            for chip in item.chips:
                if chip.fid in item.images:
                    continue
                try:
                    item.images[chip.fid] = encode_chip(chip.path, chip.fid)
                except Exception as exc:  # OSError, ChipImageError (not an image, truncated, too large)
                    unreadable.append((chip, f"chip of fid {chip.fid} ({chip.path}) was not sent: {exc}"))
        for chip, reason in unreadable:
            item.chips.remove(chip)
            self.events.put(RowsDone(None, self._error_rows([chip], reason, None, item.attempts), item.reasons_pass))
        return bool(item.chips)

    def _log(self, state, item, kind, status, started_at, raw=None, **fields) -> None:
        """The request, for the requests table; ``fields``: http_status, error, elapsed_ms, prompt_tokens,
        eval_tokens."""
        self.events.put(RequestRow(endpoint=state.name, model=state.config.model, fids=item.fids, status=status,
                                   raw_response=stored_copy(raw), schema_kind=kind, started_at=started_at, **fields))

    def _process(self, state: EndpointState, client, item: WorkItem) -> None:
        if not self._encode(state, item):
            return
        fids = item.fids
        kind = state.schema_kind
        # a BatchPrompt: constant part first; its shape (class only, or class and reason) bounds the answer
        prompt = self.template.render(fids, self.scheme, kind, shape=item.shape)
        images = [item.images[fid] for fid in fids]
        schema = answer_schema(kind, fids, self.scheme.answerable_ids, shape=item.shape)
        started_at = utc_now()
        item.attempts += 1
        state.request_started()
        try:
            reply = client.classify(prompt, images, schema, on_send=state.request_sent)
        except RequestFailedError as failure:
            self._failed(state, item, kind, started_at, failure, client)
            return
        if state.answered():
            self._message(Message(
                "{0} does not accept the request for token log-probabilities; it is asked without them for the "
                "rest of the run, and its results have no confidence (switch 'Ask for the model's confidence' "
                "off for this endpoint to skip the refused request).", state.name))
        logged = dict(started_at=started_at, http_status=200, raw=reply.raw, elapsed_ms=reply.elapsed_ms,
                      prompt_tokens=reply.prompt_tokens, eval_tokens=reply.eval_tokens)
        if self._prompt_cut(state, item, kind, reply, estimated_prompt_tokens(prompt.text, len(images)), logged):
            return
        try:
            answers = parse_answer(reply.text, item.fids, self.scheme, item.shape)
        except InvalidAnswerError as invalid:
            problem = invalid
        except Exception as exc:  # noqa: BLE001 - whatever breaks the reader (RecursionError, a 5,000-digit
            # number), the answer is unusable: invalid, so the batch splits at once instead of being retried
            problem = InvalidAnswerError("the answer could not be read ({0}: {1})", type(exc).__name__,
                                         str(exc)[:200])
        else:
            self._log(state, item, kind, "ok", **logged)
            self._accepted(state, item, answers, reply)
            return
        self._log(state, item, kind, "invalid", error=str(problem), **logged)
        self._invalid(state, item, problem)

    def _accepted(self, state: EndpointState, item: WorkItem, answers, reply) -> None:
        scores = self._confidences(reply)
        rows = []
        for chip in item.chips:
            answer = answers[chip.fid]
            score = scores.get(chip.fid)
            rows.append(ResultRow(
                fid=chip.fid,
                chip_path=chip.path,
                class_id=answer.class_id,
                class_name=self.scheme.name_of(answer.class_id),
                reason=answer.reason,
                needs_review=answer.needs_review,
                model=state.config.model,
                endpoint=state.name,
                attempts=item.attempts,
                elapsed_ms=reply.elapsed_ms,
                confidence=score.confidence if score else None,
                runner_up_class_id=score.runner_up_class_id if score else None,
            ))
        state.batch_done(len(rows))
        self.events.put(RowsDone(state.name, rows, item.reasons_pass))

    def _context_size(self, state: EndpointState) -> Optional[int]:
        """The context a prompt had to fit: the num_ctx we send where the server takes it, else the
        server's own size where its check said it (llama.cpp's n_ctx, vLLM's max_model_len)."""
        if state.server_kind in TAKES_NUM_CTX:
            return int(state.config.num_ctx)
        return state.server_context

    def _prompt_cut(self, state: EndpointState, item: WorkItem, kind: str, reply, estimate: int, logged) -> bool:
        """Whether the server cut the prompt (then the answer is not accepted, the batch is halved); a low
        count alone is said once per endpoint and run, and accepted."""
        context = self._context_size(state)
        if not prompt_truncated(reply.prompt_tokens, estimate, context, reply.prompt_cut):
            if count_below_estimate(reply.prompt_tokens, estimate) and state.first_time("low_count"):
                self._message(Message(
                    "{0} counted {1} prompt tokens for a request of about {2}: it counts only the tokens its "
                    "prompt cache did not hold (Ollama 0.30, llama-server). Its answers are accepted; a prompt "
                    "counts as cut only when the count reaches the context size ({3}) or the server says so.",
                    state.name, reply.prompt_tokens, estimate, context or "?"))
            return False
        # Ollama cuts a prompt longer than num_ctx with only a line in its own log: the answer may look
        # fine, but the model did not see every chip (or the rules): never accept it
        reason = (
            f"prompt truncated: num_ctx too small (the server counted {reply.prompt_tokens} prompt tokens, "
            f"the request needs about {estimate}, the context holds {context})"
        )
        self._log(state, item, kind, "invalid", error=reason, **logged)
        if state.first_time("truncation"):
            self._message(Message(
                "{0} cut the prompt short ({1} prompt tokens counted, about {2} sent): its context (num_ctx "
                "{3}) is too small for {4} chips; batches are split, and answers from cut prompts are not "
                "accepted.", state.name, reply.prompt_tokens, estimate, context, len(item.chips)))
        self._carry_out(state, item, decide(PROMPT_TRUNCATED, Batch(len(item.chips)), Endpoint(), self.policy),
                        reason)
        return True

    def _invalid(self, state: EndpointState, item: WorkItem, problem) -> None:
        """An answer that does not match the batch or cannot be read (``problem``: an InvalidAnswerError or a
        Message): halved, said once for the batch and its halves."""
        retry = decide(INVALID_ANSWER, Batch(len(item.chips)), Endpoint(), self.policy)
        if retry.batch == HALVE and not item.answer_refused:
            item.answer_refused = True  # its halves say nothing more
            self._message(Message(
                "{0}: the answer for fid(s) {1} was refused ({2}); the batch is split in halves and asked again.",
                state.name, fid_list(item.fids), problem))
        self._carry_out(state, item, retry, f"invalid answer: {problem}")

    # -- what a failure leads to (retry.decide) ----------------------------------------------------
    def _crashed(self, state: EndpointState, item: WorkItem, exc: BaseException) -> None:
        """An unexpected error while handling a batch: one failed try of that batch, as a server failure
        is (retried elsewhere first, split after max_batch_failures, a single chip then gets -1)."""
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        retry = decide(CRASHED, Batch(len(item.chips), item.failures), Endpoint(), self.policy)
        tries = item.failures + retry.counted
        self._log(state, item, state.schema_kind, "internal_error", utc_now(), error=detail)
        self._message(Message(
            "Unexpected error on {0} with fid(s) {1}: {2} (try {3} of {4} for this batch).", state.name,
            fid_list(item.fids), detail, tries, self.policy.max_batch_failures))
        self._carry_out(state, item, retry, f"unexpected error {tries} times on this chip: {detail}")

    def _failed(self, state: EndpointState, item: WorkItem, kind: str, started_at: str,
                failure: RequestFailedError, client=None) -> None:
        status = "http_error" if failure.kind == HTTP else "transport_error"
        self._log(state, item, kind, status, started_at, failure.raw or None, http_status=failure.http_status,
                  error=failure.message, elapsed_ms=failure.elapsed_ms)
        state.request_failed(failure.message)
        meaning = failure_meaning(failure, strict_schema=kind == STRICT)
        listed = meaning == MODEL_MISSING and not state.outage and self._model_still_listed(client)
        retry = decide(meaning, Batch(len(item.chips), item.failures),
                       Endpoint(strict_schema=kind == STRICT, down=state.outage, model_listed=listed), self.policy)
        words = failure.server_words or failure.message
        if meaning == IMAGE_REFUSED:
            reason = f"the server could not read this chip's image: {words}"
        else:
            reason = f"the server failed {item.failures + retry.counted} times on this chip: {failure.message}"
        self._carry_out(state, item, retry, reason, failure, meaning)

    def _carry_out(self, state: EndpointState, item: WorkItem, retry: Retry, reason: str,
                   failure: Optional[RequestFailedError] = None, meaning: str = "") -> None:
        """Do what retry.decide() said: change the endpoint, then requeue, halve or give up the batch.
        ``reason`` is the error of the rows of a batch given up on."""
        in_a_row, paused_for = self._change_endpoint(state, retry.endpoint, failure, meaning)
        if retry.counted:
            item.failures += 1
        if retry.batch == HALVE:
            self._put_front(item.halves())
        elif retry.batch == GIVE_UP:
            self.events.put(RowsDone(state.name, self._error_rows(item.chips, reason, state, item.attempts),
                                     item.reasons_pass))
        else:
            if retry.batch == ELSEWHERE:
                item.avoid = state.name
                item.avoid_until = time.monotonic() + max(1.0, self.policy.backoff_max)
            self._put_front([item])
        if retry.wait and not paused_for:
            self._sleep(backoff(self.policy, in_a_row))

    def _change_endpoint(self, state: EndpointState, change: str, failure: Optional[RequestFailedError],
                         meaning: str) -> Tuple[int, float]:
        """The endpoint's side of a decision, said when it changes; returns (failures in a row, pause)."""
        if change == COUNT_FAILURE:
            in_a_row, paused_for = state.failed(self.policy)
            if paused_for:
                self._message(Message(
                    "{0} paused for {1:g} s after {2} failed requests in a row (last: {3}); its batches go to the "
                    "other endpoints.", state.name, paused_for, in_a_row, failure.message))
            return in_a_row, paused_for
        if change == PAUSE_NOW:
            paused_for = state.went_down(self.policy)
            if paused_for:
                words = failure.server_words or without_endpoint_name(failure.message, state.config)
                self._message(Message(
                    "{0} does not answer ({1}); paused for {2:g} s, its batches go to the other endpoints and wait "
                    "for it, none counts as failed.", state.name, words, paused_for))
            return 1, paused_for
        if change == SIMPLE_SCHEMA and state.use_simple_schema():
            self._message(Message(
                "{0} refused the strict answer schema ({1}); it gets the simple schema for the rest of the "
                "run, and answers are still checked fid by fid.", state.name, failure.message))
        elif change == LEAVE_OUT:
            sentence = self._left_out_sentence(state, failure, meaning)
            if state.leave_out(sentence):
                self._message(Message("{0} It is left out of this run.", sentence))
        elif change == STOP_RUN:
            sentence = Message("{0} refused the request (HTTP {1}): “{2}”", state.name, failure.http_status,
                               failure.server_words or failure.message)
            with self.cond:
                self.fatal = self.fatal or sentence
        return 1, 0.0

    @staticmethod
    def _left_out_sentence(state: EndpointState, failure: RequestFailedError, meaning: str) -> str:
        words = failure.server_words or failure.message
        if meaning == KEY_REFUSED:
            return key_refused_sentence(state.name, failure.http_status)
        if meaning == MODEL_MISSING:
            return Message("{0}: model {1} is not available there (the server said: “{2}”).",
                           state.name, state.config.model, words)
        return Message("{0}: no model API at {1} (HTTP {2}: “{3}”); check the address and the API kind.",
                       state.name, state.config.url, failure.http_status, words)

    @staticmethod
    def _model_still_listed(client) -> bool:
        """Whether the endpoint still lists the model it just said it does not have."""
        check = getattr(client, "model_listed", None)
        if check is None:
            return False
        try:
            return check() is True
        except Exception:  # a failed look-up proves nothing: the model stays missing
            return False

    def _confidences(self, reply) -> dict:
        """fid -> Confidence from the reply's log-probabilities; {} when it has none or they do not fit
        (a confidence is a bonus: it never costs the batch)."""
        if not getattr(reply, "logprobs", None):
            return {}
        try:
            return class_confidences(reply.text, reply.logprobs, self.scheme.answerable_ids)
        except Exception:
            return {}
