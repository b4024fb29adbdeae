"""Request and answer shapes of Ollama's native API and the OpenAI-compatible one, against the fake."""
import base64
import json

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.clients.factory import check_endpoint, make_client
from chipvlm.plugin.core.classify.clients.failures import (
    CONNECTION,
    HTTP,
    KEY_REFUSED,
    MODEL_MISSING,
    SCHEMA_REFUSED,
    TIMEOUT,
    RequestFailedError,
    failure_meaning,
)
from chipvlm.plugin.core.classify.clients.ollama_client import OllamaClient
from chipvlm.plugin.core.classify.clients.servers import openai_chat_url
from chipvlm.plugin.core.classify.request.chip_payload import encode_chip
from chipvlm.plugin.core.classify.request.prompts import BatchPrompt
from chipvlm.plugin.core.classify.request.schemas import (
    SIMPLE,
    STRICT,
    WITH_REASON,
    answer_schema,
    answer_token_limit,
)
from fakes.ollama import STALL, FakeModelServer
from fakes.runs import png_bytes

FIDS = [11, 12]


@pytest.fixture
def chips(tmp_path):
    images = []
    for fid in FIDS:
        path = tmp_path / f"{fid}.png"
        path.write_bytes(png_bytes(fid))
        images.append(encode_chip(str(path), fid))
    return images


def batch_prompt(images, shape=WITH_REASON):
    lines = tuple(f"Image {n}: fid={i.fid}" for n, i in enumerate(images, 1))
    return BatchPrompt(constant="classify", batch=f"{len(images)} chips", lines=lines, shape=shape)


def ask(endpoint, images, kind=STRICT):
    client = make_client(endpoint)
    try:
        schema = answer_schema(kind, [i.fid for i in images], list(range(9)))
        return client.classify(batch_prompt(images), images, schema)
    finally:
        client.close()


def test_ollama_chat_request_has_the_documented_shape(chips):
    endpoint = EndpointConfig("gpu0", "http://127.0.0.1:1", model="gemma3:27b", num_ctx=8192, num_predict=1024)
    payload = OllamaClient(endpoint).chat_payload(batch_prompt(chips), chips, {"type": "array"})
    assert payload["stream"] is False and payload["think"] is False and payload["keep_alive"] == "30m"
    assert payload["options"] == {"temperature": 0, "num_ctx": 8192, "num_predict": answer_token_limit(2)}
    assert payload["format"] == {"type": "array"}
    message = payload["messages"][0]
    # the constant text first, then each chip placed right after its fid line (Ollama's [img])
    assert message["role"] == "user"
    assert message["content"] == "classify\n\n2 chips\nImage 1: fid=11 [img]\nImage 2: fid=12 [img]"
    assert [base64.b64decode(i)[:4] for i in message["images"]] == [b"\x89PNG"] * 2


def test_ollama_answer_is_read_with_token_counts(chips):
    with FakeModelServer() as fake:
        reply = ask(EndpointConfig("gpu0", fake.url, model="gemma3:27b"), chips)
    assert json.loads(reply.text) == {"11": {"class_id": 4, "reason": "编号11的对象纹理清晰"},
                                      "12": {"class_id": 5, "reason": "编号12的对象纹理清晰"}}
    assert reply.prompt_tokens == 260 * 2 + 400 and reply.eval_tokens == 60
    record = fake.records[0]
    assert (record.api, record.fids, record.images, record.schema_type) == ("ollama", FIDS, 2, "object")
    assert record.options["temperature"] == 0 and record.think is False


def test_openai_request_sends_data_uris_next_to_their_fid_lines_and_a_json_schema(chips):
    endpoint = EndpointConfig("vllm", "http://127.0.0.1:1/v1", api="openai", model="m")
    payload = make_client(endpoint).chat_payload(batch_prompt(chips), chips, {"type": "x"})
    parts = payload["messages"][0]["content"]
    assert [p["type"] for p in parts] == ["text", "text", "text", "image_url", "text", "image_url"]
    assert [parts[0]["text"], parts[1]["text"], parts[2]["text"]] == ["classify", "2 chips", "Image 1: fid=11"]
    assert parts[3]["image_url"]["url"].startswith("data:image/png;base64,iVBOR")
    assert payload["response_format"] == {"type": "json_schema",
                                          "json_schema": {"name": "chip_classes", "schema": {"type": "x"}}}
    assert payload["temperature"] == 0 and payload["stream"] is False


@pytest.mark.parametrize("base, url", [
    ("http://h:11434/v1", "http://h:11434/v1/chat/completions"),
    ("http://h:3000/api", "http://h:3000/api/chat/completions"),
    ("http://h:8000", "http://h:8000/v1/chat/completions"),
    ("http://h:8000/v1/chat/completions/", "http://h:8000/v1/chat/completions"),
])
def test_openai_chat_url_from_what_users_paste(base, url):
    assert openai_chat_url(base) == url


def test_open_webui_needs_the_bearer_key_which_is_sent_but_never_in_errors(chips):
    with FakeModelServer(api_key="sk-123") as fake:
        good = EndpointConfig("webui", fake.url + "/api", api="openai", model="gemma3:27b", api_key="sk-123")
        reply = ask(good, chips, SIMPLE)
        assert [item["fid"] for item in json.loads(reply.text)] == FIDS
        assert fake.records[-1].path == "/api/chat/completions"
        assert fake.records[-1].authorization == "Bearer sk-123"
        bad = EndpointConfig("webui", fake.url + "/api", api="openai", model="gemma3:27b", api_key="sk-wrong")
        with pytest.raises(RequestFailedError) as failed:
            ask(bad, chips, SIMPLE)
    assert failed.value.http_status == 401 and failure_meaning(failed.value) == KEY_REFUSED
    assert "sk-wrong" not in str(failed.value)


