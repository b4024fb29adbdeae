"""Endpoint settings, and noticing two names for one server (field report 6)."""
import pytest

from chipvlm.plugin.core.classify.clients.endpoints import (
    EndpointConfig,
    EndpointError,
    dedupe_endpoints,
    endpoints_from_urls,
    normalized_url,
)


@pytest.mark.parametrize("a, b", [
    ("http://127.0.0.1:11434", "localhost:11434/"),
    ("http://0.0.0.0:11434/api", "http://LOCALHOST:11434"),
    ("http://10.0.0.5:11434/v1", "http://10.0.0.5:11434/v1/chat/completions"),
    ("https://gpu.example.org", "https://gpu.example.org:443/"),
])
def test_spellings_of_one_server_normalize_alike(a, b):
    assert normalized_url(a) == normalized_url(b)


def test_different_ports_are_different_servers():
    assert normalized_url("http://127.0.0.1:11434") != normalized_url("http://127.0.0.1:11435")


def test_two_endpoints_that_are_one_server_are_reported_and_used_once():
    endpoints = [EndpointConfig("gpu0", "http://127.0.0.1:11434"), EndpointConfig("gpu1", "http://localhost:11434/"),
                 EndpointConfig("gpu2", "http://127.0.0.1:11435")]
    kept, warnings = dedupe_endpoints(endpoints)
    assert [e.name for e in kept] == ["gpu0", "gpu2"]
    assert len(warnings) == 1 and "'gpu0'" in warnings[0] and "'gpu1'" in warnings[0]
    assert "same server" in warnings[0]


def test_endpoints_from_the_processing_parameter():
    endpoints = endpoints_from_urls("http://a:11434, http://b:8080/v1 ;http://c:3000/api/chat/completions",
                                    model="gemma3:27b")
    assert [e.api for e in endpoints] == ["ollama", "openai", "openai"]
    assert all(e.model == "gemma3:27b" for e in endpoints)


def test_the_api_key_is_not_shown_in_the_repr():
    endpoint = EndpointConfig("webui", "http://x:3000/api", api="openai", api_key="sk-secret")
    assert "sk-secret" not in repr(endpoint)


@pytest.mark.parametrize("kwargs, message", [
    ({"base_url": ""}, "not a server address"),
    ({"api": "grpc"}, "API kind"),
    ({"model": ""}, "no model"),
    ({"concurrency": 0}, "at least 1"),
])
def test_impossible_settings_are_refused(kwargs, message):
    values = dict(name="e", base_url="http://h:1")
    values.update(kwargs)
    with pytest.raises(EndpointError, match=message):
        EndpointConfig(**values).validate()


def test_a_sentence_about_an_endpoint_loses_only_the_name_its_caller_gives():
    from chipvlm.plugin.core.classify.clients.endpoints import without_endpoint_name
    from chipvlm.plugin.core.errors import Message

    gpu = EndpointConfig("gpu0", "http://10.0.0.5:11434", model="gemma3:27b")
    inner = Message("connection refused")
    assert without_endpoint_name(Message("{0} ({1}): {2}", "gpu0", gpu.url, inner), gpu) is inner
    assert without_endpoint_name(Message("{0}: {1}", "gpu0", inner), gpu) is inner
    other = Message("{0}: the server behind it does not answer ({1}).", "gpu0", "HTTP 502")
    assert without_endpoint_name(other, gpu) is other  # kept whole: it is still translated
    assert without_endpoint_name(Message("{0}: {1}", "gpu1", inner), gpu) == "gpu1: connection refused"
    assert without_endpoint_name("gpu0 (http://10.0.0.5:11434): timed out", gpu) == "timed out"
    assert without_endpoint_name("gpu0: timed out", gpu) == "timed out"
