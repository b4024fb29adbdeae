"""Where a batch is retried: one pure decision, `decide`, from what happened to a request (the
failure's meaning, or an answer we refuse), the batch, the endpoint's state and the policy, to what
becomes of the endpoint and of the batch. The dispatcher only carries the decision out
(Dispatcher._carry_out); tests/unit/test_classify_retry.py reads as its table.

- an answer we refuse (a fid missing, twice or a stranger, a class outside the scheme, not JSON,
  anything that breaks the reader; a prompt the server cut short) or an image the server cannot
  read: the batch is halved, and a single chip that still fails is given up on (class -1, the reason
  kept);
- outage (the server, or the one behind a gateway, is down; "model not found" while it is down or
  while its list still has the model): the endpoint is paused at once, the batch waits unharmed;
- schema refused (to the strict schema): the endpoint gets the simple schema, the batch is asked again;
- model missing, key refused, no API at the URL: the endpoint is out of the run, the batch goes back;
- bad request: the run stops with the server's words;
- server failed, overload, or our own handling of the batch crashed (a bug): the batch goes to another
  endpoint first and the worker backs off; a server failure or a crash counts against the batch
  (overload does not), and a batch that reaches policy.max_batch_failures is halved, to isolate a
  chip that breaks the server. A server failure or overload also counts against the endpoint, which
  is paused after policy.pause_after in a row (EndpointState.failed).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..clients.failures import (
    BAD_REQUEST,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MODEL_MISSING,
    OUTAGE,
    OVERLOAD,
    SCHEMA_REFUSED,
    WRONG_URL,
)
from .state import RetryPolicy

# what happened besides a failed request (failures.MEANINGS)
INVALID_ANSWER = "invalid_answer"  # the answer does not match the batch or the scheme, or could not be read
PROMPT_TRUNCATED = "prompt_truncated"  # the server counted fewer prompt tokens than the request holds
CRASHED = "crashed"  # our own handling of the batch raised (a bug); reading the answer is INVALID_ANSWER

# what becomes of the endpoint
KEEP = "keep"
PAUSE_NOW = "pause_now"  # EndpointState.went_down
COUNT_FAILURE = "count_failure"  # EndpointState.failed: paused after policy.pause_after in a row
SIMPLE_SCHEMA = "simple_schema"  # EndpointState.use_simple_schema
LEAVE_OUT = "leave_out"  # EndpointState.leave_out
STOP_RUN = "stop_run"  # the whole run stops (Dispatcher.fatal)

# what becomes of the batch
AGAIN = "again"  # back at the front of the queue
ELSEWHERE = "elsewhere"  # back at the front, left to the other endpoints for a while
HALVE = "halve"  # both halves at the front
GIVE_UP = "give_up"  # a single chip: an error row (class -1) with the reason

_NOT_THE_BATCH = {OUTAGE: PAUSE_NOW, MODEL_MISSING: LEAVE_OUT, KEY_REFUSED: LEAVE_OUT, WRONG_URL: LEAVE_OUT,
                  BAD_REQUEST: STOP_RUN}


@dataclass(frozen=True)
class Batch:
    chips: int  # chips in the batch
    failures: int = 0  # server failures and crashes on exactly this batch so far


@dataclass(frozen=True)
class Endpoint:
    strict_schema: bool = True  # the request went with the strict schema
    down: bool = False  # its last failure was an outage and nothing has been answered since
    model_listed: bool = False  # its model list still has the model it just said it does not have


@dataclass(frozen=True)
class Retry:
    endpoint: str  # KEEP, PAUSE_NOW, COUNT_FAILURE, SIMPLE_SCHEMA, LEAVE_OUT, STOP_RUN
    batch: str  # AGAIN, ELSEWHERE, HALVE, GIVE_UP
    counted: bool = False  # one more failure against the batch
    wait: bool = False  # the worker backs off before its next batch (unless the endpoint was just paused)


def halve_or_give_up(chips: int) -> str:
    return HALVE if chips > 1 else GIVE_UP


def decide(what: str, batch: Batch, endpoint: Endpoint, policy: RetryPolicy) -> Retry:
    """What the dispatcher does after ``what`` (a failures.MEANINGS word, INVALID_ANSWER,
    PROMPT_TRUNCATED or CRASHED) happened to ``batch`` on ``endpoint``."""
    if what in (INVALID_ANSWER, PROMPT_TRUNCATED, IMAGE_REFUSED):
        # the batch's content: find the chip by halving; the endpoint and the schema are fine
        return Retry(KEEP, halve_or_give_up(batch.chips))
    if what == MODEL_MISSING and (endpoint.down or endpoint.model_listed):
        what = OUTAGE  # Open WebUI whose Ollama just went away: "Model ... was not found" while its list has it
    if what in _NOT_THE_BATCH:
        return Retry(_NOT_THE_BATCH[what], ELSEWHERE if what == OUTAGE else AGAIN)
    if what == SCHEMA_REFUSED and endpoint.strict_schema:
        return Retry(SIMPLE_SCHEMA, AGAIN)
    # the server failed, or is busy, or we crashed: not the batch's content, unless it keeps happening to it
    counted = what != OVERLOAD
    changes = KEEP if what == CRASHED else COUNT_FAILURE
    if batch.failures + counted >= policy.max_batch_failures:
        return Retry(changes, halve_or_give_up(batch.chips), counted)
    return Retry(changes, ELSEWHERE, counted, wait=True)
