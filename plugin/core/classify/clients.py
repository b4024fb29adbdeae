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

Size (~970 lines): one client per server kind (Ollama, OpenAI-compatible) with the reading of their
error bodies; the gateway work on it is in flight, so the split (errors.py, ollama.py, openai.py) waits.
"""
from __future__ import annotations

import base64
import io
import json
import re
import time
from dataclasses import dataclass, field, replace
from typing import Callable, List, Optional
from urllib.parse import urlsplit

import requests

from ..errors import Message
from . import confidence, transport
from .endpoints import API_OLLAMA, API_OPENAI, EndpointConfig, EndpointError, clean_api_key

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
    def server_words(self) -> str:
        """What the server said, without our prefix (its error field, or the start of its body)."""
        return _error_text(self.raw) if self.raw else ""

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
    version: str = ""  # the model server's (Ollama's, vLLM's...)
    model_found: Optional[bool] = None
    vision: Optional[bool] = None
    models: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    # set when no request to this endpoint can succeed (key refused, model missing, no vision)
    unusable: str = ""
    kind: str = ""  # which server answers (KIND_*), from the URL and its behaviour
    gateway_version: str = ""  # Open WebUI's own version, when it stands in front
    context_length: Optional[int] = None  # the model's or server's context size, where it says
    num_ctx: Optional[int] = None  # the context size we ask for, where the server takes it

    @property
    def ok(self) -> bool:
        return self.reachable and not self.unusable and self.model_found is not False and self.vision is not False

    def _unnamed(self, text: str) -> str:
        """A sentence without its leading endpoint name, for a summary that names it once already."""
        prefix = f"{self.name}: "
        return text[len(prefix):] if text.startswith(prefix) else text

    def summary(self) -> str:
        if not self.reachable:
            return f"{self.name}: not reachable. " + " ".join(self.problems)
        if self.unusable and self.model_found is None and self.vision is None:
            # answered, but unusable before the model could be asked about (key refused, wrong API)
            kind = f" ({self.kind}{' ' + self.gateway_version if self.gateway_version else ''})" if self.kind else ""
            return f"{self.name}{kind}: " + " ".join(self._unnamed(p) for p in self.problems)
        parts = [f"{self.name}: reachable"]
        if self.kind:
            parts.append(self.kind + (f" {self.gateway_version}" if self.gateway_version else ""))
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
        if self.num_ctx:
            parts.append(f"context {self.num_ctx} tokens" + (
                f" (model maximum {self.context_length})" if self.context_length else ""))
        elif self.context_length:
            parts.append(f"context {self.context_length} tokens (the server's setting)")
        text = ", ".join(parts) + "."
        if self.problems:
            text += " " + " ".join(self._unnamed(p) for p in self.problems)
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


# -- what a failed request means for the run ---------------------------------------------------------
# One word per way of failing; the dispatcher acts on the word, never on a status code.
OUTAGE = "outage"  # the server (or the model server behind a gateway) is down: pause the endpoint
OVERLOAD = "overload"  # busy or rate-limited: back off, try again
MODEL_MISSING = "model_missing"  # the model is not there or this key may not use it: drop the endpoint
KEY_REFUSED = "key_refused"  # wrong or missing API key: drop the endpoint
WRONG_URL = "wrong_url"  # no model API at this address: drop the endpoint
SCHEMA_REFUSED = "schema_refused"  # the answer schema (format, grammar) was refused: use the simple one
IMAGE_REFUSED = "image_refused"  # a chip of the batch could not be read by the server: isolate it
BAD_REQUEST = "bad_request"  # the server refuses what we send for a reason we cannot fix: stop the run
SERVER_FAILED = "server_failed"  # the server failed on this request (crash, timeout): counts against it
MEANINGS = (OUTAGE, OVERLOAD, MODEL_MISSING, KEY_REFUSED, WRONG_URL, SCHEMA_REFUSED, IMAGE_REFUSED,
            BAD_REQUEST, SERVER_FAILED)

# a gateway (Open WebUI, LiteLLM, a proxy) saying that the server behind it cannot be reached
_OUTAGE_WORDS = (
    "server disconnected", "cannot connect to host", "connection refused", "connect call failed",
    "all connection attempts failed", "connection reset", "connection aborted", "remote end closed",
    "server connection error", "no healthy upstream", "upstream connect error", "bad gateway",
    "name or service not known", "temporary failure in name resolution", "network is unreachable",
    "ollama is not running", "no route to host",
)
_OVERLOAD_WORDS = ("server busy", "maximum pending requests", "too many requests", "rate limit",
                   "overloaded", "try again later")
_IMAGE_WORDS = ("image", "base64", "picture", "png", "jpeg", "multimodal input", "decode")
_SCHEMA_WORDS = ("format", "schema", "grammar", "json_schema", "response_format", "structured output",
                 "guided_json", "guided decoding")
_MODEL_WORDS = ("model",)
_MISSING_WORDS = ("not found", "was not found", "does not exist", "no such model", "unknown model",
                  "invalid model", "try pulling it", "not allowed", "not authorized to access",
                  "no access", "not available")
# what servers put in a 500 that says nothing about its cause
_PLAIN_500 = ("", "internal server error", "500 internal server error", "internal error",
              "an unknown error was encountered while running the model", "server error")


def _has(text: str, words) -> bool:
    return any(word in text for word in words)


def failure_meaning(failure: RequestFailedError, strict_schema: bool = True) -> str:
    """What a failed request means, from its kind, status and the server's own words.

    Table-tested with the bodies real servers send (tests/unit/test_gateway_errors.py). The order
    matters: "image: unknown format" is about an image, not about the answer format; "Model not
    found" after a gateway lost its Ollama is decided by the dispatcher, which knows what came before.
    """
    if failure.kind == CONNECTION:
        return OUTAGE
    if failure.kind == TIMEOUT:
        return SERVER_FAILED
    status = failure.http_status
    words = (failure.server_words or "").strip().lower()
    if status is None or status == 200:
        return SERVER_FAILED  # an answer we cannot read (no content, not JSON)
    if status in (401, 403):
        if _has(words, _MODEL_WORDS) and _has(words, _MISSING_WORDS):
            return MODEL_MISSING  # LiteLLM: the key is fine but may not use this model
        return KEY_REFUSED
    if _has(words, _OUTAGE_WORDS) or status == 502:
        return OUTAGE
    if status in (429, 503, 504) or _has(words, _OVERLOAD_WORDS):
        return OVERLOAD
    if _has(words, _MODEL_WORDS) and _has(words, _MISSING_WORDS):
        return MODEL_MISSING
    if _has(words, ("does not support", "not supported")) and _has(words, ("image", "vision", "multimodal")):
        return MODEL_MISSING  # this model (or server) reads no image at all: no chip would pass
    if status in (404, 405):
        return WRONG_URL
    if _has(words, _IMAGE_WORDS):
        return IMAGE_REFUSED
    if _has(words, _SCHEMA_WORDS):
        return SCHEMA_REFUSED
    if status >= 500:
        if strict_schema and status == 500 and words.strip(". ") in _PLAIN_500:
            return SCHEMA_REFUSED  # field report 4.3: a plain HTTP 500 to the strict schema
        return SERVER_FAILED
    if 400 <= status < 500:
        return BAD_REQUEST
    return SERVER_FAILED


# -- what a prompt should cost ----------------------------------------------------------------------
IMAGE_TOKENS = 256  # Gemma 4 for a square chip; Gemma 3 about 260 (896 px tiles)
TRUNCATION_TOLERANCE = 0.8  # a count under this share of the estimate means the prompt was cut


def estimated_prompt_tokens(prompt: str, images: int) -> int:
    """What a request should cost in prompt tokens: its text plus ~256 per image.

    A low estimate on purpose (ASCII about 4 characters a token, other characters 0.7 tokens), so that
    a count below it means the server dropped part of the prompt, not that we guessed high.
    """
    ascii_chars = sum(1 for ch in prompt if ord(ch) < 128)
    other = len(prompt) - ascii_chars
    return int(ascii_chars / 4 + other * 0.7) + IMAGE_TOKENS * int(images)


def prompt_truncated(reported: Optional[int], estimate: int) -> bool:
    """Whether a server's prompt token count says it cut the prompt (Ollama does so with num_ctx)."""
    if reported is None or not isinstance(reported, int) or reported <= 0:
        return False  # servers that give no count cannot be checked
    return reported < TRUNCATION_TOLERANCE * estimate


