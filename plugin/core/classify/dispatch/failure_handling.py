"""What the dispatcher does when a request fails or a batch breaks: the failure's meaning
(clients.failure_meaning) decides between pausing the endpoint (outage, overload), switching it to
the simple schema, leaving it out of the run (model missing, key refused, wrong URL), stopping the
run (bad request), halving the batch down to the chip the server cannot read, or counting the
failure against the batch and retrying it elsewhere.
"""
from __future__ import annotations

import time

from ...errors import Message
from ...results.store import utc_now
from ..clients.endpoints import without_endpoint_name
from ..clients.failures import (
    BAD_REQUEST,
    HTTP,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MODEL_MISSING,
    OUTAGE,
    OVERLOAD,
    SCHEMA_REFUSED,
    WRONG_URL,
    RequestFailedError,
    failure_meaning,
)
from ..clients.servers import key_refused_sentence
from ..request.schemas import SIMPLE, STRICT
from .state import ROWS, EndpointState, WorkItem


class FailureHandlingMixin:
    """The Dispatcher's reactions to failed requests and crashed batches (see the module docstring)."""

    def _crashed(self, state: EndpointState, item: WorkItem, exc: BaseException) -> None:
        """An unexpected error while handling a batch: one failed try of that batch, as a server failure
        is (retried elsewhere first, split after max_batch_failures, a single chip then gets -1)."""
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        item.failures += 1
        self._log(state, item, state.schema_kind, "internal_error", utc_now(), error=detail)
        self._message(Message(
            "Unexpected error on {0} with fid(s) {1}: {2} (try {3} of {4} for this batch).", state.name,
            ", ".join(map(str, item.fids[:10])), detail, item.failures, self.policy.max_batch_failures))
        if item.failures >= self.policy.max_batch_failures:
            if len(item.chips) > 1:
                self._put_front(item.halves())
            else:
                self.events.put((ROWS, state.name, self._error_rows(
                    item.chips, f"unexpected error {item.failures} times on this chip: {detail}", state,
                    item.attempts)))
            return
        item.avoid = state.name
        item.avoid_until = time.monotonic() + max(1.0, self.policy.backoff_max)
        self._put_front([item])
        self._sleep(min(self.policy.backoff_max, self.policy.backoff_base))

    def _failed(self, state: EndpointState, item: WorkItem, kind: str, started_at: str,
                failure: RequestFailedError, client=None) -> None:
        status = "http_error" if failure.kind == HTTP else "transport_error"
        self._log(state, item, kind, status, started_at, http_status=failure.http_status, error=failure.message,
                  raw=failure.raw or None, elapsed_ms=failure.elapsed_ms)
        with state.lock:
            state.failures += 1
            state.last_error = failure.message
        meaning = failure_meaning(failure, strict_schema=kind == STRICT)
        if meaning == MODEL_MISSING and (state.outage or self._model_still_listed(client)):
            # Open WebUI whose Ollama just went away: "Model ... was not found" while its list has it
            meaning = OUTAGE
        words = failure.server_words or failure.message
        if meaning == OUTAGE:
            self._outage(state, item, failure.server_words or without_endpoint_name(failure.message, state.config))
            return
        if meaning == SCHEMA_REFUSED and kind == STRICT:
            with state.lock:
                switched = state.schema_kind == STRICT
                state.schema_kind = SIMPLE
            if switched:
                self._message(Message(
                    "{0} refused the strict answer schema ({1}); it gets the simple schema for the rest of the "
                    "run, and answers are still checked fid by fid.", state.name, failure.message))
            self._put_front([item])
            return
        if meaning in (MODEL_MISSING, KEY_REFUSED, WRONG_URL):
            if meaning == KEY_REFUSED:
                sentence = key_refused_sentence(state.name, failure.http_status)
            elif meaning == MODEL_MISSING:
                sentence = Message("{0}: model {1} is not available there (the server said: “{2}”).",
                                   state.name, state.config.model, words)
            else:
                sentence = Message("{0}: no model API at {1} (HTTP {2}: “{3}”); check the address and the API "
                                   "kind.", state.name, state.config.url, failure.http_status, words)
            with state.lock:
                first = not state.disabled
                state.disabled = sentence
            if first:
                self._message(Message("{0} It is left out of this run.", sentence))
            self._put_front([item])
            return
        if meaning == BAD_REQUEST:
            sentence = Message("{0} refused the request (HTTP {1}): “{2}”", state.name, failure.http_status, words)
            with self.cond:
                self.fatal = self.fatal or sentence
            self._put_front([item])
            return
        if meaning == IMAGE_REFUSED:
            # one chip the server cannot read: find it by halving; the endpoint and the schema are fine
            if len(item.chips) > 1:
                self._put_front(item.halves())
            else:
                self.events.put((ROWS, state.name, self._error_rows(
                    item.chips, f"the server could not read this chip's image: {words}", state, item.attempts)))
            return
        # the server failed, or is busy: not the batch's content (unless it keeps happening to it)
        if meaning != OVERLOAD:
            item.failures += 1
        paused_for = 0.0
        with state.lock:
            state.consecutive_failures += 1
            in_a_row = state.consecutive_failures
            if in_a_row >= self.policy.pause_after:
                paused_for = self._pause_locked(state)
                # one more failure after the pause pauses it again, longer
                state.consecutive_failures = self.policy.pause_after - 1
        if paused_for:
            self._message(Message(
                "{0} paused for {1:g} s after {2} failed requests in a row (last: {3}); its batches go to the "
                "other endpoints.", state.name, paused_for, in_a_row, failure.message))
        if item.failures >= self.policy.max_batch_failures:
            if len(item.chips) > 1:
                self._put_front(item.halves())
            else:
                self.events.put((ROWS, state.name, self._error_rows(
                    item.chips, f"the server failed {item.failures} times on this chip: {failure.message}",
                    state, item.attempts)))
            return
        item.avoid = state.name
        item.avoid_until = time.monotonic() + max(1.0, self.policy.backoff_max)
        self._put_front([item])
        if not paused_for:
            backoff = min(self.policy.backoff_max, self.policy.backoff_base * (2 ** (in_a_row - 1)))
            self._sleep(backoff)

    def _pause_locked(self, state: EndpointState) -> float:
        paused_for = min(self.policy.pause_max, self.policy.pause_base * (2 ** state.pause_count))
        state.pause_count += 1
        state.paused_until = time.monotonic() + paused_for
        return paused_for

    def _outage(self, state: EndpointState, item: WorkItem, words: str) -> None:
        """The server is down: pause the endpoint at once; the batch is not to blame and waits."""
        with state.lock:
            state.outage = True
            state.consecutive_failures = max(state.consecutive_failures, 1)
            # workers of one endpoint fail together: the first pauses it, the others only wait
            paused_for = self._pause_locked(state) if state.pause_left() <= 0 else 0.0
        if paused_for:
            self._message(Message(
                "{0} does not answer ({1}); paused for {2:g} s, its batches go to the other endpoints and wait "
                "for it, none counts as failed.", state.name, words, paused_for))
        item.avoid = state.name
        item.avoid_until = time.monotonic() + max(1.0, self.policy.backoff_max)
        self._put_front([item])

    def _model_still_listed(self, client) -> bool:
        """Whether the endpoint still lists the model it just said it does not have."""
        check = getattr(client, "model_listed", None)
        if check is None:
            return False
        try:
            return check() is True
        except Exception:  # a failed look-up proves nothing: the model stays missing
            return False
