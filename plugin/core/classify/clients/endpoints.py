"""Endpoints: the model servers a run may use, and how to tell two names for one server apart.

An endpoint is a base URL plus how to talk to it (Ollama's native API or an OpenAI-compatible one
such as Open WebUI, vLLM or llama.cpp's server), the model to ask, how many requests it may run at
once and how long to wait. The API key is never part of the saved settings: the GUI keeps only the id
of a QGIS authentication config and fills ``api_key`` in at run time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlsplit

from ...errors import ChipVLMError, Message

API_OLLAMA = "ollama"
API_OPENAI = "openai"
API_KINDS = (API_OLLAMA, API_OPENAI)

DEFAULT_OLLAMA_PORT = 11434
# Path endings users paste along with the server address; they do not make a different server.
_API_SUFFIXES = (
    "/v1/chat/completions",
    "/api/chat/completions",
    "/chat/completions",
    "/api/chat",
    "/v1",
    "/api",
    "/ollama",  # Open WebUI's proxy of its Ollama: the same GPU as its /api
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"}


class EndpointError(ChipVLMError, ValueError):
    """An endpoint setting that cannot work; the message names the endpoint."""


@dataclass
class EndpointConfig:
    name: str
    base_url: str
    api: str = API_OLLAMA
    model: str = "gemma3:27b"
    concurrency: int = 1
    timeout: float = 300.0
    authcfg: str = ""
    # Options sent with every request; kept constant per endpoint because Ollama reloads the model
    # when num_ctx changes. 10 chips of ~260 tokens plus the prompt do not fit the 4k default.
    num_ctx: int = 8192
    num_predict: int = 2048
    keep_alive: str = "30m"
    think: Optional[bool] = False
    # ask for token log-probabilities (the model's confidence per chip); a server that refuses the
    # field gets requests without it for the rest of the run
    logprobs: bool = True
    # Filled in at run time from QGIS's auth database; never saved, logged or written to results.
    api_key: str = field(default="", repr=False, compare=False)
    # Seconds per chip the endpoint Test measured (speed/probe.py), filled in at run time from the
    # plugin settings for the time estimate; kept apart from the saved endpoint, like the key.
    seconds_per_chip: Optional[float] = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # user:password@ in a URL must never reach a name, a message or a results file; it is not
        # used as credentials either (the key belongs in QGIS's authentication database)
        self.base_url = without_userinfo(self.base_url)
        if self.name and "://" in self.name:
            self.name = _USERINFO.sub(r"\1", self.name)  # a name made of a URL; "gpu@lab" stays as it is

    def validate(self) -> EndpointConfig:
        label = self.name or self.base_url or "endpoint"
        self.api_key = clean_api_key(self.api_key, label)
        if not self.base_url or not urlsplit(with_scheme(self.base_url)).hostname:
            raise EndpointError("Endpoint {0}: the base URL {1} is not a server address.", repr(label),
                                repr(self.base_url))
        if self.api not in API_KINDS:
            raise EndpointError("Endpoint {0}: API kind must be one of {1}.", repr(label), ", ".join(API_KINDS))
        if not self.model:
            raise EndpointError("Endpoint {0}: no model name given (e.g. gemma3:27b).", repr(label))
        if int(self.concurrency) < 1:
            raise EndpointError("Endpoint {0}: it must accept at least 1 request at once.", repr(label))
        if float(self.timeout) <= 0:
            raise EndpointError("Endpoint {0}: the timeout must be positive.", repr(label))
        return self

    @property
    def url(self) -> str:
        return with_scheme(self.base_url).rstrip("/")

    def with_model(self, model: str) -> EndpointConfig:
        return replace(self, model=model) if model else self


_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/@\s?#]*@")


def without_endpoint_name(message, endpoint: EndpointConfig):
    """A client's sentence about ``endpoint`` ("name (url): what", "name: what") as its "what".

    For callers that name the endpoint themselves (the run's start, a pause, the endpoint Test).
    A Message is matched by its template and gives its inner value, still to be translated; any
    other Message is returned whole (a slice of its English text could no longer be translated).
    """
    if isinstance(message, Message):
        values = message.values
        if message.template in ("{0} ({1}): {2}", "{0}: {1}") and values and values[0] == endpoint.name:
            return values[-1]
        return message
    for prefix in (f"{endpoint.name} ({endpoint.url}): ", f"{endpoint.name}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def without_userinfo(text: str) -> str:
    """``text`` with the ``user:password@`` of every URL in it removed."""
    if not text or "@" not in text:
        return text
    text = _USERINFO.sub(r"\1", text)
    if "://" not in text and "@" in text.split("/", 1)[0]:
        text = text.split("@", 1)[1]  # host typed without a scheme: user:key@host:port
    return text


def has_userinfo(url: str) -> bool:
    """Whether a typed URL carries ``user:password@`` (which we drop, and say so)."""
    return bool(url) and without_userinfo(url) != url


def clean_api_key(key: str, label: str = "endpoint") -> str:
    """The key without the spaces and line breaks a paste adds at its ends; refused if damaged inside.

    The message never shows the key: it would end up in the log.
    """
    key = (key or "").strip()
    if not key:
        return ""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise EndpointError(
            "Endpoint {0}: the API key has spaces or line breaks inside it, so no server can accept it; "
            "copy the key again (it is not shown here).", repr(label))
    try:
        key.encode("latin-1")
    except UnicodeEncodeError:
        raise EndpointError(
            "Endpoint {0}: the API key has characters that cannot go into an HTTP header; copy the "
            "key again (it is not shown here).", repr(label)) from None
    return key


def api_for_url(url: str, default: str = API_OLLAMA) -> str:
    """The API an address speaks, from how it ends.

    ``/v1`` and ``.../chat/completions``: OpenAI-compatible; ``/api``: Open WebUI's OpenAI-compatible
    API (Ollama's native paths are /api/chat etc. under the server's root, so nobody types /api for
    them); ``/ollama``: Open WebUI's proxy of Ollama's native API; anything else: ``default``.
    """
    lowered = with_scheme(url).rstrip("/").lower()
    if lowered.endswith("/v1") or lowered.endswith("/chat/completions") or lowered.endswith("/api"):
        return API_OPENAI
    if lowered.endswith("/ollama"):
        return API_OLLAMA
    return default


def with_scheme(url: str) -> str:
    url = (url or "").strip()
    if url and "://" not in url:
        url = "http://" + url
    return url


def normalized_url(url: str) -> str:
    """One spelling per server: scheme, local host names, default ports and API suffixes folded.

    The field report's two "GPUs" were one Ollama behind two names; this key is how we notice.
    """
    parts = urlsplit(with_scheme(url))
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if host in _LOCAL_HOSTS:
        host = "localhost"
    port = parts.port
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path.rstrip("/")
    changed = True
    while changed:
        changed = False
        for suffix in _API_SUFFIXES:
            if path.lower().endswith(suffix):
                path = path[: -len(suffix)].rstrip("/")
                changed = True
    return f"{scheme}://{host}:{port}{path}"


def dedupe_endpoints(endpoints: Iterable[EndpointConfig]) -> Tuple[List[EndpointConfig], List[str]]:
    """Drop endpoints that are the same server as an earlier one; say which, in a sentence each."""
    kept: List[EndpointConfig] = []
    seen: Dict[str, EndpointConfig] = {}
    warnings: List[str] = []
    for endpoint in endpoints:
        key = normalized_url(endpoint.base_url)
        if key in seen:
            first = seen[key]
            warnings.append(Message(
                "Endpoints {0} ({1}) and {2} ({3}) are the same server; {2} is not used twice. To use two GPUs, "
                "run one 'ollama serve' per GPU on its own port.", repr(first.name), first.base_url,
                repr(endpoint.name), endpoint.base_url))
            continue
        seen[key] = endpoint
        kept.append(endpoint)
    return kept, warnings


def unique_names(endpoints: List[EndpointConfig]) -> List[EndpointConfig]:
    """Give every endpoint a distinct name, since results and progress are reported by name."""
    counts: Dict[str, int] = {}
    out = []
    for endpoint in endpoints:
        name = endpoint.name or urlsplit(endpoint.url).netloc or "endpoint"
        if name in counts:
            counts[name] += 1
            name = f"{name}#{counts[name]}"
        else:
            counts[name] = 1
        out.append(replace(endpoint, name=name))
    return out


def endpoints_from_urls(
    text: str,
    model: str,
    api: str = API_OLLAMA,
    concurrency: int = 1,
    timeout: float = 300.0,
) -> List[EndpointConfig]:
    """Endpoints from a comma-separated list of base URLs (the Processing ENDPOINTS parameter).

    The API kind follows the URL's ending (see api_for_url); ``api`` is for the others.
    """
    endpoints = []
    for position, raw in enumerate((text or "").replace(";", ",").replace("\n", ",").split(","), start=1):
        url = raw.strip()
        if not url:
            continue
        url = without_userinfo(url)
        kind = api_for_url(url, api)
        parts = urlsplit(with_scheme(url))
        name = parts.netloc or f"endpoint{position}"
        endpoints.append(
            EndpointConfig(
                name=name,
                base_url=url,
                api=kind,
                model=model,
                concurrency=concurrency,
                timeout=timeout,
            ).validate()
        )
    return endpoints