# -- which server is behind an address -------------------------------------------------------------
KIND_OLLAMA = "Ollama"
KIND_OLLAMA_V1 = "Ollama (OpenAI-compatible /v1)"
KIND_OPEN_WEBUI = "Open WebUI (/api)"
KIND_OPEN_WEBUI_OLLAMA = "Open WebUI (/ollama proxy of Ollama)"
KIND_VLLM = "vLLM"
KIND_LLAMA_CPP = "llama.cpp server"
KIND_LITELLM = "LiteLLM proxy"
KIND_OPENAI = "OpenAI-compatible server"
# servers that take num_ctx with the request (Ollama's native API, and Open WebUI, which forwards
# ``options`` to its Ollama); the others have their context fixed when they start
TAKES_NUM_CTX = (KIND_OLLAMA, KIND_OPEN_WEBUI_OLLAMA, KIND_OPEN_WEBUI)


def kind_from_url(url: str, api: str) -> str:
    """A first guess from the address alone; the endpoint check refines it from the server's answers."""
    path = urlsplit(url).path.rstrip("/").lower()
    if api == API_OLLAMA:
        return KIND_OPEN_WEBUI_OLLAMA if path.endswith("/ollama") else KIND_OLLAMA
    if path.endswith("/api") or path.endswith("/api/chat/completions"):
        return KIND_OPEN_WEBUI
    port = urlsplit(url).port
    if port == 11434:
        return KIND_OLLAMA_V1
    if port == 4000:
        return KIND_LITELLM
    return KIND_OPENAI


