"""make_client (the client of an endpoint's API kind) and check_endpoint (the endpoint Test).

A client does one request and says exactly what happened: a ModelReply, or RequestFailedError with a
kind (connection, timeout, http) the dispatcher uses to decide between retrying elsewhere, pausing
the endpoint, falling back to the simple schema, or splitting the batch. The API key goes into the
Authorization header only; it is never part of an error message or a log.
"""
from __future__ import annotations

from typing import Optional

import requests

from .client_base import ModelClient
from .endpoints import API_OLLAMA, API_OPENAI, EndpointConfig, EndpointError
from .ollama_client import OllamaClient
from .openai_client import OpenAIClient
from .servers import EndpointCheck


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

