"""Talking to model servers: Ollama's native API and OpenAI-compatible gateways.

Request and answer shapes follow Ollama's API reference (docs/api.md, /api/chat with ``stream``
false, ``format`` a JSON schema, ``images`` base64 in the message, durations in nanoseconds, errors
as ``{"error": "..."}``) and its OpenAI compatibility page (``/v1/chat/completions``, images only as
base64 data URIs, ``response_format`` json_schema mapped to ``format``). Open WebUI exposes the same
OpenAI shape at ``/api/chat/completions`` behind a bearer key.

A client does one request and says exactly what happened: a ModelReply, or RequestFailedError with a
kind (connection, timeout, http) the dispatcher uses to decide between retrying elsewhere, pausing
the endpoint, falling back to the simple schema, or splitting the batch. The API key goes into the
Authorization header only; it is never part of an error message or a log.

This module is the one place callers import from (every name in ``__all__``) and holds
``make_client`` and ``check_endpoint``; the code lives by concern in sibling modules:
chip_payload.py (chips as base64, the JSON body), failures.py (how a request failed and what that
means: ``failure_meaning``), servers.py (server kinds and URLs, context size, prompt-token estimate,
``EndpointCheck``), client_base.py (``ModelClient``: session, key, deadline), ollama_client.py and
openai_client.py (one client per API).
"""
from __future__ import annotations

from typing import Optional

import requests

from .chip_payload import (
    MAX_CHIP_BYTES,
    MAX_CHIP_PIXELS,
    ChipImage,
    ChipImageError,
    PromptReferences,
    SplicedPayload,
    encode_chip,
    image_token,
    json_body,
    with_extra_images,
)
from .client_base import ModelClient, ModelReply
from .endpoints import API_OLLAMA, API_OPENAI, EndpointConfig, EndpointError
from .failures import (
    BAD_REQUEST,
    CONNECTION,
    HTTP,
    IMAGE_REFUSED,
    KEY_REFUSED,
    MEANINGS,
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
from .ollama_client import OllamaClient
from .openai_client import OpenAIClient
from .servers import (
    IMAGE_TOKENS,
    KIND_LITELLM,
    KIND_LLAMA_CPP,
    KIND_OLLAMA,
    KIND_OLLAMA_V1,
    KIND_OPEN_WEBUI,
    KIND_OPEN_WEBUI_OLLAMA,
    KIND_OPENAI,
    KIND_VLLM,
    LOW_COUNT_SHARE,
    TAKES_NUM_CTX,
    EndpointCheck,
    context_note,
    count_below_estimate,
    estimated_prompt_tokens,
    key_refused_sentence,
    kind_from_url,
    openai_chat_url,
    prompt_truncated,
)


def make_client(endpoint: EndpointConfig, session: Optional[requests.Session] = None) -> ModelClient:
    if endpoint.api == API_OPENAI:
        return OpenAIClient(endpoint, session)
    if endpoint.api == API_OLLAMA:
        return OllamaClient(endpoint, session)
    raise ValueError(f"unknown API kind {endpoint.api!r}")


def check_endpoint(endpoint: EndpointConfig) -> EndpointCheck:
    """The endpoint Test: server kind and version, model present, vision, context size."""
    try:
        client = make_client(endpoint)
    except EndpointError as exc:  # a damaged key: said in a sentence that does not show it
        return EndpointCheck(name=endpoint.name, reachable=False, problems=[str(exc)], unusable=str(exc))
    try:
        return client.check()
    finally:
        client.close()


# the public names of the classify clients, wherever their code lives now
__all__ = [
    "CONNECTION",
    "TIMEOUT",
    "HTTP",
    "MAX_CHIP_PIXELS",
    "MAX_CHIP_BYTES",
    "ChipImageError",
    "ChipImage",
    "encode_chip",
    "PromptReferences",
    "SplicedPayload",
    "with_extra_images",
    "image_token",
    "json_body",
    "ModelReply",
    "RequestFailedError",
    "EndpointCheck",
    "OUTAGE",
    "OVERLOAD",
    "MODEL_MISSING",
    "KEY_REFUSED",
    "WRONG_URL",
    "SCHEMA_REFUSED",
    "IMAGE_REFUSED",
    "BAD_REQUEST",
    "SERVER_FAILED",
    "MEANINGS",
    "failure_meaning",
    "IMAGE_TOKENS",
    "LOW_COUNT_SHARE",
    "count_below_estimate",
    "estimated_prompt_tokens",
    "prompt_truncated",
    "KIND_OLLAMA",
    "KIND_OLLAMA_V1",
    "KIND_OPEN_WEBUI",
    "KIND_OPEN_WEBUI_OLLAMA",
    "KIND_VLLM",
    "KIND_LLAMA_CPP",
    "KIND_LITELLM",
    "KIND_OPENAI",
    "TAKES_NUM_CTX",
    "kind_from_url",
    "context_note",
    "key_refused_sentence",
    "ModelClient",
    "OllamaClient",
    "openai_chat_url",
    "OpenAIClient",
    "make_client",
    "check_endpoint",
]
