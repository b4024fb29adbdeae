"""What a failed request to a model server was, and what it means for the run.

`RequestFailedError` carries how a request failed (`kind`: connection, timeout or http), the status
and the server's body; `failure_meaning` turns that into one word (OUTAGE, OVERLOAD, MODEL_MISSING,
...) the dispatcher acts on, from the bodies real servers send (tests/unit/test_gateway_errors.py).
"""
from __future__ import annotations

import json
from typing import Optional

CONNECTION = "connection"
TIMEOUT = "timeout"
HTTP = "http"


def refuses_logprobs(failure: "RequestFailedError") -> bool:
    return failure.kind == HTTP and failure.http_status in (400, 422) and "logprob" in failure.message.lower()


class RequestFailedError(Exception):
    """One request that got no usable answer; ``kind`` is connection, timeout or http."""

    def __init__(self, kind: str, message: str, http_status: Optional[int] = None, raw: str = "",
                 elapsed_ms: int = 0):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.http_status = http_status
        self.raw = raw
        self.elapsed_ms = elapsed_ms

    @property
    def server_words(self) -> str:
        """What the server said, without our prefix (its error field, or the start of its body)."""
        return error_text(self.raw) if self.raw else ""


def error_text(body: str) -> str:
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return body.strip()[:300]
    if isinstance(data, dict):
        error = data.get("error", data.get("detail"))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error is not None:
            return str(error)[:300]
    return body.strip()[:300]


# -- what a failed request means for the run ---------------------------------------------------------
# One word per way of failing; the dispatcher acts on the word, never on a status code.
OUTAGE = "outage"  # the server (or the model server behind a gateway) is down: pause the endpoint
OVERLOAD = "overload"  # busy or rate-limited: back off, try again
MODEL_MISSING = "model_missing"  # the model is not there or this key may not use it: drop the endpoint
KEY_REFUSED = "key_refused"  # wrong or missing API key: drop the endpoint
WRONG_URL = "wrong_url"  # no model API at this address: drop the endpoint
SCHEMA_REFUSED = "schema_refused"  # the answer schema (format, grammar) was refused: use the simple one
IMAGE_REFUSED = "image_refused"  # a chip of the batch could not be read by the server: isolate it
BAD_REQUEST = "bad_request"  # the server refuses what we send for a reason we cannot fix: stop the run
SERVER_FAILED = "server_failed"  # the server failed on this request (crash, timeout): counts against it
MEANINGS = (OUTAGE, OVERLOAD, MODEL_MISSING, KEY_REFUSED, WRONG_URL, SCHEMA_REFUSED, IMAGE_REFUSED,
            BAD_REQUEST, SERVER_FAILED)

# a gateway (Open WebUI, LiteLLM, a proxy) saying that the server behind it cannot be reached
_OUTAGE_WORDS = (
    "server disconnected", "cannot connect to host", "connection refused", "connect call failed",
    "all connection attempts failed", "connection reset", "connection aborted", "remote end closed",
    "server connection error", "no healthy upstream", "upstream connect error", "bad gateway",
    "name or service not known", "temporary failure in name resolution", "network is unreachable",
    "ollama is not running", "no route to host",
)
_OVERLOAD_WORDS = ("server busy", "maximum pending requests", "too many requests", "rate limit",
                   "overloaded", "try again later")
_IMAGE_WORDS = ("image", "base64", "picture", "png", "jpeg", "multimodal input", "decode")
_SCHEMA_WORDS = ("format", "schema", "grammar", "json_schema", "response_format", "structured output",
                 "guided_json", "guided decoding")
_MODEL_WORDS = ("model",)
_MISSING_WORDS = ("not found", "was not found", "does not exist", "no such model", "unknown model",
                  "invalid model", "try pulling it", "not allowed", "not authorized to access",
                  "no access", "not available")
# what servers put in a 500 that says nothing about its cause
_PLAIN_500 = ("", "internal server error", "500 internal server error", "internal error",
              "an unknown error was encountered while running the model", "server error")


def _has(text: str, words) -> bool:
    return any(word in text for word in words)


def failure_meaning(failure: RequestFailedError, strict_schema: bool = True) -> str:
    """What a failed request means, from its kind, status and the server's own words.

    Table-tested with the bodies real servers send (tests/unit/test_gateway_errors.py). The order
    matters: "image: unknown format" is about an image, not about the answer format; "Model not
    found" after a gateway lost its Ollama is decided by the dispatcher, which knows what came before.
    """
    if failure.kind == CONNECTION:
        return OUTAGE
    if failure.kind == TIMEOUT:
        return SERVER_FAILED
    status = failure.http_status
    words = (failure.server_words or "").strip().lower()
    if status is None or status == 200:
        return SERVER_FAILED  # an answer we cannot read (no content, not JSON)
    if status in (401, 403):
        # LiteLLM: the key is fine but may not use this model
        return MODEL_MISSING if _model_missing(words) else KEY_REFUSED
    return _said(status, words) or _by_status(status, words, strict_schema)


def _model_missing(words: str) -> bool:
    return _has(words, _MODEL_WORDS) and _has(words, _MISSING_WORDS)


def _said(status: int, words: str) -> str:
    """What the server's words (or a gateway's status) mean whatever the status; '' when they do not say."""
    if _has(words, _OUTAGE_WORDS) or status == 502:
        return OUTAGE
    if status in (429, 503, 504) or _has(words, _OVERLOAD_WORDS):
        return OVERLOAD
    if _model_missing(words):
        return MODEL_MISSING
    if _has(words, ("does not support", "not supported")) and _has(words, ("image", "vision", "multimodal")):
        return MODEL_MISSING  # this model (or server) reads no image at all: no chip would pass
    return ""


def _by_status(status: int, words: str, strict_schema: bool) -> str:
    """The rest, from the status and what the words are about (an image before the answer's format)."""
    if status in (404, 405):
        return WRONG_URL
    if _has(words, _IMAGE_WORDS):
        return IMAGE_REFUSED
    if _has(words, _SCHEMA_WORDS):
        return SCHEMA_REFUSED
    if status >= 500:
        # a plain HTTP 500 to the strict schema (ollama #11500, #8185)
        plain = strict_schema and status == 500 and words.strip(". ") in _PLAIN_500
        return SCHEMA_REFUSED if plain else SERVER_FAILED
    return BAD_REQUEST if 400 <= status < 500 else SERVER_FAILED
