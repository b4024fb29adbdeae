"""Endpoints: the model servers a run may use, and how to tell two names for one server apart.

An endpoint is a base URL plus how to talk to it (Ollama's native API or an OpenAI-compatible one
such as Open WebUI, vLLM or llama.cpp's server), the model to ask, how many requests it may run at
once and how long to wait. The API key is never part of the saved settings: the GUI keeps only the id
of a QGIS authentication config and fills ``api_key`` in at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlsplit

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
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"}


class EndpointError(ValueError):
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

    def validate(self) -> EndpointConfig:
        label = self.name or self.base_url or "endpoint"
        if not self.base_url or not urlsplit(with_scheme(self.base_url)).hostname:
            raise EndpointError(f"Endpoint {label!r}: the base URL {self.base_url!r} is not a server address.")
        if self.api not in API_KINDS:
            raise EndpointError(f"Endpoint {label!r}: API kind must be one of {', '.join(API_KINDS)}.")
        if not self.model:
            raise EndpointError(f"Endpoint {label!r}: no model name given (e.g. gemma3:27b).")
        if int(self.concurrency) < 1:
            raise EndpointError(f"Endpoint {label!r}: it must accept at least 1 request at once.")
        if float(self.timeout) <= 0:
            raise EndpointError(f"Endpoint {label!r}: the timeout must be positive.")
        return self

    @property
    def url(self) -> str:
        return with_scheme(self.base_url).rstrip("/")

    def with_model(self, model: str) -> EndpointConfig:
        return replace(self, model=model) if model else self


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
            warnings.append(
                f"Endpoints {first.name!r} ({first.base_url}) and {endpoint.name!r} ({endpoint.base_url}) are "
                f"the same server; {endpoint.name!r} is not used twice. To use two GPUs, run one "
                f"'ollama serve' per GPU on its own port."
            )
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

    A URL ending in /v1 or /api/chat/completions is taken as OpenAI-compatible.
    """
    endpoints = []
    for position, raw in enumerate((text or "").replace(";", ",").replace("\n", ",").split(","), start=1):
        url = raw.strip()
        if not url:
            continue
        kind = api
        lowered = url.rstrip("/").lower()
        if lowered.endswith("/v1") or lowered.endswith("/chat/completions"):
            kind = API_OPENAI
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