def test_unknown_model_is_a_404_read_as_a_missing_model(chips):
    with FakeModelServer(model="gemma3:27b") as fake:
        with pytest.raises(RequestFailedError) as failed:
            ask(EndpointConfig("gpu0", fake.url, model="gemma9"), chips)
    assert failed.value.kind == HTTP and failed.value.http_status == 404
    assert failure_meaning(failed.value) == MODEL_MISSING
    assert "not found" in failed.value.message


def test_strict_schema_rejection_is_read_as_a_refused_schema(chips):
    with FakeModelServer(rejects_strict_schema=True) as fake:
        endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b")
        with pytest.raises(RequestFailedError) as failed:
            ask(endpoint, chips, STRICT)
        assert failed.value.http_status == 500 and failure_meaning(failed.value, strict_schema=True) == SCHEMA_REFUSED
        assert json.loads(ask(endpoint, chips, SIMPLE).text)[0]["fid"] == 11


def test_a_stall_past_the_timeout_and_a_refused_connection(chips):
    with FakeModelServer(stall_seconds=3) as fake:
        fake.add_rule(STALL)
        with pytest.raises(RequestFailedError) as failed:
            ask(EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=0.3), chips)
        assert failed.value.kind == TIMEOUT
    with pytest.raises(RequestFailedError) as refused:
        ask(EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=1), chips)
    assert refused.value.kind == CONNECTION


def test_endpoint_test_reports_version_model_and_vision():
    with FakeModelServer(model="gemma3:27b", version="0.12.6") as fake:
        check = check_endpoint(EndpointConfig("gpu0", fake.url, model="gemma3:27b"))
        assert check.ok and check.version == "0.12.6" and check.model_found and check.vision
        assert "gemma3:27b" in check.models and "vision capability: yes" in check.summary()
        missing = check_endpoint(EndpointConfig("gpu0", fake.url, model="llava:7b"))
        assert not missing.ok and missing.model_found is False and "ollama pull llava:7b" in missing.unusable
        via_v1 = check_endpoint(EndpointConfig("gpu0", fake.url + "/v1", api="openai", model="gemma3:27b"))
        assert via_v1.ok and via_v1.model_found and via_v1.vision and via_v1.version == "0.12.6"
    with FakeModelServer(model="llama3:8b", vision=False) as text_only:
        blind = check_endpoint(EndpointConfig("gpu0", text_only.url, model="llama3:8b"))
        assert blind.vision is False and "cannot read images" in blind.unusable
    down = check_endpoint(EndpointConfig("gpu0", text_only.url, model="llama3:8b", timeout=1))
    assert not down.reachable and "not reachable" in down.summary()


def test_a_tiff_chip_is_converted_to_png(tmp_path):
    from PIL import Image

    path = tmp_path / "chip.tif"
    Image.new("RGB", (8, 8), (10, 20, 30)).save(path)
    image = encode_chip(str(path), 3)
    assert image.mime == "image/png" and base64.b64decode(image.base64)[:4] == b"\x89PNG"


def test_the_endpoint_test_of_a_silent_host_gives_up_within_the_endpoints_timeout():
    import socket
    import time

    silent = socket.socket()  # accepts connections (the kernel's backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        url = "http://127.0.0.1:%d" % silent.getsockname()[1]
        started = time.monotonic()
        check = check_endpoint(EndpointConfig("gpu0", url, model="gemma3:27b", timeout=1))
        took = time.monotonic() - started
    finally:
        silent.close()
    assert not check.reachable and "no answer within 1 s" in check.summary()
    assert took < 4, f"a 1 s timeout took {took:.1f} s"


@pytest.mark.parametrize("api", ["ollama", "openai"])
def test_every_request_starts_with_the_same_instructions_and_asks_a_bounded_answer(tmp_path, api):
    from chipvlm.plugin.core.classify.request.prompts import load_template
    from chipvlm.plugin.core.schemes import load_scheme
    from fakes.ollama import shared_prefix

    scheme = load_scheme("yili8")
    template = load_template(scheme)
    batches = [[21, 22, 23], [31, 32]]
    with FakeModelServer() as fake:
        url = fake.url + ("/v1" if api == "openai" else "")
        client = make_client(EndpointConfig("gpu0", url, api=api, model="gemma3:27b"))
        for fids in batches:
            images = []
            for fid in fids:
                path = tmp_path / f"{fid}.png"
                path.write_bytes(png_bytes(fid))
                images.append(encode_chip(str(path), fid))
            client.classify(template.render(fids, scheme, STRICT), images, answer_schema(STRICT, fids, scheme.answerable_ids))
        client.close()
    first, second = fake.records
    constant = template.render(batches[0], scheme, STRICT).constant
    # the model sees the instructions first, not the chips (Ollama prefixes images a text does not place)
    assert first.rendered.startswith(constant) and second.rendered.startswith(constant)
    shared = shared_prefix(first.rendered, second.rendered)
    assert len(shared) >= len(constant) and "<image:" not in shared and "fid=" not in shared
    # each chip right after its own fid line
    assert "fid=21 <image:" in first.rendered.replace("\n", " ") and first.rendered.count("<image:") == 3
    assert [r.answer_limit for r in fake.records] == [answer_token_limit(3), answer_token_limit(2)]
