"""Gateways as they really behave (issue 8), through the real engine against fakes over HTTP.

Open WebUI in front of Ollama (tests/fakes/open_webui.py forwards as the real 0.12.4 does), Ollama's
own /v1, a server that cuts prompts longer than its context, a chip the server cannot decode (issue 7
point 8), a gateway whose Ollama dies and comes back. The same matrix runs against a real Open WebUI
in tests/gateways/ (make test-gateways).
"""
import sqlite3

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import (
    API_OLLAMA,
    API_OPENAI,
    EndpointConfig,
    EndpointError,
    dedupe_endpoints,
    endpoints_from_urls,
)
from chipvlm.plugin.core.classify.clients.factory import check_endpoint
from chipvlm.plugin.core.classify.run.engine import AllEndpointsFailedError, run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.ollama import COUNT_OMITTED, COUNT_UNCACHED, FakeModelServer
from fakes.open_webui import FakeOpenWebUI
from fakes.runs import assert_no_mixup, fast_policy, make_run

KEY = "sk-chipvlm-gateway-test"
FIDS = list(range(1, 31))


@pytest.fixture
def run(tmp_path):
    index = make_run(tmp_path / "run", FIDS)

    def classify(*endpoints, policy=None, is_canceled=None, **options):
        messages = []
        summary = run_classification(ClassifyOptions(str(index), list(endpoints), "yili8",
                                                     policy=policy or fast_policy(), **options),
                                     is_canceled=is_canceled, log=messages.append)
        summary.messages = messages
        return summary

    classify.store = tmp_path / "run" / "results.sqlite"
    classify.index = index
    return classify


def requests_log(store_path):
    con = sqlite3.connect(str(store_path))
    try:
        return [dict(zip(("status", "schema_kind", "error", "http_status"), row)) for row in con.execute(
            "SELECT status, schema_kind, error, http_status FROM requests ORDER BY id")]
    finally:
        con.close()


def webui_api(gateway, **kwargs):
    return EndpointConfig("webui", gateway.url + "/api", api=API_OPENAI, api_key=KEY, **kwargs)


def webui_ollama(gateway, **kwargs):
    return EndpointConfig("webui", gateway.url + "/ollama", api=API_OLLAMA, api_key=KEY, **kwargs)


# -- settings the server honours, in the form it forwards ----------------------------------------------
@pytest.mark.parametrize("path", ["/api", "/ollama"])
def test_temperature_0_and_the_context_size_reach_ollama_through_open_webui(run, path):
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        endpoint = (webui_api if path == "/api" else webui_ollama)(gateway, num_ctx=12288, num_predict=300)
        summary = run(endpoint)
    assert_no_mixup(run.store, FIDS, ollama)
    assert summary.classified == 30
    assert ollama.records and all(r.options.get("temperature") == 0 for r in ollama.records), \
        "Open WebUI drops a top-level temperature: it must come inside options"
    assert {r.options.get("num_ctx") for r in ollama.records} == {12288}
    # the endpoint's num_predict is the ceiling of the bounded answer (856 tokens for 10 chips)
    assert {r.options.get("num_predict") for r in ollama.records} == {300}
    assert {r.think for r in ollama.records} == {False} and {r.keep_alive for r in ollama.records} == {"30m"}
    assert {r.schema_type for r in ollama.records} == {"object"}, "the strict schema arrives as format"
    assert not any("context size" in m for m in summary.messages), "this path takes num_ctx: nothing to say"


def test_a_server_that_cannot_be_told_the_context_size_is_named_once_in_the_log(run):
    with FakeModelServer() as ollama:
        endpoint = EndpointConfig("v1", ollama.url + "/v1", api=API_OPENAI)
        summary = run(endpoint, batch_size=5)
    assert_no_mixup(run.store, FIDS, ollama)
    notes = [m for m in summary.messages if "cannot be told the context size" in m]
    assert len(notes) == 1 and "OLLAMA_CONTEXT_LENGTH" in notes[0]
    assert all(r.options.get("temperature") == 0 for r in ollama.records)


def test_an_answer_to_a_prompt_cut_by_a_too_small_num_ctx_is_not_accepted(run):
    # 10 chips cost about 2,600 image tokens + the prompt (3,540 as the fake counts): more than 2600, so
    # Ollama cuts the prompt to 2600; 5 chips (about 2,160) fit
    with FakeModelServer(context_window=4096) as ollama:
        summary = run(EndpointConfig("small", ollama.url, num_ctx=2600))
    rows = assert_no_mixup(run.store, FIDS, ollama)
    assert all(class_id > 0 for class_id, _, _ in rows.values())
    log = requests_log(run.store)
    cut = [r for r in log if r["status"] == "invalid"]
    assert len(cut) == 3 and all(r["error"].startswith("prompt truncated: num_ctx too small") for r in cut)
    assert {len(r.fids) for r in ollama.records} == {10, 5}, "cut batches are split, halves fit"
    assert sum("cut the prompt short" in m for m in summary.messages) == 1


