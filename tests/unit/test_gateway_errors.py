"""failure_meaning(): every failed request read by what it means, with the bodies real servers send.

The bodies are those of Ollama (docs/api.md, its issue tracker), Open WebUI 0.12.4 (routers/ollama.py,
main.py, constants.py, and what the real one answered in front of our fake Ollama), vLLM, llama.cpp's
server and LiteLLM's proxy.
"""
import json

import pytest

from chipvlm.plugin.core.classify.clients.failures import (
    BAD_REQUEST,
    CONNECTION,
    HTTP,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MODEL_MISSING,
    OUTAGE,
    OVERLOAD,
    SCHEMA_REFUSED,
    SERVER_FAILED,
    TIMEOUT,
    WRONG_URL,
    RequestFailedError,
    failure_meaning,
)
from chipvlm.plugin.core.classify.clients.servers import (
    count_below_estimate,
    estimated_prompt_tokens,
    prompt_truncated,
)


def http(status, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    return RequestFailedError(HTTP, f"gpu0: HTTP {status}", http_status=status, raw=raw)


OPEN_WEBUI = [
    (500, {"detail": "Ollama: Server disconnected"}, OUTAGE),
    (500, {"detail": "Ollama: Cannot connect to host 127.0.0.1:11434 ssl:default [Connect call failed "
                     "('127.0.0.1', 11434)]"}, OUTAGE),
    (500, {"detail": "Open WebUI: Server Connection Error"}, OUTAGE),
    (400, {"detail": "Model not found"}, MODEL_MISSING),
    (400, {"detail": "Model 'gemma3:27b' was not found"}, MODEL_MISSING),
    (401, {"detail": "Not authenticated"}, KEY_REFUSED),
    (401, {"detail": "Your session has expired or the token is invalid. Please sign in again."}, KEY_REFUSED),
    (403, {"detail": "Use of API key is not enabled in the environment."}, KEY_REFUSED),
    (404, {"detail": "Not Found"}, WRONG_URL),
]
OLLAMA = [
    (404, {"error": 'model "gemma3:27b" not found, try pulling it first'}, MODEL_MISSING),
    (400, {"error": "registry.ollama.ai/library/llama3:latest does not support images"}, MODEL_MISSING),
    (503, {"error": "server busy, please try again.  maximum pending requests exceeded"}, OVERLOAD),
    (500, {"error": "failed to load model vocabulary required for format"}, SCHEMA_REFUSED),
    (500, {"error": "invalid JSON schema in format"}, SCHEMA_REFUSED),
    (400, {"error": "failed to parse grammar"}, SCHEMA_REFUSED),
    # issue 7 point 8: one undecodable chip is the image's fault, not the schema's ("format"!)
    (500, {"error": "Failed to create new sequence: failed to process inputs: image: unknown format"},
     IMAGE_REFUSED),
    (400, {"error": "illegal base64 data at input byte 4"}, IMAGE_REFUSED),
    (500, {"error": "llama runner process has terminated: exit status 2"}, SERVER_FAILED),
    (500, {"error": "model runner has unexpectedly stopped, this may be due to resource limitations or an "
                    "internal error, check ollama server logs for details"}, SERVER_FAILED),
    (404, "404 page not found", WRONG_URL),
    (405, "405 method not allowed", WRONG_URL),
    (400, {"error": "invalid options: num_ctx"}, BAD_REQUEST),
]
OPENAI_LIKE = [
    # vLLM
    (404, {"object": "error", "message": "The model `gemma` does not exist.", "type": "NotFoundError",
           "code": 404}, MODEL_MISSING),
    (400, {"object": "error", "message": "This model's maximum context length is 8192 tokens. However, you "
                                         "requested 9000 tokens.", "type": "BadRequestError"}, BAD_REQUEST),
    (400, {"object": "error", "message": "Grammar error: unsupported JSON schema keyword", "type": "BadRequestError"},
     SCHEMA_REFUSED),
    # llama.cpp server
    (503, {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}, OVERLOAD),
    (400, {"error": {"code": 400, "message": "image input is not supported - hint: if this is unexpected, you may "
                                             "need to provide the mmproj", "type": "invalid_request_error"}},
     MODEL_MISSING),
    # LiteLLM proxy
    (429, {"error": {"message": "Rate limit reached for model", "type": "rate_limit_error"}}, OVERLOAD),
    (401, {"error": {"message": "Authentication Error, Invalid proxy server token passed.", "type": "auth_error"}},
     KEY_REFUSED),
    (401, {"error": {"message": "Authentication Error, key not allowed to access model. This key can only access "
                                "models=['other']. Tried to access gemma3:27b", "type": "key_model_access_denied"}},
     MODEL_MISSING),
    (400, {"error": {"message": "Invalid model name passed in model=gemma3:27b. Call `/v1/models` to view available "
                                "models for your key.", "type": "invalid_request_error"}}, MODEL_MISSING),
    (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", OUTAGE),
    (504, "<html><body><h1>504 Gateway Time-out</h1></body></html>", OVERLOAD),
]


@pytest.mark.parametrize("status, body, meaning", OPEN_WEBUI + OLLAMA + OPENAI_LIKE)
def test_a_failed_request_is_read_by_what_the_server_says(status, body, meaning):
    assert failure_meaning(http(status, body)) == meaning


@pytest.mark.parametrize("body", ["", "Internal Server Error", {"error": "Internal Server Error"}])
def test_the_field_reports_plain_http_500_on_a_strict_schema_is_a_refused_schema(body):
    assert failure_meaning(http(500, body), strict_schema=True) == SCHEMA_REFUSED
    assert failure_meaning(http(500, body), strict_schema=False) == SERVER_FAILED, \
        "under the simple schema a plain 500 is the server failing"


def test_no_answer_at_all_is_an_outage_and_a_timeout_counts_against_the_batch():
    assert failure_meaning(RequestFailedError(CONNECTION, "gpu0 (http://x): connection refused")) == OUTAGE
    assert failure_meaning(RequestFailedError(TIMEOUT, "gpu0: no answer within 5 s")) == SERVER_FAILED
    assert failure_meaning(RequestFailedError(HTTP, "gpu0: the answer has no message content", 200, "{}")) \
        == SERVER_FAILED


def test_what_a_prompt_should_cost_and_when_it_was_cut():
    prompt = "classify these\n" + "第 1 张影像: fid=7\n" * 10
    estimate = estimated_prompt_tokens(prompt, 10)
    assert 10 * 256 < estimate < 10 * 256 + len(prompt)
    assert prompt_truncated(2048, estimate, context=2048), "Ollama kept 2048 of about 2700 tokens"
    assert prompt_truncated(4096, 3000, context=4096), "the count sits at the context the request set"
    assert prompt_truncated(None, estimate, context=2048), "our low estimate alone does not fit 2048"
    assert prompt_truncated(500, 600, context=8192, server_says=True), "llama.cpp's truncated: true"
    assert not prompt_truncated(estimate + 30, estimate, context=8192)
    assert not prompt_truncated(None, estimate, context=8192), "a server that gives no count cannot be checked"


def test_a_count_under_the_estimate_is_no_evidence_of_a_cut_prompt():
    """Issue 17 point 2: Ollama 0.30.x and llama-server count only what their prefix cache did not hold."""
    estimate = 3200
    assert not prompt_truncated(300, estimate, context=8192)
    assert not prompt_truncated(2000, estimate, context=None), "no context known: no evidence"
    assert count_below_estimate(300, estimate) and not count_below_estimate(3300, estimate)
    assert not count_below_estimate(None, estimate) and not count_below_estimate(True, estimate)
