"""make_client (the client of an endpoint's API kind) and check_endpoint (the endpoint Test).

A client does one request and says exactly what happened: a ModelReply, or RequestFailedError with a
kind (connection, timeout, http) the dispatcher uses to decide between retrying elsewhere, pausing
the endpoint, falling back to the simple schema, or splitting the batch. The API key goes into the
Authorization header only; it is never part of an error message or a log.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from typing import Dict, Optional, Sequence

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


def check_all(endpoints: Sequence[EndpointConfig], timeout: float = 10.0) -> Dict[str, EndpointCheck]:
    """The check at a run's start: every endpoint at once (one thread each), each within ``timeout``."""
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
