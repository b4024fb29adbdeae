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
"""
from __future__ import annotations

import base64
import io
import json
import re
import time
from dataclasses import dataclass, field, replace
from typing import Callable, List, Optional

import requests

from . import confidence, transport
from .endpoints import API_OLLAMA, API_OPENAI, EndpointConfig, normalized_url

CONNECTION = "connection"
TIMEOUT = "timeout"
HTTP = "http"

# a chip is at most a few thousand pixels a side: more is a decompression bomb, not a chip
MAX_CHIP_PIXELS = 4096 * 4096
MAX_CHIP_BYTES = 64 * 1024 * 1024
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_JPEG_END = b"\xff\xd9"


class ChipImageError(ValueError):
    """A chip file that is not a complete image we may send; the message says why."""


@dataclass(frozen=True)
class ChipImage:
    fid: int
    encoded: bytes  # base64, ASCII
    mime: str

    @property
    def base64(self) -> str:
        return self.encoded.decode("ascii")


def encode_chip(path: str, fid: int) -> ChipImage:
    """A chip as base64, after Pillow decoded every pixel of it; what is sent is what was decoded.

    A PNG or JPEG that decodes fully and ends where its image ends (IEND, EOI) is sent as its own
    bytes: re-encoding a 512 px chip would cost 20-30 ms of CPU against 4-5 ms for the decode
    (measured), and the model gets the analyst's pixels unchanged. Anything else that decodes (WebP,
    TIFF, an animated PNG, bytes after the image's end) is sent re-encoded as PNG from the decoded
    pixels, so no byte that was not part of the decoded image leaves the machine. A file that is not
    an image, is truncated or has more than MAX_CHIP_PIXELS raises ChipImageError (or OSError).
    """
    from PIL import Image

    with open(path, "rb") as handle:
        data = handle.read(MAX_CHIP_BYTES + 1)
    if len(data) > MAX_CHIP_BYTES:
        raise ChipImageError(f"the file is larger than {MAX_CHIP_BYTES // (1024 * 1024)} MB")
    try:
        image = Image.open(io.BytesIO(data))
    except Exception as exc:  # UnidentifiedImageError, DecompressionBombError, SyntaxError...
        raise ChipImageError(f"not an image ({type(exc).__name__}: {exc})") from None
    with image:
        width, height = image.size
        if width * height > MAX_CHIP_PIXELS:
            raise ChipImageError(
                f"{width} x {height} pixels, more than the {MAX_CHIP_PIXELS:,} a chip may have")
        kind = image.format
        try:
            image.load()  # every pixel: a truncated or corrupt file fails here
        except Exception as exc:
            raise ChipImageError(f"the image does not decode ({type(exc).__name__}: {exc})") from None
        frames = getattr(image, "n_frames", 1)
        if frames == 1 and kind == "PNG" and data.endswith(_PNG_END):
            return ChipImage(fid=int(fid), encoded=base64.b64encode(data), mime="image/png")
        if frames == 1 and kind == "JPEG" and data.endswith(_JPEG_END):
            return ChipImage(fid=int(fid), encoded=base64.b64encode(data), mime="image/jpeg")
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=1)
    return ChipImage(fid=int(fid), encoded=base64.b64encode(buffer.getvalue()), mime="image/png")


@dataclass(frozen=True)
class PromptReferences:
    """Reference examples sent once per request before the batch (REFERENCES): never given a fid.

    ``text`` introduces them and lists their classes (the template's [references] section), ``intro``
    is the same without the list (the OpenAI shape puts each line right before its image), ``lines``
    names each image's class in image order, ``images`` are the pictures. The answer is still checked
    against the batch's fids.
    """

    text: str
    lines: List[str]
    images: List[ChipImage]
    intro: str = ""


class SplicedPayload(dict):
    """A request payload whose image tokens past the batch's stand for ``extra_images``.

    The reference examples ride along this way, so json_body() splices them in like the batch's
    chips (json.dumps of 16 reference chips of 400 KB took 0.3 s a request) and every caller of
    json_body(payload, batch_images) sends them without knowing about them.
    """

    extra_images: List[ChipImage] = []


def with_extra_images(payload: dict, extra: List[ChipImage]) -> dict:
    spliced = SplicedPayload(payload)
    spliced.extra_images = list(extra)
    return spliced


_IMAGE_TOKEN = re.compile(r"@@chipvlm-image-(\d+)@@")


def image_token(position: int) -> str:
    return f"@@chipvlm-image-{position}@@"


def json_body(payload: dict, images: List[ChipImage]) -> bytes:
    """The request body with each image token replaced by the chip's base64.

    json.dumps would scan megabytes of base64 for characters to escape (there are none); splicing
    the images in afterwards halves our CPU time per chip.
    """
    # a payload may carry more images than the batch's (the reference examples, see SplicedPayload)
    images = list(images) + list(getattr(payload, "extra_images", ()))
    parts = _IMAGE_TOKEN.split(json.dumps(payload, ensure_ascii=False))
    # bytes all the way: joining megabytes of base64 with Chinese text as str would widen them all
    return b"".join(
        images[int(part)].encoded if i % 2 else part.encode("utf-8") for i, part in enumerate(parts)
    )


@dataclass
class ModelReply:
    text: str  # the model's answer (message content)
    raw: str  # the HTTP body as received
    http_status: int
    elapsed_ms: int
    prompt_tokens: Optional[int] = None
    eval_tokens: Optional[int] = None
    # the server's per-token log-probabilities ({token, logprob, top_logprobs}), None when it gave none;
    # ``raw`` then holds the answer without them (see confidence.without_logprobs)
    logprobs: Optional[list] = None


def _refuses_logprobs(failure: "RequestFailedError") -> bool:
    return failure.kind == HTTP and failure.http_status in (400, 422) and "logprob" in failure.message.lower()


class RequestFailedError(Exception):
    """One request that got no usable answer; ``kind`` is connection, timeout or http."""

    def __init__(self, kind: str, message: str, http_status: Optional[int] = None, raw: str = "",
                 elapsed_ms: int = 0):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.http_status = http_status
        self.raw = raw
        self.elapsed_ms = elapsed_ms

    @property
    def may_be_schema_rejection(self) -> bool:
        # field report 4.3: Ollama answered 500 to a schema it could not compile; some servers say 400
        return self.kind == HTTP and self.http_status in (400, 500)

    @property
    def endpoint_unusable(self) -> bool:
        """No retry on this endpoint can help: wrong key, unknown model, wrong URL."""
        return self.kind == HTTP and self.http_status in (401, 403, 404, 405)

    @property
    def server_busy(self) -> bool:
        return self.kind == HTTP and self.http_status in (429, 502, 503, 504)


@dataclass
class EndpointCheck:
    """What the Test button shows about an endpoint."""

    name: str
    reachable: bool = False
    version: str = ""
    model_found: Optional[bool] = None
    vision: Optional[bool] = None
    models: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    # set when no request to this endpoint can succeed (key refused, model missing, no vision)
    unusable: str = ""

    @property
    def ok(self) -> bool:
        return self.reachable and not self.unusable and self.model_found is not False and self.vision is not False

    def summary(self) -> str:
        if not self.reachable:
            return f"{self.name}: not reachable. " + " ".join(self.problems)
        parts = [f"{self.name}: reachable"]
        if self.version:
            parts.append(f"server version {self.version}")
        if self.model_found is True:
            parts.append("model present")
        elif self.model_found is False:
            parts.append("model NOT found")
        if self.vision is True:
            parts.append("vision capability: yes")
        elif self.vision is False:
            parts.append("vision capability: NO")
        else:
            parts.append("vision capability: unknown")
        text = ", ".join(parts) + "."
        if self.problems:
            text += " " + " ".join(self.problems)
        return text


def _error_text(body: str) -> str:
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return body.strip()[:300]
    if isinstance(data, dict):
        error = data.get("error", data.get("detail"))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error is not None:
            return str(error)[:300]
    return body.strip()[:300]


class ModelClient:
    """Base: one endpoint, one requests.Session (use one client per thread)."""

    def __init__(self, endpoint: EndpointConfig, session: Optional[requests.Session] = None):
        self.endpoint = endpoint
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "ChipVLM"
        transport.mount(self.session)
        if endpoint.api_key:
            self.session.headers["Authorization"] = f"Bearer {endpoint.api_key}"
        self.think = endpoint.think
        self.references: Optional[PromptReferences] = None  # set by the engine when the run sends some

    def close(self) -> None:
        self.session.close()

    def _timeouts(self, total: Optional[float] = None):
        read = float(total or self.endpoint.timeout)
        return (min(10.0, read), read)

    def _send(self, method: str, url: str, payload=None, timeout=None, body: Optional[bytes] = None):
        """One request, over within the timeout (a deadline for the whole request, not between bytes),
        its answer read in full up to transport.MAX_ANSWER_BYTES."""
        started = time.monotonic()
        deadline = self._timeouts(timeout)[1]
        try:
            if body is not None:
                return transport.request(self.session, method, url, deadline, data=body,
                                         timeout=self._timeouts(timeout),
                                         headers={"Content-Type": "application/json"})
            return transport.request(self.session, method, url, deadline, json=payload,
                                     timeout=self._timeouts(timeout))
        except (requests.Timeout, transport.DeadlinePassedError) as exc:
            elapsed = int((time.monotonic() - started) * 1000)
            what = "complete answer" if getattr(exc, "answering", False) else "answer"
            raise RequestFailedError(
                TIMEOUT, f"{self.endpoint.name}: no {what} within {deadline:g} s", elapsed_ms=elapsed,
            ) from None
        except transport.AnswerTooLargeError as big:
            elapsed = int((time.monotonic() - started) * 1000)
            raise RequestFailedError(
                HTTP, f"{self.endpoint.name}: the answer (HTTP {big.status}) is larger than "
                      f"{transport.MAX_ANSWER_BYTES // (1024 * 1024)} MB, cut off; a batch answer is a few KB",
                raw=big.head.decode("utf-8", "replace") + "\n[truncated by ChipVLM: the answer was cut off]",
                elapsed_ms=elapsed,
            ) from None
        except requests.RequestException as exc:
            elapsed = int((time.monotonic() - started) * 1000)
            reason = type(exc).__name__
            detail = str(exc.args[0]) if exc.args else ""
            if "refused" in detail.lower():
                reason = "connection refused"
            elif "RemoteDisconnected" in detail or "aborted" in detail.lower():
                reason = "connection dropped by the server"
            raise RequestFailedError(
                CONNECTION, f"{self.endpoint.name} ({self.endpoint.url}): {reason}", elapsed_ms=elapsed
            ) from None

    def _post_json(self, url: str, payload: Optional[dict], timeout=None, body: Optional[bytes] = None):
        started = time.monotonic()
        response = self._send("POST", url, payload, timeout, body)
        try:
            body = response.text
        except requests.RequestException:
            raise RequestFailedError(CONNECTION, f"{self.endpoint.name}: the answer was cut off") from None
        elapsed = int((time.monotonic() - started) * 1000)
        if response.status_code != 200:
            raise RequestFailedError(
                HTTP,
                f"{self.endpoint.name}: HTTP {response.status_code}: {_error_text(body)}",
                http_status=response.status_code,
                raw=body,
                elapsed_ms=elapsed,
            )
        try:
            data = response.json()
        except ValueError:
            raise RequestFailedError(
                HTTP, f"{self.endpoint.name}: the server's answer is not JSON", http_status=200, raw=body,
                elapsed_ms=elapsed,
            ) from None
        if isinstance(data, dict) and data.get("error"):
            # Ollama reports errors that happen after the answer started with status 200
            raise RequestFailedError(
                HTTP, f"{self.endpoint.name}: {_error_text(body)}", http_status=response.status_code, raw=body,
                elapsed_ms=elapsed,
            )
        return data, body, elapsed

    def _quick(self, seconds: float) -> float:
        """The wait for a small request (the endpoint Test): short, but never past the endpoint's timeout."""
        return min(float(seconds), float(self.endpoint.timeout))

    def _get_json(self, url: str, timeout: float = 10.0):
        response = self._send("GET", url, None, self._quick(timeout))
        if response.status_code != 200:
            raise RequestFailedError(
                HTTP, f"{self.endpoint.name}: HTTP {response.status_code}: {_error_text(response.text)}",
                http_status=response.status_code, raw=response.text,
            )
        try:
            return response.json()
        except ValueError:
            raise RequestFailedError(HTTP, f"{self.endpoint.name}: {url} did not answer JSON", 200) from None

    # implemented by the subclasses
    def classify(self, prompt: str, image_lines: List[str], images: List[ChipImage], schema: dict,
                 on_send: Optional[Callable[[], None]] = None) -> ModelReply:
        """One batch request; ``on_send`` is called once its body is built, just before it goes out."""
        raise NotImplementedError

    def check(self) -> EndpointCheck:
        raise NotImplementedError


class OllamaClient(ModelClient):
    """Ollama's native API: /api/chat, /api/show, /api/tags, /api/version."""

    def chat_payload(self, prompt: str, images: List[ChipImage], schema: dict, tokens: bool = False) -> dict:
        """The /api/chat request; with ``tokens`` the images are placeholders for json_body()."""
        pictures = [image_token(n) if tokens else image.base64 for n, image in enumerate(images)]
        messages = [{"role": "user", "content": prompt, "images": pictures}]
        references = self.references
        if references is not None and references.images:
            # a message of their own before the batch's: apart from it, and the batch's images keep
            # their numbers; with tokens, theirs follow the batch's (see SplicedPayload)
            first = len(images)
            messages.insert(0, {"role": "user", "content": references.text, "images": [
                image_token(first + n) if tokens else image.base64 for n, image in enumerate(references.images)]})
        payload = {
            "model": self.endpoint.model,
            "messages": messages,
            "stream": False,
            "format": schema,
            # constant per endpoint: a different num_ctx would make Ollama reload the model
            "options": {
                "temperature": 0,
                "num_ctx": int(self.endpoint.num_ctx),
                "num_predict": int(self.endpoint.num_predict),
            },
            "keep_alive": self.endpoint.keep_alive,
        }
        if self.think is not None:
            payload["think"] = self.think  # false: gemma4 and other thinking models answer directly
        if self.endpoint.logprobs:
            payload["logprobs"] = True
            payload["top_logprobs"] = confidence.TOP_LOGPROBS
        if tokens and references is not None and references.images:
            payload = with_extra_images(payload, references.images)
        return payload

    def classify(self, prompt, image_lines, images, schema, on_send=None) -> ModelReply:
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
                request = json_body(self.chat_payload(prompt, images, schema, tokens=True), images)
                data, body, elapsed = self._post_json(url, None, body=request)
            elif _refuses_logprobs(failure) and self.endpoint.logprobs:
                self.endpoint.logprobs = False  # shared by the endpoint's workers: asked once per run
                request = json_body(self.chat_payload(prompt, images, schema, tokens=True), images)
                data, body, elapsed = self._post_json(url, None, body=request)
            else:
                raise
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise RequestFailedError(HTTP, f"{self.endpoint.name}: the answer has no message content", 200, body, elapsed)
        entries = confidence.ollama_entries(data)
        return ModelReply(
            text=message["content"],
            raw=confidence.without_logprobs(data, entries) if entries else body,
            http_status=200,
            elapsed_ms=elapsed,
            prompt_tokens=data.get("prompt_eval_count"),
            eval_tokens=data.get("eval_count"),
            logprobs=entries,
        )

    def check(self) -> EndpointCheck:
        result = EndpointCheck(name=self.endpoint.name)
        base = self.endpoint.url
        try:
            version = self._get_json(f"{base}/api/version")
        except RequestFailedError as failure:
            result.problems.append(failure.message)
            return result
        result.reachable = True
        result.version = str(version.get("version", "")) if isinstance(version, dict) else ""
        try:
            tags = self._get_json(f"{base}/api/tags")
            result.models = [m.get("name") or m.get("model") for m in tags.get("models", []) if isinstance(m, dict)]
        except (RequestFailedError, AttributeError):
            pass
        try:
            shown, _, _ = self._post_json(f"{base}/api/show", {"model": self.endpoint.model},
                                          timeout=self._quick(15))
            result.model_found = True
            capabilities = shown.get("capabilities")
            if isinstance(capabilities, list):
                result.vision = "vision" in capabilities
                if not result.vision:
                    result.unusable = (
                        f"Model {self.endpoint.model} on {self.endpoint.name} cannot read images (capabilities: "
                        f"{', '.join(map(str, capabilities)) or 'none'}); choose a vision model such as gemma3."
                    )
                    result.problems.append(result.unusable)
        except RequestFailedError as failure:
            if failure.http_status == 404:
                result.model_found = False
                hint = f" Available: {', '.join(result.models)}." if result.models else ""
                result.unusable = (
                    f"Model {self.endpoint.model} is not on {self.endpoint.name} ({self.endpoint.url}); pull it "
                    f"with 'ollama pull {self.endpoint.model}'.{hint}"
                )
                result.problems.append(result.unusable)
            else:
                result.problems.append(failure.message)
        return result


def openai_chat_url(base_url: str) -> str:
    url = base_url.rstrip("/")
    lowered = url.lower()
    if lowered.endswith("/chat/completions"):
        return url
    if lowered.endswith("/v1") or lowered.endswith("/api"):
        return url + "/chat/completions"  # .../v1 (Ollama, vLLM) or .../api (Open WebUI)
    return url + "/v1/chat/completions"


class OpenAIClient(ModelClient):
    """OpenAI-compatible chat completions (Ollama's /v1, vLLM, llama.cpp, Open WebUI's /api)."""

    def chat_payload(self, prompt: str, image_lines: List[str], images: List[ChipImage], schema: dict,
                     tokens: bool = False) -> dict:
        content = []
        references = self.references
        if references is not None and references.images:
            # before the batch, in one user message (chat templates such as Gemma's refuse two user
            # messages in a row); a gateway that merges text parts and images keeps this order too
            first = len(images)
            content.append({"type": "text", "text": references.intro or references.text})
            for n, (line, image) in enumerate(zip(references.lines, references.images)):
                data = image_token(first + n) if tokens else image.base64
                content.append({"type": "text", "text": line})
                content.append({"type": "image_url", "image_url": {"url": f"data:{image.mime};base64,{data}"}})
        content.append({"type": "text", "text": prompt})
        # each image right after its own fid line; gateways that merge text parts keep the order
        for n, (line, image) in enumerate(zip(image_lines, images)):
            data = image_token(n) if tokens else image.base64
            content.append({"type": "text", "text": line})
            content.append({"type": "image_url", "image_url": {"url": f"data:{image.mime};base64,{data}"}})
        payload = {
            "model": self.endpoint.model,
            "messages": [{"role": "user", "content": content}],
            "stream": False,
            "temperature": 0,
            "max_tokens": int(self.endpoint.num_predict),
            "response_format": {"type": "json_schema", "json_schema": {"name": "chip_classes", "schema": schema}},
        }
        if self.endpoint.logprobs:
            payload["logprobs"] = True
            payload["top_logprobs"] = confidence.TOP_LOGPROBS
        if tokens and references is not None and references.images:
            payload = with_extra_images(payload, references.images)
        return payload

    def classify(self, prompt, image_lines, images, schema, on_send=None) -> ModelReply:
        url = openai_chat_url(self.endpoint.url)
        request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
        if on_send:
            on_send()
        try:
            data, body, elapsed = self._post_json(url, None, body=request)
        except RequestFailedError as failure:
            if not (_refuses_logprobs(failure) and self.endpoint.logprobs):
                raise
            self.endpoint.logprobs = False  # shared by the endpoint's workers: asked once per run
            request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
            data, body, elapsed = self._post_json(url, None, body=request)
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            text = None
        if not isinstance(text, str):
            raise RequestFailedError(HTTP, f"{self.endpoint.name}: the answer has no choices[0].message.content",
                                200, body, elapsed)
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        entries = confidence.openai_entries(data)
        return ModelReply(
            text=text,
            raw=confidence.without_logprobs(data, entries) if entries else body,
            http_status=200,
            elapsed_ms=elapsed,
            prompt_tokens=usage.get("prompt_tokens"),
            eval_tokens=usage.get("completion_tokens"),
            logprobs=entries,
        )

    def check(self) -> EndpointCheck:
        result = EndpointCheck(name=self.endpoint.name)
        models_url = openai_chat_url(self.endpoint.url)[: -len("/chat/completions")] + "/models"
        try:
            listing = self._get_json(models_url)
        except RequestFailedError as failure:
            if failure.kind == HTTP:
                result.reachable = True  # the server answered, only not this
            if failure.http_status in (401, 403):
                result.unusable = (
                    f"{self.endpoint.name}: the API key was refused (HTTP {failure.http_status}); check the "
                    f"authentication configuration of this endpoint."
                )
                result.problems.append(result.unusable)
            else:
                result.problems.append(failure.message)
            return result
        result.reachable = True
        items = listing.get("data", []) if isinstance(listing, dict) else []
        result.models = [str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id")]
        if result.models:
            result.model_found = self.endpoint.model in result.models
            if not result.model_found:
                result.problems.append(
                    f"Model {self.endpoint.model} is not listed; available: {', '.join(result.models[:20])}."
                )
        # behind Ollama's own /v1 the native API tells us about vision too
        root = normalized_url(self.endpoint.base_url)
        if self.endpoint.url.rstrip("/").lower().endswith("/v1"):
            native = OllamaClient(replace(self.endpoint, base_url=root, api=API_OLLAMA), self.session)
            try:
                shown, _, _ = native._post_json(f"{root}/api/show", {"model": self.endpoint.model},
                                               timeout=self._quick(15))
                capabilities = shown.get("capabilities")
                if isinstance(capabilities, list):
                    result.vision = "vision" in capabilities
                version = native._get_json(f"{root}/api/version")
                result.version = str(version.get("version", ""))
            except (RequestFailedError, AttributeError):
                pass
        return result


def make_client(endpoint: EndpointConfig, session: Optional[requests.Session] = None) -> ModelClient:
    if endpoint.api == API_OPENAI:
        return OpenAIClient(endpoint, session)
    if endpoint.api == API_OLLAMA:
        return OllamaClient(endpoint, session)
    raise ValueError(f"unknown API kind {endpoint.api!r}")


def check_endpoint(endpoint: EndpointConfig) -> EndpointCheck:
    """The endpoint Test: server version, model present, vision capability."""
    client = make_client(endpoint)
    try:
        return client.check()
    finally:
        client.close()