def test_a_chip_alone_that_does_not_fit_the_context_ends_as_an_error_saying_so(run):
    with FakeModelServer(context_window=4096) as ollama:
        summary = run(EndpointConfig("tiny", ollama.url, num_ctx=300), limit=2, batch_size=2)
    assert summary.errors == 2 and summary.classified == 0
    con = sqlite3.connect(str(run.store))
    reasons = [r[0] for r in con.execute("SELECT error FROM results")]  # an error row's detail
    con.close()
    assert all("prompt truncated: num_ctx too small" in r for r in reasons)


@pytest.mark.parametrize("counting", [COUNT_UNCACHED, COUNT_OMITTED])
def test_a_server_that_counts_only_what_its_cache_did_not_hold_fails_no_batch(run, counting):
    """Issue 17 point 2: a batch split after a bad answer starts with the images of the batch before
    it, which the cache holds: Ollama 0.30.x counts only the rest (a third of our estimate), older
    Ollama gives no count. Neither is a cut prompt."""
    with FakeModelServer(prompt_count=counting) as ollama:
        ollama.add_rule("invalid_json", times=1, fids={1})
        summary = run(EndpointConfig("gpu0", ollama.url, num_ctx=8192))
    assert_no_mixup(run.store, FIDS, ollama)
    assert summary.classified == 30 and summary.errors == 0
    assert not any(r["status"] == "invalid" and "truncated" in (r["error"] or "") for r in requests_log(run.store))
    low = [m for m in summary.messages if "prompt cache did not hold" in m]
    assert len(low) == (1 if counting == COUNT_UNCACHED else 0), "a low count is said once per endpoint"


def test_a_server_that_says_it_cut_the_prompt_is_believed_whatever_it_counts(run):
    """llama-server (its own context, which a request cannot set) says ``truncated``; with a prefix
    cache its count says nothing."""
    with FakeModelServer(owned_by="llamacpp", context_window=2600, says_when_cut=True,
                         prompt_count=COUNT_UNCACHED) as server:
        summary = run(EndpointConfig("llama", server.url + "/v1", api=API_OPENAI))
    assert_no_mixup(run.store, FIDS, server)
    cut = [r for r in requests_log(run.store) if r["status"] == "invalid"]
    assert len(cut) == 3 and all(r["error"].startswith("prompt truncated") for r in cut)
    assert {len(r.fids) for r in server.records} == {10, 5} and summary.classified == 30


# -- errors by what they mean ------------------------------------------------------------------------
def test_one_chip_the_server_cannot_decode_is_isolated_without_pauses_or_schema_switch(run):
    """Issue 7 point 8: 30 chips and one broken image cost 9 requests, not minutes of pauses."""
    with FakeModelServer(image_error={13}) as ollama:
        summary = run(EndpointConfig("gpu0", ollama.url), policy=fast_policy(pause_base=30.0, pause_max=30.0))
    rows = assert_no_mixup(run.store, FIDS, ollama, allow_errors={13})
    assert rows[13][0] == -1 and "could not read this chip's image" in rows[13][1]
    log = requests_log(run.store)
    # 3 batches; 11-20 halved to 11-15, 11-13, 13: 4 refused, 5 answered
    assert len(log) == 9 and sum(r["status"] == "http_error" for r in log) == 4
    assert {r["schema_kind"] for r in log} == {"strict"}, "an image error is no reason to drop the schema"
    assert not any("paused" in m or "simple schema" in m for m in summary.messages)


def test_ollama_killed_and_restarted_behind_open_webui_costs_no_chip(run):
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        calls = {"chats": 0, "after_kill": 0}
        original = gateway.backend

        def backend(method, path, body=None, timeout=30.0):
            calls["chats"] += path == "/api/chat"
            if calls["chats"] == 2 and not calls["after_kill"]:
                ollama.kill()  # between two batches: connections refused from now on
            if ollama.dead.is_set():
                calls["after_kill"] += 1
                if calls["after_kill"] == 5:
                    # Open WebUI has answered 500 "Cannot connect" twice, then 400 "was not found"
                    ollama.revive()
            return original(method, path, body, timeout)

        gateway.backend = backend
        summary = run(webui_api(gateway), policy=fast_policy(pause_base=0.05, pause_max=0.1, all_dead_after=30.0))
        words = [r["error"] for r in requests_log(run.store) if r["status"] != "ok"]
    assert_no_mixup(run.store, FIDS, ollama)
    assert summary.classified == 30 and summary.errors == 0, "an outage never costs a chip"
    assert any("Cannot connect to host" in w for w in words) and any("was not found" in w for w in words)
    assert {r["schema_kind"] for r in requests_log(run.store)} == {"strict"}
    assert not any("simple schema" in m or "left out" in m for m in summary.messages)


