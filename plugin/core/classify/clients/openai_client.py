"""OpenAI-compatible chat completions (Ollama's /v1, vLLM, llama.cpp, LiteLLM, Open WebUI's /api):
images only as base64 data URIs, `response_format` json_schema, log-probabilities where the server
gives them (and retried without them where it refuses them), and the endpoint Test through the
server's model list, which also tells which server kind answers.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional

from ...errors import Message
from ..answer import confidence
from ..request.chip_payload import ChipImage, image_token, json_body
from ..request.prompts import BatchPrompt
from .client_base import ModelClient, ModelReply
from .endpoints import API_OLLAMA
from .failures import HTTP, RequestFailedError, refuses_logprobs
from .ollama_client import OllamaClient
from .servers import (
    KIND_LITELLM,
    KIND_LLAMA_CPP,
    KIND_OLLAMA_V1,
    KIND_OPEN_WEBUI,
    KIND_VLLM,
    TAKES_NUM_CTX,
    EndpointCheck,
    openai_chat_url,
)


def _image_parts(lines: List[str], images: List[ChipImage], first_token: Optional[int]) -> List[dict]:
    """Each image right after its line; with ``first_token`` the images are tokens from that number on."""
    parts = []
    for n, (line, image) in enumerate(zip(lines, images)):
        data = image.base64 if first_token is None else image_token(first_token + n)
        parts.append({"type": "text", "text": line})
        parts.append({"type": "image_url", "image_url": {"url": f"data:{image.mime};base64,{data}"}})
    return parts


class OpenAIClient(ModelClient):
    """OpenAI-compatible chat completions (Ollama's /v1, vLLM, llama.cpp, Open WebUI's /api)."""

    def chat_payload(self, prompt: BatchPrompt, images: List[ChipImage], schema: dict, tokens: bool = False) -> dict:
        """Content parts in the order a prefix cache can reuse: the constant text, the reference
        examples (each line right before its image), then the batch's text and its chips, each right
        after its fid line. One user message: chat templates such as Gemma's refuse two user messages
        in a row; a gateway that merges text parts and images (Open WebUI's /api) keeps the order of
        each, but then nothing is reused (see docs/benchmarks.md)."""
        content = [{"type": "text", "text": prompt.constant}] if prompt.constant else []
        references = self.references
        if references is not None and references.images:
            first = len(images)
            content.append({"type": "text", "text": references.intro or references.text})
            content += _image_parts(references.lines, references.images, first if tokens else None)
        content.append({"type": "text", "text": prompt.batch})
        content += _image_parts(prompt.lines, images, 0 if tokens else None)
        payload = {
            "model": self.endpoint.model,
            "messages": [{"role": "user", "content": content}],
            "stream": False,
            "temperature": 0,
            "max_tokens": self.answer_limit(prompt, len(images)),
            "response_format": {"type": "json_schema", "json_schema": {"name": "chip_classes", "schema": schema}},
        }
        if self.send_options:
            # Open WebUI's /api drops a top-level temperature and forwards only ``options`` to its
            # Ollama (keep_alive is lifted out of it there); vLLM and llama.cpp ignore the field
            payload["options"] = {
                "temperature": 0,
                "num_ctx": int(self.endpoint.num_ctx),
                "num_predict": self.answer_limit(prompt, len(images)),
                "keep_alive": self.endpoint.keep_alive,
            }
            if self.think is not None:
                payload["options"]["think"] = self.think  # lifted to Ollama's top level by Open WebUI
        return self._payload_tail(payload, tokens)

    send_options = True  # set False once a server refuses the ``options`` field

    def classify(self, prompt, images, schema, on_send=None) -> ModelReply:
        url = openai_chat_url(self.endpoint.url)
        request = json_body(self.chat_payload(prompt, images, schema, tokens=True), images)
        if on_send:
            on_send()
        try:
            data, body, elapsed = self._post_json(url, None, body=request)
        except RequestFailedError as failure:
            # a strict server (an OpenAI-like proxy) may refuse fields it does not know: drop them once
            words = failure.server_words.lower()
            refused_think = "think" in words and self.think is not None and self.send_options
            if failure.http_status in (400, 422) and refused_think:
                self.think = None  # a model without thinking may refuse the flag: drop it once
                data, body, elapsed = self._ask_again(url, prompt, images, schema)
            elif failure.http_status in (400, 422) and "options" in words and self.send_options:
                self.send_options = False
                data, body, elapsed = self._ask_again(url, prompt, images, schema)
            elif refuses_logprobs(failure) and self.endpoint.logprobs:
                self.endpoint.logprobs = False  # shared by the endpoint's workers: asked once per run
                data, body, elapsed = self._ask_again(url, prompt, images, schema)
            else:
                raise
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            text = None
        if not isinstance(text, str):
            raise RequestFailedError(HTTP, f"{self.endpoint.name}: the answer has no choices[0].message.content",
                                200, body, elapsed)
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        return ModelReply.accepted(text, data, body, elapsed, usage.get("prompt_tokens"),
                                   usage.get("completion_tokens"), confidence.openai_entries(data))

    def check(self) -> EndpointCheck:
        name, model = self.endpoint.name, self.endpoint.model
        result = EndpointCheck(name=name, kind=self.server_kind)
        api_root = openai_chat_url(self.endpoint.url)[: -len("/chat/completions")]  # .../v1 or .../api
        root = api_root.rsplit("/", 1)[0]
        try:
            listing = self._get_json(api_root + "/models")
        except RequestFailedError as failure:
            if failure.kind == HTTP:
                result.reachable = True  # the server answered, only not this
            if not self._refused(result, failure):
                result.problems.append(failure.message)
            return result
        result.reachable = True
        items = listing.get("data", []) if isinstance(listing, dict) else []
        items = [m for m in items if isinstance(m, dict) and m.get("id")]
        result.models = [str(m.get("id")) for m in items]
        mine = next((m for m in items if str(m.get("id")) == model), None)
        self._recognise(result, items, root)
        self.server_kind = result.kind
        if not result.models:
            result.model_found = False
            result.unusable = Message(
                "{0} lists no model at all, so {1} cannot be used: does this API key have access to it (Open "
                "WebUI: the model's access settings)?", name, model)
            result.problems.append(result.unusable)
        elif mine is None:
            result.model_found = False
            result.unusable = Message(
                "Model {0} is not on {1}; available: {2}.", model, name, ", ".join(result.models[:20]))
            result.problems.append(result.unusable)
        else:
            result.model_found = True
            self._details(result, mine, root)
        if result.kind in TAKES_NUM_CTX:
            result.num_ctx = int(self.endpoint.num_ctx)
        return result

    def model_listed(self) -> Optional[bool]:
        api_root = openai_chat_url(self.endpoint.url)[: -len("/chat/completions")]
        try:
            listing = self._get_json(api_root + "/models", timeout=5.0)
            ids = [str(m.get("id")) for m in listing.get("data", []) if isinstance(m, dict)]
        except (RequestFailedError, AttributeError):
            return None
        return self.endpoint.model in ids

    def _recognise(self, result: EndpointCheck, items: List[dict], root: str) -> None:
        """Which server this is, from what its model list says and from the paths it answers."""
        owners = {str(m.get("owned_by", "")).lower() for m in items}
        # Open WebUI's entries carry the backend's own entry ("ollama") and a "connection_type"
        if result.kind == KIND_OPEN_WEBUI or any("ollama" in m or "connection_type" in m for m in items):
            result.kind = KIND_OPEN_WEBUI
            result.gateway_version = self._version_at(root + "/api/version")
            return
        if "vllm" in owners:
            result.kind = KIND_VLLM
            result.version = self._version_at(root + "/version")
        elif "llamacpp" in owners or "llama.cpp" in owners:
            result.kind = KIND_LLAMA_CPP
        elif owners & {"library", "ollama"} or result.kind == KIND_OLLAMA_V1:
            version = self._version_at(root + "/api/version")
            if version:
                result.kind, result.version = KIND_OLLAMA_V1, version
        elif "litellm" in owners or result.kind == KIND_LITELLM:
            result.kind = KIND_LITELLM

    def _details(self, result: EndpointCheck, item: dict, root: str) -> None:
        """Vision and context size, from the model's entry or the native API behind the server."""
        if isinstance(item.get("max_model_len"), int):  # vLLM
            result.context_length = item["max_model_len"]
        meta = (item.get("info") or {}).get("meta") if isinstance(item.get("info"), dict) else None
        capabilities = (meta or {}).get("capabilities") if isinstance(meta, dict) else None
        if isinstance(capabilities, dict) and "vision" in capabilities:
            result.vision = bool(capabilities["vision"])
        native_base = {KIND_OPEN_WEBUI: root + "/ollama", KIND_OLLAMA_V1: root}.get(result.kind)
        if native_base:
            self._native_details(result, native_base)
        elif result.kind == KIND_LLAMA_CPP:
            self._llama_cpp_details(result, root)
        if result.vision is False:
            result.unusable = (
                f"Model {self.endpoint.model} on {self.endpoint.name} cannot read images; choose a vision model "
                f"such as gemma3."
            )
            result.problems.append(result.unusable)

    def _native_details(self, result: EndpointCheck, native_base: str) -> None:
        """Open WebUI's /ollama and Ollama's own root answer /api/show with the same key."""
        native = OllamaClient(replace(self.endpoint, base_url=native_base, api=API_OLLAMA), self.session)
        try:
            shown, _, _ = native._post_json(f"{native_base}/api/show", {"model": self.endpoint.model},
                                           timeout=self._quick(15))
            capabilities = shown.get("capabilities")
            if isinstance(capabilities, list):
                result.vision = "vision" in capabilities
            info = shown.get("model_info")
            if isinstance(info, dict):
                lengths = [v for k, v in info.items() if str(k).endswith(".context_length") and isinstance(v, int)]
                result.context_length = lengths[0] if lengths else result.context_length
        except (RequestFailedError, AttributeError):
            pass
        if result.kind == KIND_OPEN_WEBUI and not result.version:
            result.version = native._version_at(native_base + "/api/version")

    def _llama_cpp_details(self, result: EndpointCheck, root: str) -> None:
        """llama.cpp's server says its context size and modalities at /props."""
        try:
            props = self._get_json(root + "/props", timeout=5.0)
            settings = props.get("default_generation_settings") if isinstance(props, dict) else None
            if isinstance(settings, dict) and isinstance(settings.get("n_ctx"), int):
                result.context_length = settings["n_ctx"]
            if isinstance(props.get("modalities"), dict):
                result.vision = bool(props["modalities"].get("vision"))
        except (RequestFailedError, AttributeError):
            pass
