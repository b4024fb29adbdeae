"""What every model client shares: one endpoint, one requests.Session with the API key in its
Authorization header only, requests that finish within the endpoint's timeout (a deadline for the
whole request, transport.py) and turn every failure into a RequestFailedError, and ModelReply, the
answer of one batch request. OllamaClient and OpenAIClient build on `ModelClient`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, List, Optional

import requests

from ...errors import Message
from ..answer.confidence import TOP_LOGPROBS, without_logprobs
from ..request.chip_payload import ChipImage, PromptReferences, json_body, with_extra_images
from ..request.schemas import WITH_REASON, answer_token_limit
from . import transport
from .endpoints import EndpointConfig, clean_api_key
from .failures import CONNECTION, HTTP, TIMEOUT, RequestFailedError, error_text
from .servers import EndpointCheck, key_refused_sentence, kind_from_url


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
    # the server says it cut the prompt to fit its context (llama.cpp's ``"truncated": true``)
    prompt_cut: bool = False

    @classmethod
    def accepted(cls, text: str, data: dict, body: str, elapsed_ms: int, prompt_tokens, eval_tokens,
                 logprobs: Optional[list]) -> "ModelReply":
        """The reply of an HTTP 200 answer; its raw copy is kept without the token lists (10-50 times
        the answer's size)."""
        return cls(text=text, raw=without_logprobs(data, logprobs) if logprobs else body, http_status=200,
                   elapsed_ms=elapsed_ms, prompt_tokens=prompt_tokens, eval_tokens=eval_tokens, logprobs=logprobs,
                   prompt_cut=isinstance(data, dict) and data.get("truncated") is True)


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

    def _payload_tail(self, payload: dict, tokens: bool) -> dict:
        """What ends every chat payload: the log-probabilities asked for where the endpoint gives them,
        and, with image ``tokens``, the references' images spliced in after the batch's (SplicedPayload)."""
        if self.endpoint.logprobs:
            payload["logprobs"] = True
            payload["top_logprobs"] = TOP_LOGPROBS
        references = self.references
        if tokens and references is not None and references.images:
            payload = with_extra_images(payload, references.images)
        return payload

    def answer_limit(self, prompt, chips: int) -> int:
        """num_predict / max_tokens of a request: the batch's longest legitimate answer in the shape
        asked for, with a margin (schemas.answer_token_limit), never over the endpoint's num_predict."""
        return answer_token_limit(chips, getattr(prompt, "shape", WITH_REASON), int(self.endpoint.num_predict))

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

    def _ask_again(self, url: str, prompt, images, schema):
        """The chat request sent again after the client dropped what the server refused (think, options,
        log-probabilities): its payload is built anew from the client's settings of now."""
        return self._post_json(url, None, body=json_body(self.chat_payload(prompt, images, schema, tokens=True), images))

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
                f"{self.endpoint.name}: HTTP {response.status_code}: {error_text(body)}",
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
                HTTP, f"{self.endpoint.name}: {error_text(body)}", http_status=response.status_code, raw=body,
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
                HTTP, f"{self.endpoint.name}: HTTP {response.status_code}: {error_text(response.text)}",
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
    def classify(self, prompt, images: List[ChipImage], schema: dict,
                 on_send: Optional[Callable[[], None]] = None) -> ModelReply:
        """One batch request: ``prompt`` a prompts.BatchPrompt, ``images`` its chips in order; ``on_send``
        is called once its body is built, just before it goes out."""
        raise NotImplementedError

    def check(self) -> EndpointCheck:
        raise NotImplementedError
