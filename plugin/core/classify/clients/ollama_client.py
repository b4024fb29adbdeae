"""Ollama's native API: /api/chat (`stream` false, `format` the answer's JSON schema, the chips
base64 in the message's `images`, durations in nanoseconds), and the endpoint Test through
/api/version, /api/tags and /api/show (model present, vision capability, context length).
"""
from __future__ import annotations

from typing import List, Optional

from ...errors import Message
from ..answer import confidence
from ..request.chip_payload import ChipImage, image_token, json_body
from ..request.prompts import BatchPrompt
from .client_base import ModelClient, ModelReply
from .failures import (
    HTTP,
    MODEL_MISSING,
    OUTAGE,
    OVERLOAD,
    RequestFailedError,
    failure_meaning,
    refuses_logprobs,
)
from .servers import KIND_OPEN_WEBUI, KIND_OPEN_WEBUI_OLLAMA, EndpointCheck

# where Ollama puts the message's next image (server/prompt.go, model/renderers/image_tags.go)
IMAGE_PLACE = "[img]"


class OllamaClient(ModelClient):
    """Ollama's native API: /api/chat, /api/show, /api/tags, /api/version."""

    def chat_payload(self, prompt: BatchPrompt, images: List[ChipImage], schema: dict, tokens: bool = False) -> dict:
        """The /api/chat request; with ``tokens`` the images are placeholders for json_body().

        One user message whose text holds an ``[img]`` where each image goes: Ollama puts a message's
        images before its text unless the text places them (server/prompt.go; its renderers, Gemma 4's
        among them, keep that rule), which would put the batch's chips in front of the instructions and
        leave nothing the same from one request to the next. In this order the instructions, the
        reference examples and their images come first, identical in every request, so the server's
        prefix cache skips them; then the batch, each chip right after its fid line.
        """
        parts = [prompt.constant] if prompt.constant else []
        pictures = []
        references = self.references
        if references is not None and references.images:
            first = len(images)  # with tokens, theirs follow the batch's (see SplicedPayload)
            lines = [f"{line} {IMAGE_PLACE}" for line in references.lines]
            parts.append("\n".join([references.intro or references.text] + lines))
            pictures += [image_token(first + n) if tokens else image.base64
                         for n, image in enumerate(references.images)]
        parts.append("\n".join([prompt.batch] + [f"{line} {IMAGE_PLACE}" for line in prompt.lines]))
        pictures += [image_token(n) if tokens else image.base64 for n, image in enumerate(images)]
        payload = {
            "model": self.endpoint.model,
            "messages": [{"role": "user", "content": "\n\n".join(parts), "images": pictures}],
            "stream": False,
            "format": schema,
            # num_ctx constant per endpoint: a different one would make Ollama reload the model
            "options": {
                "temperature": 0,
                "num_ctx": int(self.endpoint.num_ctx),
                "num_predict": self.answer_limit(prompt, len(images)),
            },
            "keep_alive": self.endpoint.keep_alive,
        }
        if self.think is not None:
            payload["think"] = self.think  # false: gemma4 and other thinking models answer directly
        return self._payload_tail(payload, tokens)

    def classify(self, prompt, images, schema, on_send=None) -> ModelReply:
        url = f"{self.endpoint.url}/api/chat"
        try:
            request = json_body(self.chat_payload(prompt, images, schema, tokens=True), images)
            if on_send:
                on_send()
            data, body, elapsed = self._post_json(url, None, body=request)
        except RequestFailedError as failure:
            # an older server or a model without thinking may refuse the think flag: drop it once
            if failure.http_status == 400 and "think" in failure.message.lower() and self.think is not None:
                self.think = None
                data, body, elapsed = self._ask_again(url, prompt, images, schema)
            elif refuses_logprobs(failure) and self.endpoint.logprobs:
                self.endpoint.logprobs = False  # shared by the endpoint's workers: asked once per run
                data, body, elapsed = self._ask_again(url, prompt, images, schema)
            else:
                raise
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise RequestFailedError(HTTP, f"{self.endpoint.name}: the answer has no message content", 200, body, elapsed)
        return ModelReply.accepted(message["content"], data, body, elapsed, data.get("prompt_eval_count"),
                                   data.get("eval_count"), confidence.ollama_entries(data))

    def check(self) -> EndpointCheck:
        """The endpoint Test: version, model list, the model's capabilities and context size; each step
        goes on only when the one before found something to go on with."""
        result = EndpointCheck(name=self.endpoint.name, kind=self.server_kind)
        if self.server_kind == KIND_OPEN_WEBUI_OLLAMA:
            result.gateway_version = self._version_at(self.endpoint.url[: -len("/ollama")] + "/api/version")
        if self._check_version(result) and self._check_models(result) and self._check_model(result):
            if result.context_length and result.num_ctx > result.context_length:
                result.problems.append(Message(
                    "{0}: the model takes at most {1} tokens of context, less than the {2} asked for; fewer chips "
                    "per request fit.", result.name, result.context_length, result.num_ctx))
        return result

    def _check_version(self, result: EndpointCheck) -> bool:
        """/api/version: is an Ollama there (directly or behind a gateway)?"""
        try:
            version = self._get_json(f"{self.endpoint.url}/api/version")
        except RequestFailedError as failure:
            if failure.kind != HTTP:
                result.problems.append(failure.message)
                return False
            result.reachable = True  # something answered: say what, not "not reachable"
            if self._refused(result, failure):
                return False
            if failure_meaning(failure) in (OUTAGE, OVERLOAD):
                result.reachable = False  # a gateway answers, the model server behind it does not
                result.problems.append(Message("{0}: the server behind it does not answer ({1}).", result.name,
                                               failure.server_words))
                return False
            self._not_ollama(result, failure)
            return False
        result.version = str(version.get("version", "")) if isinstance(version, dict) else ""
        result.reachable = True
        result.num_ctx = int(self.endpoint.num_ctx)
        return True

    def _check_models(self, result: EndpointCheck) -> bool:
        """/api/tags: the models it lists."""
        try:
            tags = self._get_json(f"{self.endpoint.url}/api/tags")
            result.models = [m.get("name") or m.get("model") for m in tags.get("models", []) if isinstance(m, dict)]
            if not result.models:
                result.problems.append(Message(
                    "{0} lists no model at all (a key without access to any model, or nothing pulled yet).",
                    result.name))
        except RequestFailedError as failure:
            if self._refused(result, failure):
                return False
            if failure_meaning(failure) not in (OUTAGE, OVERLOAD):
                self._not_ollama(result, failure)  # e.g. Open WebUI's root, which has /api/version
                return False
        except AttributeError:
            pass
        return True

    def _check_model(self, result: EndpointCheck) -> bool:
        """/api/show: the model is there, reads images, and its context size."""
        model = self.endpoint.model
        try:
            shown, _, _ = self._post_json(f"{self.endpoint.url}/api/show", {"model": model}, timeout=self._quick(15))
        except RequestFailedError as failure:
            if self._refused(result, failure):
                return False
            if failure.http_status == 404 or failure_meaning(failure) == MODEL_MISSING:
                result.model_found = False
                hint = Message(" Available: {0}.", ", ".join(result.models[:20])) if result.models else ""
                result.unusable = Message(
                    "Model {0} is not on {1} ({2}); pull it with 'ollama pull {0}'.{3}", model, result.name,
                    self.endpoint.url, hint)
                result.problems.append(result.unusable)
            else:
                result.problems.append(failure.message)
            return True
        result.model_found = True
        info = shown.get("model_info") if isinstance(shown, dict) else None
        if isinstance(info, dict):
            lengths = [v for k, v in info.items() if str(k).endswith(".context_length") and isinstance(v, int)]
            result.context_length = lengths[0] if lengths else None
        capabilities = shown.get("capabilities")
        if isinstance(capabilities, list):
            result.vision = "vision" in capabilities
            if not result.vision:
                result.unusable = Message(
                    "Model {0} on {1} cannot read images (capabilities: {2}); choose a vision model such as "
                    "gemma3.", model, result.name, ", ".join(map(str, capabilities)) or "-")
                result.problems.append(result.unusable)
        return True

    def model_listed(self) -> Optional[bool]:
        try:
            tags = self._get_json(f"{self.endpoint.url}/api/tags", timeout=5.0)
            names = [m.get("name") or m.get("model") for m in tags.get("models", []) if isinstance(m, dict)]
        except (RequestFailedError, AttributeError):
            return None
        return self.endpoint.model in names

    def _not_ollama(self, result: EndpointCheck, failure: RequestFailedError) -> EndpointCheck:
        """/api/version refused: tell Open WebUI's root (a common mix-up) from anything else."""
        config = None
        try:
            config = self._get_json(f"{self.endpoint.url}/api/config")
        except RequestFailedError:
            pass
        if isinstance(config, dict) and "webui" in str(config.get("name", "")).lower().replace(" ", ""):
            result.kind = KIND_OPEN_WEBUI
            result.gateway_version = str(config.get("version", ""))
            result.unusable = Message(
                "{0} is Open WebUI, not Ollama: use {1}/ollama with the Ollama API (recommended) or {1}/api "
                "with the OpenAI API.", self.endpoint.name, self.endpoint.url)
        else:
            result.unusable = Message(
                "{0} ({1}) does not answer as Ollama's API (HTTP {2}: {3}); check the address and the API kind.",
                self.endpoint.name, self.endpoint.url, failure.http_status, "“" + failure.server_words[:80] + "”")
        result.problems.append(result.unusable)
        return result
