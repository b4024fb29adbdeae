"""Issue 8's "done when", against a real Open WebUI in front of our fake Ollama.

Through its ``/api`` (OpenAI-compatible) and ``/ollama`` (Ollama's native API, proxied) a run sends
temperature 0 and the context size to Ollama, classifies every chip right, survives the Ollama being
killed and restarted without one -1 row and without switching schema, and stops with one sentence
for a missing model. The same matrix runs on tests/fakes/open_webui.py in make test
(tests/unit/test_gateways.py).
"""
import sqlite3

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig, endpoints_from_urls
from chipvlm.plugin.core.classify.clients.factory import check_endpoint
from chipvlm.plugin.core.classify.run.engine import AllEndpointsFailedError, run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.runs import assert_no_mixup, fast_policy, make_run

FIDS = list(range(1, 26))
PATHS = ["/api", "/ollama"]


@pytest.fixture
def webui(open_webui):
    open_webui.ollama.records.clear()
    yield open_webui
    if open_webui.ollama.dead.is_set():
        open_webui.ollama.revive()


def endpoint(webui, path, **kwargs):
    (typed,) = endpoints_from_urls(webui.url + path, kwargs.pop("model", "gemma3:27b"))
    typed.api_key = webui.key
    typed.name = "webui"
    typed.timeout = 60.0
    for name, value in kwargs.items():
        setattr(typed, name, value)
    return typed


def classify(tmp_path, endpoints, **kwargs):
    index = make_run(tmp_path / "run", FIDS)
    messages = []
    policy = kwargs.pop("policy", fast_policy(pause_base=0.5, pause_max=2.0, all_dead_after=60.0,
                                              check_timeout=20.0))
    summary = run_classification(ClassifyOptions(str(index), endpoints, "yili8", policy=policy,
                                                 **kwargs), log=messages.append)
    summary.messages = messages
    return summary, tmp_path / "run" / "results.sqlite"


@pytest.mark.parametrize("path", PATHS)
def test_the_endpoint_test_says_what_is_behind(webui, path):
    check = check_endpoint(endpoint(webui, path))
    assert check.ok, check.summary()
    assert check.kind.startswith("Open WebUI") and check.gateway_version
    assert check.version == webui.ollama.version and check.vision is True and check.num_ctx == 8192
    refused = check_endpoint(EndpointConfig("webui", webui.url + path, api=endpoint(webui, path).api,
                                            api_key="sk-wrong"))
    assert refused.reachable and "key was refused" in refused.unusable, refused.summary()


@pytest.mark.parametrize("path", PATHS)
def test_temperature_0_and_num_ctx_reach_ollama_and_every_chip_is_right(webui, tmp_path, path):
    summary, store = classify(tmp_path, [endpoint(webui, path, num_ctx=12288)])
    assert summary.classified == len(FIDS) and summary.errors == 0
    assert_no_mixup(store, FIDS, webui.ollama)
    records = webui.ollama.records
    assert records and {r.options.get("temperature") for r in records} == {0}
    assert {r.options.get("num_ctx") for r in records} == {12288}
    assert {r.think for r in records} == {False}
    assert {r.schema_type for r in records} == {"object"}


@pytest.mark.parametrize("path", PATHS)
def test_ollama_killed_and_restarted_mid_run_costs_no_chip_and_no_schema_switch(webui, tmp_path, path):
    ollama = webui.ollama
    ollama.die_after(1)  # answers the first batch, then vanishes (connections refused)
    seen = []

    def log(text):
        seen.append(text)
        if "does not answer" in text and sum("does not answer" in m for m in seen) == 4 and ollama.dead.is_set():
            ollama.revive()  # after Open WebUI has said four times that its Ollama is gone

    index = make_run(tmp_path / "run", FIDS)
    summary = run_classification(ClassifyOptions(str(index), [endpoint(webui, path)], "yili8",
                                                 policy=fast_policy(pause_base=0.5, pause_max=2.0, all_dead_after=60.0,
                                                    check_timeout=20.0)), log=log)
    store = tmp_path / "run" / "results.sqlite"
    assert summary.classified == len(FIDS) and summary.errors == 0, seen
    assert_no_mixup(store, FIDS, ollama)
    con = sqlite3.connect(str(store))
    kinds = {k for (k,) in con.execute("SELECT schema_kind FROM requests")}
    failures = [e for (e,) in con.execute("SELECT error FROM requests WHERE status != 'ok'")]
    con.close()
    assert kinds == {"strict"}, seen
    assert failures, "the outage was seen"
    print(f"\n{path}: what Open WebUI said while its Ollama was away: {sorted(set(failures))}")


@pytest.mark.parametrize("path", PATHS)
def test_a_missing_model_stops_the_run_with_one_sentence(webui, tmp_path, path):
    with pytest.raises(AllEndpointsFailedError) as stopped:
        classify(tmp_path, [endpoint(webui, path, model="gemma9:missing")])
    text = str(stopped.value)
    assert "gemma9:missing" in text and text.count("webui") == 1, text
    assert not webui.ollama.records