def test_when_the_ollama_behind_every_gateway_stays_dead_the_run_stops(run):
    """The all-endpoints-dead stop fires even though the gateway answers (500, then 400) at once."""
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        ollama.die_after(1)
        asked = {"n": 0}

        def too_many():  # a safety net, not the test: the run must stop by itself long before
            asked["n"] = len(gateway.forwarded)
            return asked["n"] > 300

        with pytest.raises(AllEndpointsFailedError, match="no endpoint has answered") as stopped:
            run(webui_api(gateway), policy=fast_policy(pause_base=0.01, pause_max=0.02, all_dead_after=1.0),
                is_canceled=too_many)
    assert not stopped.value.summary.canceled
    con = sqlite3.connect(str(run.store))
    assert con.execute("SELECT COUNT(*) FROM results WHERE class_id = -1").fetchone()[0] == 0
    con.close()


def test_a_missing_model_behind_open_webui_refuses_the_run_in_one_sentence(run):
    with FakeModelServer(model="other:1b") as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        with pytest.raises(AllEndpointsFailedError) as stopped:
            run(webui_api(gateway))
    text = str(stopped.value)
    assert "Model gemma3:27b is not on webui" in text and "other:1b" in text
    assert text.count("webui") == 1, text
    assert not ollama.records, "nothing was sent"


def test_a_model_removed_mid_run_drops_the_endpoint_and_stops_the_run_with_that_sentence(run):
    with FakeModelServer(delay=0.02) as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        original = gateway.backend

        def backend(method, path, body=None, timeout=30.0):
            if path == "/api/chat" and len(gateway.forwarded) >= 2:
                ollama.model = "removed"  # deleted on the server while we run
            return original(method, path, body, timeout)

        gateway.backend = backend
        with pytest.raises(AllEndpointsFailedError) as stopped:
            run(webui_api(gateway))
    text = str(stopped.value)
    assert "every endpoint is out of the run: webui: model gemma3:27b is not available there" in text
    con = sqlite3.connect(str(run.store))
    assert con.execute("SELECT COUNT(*) FROM results WHERE class_id = -1").fetchone()[0] == 0
    con.close()


def test_a_request_the_server_refuses_for_another_reason_stops_the_run_with_its_words(run):
    with FakeModelServer() as ollama:
        ollama.refuse_with = "invalid message role: expected one of system, user, assistant, tool"
        with pytest.raises(AllEndpointsFailedError) as stopped:
            run(EndpointConfig("gpu0", ollama.url))
    assert "gpu0 refused the request (HTTP 400): “invalid message role" in str(stopped.value)
    assert stopped.value.summary.errors == 0


# -- the endpoint Test -------------------------------------------------------------------------------
def test_the_test_through_open_webui_api_says_kind_versions_model_vision_and_context():
    with FakeModelServer(version="0.12.6") as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        check = check_endpoint(webui_api(gateway))
    assert check.ok and check.kind == "Open WebUI (/api)" and check.gateway_version == "0.12.4"
    assert check.version == "0.12.6" and check.model_found is True and check.vision is True
    assert check.num_ctx == 8192
    summary = check.summary()
    assert "Open WebUI (/api) 0.12.4" in summary and "server version 0.12.6" in summary and "context 8192" in summary


def test_the_test_through_open_webui_ollama_proxy():
    with FakeModelServer(version="0.12.6") as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        check = check_endpoint(webui_ollama(gateway))
        refused = check_endpoint(EndpointConfig("webui", gateway.url + "/ollama", api_key="sk-wrong"))
        missing = check_endpoint(webui_ollama(gateway, model="nope:1b"))
    assert check.ok and check.kind.startswith("Open WebUI (/ollama") and check.gateway_version == "0.12.4"
    assert check.version == "0.12.6" and check.vision is True
    assert refused.reachable and not refused.ok and "key was refused" in refused.unusable
    assert "not reachable" not in refused.summary() and refused.summary().count("webui") == 1
    assert missing.model_found is False and missing.unusable


def test_an_empty_model_list_warns_and_makes_the_endpoint_unusable():
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        gateway.models = []  # a key that sees no model
        gateway.refresh_models = lambda: []
        check = check_endpoint(webui_api(gateway))
    assert check.model_found is False and "lists no model at all" in check.unusable


