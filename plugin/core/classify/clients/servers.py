"""What ChipVLM knows about the model servers themselves: which kind answers at an address
(`kind_from_url`, KIND_*), which of them take the context size with a request (`context_note` when
not), where OpenAI-compatible chat lives (`openai_chat_url`), what a prompt should cost in tokens
(to tell a prompt the server cut short), and `EndpointCheck`, what the endpoint Test found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional
from urllib.parse import urlsplit

from ...errors import Message
from .endpoints import API_OLLAMA


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


# -- what a prompt should cost ----------------------------------------------------------------------
IMAGE_TOKENS = 256  # Gemma 4 for a square chip; Gemma 3 about 260 (896 px tiles)
LOW_COUNT_SHARE = 0.8  # a count under this share of the estimate is worth a line in the log, no more
AT_CONTEXT_SHARE = 0.98  # a count this close to the context sits at it: no room was left for the answer


def estimated_prompt_tokens(prompt: str, images: int) -> int:
    """What a request should cost in prompt tokens: its text plus ~256 per image.

    A low estimate on purpose (ASCII about 4 characters a token, other characters 0.7 tokens), so that
    a prompt whose estimate alone exceeds the context cannot have fitted.
    """
    ascii_chars = sum(1 for ch in prompt if ord(ch) < 128)
    other = len(prompt) - ascii_chars
    return int(ascii_chars / 4 + other * 0.7) + IMAGE_TOKENS * int(images)


def _count(reported) -> Optional[int]:
    if isinstance(reported, bool) or not isinstance(reported, int) or reported <= 0:
        return None
    return reported


def prompt_truncated(reported: Optional[int], estimate: int, context: Optional[int] = None,
                     server_says: bool = False) -> bool:
    """Whether the evidence says the server cut the prompt to fit its context.

    Evidence is: the server says so (llama.cpp's ``truncated``), our low estimate alone exceeds the
    ``context`` the prompt had to fit (the num_ctx we sent, or the server's own size), or the count
    sits at that context (Ollama keeps exactly the last num_ctx tokens, "truncating input prompt ...
    new=4096" in its log; a full prompt that left no room for the answer is no better). A count under the estimate is no evidence: Ollama 0.30.x and
    llama-server count only the tokens their prefix cache did not hold, older Ollama gives no count
    at all when part of the prompt was cached (ollama #2068, #16428).
    """
    if server_says:
        return True
    if not context or context <= 0:
        return False
    if estimate > context:
        return True
    count = _count(reported)
    return count is not None and count >= AT_CONTEXT_SHARE * context


def count_below_estimate(reported: Optional[int], estimate: int) -> bool:
    """A count well under what the request costs: a server counting only what its cache did not hold."""
    count = _count(reported)
    return count is not None and count < LOW_COUNT_SHARE * estimate


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


def openai_chat_url(base_url: str) -> str:
    url = base_url.rstrip("/")
    lowered = url.lower()
    if lowered.endswith("/chat/completions"):
        return url
    if lowered.endswith("/v1") or lowered.endswith("/api"):
        return url + "/chat/completions"  # .../v1 (Ollama, vLLM) or .../api (Open WebUI)
    return url + "/v1/chat/completions"
