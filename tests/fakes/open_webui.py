"""A fake Open WebUI in front of a fake Ollama, forwarding the way the real one (0.12.4) does.

Read from Open WebUI's own code (routers/ollama.py, utils/payload.py, main.py) and checked against a
real ``open-webui serve`` in front of tests/fakes/ollama.py (tests/gateways/):

- ``/api/chat/completions`` (OpenAI shape, bearer key): text parts merged, images passed as Ollama
  ``images``, ``response_format.json_schema.schema`` becomes ``format``, ``max_tokens`` becomes
  ``options.num_predict``; the body's ``options`` is forwarded, with ``format``, ``keep_alive`` and
  ``think`` lifted out of it to the top level; a top-level ``temperature`` (and anything else) is
  dropped.
- ``/ollama/...``: Ollama's native API proxied as it is, with the same bearer key.
- ``/api/models`` lists the models it last saw, kept while its Ollama is away.
- Errors, as it words them: a model it does not list, 400 ``Model not found``; its Ollama dropping
  the connection, 500 ``Ollama: Server disconnected``; its Ollama refusing connections, 500
  ``Ollama: Cannot connect to host ...``, and once it has refreshed its model list from the dead
  Ollama, 400 ``Model '<name>' was not found``; Ollama's own errors pass with Ollama's status and
  words (``{"detail": ...}``); a wrong key, 401.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Dict, List, Optional
from urllib.parse import urlsplit

from fakes.handlers import JSONHandler

VERSION = "0.12.4"
INVALID_TOKEN = "Your session has expired or the token is invalid. Please sign in again."


class BackendDownError(Exception):
    """The Ollama behind did not answer; ``detail`` is what Open WebUI says about it."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass
class Forwarded:
    """One request Open WebUI sent on to its Ollama."""

    path: str
    payload: dict


class FakeOpenWebUI:
    def __init__(self, ollama_url: str, api_key: str = "sk-chipvlm-test", version: str = VERSION,
                 refresh_after_failures: int = 2):
        self.ollama_url = ollama_url.rstrip("/")
        self.api_key = api_key
        self.version = version
        # failed connections to Ollama before a chat request refreshes the model list (and finds it empty)
        self.refresh_after_failures = refresh_after_failures
        self.models: List[dict] = []  # what /api/models lists (kept while Ollama is away)
        self.ollama_models: Optional[List[str]] = None  # its Ollama's list, refreshed when stale
        self.failures_since_refresh = 0
        self.forwarded: List[Forwarded] = []
        self.lock = threading.Lock()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeOpenWebUI:
        handler = type("Handler", (_Handler,), {"gateway": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-open-webui", daemon=True)
        self._thread.start()
        try:
            self.refresh_models()
        except BackendDownError:
            pass
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> FakeOpenWebUI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def chat_payloads(self) -> List[dict]:
        """What reached Ollama's /api/chat, in order (images left out)."""
        return [f.payload for f in self.forwarded if f.path.endswith("/api/chat")]

    # -- talking to the Ollama behind ------------------------------------------------------------------
    def backend(self, method: str, path: str, body: Optional[bytes] = None, timeout: float = 30.0):
        """(status, parsed JSON or None, raw bytes) from the Ollama; BackendDownError when it is away."""
        parts = urlsplit(self.ollama_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            try:
                connection.connect()
            except OSError as exc:
                raise BackendDownError(
                    f"Ollama: Cannot connect to host {parts.hostname}:{parts.port} ssl:default "
                    f"[Connect call failed ('{parts.hostname}', {parts.port})]") from exc
            try:
                connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException) as exc:
                raise BackendDownError("Ollama: Server disconnected") from exc
        finally:
            connection.close()
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            data = None
        return response.status, data, raw

    def refresh_models(self) -> List[str]:
        """Ask the Ollama for its models (what Open WebUI's get_all_models does)."""
        try:
            status, data, _ = self.backend("GET", "/api/tags", timeout=5.0)
        except BackendDownError:
            with self.lock:
                self.ollama_models = []
            raise
        names = [m.get("name") for m in (data or {}).get("models", [])] if status == 200 else []
        with self.lock:
            self.ollama_models = names
            self.failures_since_refresh = 0
            self.models = [
                {"id": m.get("name"), "name": m.get("name"), "object": "model", "created": int(time.time()),
                 "owned_by": "ollama", "ollama": m, "connection_type": "local", "tags": [], "actions": [],
                 "filters": []}
                for m in (data or {}).get("models", [])
            ]
        return names

    def ollama_has(self, model: str) -> bool:
        """get_ollama_url(): a model it does not know makes it refresh the list once."""
        with self.lock:
            stale = self.ollama_models is None or self.failures_since_refresh >= self.refresh_after_failures
            known = list(self.ollama_models or [])
        if stale or model not in known:
            try:
                known = self.refresh_models()
            except BackendDownError:
                known = []
        return model in known

    def failed(self) -> None:
        with self.lock:
            self.failures_since_refresh += 1


def _message_to_ollama(message: dict) -> dict:
    """One OpenAI message as Open WebUI hands it to Ollama: its text parts joined, its images apart."""
    content = message.get("content")
    new = {"role": message.get("role", "user")}
    if isinstance(content, str):
        new["content"] = content
        return new
    text, images = "", []
    for part in content or []:
        if part.get("type") == "text":
            text += part.get("text", "")
        elif part.get("type") == "image_url":
            url = (part.get("image_url") or {}).get("url", "")
            images.append(url.split(",")[-1] if url.startswith("data:") else url)
    if text:
        new["content"] = text.strip()
    if images:
        new["images"] = images
    return new


def openai_to_ollama(payload: dict) -> dict:
    """convert_payload_openai_to_ollama() of Open WebUI 0.12.4, for what we send."""
    messages = [_message_to_ollama(message) for message in payload.get("messages") or []]
    out = {"model": payload.get("model"), "messages": messages, "stream": payload.get("stream", False)}
    response_format = payload.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        out["format"] = (response_format.get("json_schema") or {}).get("schema")
    options = dict(payload.get("options") or {})
    for key in ("format", "keep_alive", "think"):
        if options.get(key) is not None:
            out[key] = options.pop(key)
    if payload.get("max_tokens") is not None:
        options.setdefault("num_predict", payload["max_tokens"])
    if "max_tokens" in options:
        options["num_predict"] = options.pop("max_tokens")
    if options:
        out["options"] = options
    return out


def ollama_to_openai(answer: dict) -> dict:
    prompt = answer.get("prompt_eval_count") or 0
    completion = answer.get("eval_count") or 0
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": answer.get("model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": (answer.get("message") or {}).get(
            "content", "")}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }


class _Handler(JSONHandler):
    gateway: FakeOpenWebUI = None

    def _detail(self, status: int, detail: str) -> None:
        self._send(status, {"detail": detail})

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header:
            self._detail(401, "Not authenticated")
            return False
        if header != f"Bearer {self.gateway.api_key}":
            self._detail(401, INVALID_TOKEN)
            return False
        return True

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        gateway = self.gateway
        path = self.path.split("?")[0].rstrip("/")
        if path == "/api/version":
            return self._send(200, {"version": gateway.version, "deployment_id": ""})
        if path == "/api/config":
            return self._send(200, {"status": True, "name": "Open WebUI", "version": gateway.version,
                                    "default_locale": "", "features": {}})
        if path == "/health":
            return self._send(200, {"status": True})
        if not self._authorized():
            return None
        if path == "/api/models":
            try:
                gateway.refresh_models()
            except BackendDownError:
                pass  # the list it had stays
            with gateway.lock:
                return self._send(200, {"data": list(gateway.models)})
        if path.startswith("/ollama/"):
            return self._proxy("GET", path[len("/ollama"):], b"")
        return self._detail(404, "Not Found")

    def do_POST(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        body = self._body()
        if not self._authorized():
            return None
        if path in ("/api/chat/completions", "/api/v1/chat/completions"):
            return self._chat_completions(body)
        if path.startswith("/ollama/"):
            return self._proxy("POST", path[len("/ollama"):], body)
        return self._detail(404, "Not Found")

    def _forward(self, path: str, payload: dict, body: bytes):
        gateway = self.gateway
        visible = dict(payload)
        if isinstance(visible.get("messages"), list):
            visible["messages"] = [{k: v for k, v in m.items() if k != "images"} | {"images": len(m.get("images") or [])}
                                   for m in visible["messages"]]
        with gateway.lock:
            gateway.forwarded.append(Forwarded(path, visible))
        try:
            return gateway.backend("POST", path, body, timeout=60.0)
        except BackendDownError:
            gateway.failed()
            raise

    def _chat_completions(self, body: bytes) -> None:
        gateway = self.gateway
        try:
            payload = json.loads(body.decode("utf-8"))
        except ValueError:
            return self._detail(400, "Invalid JSON")
        model = payload.get("model")
        with gateway.lock:
            listed = [m["id"] for m in gateway.models]
        if model not in listed:
            return self._detail(400, "Model not found")
        if not gateway.ollama_has(model):
            return self._detail(400, f"Model '{model}' was not found")
        converted = openai_to_ollama(payload)
        try:
            status, data, raw = self._forward("/api/chat", converted, json.dumps(converted).encode("utf-8"))
        except BackendDownError as down:
            return self._detail(500, down.detail)
        if status != 200:
            return self._detail(status, (data or {}).get("error") or "Open WebUI: Server Connection Error")
        return self._send(200, ollama_to_openai(data or {}))

    def _proxy(self, method: str, path: str, body: bytes) -> None:
        gateway = self.gateway
        payload: Dict = {}
        if body:
            try:
                payload = json.loads(body.decode("utf-8"))
            except ValueError:
                return self._detail(400, "Invalid JSON")
        if path in ("/api/chat", "/api/show", "/api/generate"):
            model = payload.get("model") or payload.get("name")
            if not gateway.ollama_has(model):
                return self._detail(400, f"Model '{model}' was not found")
        try:
            if method == "GET":
                status, data, raw = gateway.backend("GET", path, timeout=10.0)
            else:
                status, data, raw = self._forward(path, payload, body)
        except BackendDownError as down:
            return self._detail(500, down.detail)
        if status != 200:
            error = (data or {}).get("error") if isinstance(data, dict) else None
            return self._detail(status, error or "Open WebUI: Server Connection Error")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