def context_note(name: str, kind: str, num_ctx: int) -> str:
    """The one log line for a server that cannot be told the context size ('' when it can)."""
    if kind in TAKES_NUM_CTX:
        return ""
    where = {
        KIND_OLLAMA_V1: Message("set OLLAMA_CONTEXT_LENGTH on the server, or use its native API (the Ollama kind)"),
        KIND_VLLM: Message("start vLLM with --max-model-len"),
        KIND_LLAMA_CPP: Message("start llama-server with --ctx-size"),
        KIND_LITELLM: Message("set it on the model server behind LiteLLM"),
    }.get(kind, Message("set it on the server"))
    return Message(
        "{0} ({1}) cannot be told the context size with a request: it uses its own setting ({2}; a batch "
        "needs about {3} tokens). Answers to prompts the server cut short are detected and not accepted.",
        name, kind, where, int(num_ctx))


def key_refused_sentence(name: str, status: Optional[int]) -> str:
    return Message(
        "{0}: the API key was refused (HTTP {1}); check the key of this endpoint (its QGIS authentication "
        "configuration, or the variable named by API_KEY_ENV).", name, status)


class ModelClient:
    """Base: one endpoint, one requests.Session (use one client per thread)."""

    def __init__(self, endpoint: EndpointConfig, session: Optional[requests.Session] = None):
        self.endpoint = endpoint
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "ChipVLM"
        transport.mount(self.session)
        key = clean_api_key(endpoint.api_key, endpoint.name)  # a key with a line break would loop
        if key:
            self.session.headers["Authorization"] = f"Bearer {key}"
        self.think = endpoint.think
        self.server_kind = kind_from_url(endpoint.url, endpoint.api)  # refined by check()
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
                reason = Message("connection refused")
            elif "RemoteDisconnected" in detail or "aborted" in detail.lower():
                reason = Message("connection dropped by the server")
            raise RequestFailedError(
                CONNECTION, Message("{0} ({1}): {2}", self.endpoint.name, self.endpoint.url, reason), elapsed_ms=elapsed
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

    def _refused(self, result: EndpointCheck, failure: RequestFailedError) -> bool:
        """A refused key makes the endpoint unusable, in one sentence naming it once."""
        if failure.kind != HTTP or failure.http_status not in (401, 403):
            return False
        result.reachable = True
        result.unusable = key_refused_sentence(self.endpoint.name, failure.http_status)
        result.problems.append(result.unusable)
        return True

    def _version_at(self, url: str) -> str:
        """A server's version from a small JSON ``{"version": ...}``; '' when it does not say."""
        try:
            data = self._get_json(url, timeout=5.0)
        except RequestFailedError:
            return ""
        return str(data.get("version", "")) if isinstance(data, dict) else ""

    def model_listed(self) -> Optional[bool]:
        """Whether the server's model list has our model (None: the list cannot be had)."""
        return None

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
        name, model = self.endpoint.name, self.endpoint.model
        result = EndpointCheck(name=name, kind=self.server_kind)
        base = self.endpoint.url
        if self.server_kind == KIND_OPEN_WEBUI_OLLAMA:
            result.gateway_version = self._version_at(base[: -len("/ollama")] + "/api/version")
        try:
            version = self._get_json(f"{base}/api/version")
            result.version = str(version.get("version", "")) if isinstance(version, dict) else ""
        except RequestFailedError as failure:
            if failure.kind != HTTP:
                result.problems.append(failure.message)
                return result
            result.reachable = True  # something answered: say what, not "not reachable"
            if self._refused(result, failure):
                return result
            if failure_meaning(failure) in (OUTAGE, OVERLOAD):
                result.reachable = False  # a gateway answers, the model server behind it does not
                result.problems.append(Message("{0}: the server behind it does not answer ({1}).", name,
                                               failure.server_words))
                return result
            return self._not_ollama(result, failure)
        result.reachable = True
        result.num_ctx = int(self.endpoint.num_ctx)
        try:
            tags = self._get_json(f"{base}/api/tags")
            result.models = [m.get("name") or m.get("model") for m in tags.get("models", []) if isinstance(m, dict)]
            if not result.models:
                result.problems.append(Message(
                    "{0} lists no model at all (a key without access to any model, or nothing pulled yet).", name))
        except RequestFailedError as failure:
            if self._refused(result, failure):
                return result
            if failure_meaning(failure) not in (OUTAGE, OVERLOAD):
                return self._not_ollama(result, failure)  # e.g. Open WebUI's root, which has /api/version
        except AttributeError:
            pass
        try:
            shown, _, _ = self._post_json(f"{base}/api/show", {"model": model}, timeout=self._quick(15))
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
                        "gemma3.", model, name, ", ".join(map(str, capabilities)) or "-")
                    result.problems.append(result.unusable)
        except RequestFailedError as failure:
            if self._refused(result, failure):
                return result
            if failure.http_status == 404 or failure_meaning(failure) == MODEL_MISSING:
                result.model_found = False
                hint = Message(" Available: {0}.", ", ".join(result.models[:20])) if result.models else ""
                result.unusable = Message(
                    "Model {0} is not on {1} ({2}); pull it with 'ollama pull {0}'.{3}", model, name,
                    self.endpoint.url, hint)
                result.problems.append(result.unusable)
            else:
                result.problems.append(failure.message)
        if result.context_length and result.num_ctx > result.context_length:
            result.problems.append(Message(
                "{0}: the model takes at most {1} tokens of context, less than the {2} asked for; fewer chips "
                "per request fit.", name, result.context_length, result.num_ctx))
        return result

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
        if self.send_options:
            # Open WebUI's /api drops a top-level temperature and forwards only ``options`` to its
            # Ollama (keep_alive is lifted out of it there); vLLM and llama.cpp ignore the field
            payload["options"] = {
                "temperature": 0,
                "num_ctx": int(self.endpoint.num_ctx),
                "num_predict": int(self.endpoint.num_predict),
                "keep_alive": self.endpoint.keep_alive,
            }
            if self.think is not None:
                payload["options"]["think"] = self.think  # lifted to Ollama's top level by Open WebUI
        if self.endpoint.logprobs:
            payload["logprobs"] = True
            payload["top_logprobs"] = confidence.TOP_LOGPROBS
        if tokens and references is not None and references.images:
            payload = with_extra_images(payload, references.images)
        return payload

    send_options = True  # set False once a server refuses the ``options`` field

    def classify(self, prompt, image_lines, images, schema, on_send=None) -> ModelReply:
        url = openai_chat_url(self.endpoint.url)
        request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
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
                request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
                data, body, elapsed = self._post_json(url, None, body=request)
            elif failure.http_status in (400, 422) and "options" in words and self.send_options:
                self.send_options = False
                request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
                data, body, elapsed = self._post_json(url, None, body=request)
            elif _refuses_logprobs(failure) and self.endpoint.logprobs:
                self.endpoint.logprobs = False  # shared by the endpoint's workers: asked once per run
                request = json_body(self.chat_payload(prompt, image_lines, images, schema, tokens=True), images)
                data, body, elapsed = self._post_json(url, None, body=request)
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
            # Open WebUI's /ollama and Ollama's own root answer /api/show with the same key
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
        elif result.kind == KIND_LLAMA_CPP:
            try:
                props = self._get_json(root + "/props", timeout=5.0)
                settings = props.get("default_generation_settings") if isinstance(props, dict) else None
                if isinstance(settings, dict) and isinstance(settings.get("n_ctx"), int):
                    result.context_length = settings["n_ctx"]
                if isinstance(props.get("modalities"), dict):
                    result.vision = bool(props["modalities"].get("vision"))
            except (RequestFailedError, AttributeError):
                pass
        if result.vision is False:
            result.unusable = (
                f"Model {self.endpoint.model} on {self.endpoint.name} cannot read images; choose a vision model "
                f"such as gemma3."
            )
            result.problems.append(result.unusable)


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