def test_open_webui_root_typed_as_ollama_is_recognised():
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        check = check_endpoint(EndpointConfig("webui", gateway.url, api_key=KEY))
    assert not check.ok and f"use {gateway.url}/ollama" in check.unusable


# -- addresses ---------------------------------------------------------------------------------------
def test_an_api_url_is_open_webuis_openai_api_and_ollama_is_its_native_proxy(run):
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        api, native = endpoints_from_urls(f"{gateway.url}/api, {gateway.url}/ollama", "gemma3:27b")
        assert api.api == API_OPENAI and native.api == API_OLLAMA
        api.api_key = native.api_key = KEY
        assert check_endpoint(api).ok and check_endpoint(native).ok
    assert not any("/api/api/" in f.path for f in gateway.forwarded)


def test_the_two_paths_of_one_open_webui_are_one_server():
    endpoints = endpoints_from_urls("http://h:3000/api, http://h:3000/ollama", "gemma3:27b")
    kept, warnings = dedupe_endpoints(endpoints)
    assert len(kept) == 1 and len(warnings) == 1


def test_a_run_refuses_an_endpoint_whose_key_is_damaged_without_showing_it(run):
    secret = "sk-abc\ndef"
    with pytest.raises(EndpointError) as refused:
        run(EndpointConfig("webui", "http://127.0.0.1:9", api=API_OPENAI, api_key=secret))
    assert "line breaks" in str(refused.value) and "sk-abc" not in str(refused.value)


@pytest.mark.parametrize("owned_by, kind, context", [
    ("vllm", "vLLM", 16384),
    ("llamacpp", "llama.cpp server", 16384),
    ("library", "Ollama (OpenAI-compatible /v1)", None),
])
def test_openai_compatible_servers_are_known_by_their_behaviour(run, owned_by, kind, context):
    with FakeModelServer(owned_by=owned_by) as server:
        endpoint = EndpointConfig("srv", server.url + "/v1", api=API_OPENAI)
        check = check_endpoint(endpoint)
        summary = run(endpoint, limit=10)
    assert check.ok and check.kind == kind and check.context_length == context
    assert check.num_ctx is None, "these servers take no num_ctx with a request"
    assert summary.classified == 10
    notes = [m for m in summary.messages if "cannot be told the context size" in m]
    assert len(notes) == 1 and kind in notes[0]


@pytest.mark.parametrize("url, api, kind", [
    ("http://gw:4000/v1", API_OPENAI, "LiteLLM proxy"),  # LiteLLM's model list says only "openai"
    ("http://gpu:11434/v1", API_OPENAI, "Ollama (OpenAI-compatible /v1)"),
    ("http://webui:3000/api", API_OPENAI, "Open WebUI (/api)"),
    ("http://webui:3000/ollama", API_OLLAMA, "Open WebUI (/ollama proxy of Ollama)"),
    ("http://gpu:11434", API_OLLAMA, "Ollama"),
    ("http://gpu:8000/v1", API_OPENAI, "OpenAI-compatible server"),
])
def test_the_first_guess_from_the_address(url, api, kind):
    from chipvlm.plugin.core.classify.clients.servers import context_note, kind_from_url

    assert kind_from_url(url, api) == kind
    assert bool(context_note("x", kind, 8192)) == (kind not in ("Ollama", "Open WebUI (/api)",
                                                               "Open WebUI (/ollama proxy of Ollama)"))


def test_credentials_in_a_url_never_reach_a_name_or_an_address():
    typed = endpoints_from_urls("http://chip:pw-1@h:3000/api, chip:pw-2@h2:11434", "gemma3:27b")
    assert [(e.name, e.base_url) for e in typed] == [("h:3000", "http://h:3000/api"), ("h2:11434", "h2:11434")]
    saved = EndpointConfig("http://chip:pw-3@h:3000", "http://chip:pw-3@h:3000/ollama")
    assert "pw-3" not in saved.name + saved.base_url + saved.url + repr(saved)
    assert EndpointConfig("gpu@lab", "http://h:11434").name == "gpu@lab", "a name is only cleaned of URLs"


@pytest.mark.parametrize("path", ["/api", "/ollama"])
def test_a_wrong_key_stops_the_run_in_one_sentence_naming_the_endpoint_once(run, path):
    with FakeModelServer() as ollama, FakeOpenWebUI(ollama.url, api_key=KEY) as gateway:
        wrong = (webui_api if path == "/api" else webui_ollama)(gateway)
        wrong.api_key = "sk-not-the-key"
        with pytest.raises(AllEndpointsFailedError) as stopped:
            run(wrong)
    text = str(stopped.value)
    assert "the API key was refused (HTTP 401)" in text and text.count("webui") == 1, text
    assert "sk-not-the-key" not in text and not ollama.records
