"""One queue of batches feeding every endpoint of a run, each with its own number of requests at once.

Each endpoint gets ``concurrency`` worker threads that pull the next batch when they are free, so a
fast endpoint simply takes more work. What a worker does with an answer:

- valid answer: the batch's rows go to the main thread, which commits them at once;
- invalid answer (duplicate, missing or stranger fid, class outside the scheme, not JSON): split the
  batch in halves and put both at the front of the queue; a single chip that still fails becomes -1
  with the reason (field report 4.2, 4.5);
- a failed request is read by clients.failure_meaning() from the server's own words, then:
  - outage (connection refused or dropped; a gateway's "Server disconnected", "Cannot connect to
    host"; its "Model not found" right after such errors, or while its list still has the model):
    the endpoint is paused at once, the batch goes back unharmed (no split, no failure counted);
  - overload (429, 503): this worker backs off, a few in a row pause the endpoint;
  - schema refused (the error is about the format/schema/grammar, or a plain HTTP 500 to the strict
    schema, field report 4.3): this endpoint uses the simple schema from now on, batch asked again;
  - image refused (a chip the server cannot decode): the batch is halved down to that chip, which
    becomes -1; the endpoint is neither paused nor switched to the simple schema;
  - model missing or not allowed, key refused, no API at the URL: the endpoint is out for the run,
    said in one sentence;
  - bad request (anything else the server refuses): the run stops with the server's words;
  - server failed (crash, timeout): counted against the batch; a batch on which servers keep
    failing while answering other batches is split, to isolate a chip that breaks the server;
- an answer we cannot use (any error while reading it, not only a wrong fid or class) is invalid:
  the batch is split at once, as above, never retried as a server failure;
- an answer to a prompt the server cut (num_ctx too small) is not accepted and the batch is split,
  on evidence only: the server says so, the count reaches the context size, or our low estimate
  alone exceeds it. A count under the estimate is no evidence (servers that count only what their
  prefix cache did not hold): it is said once per endpoint, and the answer is accepted.

Workers never touch the results store: they hand events to the main thread through a queue, so every
write happens in one thread, in order, one transaction per finished batch.

The queue, the worker threads and one batch's request are here; what a failed request or a crashed
batch leads to is failure_handling.py (a mixin of Dispatcher), and the work items, endpoint states
and retry policy are state.py.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from typing import Callable, Deque, List, Optional

from ...chips.index import ChipEntry
from ...errors import Message
from ...results.store import ResultRow, utc_now
from ...schemes import ERROR_CLASS, Scheme
from ..answer.confidence import class_confidences
from ..answer.parse import InvalidAnswerError, parse_answer
from ..clients.endpoints import EndpointConfig
from ..clients.factory import make_client
from ..clients.failures import RequestFailedError
from ..clients.servers import TAKES_NUM_CTX, count_below_estimate, estimated_prompt_tokens, prompt_truncated
from ..clients.transport import stored_copy
from ..request.chip_payload import encode_chip
from ..request.prompts import PromptTemplate
from ..request.schemas import answer_schema
from .failure_handling import FailureHandlingMixin
from .state import FIRST_WAVE_WAIT, MESSAGE, REQUEST, ROWS, EndpointState, RetryPolicy, WorkItem


class Dispatcher(FailureHandlingMixin):
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
        self.events.put((MESSAGE, text))

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
            self.events.put((ROWS, None, self._error_rows([chip], reason, None, item.attempts)))
        return bool(item.chips)

    def _log(self, state, item, kind, status, started_at, **details):
        """One line of the requests table; ``details``: http_status, error, raw, elapsed_ms, prompt_tokens,
        eval_tokens."""
        self.events.put((REQUEST, {
            "endpoint": state.name,
            "model": state.config.model,
            "fids": item.fids,
            "status": status,
            "http_status": details.get("http_status"),
            "error": details.get("error"),
            "raw_response": stored_copy(details.get("raw")),
            "schema_kind": kind,
            "elapsed_ms": details.get("elapsed_ms"),
            "prompt_tokens": details.get("prompt_tokens"),
            "eval_tokens": details.get("eval_tokens"),
            "started_at": started_at,
        }))

    def _log_reply(self, state, item, kind, status, started_at, reply, error=None):
        self._log(state, item, kind, status, started_at, http_status=200, error=error, raw=reply.raw,
                  elapsed_ms=reply.elapsed_ms, prompt_tokens=reply.prompt_tokens, eval_tokens=reply.eval_tokens)

    def _not_accepted(self, state: EndpointState, item: WorkItem, reason: str) -> None:
        """An answer that cannot be used for this batch: split it at once; a single chip becomes -1."""
        if len(item.chips) > 1:
            self._put_front(item.halves())
        else:
            self.events.put((ROWS, state.name, self._error_rows(item.chips, reason, state, item.attempts)))

    def _request(self, state: EndpointState, client, item: WorkItem, kind: str, started_at: str):
        """The batch's reply and what its prompt should cost; None when it failed (the failure is handled)."""
        fids = item.fids
        prompt = self.template.render(fids, self.scheme, kind)  # a BatchPrompt: constant part first
        images = [item.images[fid] for fid in fids]
        schema = answer_schema(kind, fids, self.scheme.answerable_ids)
        item.attempts += 1
        with state.lock:
            state.requests += 1

        def sent() -> None:
            with state.lock:
                state.sent += 1

        try:
            reply = client.classify(prompt, images, schema, on_send=sent)
        except RequestFailedError as failure:
            self._failed(state, item, kind, started_at, failure, client)
            return None
        with state.lock:
            state.consecutive_failures = 0
            state.pause_count = 0
            state.outage = False
            refused = state.logprobs_asked and not state.config.logprobs
            if refused:
                state.logprobs_asked = False
        if refused:
            self._message(Message(
                "{0} does not accept the request for token log-probabilities; it is asked without them for the "
                "rest of the run, and its results have no confidence (switch 'Ask for the model's confidence' "
                "off for this endpoint to skip the refused request).", state.name))
        return reply, estimated_prompt_tokens(prompt.text, len(images))

    def _say_once(self, state: EndpointState, flag: str, sentence: str) -> None:
        """A sentence said once per endpoint and run; ``flag`` is the EndpointState attribute that keeps it."""
        with state.lock:
            said = getattr(state, flag)
            setattr(state, flag, True)
        if not said:
            self._message(sentence)

    def _context_size(self, state: EndpointState) -> Optional[int]:
        """The context a prompt had to fit: the num_ctx we send where the server takes it, else the
        server's own size where its check said it (llama.cpp's n_ctx, vLLM's max_model_len)."""
        if state.server_kind in TAKES_NUM_CTX:
            return int(state.config.num_ctx)
        return state.server_context

    def _prompt_cut(self, state: EndpointState, item: WorkItem, kind: str, started_at: str, reply,
                    estimate: int) -> bool:
        """Whether the server cut the prompt (then the answer is not accepted); a low count alone is said
        once per endpoint and run, and accepted."""
        context = self._context_size(state)
        if not prompt_truncated(reply.prompt_tokens, estimate, context, reply.prompt_cut):
            if count_below_estimate(reply.prompt_tokens, estimate):
                self._say_once(state, "low_count_said", Message(
                    "{0} counted {1} prompt tokens for a request of about {2}: it counts only the tokens its "
                    "prompt cache did not hold (Ollama 0.30, llama-server). Its answers are accepted; a prompt "
                    "counts as cut only when the count reaches the context size ({3}) or the server says so.",
                    state.name, reply.prompt_tokens, estimate, context or "?"))
            return False
        # Ollama cuts a prompt longer than num_ctx with only a line in its own log: the answer may
        # look fine, but the model did not see every chip (or the rules): never accept it
        reason = (
            f"prompt truncated: num_ctx too small (the server counted {reply.prompt_tokens} prompt tokens, "
            f"the request needs about {estimate}, the context holds {context})"
        )
        self._log_reply(state, item, kind, "invalid", started_at, reply, reason)
        self._say_once(state, "truncation_said", Message(
            "{0} cut the prompt short ({1} prompt tokens counted, about {2} sent): its context (num_ctx "
            "{3}) is too small for {4} chips; batches are split, and answers from cut prompts are not "
            "accepted.", state.name, reply.prompt_tokens, estimate, context, len(item.chips)))
        self._not_accepted(state, item, reason)
        return True

    def _read_answer(self, state: EndpointState, item: WorkItem, kind: str, started_at: str, reply):
        """The batch's answers by fid, or None when the answer cannot be used: any error while reading
        it (a RecursionError from 200,000 nested brackets, a 5,000-digit number) makes it invalid, so the
        batch splits at once instead of being retried as a server failure."""
        try:
            return parse_answer(reply.text, item.fids, self.scheme)
        except InvalidAnswerError as invalid:
            reason = str(invalid)
        except Exception as exc:  # noqa: BLE001 - whatever breaks the reader, the answer is unusable
            reason = f"the answer could not be read ({type(exc).__name__}: {str(exc)[:200]})"
        self._log_reply(state, item, kind, "invalid", started_at, reply, reason)
        self._not_accepted(state, item, f"invalid answer: {reason}")
        return None

    def _process(self, state: EndpointState, client, item: WorkItem) -> None:
        if not self._encode(state, item):
            return
        kind = state.schema_kind
        started_at = utc_now()
        sent = self._request(state, client, item, kind, started_at)
        if sent is None or self._prompt_cut(state, item, kind, started_at, *sent):
            return
        reply = sent[0]
        answers = self._read_answer(state, item, kind, started_at, reply)
        if answers is None:
            return
        self._log_reply(state, item, kind, "ok", started_at, reply)
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
        with state.lock:
            state.chips_done += len(rows)
        self.events.put((ROWS, state.name, rows))

    def _confidences(self, reply) -> dict:
        """fid -> Confidence from the reply's log-probabilities; {} when it has none or they do not fit
        (a confidence is a bonus: it never costs the batch)."""
        if not getattr(reply, "logprobs", None):
            return {}
        try:
            return class_confidences(reply.text, reply.logprobs, self.scheme.answerable_ids)
        except Exception:
            return {}
