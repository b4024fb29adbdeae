"""retry.decide(): where a batch is retried, read as a table.

One row per thing that can happen to a batch's request (a failure's meaning from failure_meaning, an
answer we refuse, our own handling crashing), with the batch, the endpoint's state and the policy,
and what becomes of the endpoint and of the batch. The runs that show each row end to end are in
test_classify_failures.py, test_gateways.py and test_classify_hostile.py.
"""
import pytest

from chipvlm.plugin.core.classify.clients.failures import (
    BAD_REQUEST,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MEANINGS,
    MODEL_MISSING,
    OUTAGE,
    OVERLOAD,
    SCHEMA_REFUSED,
    SERVER_FAILED,
    WRONG_URL,
)
from chipvlm.plugin.core.classify.dispatch.retry import (
    AGAIN,
    COUNT_FAILURE,
    CRASHED,
    ELSEWHERE,
    GIVE_UP,
    HALVE,
    INVALID_ANSWER,
    KEEP,
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
from chipvlm.plugin.core.classify.dispatch.state import RetryPolicy

POLICY = RetryPolicy(max_batch_failures=4)
STRICT = Endpoint(strict_schema=True)
SIMPLE = Endpoint(strict_schema=False)
DOWN = Endpoint(down=True)
LISTED = Endpoint(model_listed=True)

TABLE = [
    # what happened        batch            endpoint  -> endpoint change, batch,  counted, worker waits
    # the batch's content: halved down to the chip, which is given up on alone
    (INVALID_ANSWER, Batch(10), STRICT, Retry(KEEP, HALVE)),
    (INVALID_ANSWER, Batch(1), STRICT, Retry(KEEP, GIVE_UP)),
    (PROMPT_TRUNCATED, Batch(10), STRICT, Retry(KEEP, HALVE)),
    (PROMPT_TRUNCATED, Batch(1), STRICT, Retry(KEEP, GIVE_UP)),
    (IMAGE_REFUSED, Batch(5, failures=3), STRICT, Retry(KEEP, HALVE)),
    (IMAGE_REFUSED, Batch(1), SIMPLE, Retry(KEEP, GIVE_UP)),
    # not the batch's fault: it waits unharmed, whatever it went through before
    (OUTAGE, Batch(10, failures=3), STRICT, Retry(PAUSE_NOW, ELSEWHERE)),
    (OUTAGE, Batch(1), SIMPLE, Retry(PAUSE_NOW, ELSEWHERE)),
    (MODEL_MISSING, Batch(10), STRICT, Retry(LEAVE_OUT, AGAIN)),
    (MODEL_MISSING, Batch(10), DOWN, Retry(PAUSE_NOW, ELSEWHERE)),  # a gateway whose Ollama just went away
    (MODEL_MISSING, Batch(10), LISTED, Retry(PAUSE_NOW, ELSEWHERE)),  # ... while its list still has the model
    (KEY_REFUSED, Batch(10), STRICT, Retry(LEAVE_OUT, AGAIN)),
    (KEY_REFUSED, Batch(10), DOWN, Retry(LEAVE_OUT, AGAIN)),
    (WRONG_URL, Batch(10), STRICT, Retry(LEAVE_OUT, AGAIN)),
    (BAD_REQUEST, Batch(10), STRICT, Retry(STOP_RUN, AGAIN)),
    (SCHEMA_REFUSED, Batch(10), STRICT, Retry(SIMPLE_SCHEMA, AGAIN)),
    # the server failed: counted against the batch and the endpoint; split at max_batch_failures
    (SCHEMA_REFUSED, Batch(10), SIMPLE, Retry(COUNT_FAILURE, ELSEWHERE, counted=True, wait=True)),
    (SERVER_FAILED, Batch(10), STRICT, Retry(COUNT_FAILURE, ELSEWHERE, counted=True, wait=True)),
    (SERVER_FAILED, Batch(10, failures=2), STRICT, Retry(COUNT_FAILURE, ELSEWHERE, counted=True, wait=True)),
    (SERVER_FAILED, Batch(10, failures=3), STRICT, Retry(COUNT_FAILURE, HALVE, counted=True)),
    (SERVER_FAILED, Batch(1, failures=3), STRICT, Retry(COUNT_FAILURE, GIVE_UP, counted=True)),
    # busy: counted against the endpoint only, never against the batch
    (OVERLOAD, Batch(10), STRICT, Retry(COUNT_FAILURE, ELSEWHERE, wait=True)),
    (OVERLOAD, Batch(10, failures=3), STRICT, Retry(COUNT_FAILURE, ELSEWHERE, wait=True)),
    # our own handling crashed: counted against the batch, the endpoint is not to blame
    (CRASHED, Batch(10), STRICT, Retry(KEEP, ELSEWHERE, counted=True, wait=True)),
    (CRASHED, Batch(10, failures=3), STRICT, Retry(KEEP, HALVE, counted=True)),
    (CRASHED, Batch(1, failures=3), STRICT, Retry(KEEP, GIVE_UP, counted=True)),
]


@pytest.mark.parametrize("what, batch, endpoint, expected", TABLE)
def test_what_becomes_of_the_endpoint_and_the_batch(what, batch, endpoint, expected):
    assert decide(what, batch, endpoint, POLICY) == expected


def test_every_meaning_of_a_failed_request_has_a_row():
    assert set(MEANINGS) <= {row[0] for row in TABLE}


def test_a_stricter_policy_splits_sooner():
    assert decide(SERVER_FAILED, Batch(10), STRICT, RetryPolicy(max_batch_failures=1)).batch == HALVE
    assert decide(CRASHED, Batch(2), STRICT, RetryPolicy(max_batch_failures=1)).batch == HALVE
