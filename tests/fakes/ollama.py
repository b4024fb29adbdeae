"""A fake model server speaking Ollama's native API and the OpenAI-compatible one, over real HTTP.

It listens on 127.0.0.1 only (port 0: the system picks a free one), reads the batch's fids from the
request (the strict schema's required keys, else the ``fid=<n>`` image lines of the prompt) and
"classifies" deterministically: class ``fid % classes + 1`` with a reason naming the fid, so a test
can prove that no fid ever got another fid's class. On cue it misbehaves the ways the field report
and Ollama's issue tracker describe: duplicate, drop or invent a fid, answer a class outside the
scheme, garbage reasons, invalid JSON, HTTP 500 to a strict schema, 404 for an unknown model, 503
when busy, stall past the client's timeout, drop the connection, die in the middle of a run, count
only the prompt tokens its prefix cache did not hold (``prompt_count``), cut prompts longer than its
context (``context_window``, saying so with ``says_when_cut``). A delay
per request and a limit of k requests at once (the others wait, like OLLAMA_NUM_PARALLEL) make it a
stand-in for a GPU in the benchmark.

Run it alone to serve several fakes from another process (the benchmark does):
    python tests/fakes/ollama.py --count 4 --delay 1.0 --concurrency 2
prints one JSON line with the URLs, then serves until stdin closes.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Optional, Set

if not __package__:  # run as a script (the benchmark's fakes): tests/ holds the package fakes
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fakes.handlers import JSONHandler  # noqa: E402

OK = "ok"
DUPLICATE_FID = "duplicate_fid"
DROP_FID = "drop_fid"
STRANGER_FID = "stranger_fid"
BAD_CLASS = "bad_class"
ERROR_CLASS = "error_class"
GARBAGE_REASON = "garbage_reason"
INVALID_JSON = "invalid_json"
SERVER_ERROR = "server_error"
BUSY = "busy"
STALL = "stall"
DROP_CONNECTION = "drop_connection"
# with reference examples in the request: answer for the first reference instead of the last batch chip
ANSWER_REFERENCE = "answer_reference"
BEHAVIORS = (OK, DUPLICATE_FID, DROP_FID, STRANGER_FID, BAD_CLASS, ERROR_CLASS, GARBAGE_REASON, INVALID_JSON,
             SERVER_ERROR, BUSY, STALL, DROP_CONNECTION, ANSWER_REFERENCE)
# answers that never end or cannot be parsed (issue 7 points 10-12)
DEEP_JSON = "deep_json"  # the content nests 100,000 lists deep: json.loads raises RecursionError
HUGE_INT = "huge_int"  # a class id of 5,000 digits: json.loads raises ValueError (Python's 4,300 limit)
HUGE_ANSWER = "huge_answer"  # a valid answer padded to ``huge_bytes``
DRIBBLE = "dribble"  # headers at once, then the body one byte every ``dribble_interval`` seconds
BEHAVIORS += (DEEP_JSON, HUGE_INT, HUGE_ANSWER, DRIBBLE)

_FID_LINE = re.compile(r"fid=(\d+)")
# a reference example's line names its class, never a fid (resources/prompts/*.txt [reference_line])
_REFERENCE_LINE = re.compile(r"class_id=(\d+)")
# what a request costs the model, counted as a server would: ~260 tokens an image (Gemma 3), a token
# per 3 bytes of UTF-8 text (a CJK character is 3 bytes), and the answer
IMAGE_TOKENS = 260
ANSWER_TOKENS_PER_FID = 40

# log-probabilities: given when asked (Ollama >= 0.12.11, vLLM, llama.cpp), ignored (older Ollama,
# gateways that drop the field), or refused with HTTP 400 (servers that validate every field)
LOGPROBS_GIVE = "give"
LOGPROBS_IGNORE = "ignore"
LOGPROBS_REFUSE = "refuse"
# Gemma-like tokens: one digit each, words, runs of spaces, any other character alone
_TOKEN = re.compile(r"\d|\s+|[A-Za-z_]+|.", re.S)
# a class value: {"class_id": 3} / {"fid": 1, "class_id": 3}, or the class-only object's {"<fid>": 3}
_CLASS_VALUE = re.compile(r'"class_id":\s*(\d+)|"\d+":\s*(\d+)')
_FILLER_LOGPROB = -30.0  # alternatives no test should feel (e^-30)

# how the server counts a prompt whose beginning its prefix cache held (issue 17 point 2): in full
# (Ollama before 0.30 and after PR #16428), only the tokens the cache did not hold (Ollama 0.30.x,
# llama-server), or not at all (older Ollama omitted prompt_eval_count then, issue #2068)
COUNT_FULL = "full"
COUNT_UNCACHED = "uncached"
COUNT_OMITTED = "omitted_when_cached"


@dataclass
class Rule:
    """Misbehave with ``behavior`` on matching chat requests, ``times`` times (None: always)."""

    behavior: str
    times: Optional[int] = None
    fids: Optional[Set[int]] = None  # only batches containing one of these fids
    min_batch: int = 1  # only batches at least this large
    used: int = 0

    def matches(self, fids: List[int]) -> bool:
        if self.times is not None and self.used >= self.times:
            return False
        if len(fids) < self.min_batch:
            return False
        if self.fids is not None and not (self.fids & set(fids)):
            return False
        return True


@dataclass
class ChatRecord:
    """What a test may want to know about one chat request."""

    api: str
    path: str
    model: str
    fids: List[int]
    images: int
    schema_type: Optional[str]
    options: dict
    think: Optional[bool]
    behavior: str
    authorization: str
    logprobs: bool = False  # the request asked for log-probabilities
    top_logprobs: Optional[int] = None
    received: float = 0.0  # time.monotonic() when the request was read
    started: float = 0.0  # when it got one of the k slots
    finished: float = 0.0  # when the answer was sent
    keep_alive: Optional[object] = None
    reference_classes: List[int] = field(default_factory=list)  # class of each reference image, in order
    reference_images: List[str] = field(default_factory=list)  # their base64, as received
    batch_images: List[str] = field(default_factory=list)
    context_tokens: int = 0  # text, images and answer, as counted above
    num_ctx: Optional[int] = None  # the context the request asked for (Ollama's options.num_ctx)
    text: str = ""  # every text part of the request, joined
    messages: int = 0
    # the prompt as the model would see it, each image as <image:sha1-prefix> where the server puts it
    # (Ollama: before the message's text unless the text places it with [img]; OpenAI shape: in part order)
    rendered: str = ""
    answer_limit: Optional[int] = None  # num_predict (Ollama) or max_tokens (OpenAI shape) asked for
    class_only: bool = False  # the schema asked the class alone (a first pass of REASONS=review or none)

    @property
    def truncated(self) -> bool:
        """Whether Ollama would have cut this prompt to fit num_ctx (it only logs a line when it does)."""
        return self.num_ctx is not None and self.context_tokens > self.num_ctx


@dataclass
class ServerCues:
    """How a FakeModelServer behaves, each a keyword of its constructor."""
    model: str = "gemma3:27b"
    classes: int = 8
    # a GPU's time: each request holds its slot delay + delay_per_chip x its batch images
    delay: float = 0.0
    concurrency: Optional[int] = None  # slots: requests run at once (None: as many as come)
    delay_per_chip: float = 0.0
    rejects_strict_schema: bool = False
    vision: bool = True
    api_key: str = ""
    language: str = "zh"
    stall_seconds: float = 5.0
    version: str = "0.12.6"
    # > 0: prompts longer than the request's num_ctx (or this, when it sends none) are cut, as
    # Ollama does: the answer still comes, only prompt_eval_count tells
    context_window: int = 0
    port: int = 0
    # fids whose chip this server cannot decode: HTTP 500 with Ollama's words for it (issue 7.8)
    image_error: Optional[Set[int]] = None
    logprobs: str = LOGPROBS_GIVE
    # tokens that split a Chinese character, as byte-level tokenizers do: the stream then holds
    # replacement characters where the answer text has the character
    broken_utf8: bool = False
    huge_bytes: int = 8 * 1024 * 1024
    dribble_interval: float = 1.0
    # who its OpenAI-compatible model list says it is: "library" (Ollama), "vllm", "llamacpp", "openai"
    # (LiteLLM's proxy says so); vLLM and llama.cpp then also answer /version and /props
    owned_by: str = "library"
    server_context: int = 16384
    prompt_count: str = COUNT_FULL
    says_when_cut: bool = False  # a cut prompt's answer carries "truncated": true (llama.cpp)


class FakeModelServer:
    def __init__(self, **cues):
        settings = ServerCues(**cues)  # an unknown cue is a TypeError naming it
        self.__dict__.update(vars(settings))
        self.image_error = set(settings.image_error or ())
        self._cached_prompts: List[List[tuple]] = []  # the prompts its prefix cache holds, as pieces
        self.refuse_with = ""  # non-empty: every chat request is refused with HTTP 400 and these words
        self.rules: List[Rule] = []
        self.records: List[ChatRecord] = []
        self.reference_fid = 990001  # the fid an ANSWER_REFERENCE answer gives the reference it answers for
        # fids the model cannot tell: class 0 (无法判断) in every answer, so they go to review
        self.unsure: Set[int] = set()
        # fid -> the class an answer with reasons gives instead (a reasons pass that disagrees)
        self.other_class_with_reason: Dict[int, int] = {}
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(settings.concurrency) if settings.concurrency else None
        self.stopping = threading.Event()
        self.dead = threading.Event()
        self.die_after_requests: Optional[int] = None
        self.chat_count = 0
        self.active = 0
        self.max_active = 0
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- control -----------------------------------------------------------------------------------
    def add_rule(self, behavior: str, times: Optional[int] = None, fids=None, min_batch: int = 1) -> Rule:
        if behavior not in BEHAVIORS:
            raise ValueError(f"unknown behavior {behavior!r}")
        rule = Rule(behavior, times, set(fids) if fids is not None else None, min_batch)
        with self.lock:
            self.rules.append(rule)
        return rule

    def die_after(self, chat_requests: int) -> None:
        """Answer this many chat requests, then vanish: connections dropped, new ones refused."""
        self.die_after_requests = chat_requests

    def expected_class(self, fid: int) -> int:
        return 0 if fid in self.unsure else fid % self.classes + 1

    def expected_confidence(self, fid: int) -> float:
        """The probability the fake's log-probabilities give the class of ``fid`` (0.5 .. 0.905)."""
        return 0.5 + 0.45 * ((fid * 7) % 10) / 10

    def expected_runner_up(self, fid: int) -> int:
        """The other class the fake's log-probabilities give weight to (exact for up to 19 classes)."""
        chosen = self.expected_class(fid)
        return chosen - 1 if chosen > 1 else self.classes

    def logprob_entries(self, text: str, fids: List[int], top: int, api: str) -> List[dict]:
        """One entry per token of ``text``: each fid's class value carries expected_confidence(fid)
        against expected_runner_up(fid); every other token is certain."""
        top = max(1, min(int(top or 1), 20))
        designed: Dict[int, List[tuple]] = {}  # text position -> (chosen logprob, [(alt, logprob)])
        for fid, match in zip(fids, _CLASS_VALUE.finditer(text)):
            chosen, other = str(self.expected_class(fid)), str(self.expected_runner_up(fid))
            group = 1 if match.group(1) is not None else 2
            if match.group(group) != chosen:
                continue  # a misbehaving answer: nothing to design
            sure, unsure = math.log(self.expected_confidence(fid)), math.log(1 - self.expected_confidence(fid))
            start = match.start(group)
            after = start + len(chosen)
            if chosen[0] != other[0]:  # "3" against "2", "10" against "9": decided at the first digit
                designed[start] = (sure, [(other[0], unsure), ('"', -9.0)])
            elif len(chosen) == 2:  # "12" against "11", "11" against "1": decided at the second digit
                designed[start + 1] = (sure, [(other[1] if len(other) == 2 else text[after], unsure)])
            else:  # "1" against "12": decided by the token after the digit
                designed[after] = (sure, [(other[1], unsure)])
        entries = []
        for match in _TOKEN.finditer(text):
            token = match.group()
            logprob, alternatives = designed.get(match.start(), (0.0, []))
            pieces = [token]
            if self.broken_utf8 and ord(token[0]) > 0x7f:
                pieces = ["\ufffd", "\ufffd"]
            for piece in pieces:
                tops = [(piece, logprob)] + alternatives
                tops += [(f"x{n}", _FILLER_LOGPROB) for n in range(top - len(tops))]
                entry = {"token": piece, "logprob": logprob,
                         "top_logprobs": [{"token": t, "logprob": v} for t, v in tops[:top]]}
                if api == "openai":
                    entry["bytes"] = list(piece.encode("utf-8"))
                    for alternative in entry["top_logprobs"]:
                        alternative["bytes"] = list(alternative["token"].encode("utf-8"))
                entries.append(entry)
        return entries

    def refusal(self, record: ChatRecord, schema) -> Optional[tuple]:
        """(HTTP status, the server's words) when this request is refused, else None."""
        if record.logprobs and self.logprobs == LOGPROBS_REFUSE:
            return 400, "invalid request: unknown field logprobs"
        if self.refuse_with:
            return 400, self.refuse_with
        if self.image_error & set(record.fids):
            return 500, "Failed to create new sequence: failed to process inputs: image: unknown format"
        if self.rejects_strict_schema and _is_strict(schema):
            return 500, "failed to load model vocabulary required for format"
        return _BEHAVIOR_ERRORS.get(record.behavior)

    def occupy(self, record: ChatRecord) -> bool:
        """Hold one of the k slots for the request's GPU time; False when it stalls (then dropped)."""
        if self.slots is not None:
            self.slots.acquire()
        record.started = time.monotonic()
        try:
            with self.lock:
                self.active += 1
                self.max_active = max(self.max_active, self.active)
            if record.behavior == STALL:
                self.stopping.wait(self.stall_seconds)
                return False
            busy = self.delay + self.delay_per_chip * len(record.batch_images)
            if busy:
                self.stopping.wait(busy)
            return True
        finally:
            with self.lock:
                self.active -= 1
            if self.slots is not None:
                self.slots.release()

    def cut_to_context(self, prompt_tokens: int, num_ctx: int) -> tuple:
        """(prompt tokens counted, whether cut): Ollama cuts a prompt longer than the context (num_ctx,
        else its default) without a word."""
        if not self.context_window:
            return prompt_tokens, False
        window = num_ctx or self.context_window
        return min(prompt_tokens, window), prompt_tokens > window

    def reported_prompt_tokens(self, full: int, pieces: List[tuple]) -> Optional[int]:
        """The prompt count this server reports for a prompt of ``full`` tokens made of ``pieces``
        ((key, tokens) in the order the model reads them: each message's images, then its text, as
        Ollama lays them out): in full, or without the longest prefix an earlier prompt shares."""
        with self.lock:
            cached = 0
            for earlier in self._cached_prompts:
                shared = 0
                for mine, theirs in zip(pieces, earlier):
                    if mine != theirs:
                        break
                    shared += mine[1]
                cached = max(cached, shared)
            self._cached_prompts = (self._cached_prompts + [pieces])[-16:]
        if self.prompt_count == COUNT_UNCACHED:
            return max(1, full - cached)
        if self.prompt_count == COUNT_OMITTED and cached:
            return None
        return full

    def expected_reason(self, fid: int) -> str:
        if self.language == "zh":
            return f"编号{fid}的对象纹理清晰"
        return f"object {fid} has a clear texture"

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeModelServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.port = self._httpd.server_address[1]  # a restart listens on the same port
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-ollama", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._die()

    def kill(self) -> None:
        """Vanish at once, as a killed ``ollama serve``: the port refuses connections until revive()."""
        self.dead.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def revive(self) -> FakeModelServer:
        """Start again on the same port (the restarted server), with the same rules and records."""
        closer = getattr(self, "_closer", None)
        if closer is not None:
            closer.join()  # the port must be free before it is bound again
        self.dead.clear()
        self.die_after_requests = None
        return self.start()

    def _die(self) -> None:
        if self.dead.is_set():
            return
        self.dead.set()
        if self._httpd is not None:
            self._closer = threading.Thread(target=self._close_listener, args=(self._httpd,), daemon=True)
            self._closer.start()

    def _close_listener(self, httpd) -> None:
        httpd.shutdown()
        httpd.server_close()

    def __enter__(self) -> FakeModelServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- answers -----------------------------------------------------------------------------------
    def _pick_behavior(self, fids: List[int]) -> str:
        with self.lock:
            for rule in self.rules:
                if rule.matches(fids):
                    rule.used += 1
                    return rule.behavior
        return OK

    def answer_text(self, fids: List[int], shape: str, behavior: str, reference_classes=(),
                    class_only: bool = False) -> str:
        entries = [[fid, self.expected_class(fid), self.expected_reason(fid)] for fid in fids]
        broken = self._misbehave(entries, fids, behavior, reference_classes)
        if broken is not None:
            return broken
        if class_only:  # the answer without reasons (schemas.CLASS_ONLY), compact as the template asks
            if shape == "object":
                return "{" + ",".join(f"{json.dumps(str(fid))}:{cls}" for fid, cls, _ in entries) + "}"
            return json.dumps([{"fid": f, "class_id": c} for f, c, _ in entries], separators=(",", ":"))
        for entry in entries:
            entry[1] = self.other_class_with_reason.get(entry[0], entry[1])
        if shape == "object":
            # written by hand so a duplicated fid stays duplicated in the text, as a model would write it
            parts = [
                json.dumps(str(fid)) + ": " + json.dumps({"class_id": cls, "reason": reason}, ensure_ascii=False)
                for fid, cls, reason in entries
            ]
            return "{" + ", ".join(parts) + "}"
        return json.dumps([{"fid": f, "class_id": c, "reason": r} for f, c, r in entries], ensure_ascii=False)

    def _misbehave(self, entries: List[list], fids: List[int], behavior: str, reference_classes) -> Optional[str]:
        """What ``behavior`` does to the answer: changes ``entries`` (fid, class, reason) in place, or
        returns the whole broken text (None: the entries make the answer)."""
        broken = _BROKEN_TEXTS.get(behavior)
        if broken is not None:
            return broken(fids)
        if behavior == ANSWER_REFERENCE and reference_classes:
            # the count stays right: one batch chip is left out for the reference it answered instead
            entries[-1] = [self.reference_fid, reference_classes[0], "reference example"]
        elif behavior == DUPLICATE_FID and len(entries) > 1:
            entries[-1] = list(entries[0])  # the field report's case: length right, one fid twice
        elif behavior == DROP_FID:
            del entries[-1]
        elif behavior == STRANGER_FID:
            entries.append([max(fids) + 1000, 1, "stranger"])
        elif behavior == BAD_CLASS:
            entries[0][1] = self.classes + 5
        elif behavior == ERROR_CLASS:
            entries[0][1] = -1
        elif behavior == GARBAGE_REASON:
            garbage = ["reasons:", "en", "reason: en", "", "  ", "reasons: en,"]
            for n, entry in enumerate(entries):
                entry[2] = garbage[n % len(garbage)]
        return None


# refusals by behavior: (HTTP status, the server's words)
_BEHAVIOR_ERRORS = {
    BUSY: (503, "server busy, please try again.  maximum pending requests exceeded"),
    SERVER_ERROR: (500, "llama runner process has terminated: exit status 2"),
}


def _read_messages(api: str, messages: list) -> tuple:
    """(text parts, images as base64, each message as the model sees it); ValueError for what the
    server refuses (an image that is no data URI, or no PNG or JPEG)."""
    text_parts: List[str] = []
    images: List[str] = []
    rendered: List[str] = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            text_parts.append(content)
        elif isinstance(content, list):
            _read_parts(content, text_parts, images)
        if api == "ollama":
            images.extend(message.get("images") or [])
            rendered.append(_ollama_rendered(content if isinstance(content, str) else "", message.get("images") or []))
        elif isinstance(content, list):
            rendered.append(_parts_rendered(content))
        else:
            rendered.append(str(content))
    for image in images:
        head = base64.b64decode(image[:24])
        if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
            raise ValueError("image: unknown format")
    return text_parts, images, rendered


def _read_parts(content: list, text_parts: List[str], images: List[str]) -> None:
    """The text and image parts of an OpenAI-shaped message, in order."""
    for part in content:
        if part.get("type") == "text":
            text_parts.append(part.get("text", ""))
        elif part.get("type") == "image_url":
            url = part.get("image_url")
            url = url.get("url") if isinstance(url, dict) else url
            if not isinstance(url, str) or not url.startswith("data:image/"):
                raise ValueError("image URLs must be base64 data URIs")
            images.append(url.split(",", 1)[1])


def _schema_and_options(api: str, payload: dict) -> tuple:
    """The answer schema and the sampling options of a request, in either API's shape."""
    if api == "ollama":
        return payload.get("format"), payload.get("options") or {}
    response_format = payload.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema")
    return schema, {"temperature": payload.get("temperature"), "max_tokens": payload.get("max_tokens")}


def _batch_fids(schema, text: str) -> List[int]:
    """The batch's fids: the strict schema's keys, else the fid lines of the text, in order."""
    if _is_strict(schema):
        return [int(k) for k in schema["required"]]
    fids: List[int] = []
    for match in _FID_LINE.finditer(text):
        fid = int(match.group(1))
        if fid not in fids:
            fids.append(fid)
    return fids


# answers that are no answer at all, by behavior
_BROKEN_TEXTS = {
    INVALID_JSON: lambda fids: '{"' + str(fids[0]) + '": {"class_id": 1, "reason": "unterminated',
    DEEP_JSON: lambda fids: "[" * 100000 + "]" * 100000,
    HUGE_INT: lambda fids: '{"' + str(fids[0]) + '": {"class_id": 1' + "0" * 5000 + ', "reason": "x"}}',
}


def _image_mark(data: str) -> str:
    return "<image:" + hashlib.sha1(data.encode("ascii", "replace")).hexdigest()[:12] + ">"


def _ollama_rendered(content: str, images: List[str]) -> str:
    """A message as Ollama renders it (server/prompt.go): each image where an [img] of the text is,
    the ones without a place before the text."""
    prefix = ""
    for image in images:
        if "[img]" in content:
            content = content.replace("[img]", _image_mark(image), 1)
        else:
            prefix += _image_mark(image)
    return prefix + content


def _parts_rendered(parts: list) -> str:
    out = []
    for part in parts:
        if part.get("type") == "text":
            out.append(part.get("text", ""))
        elif part.get("type") == "image_url":
            url = part.get("image_url")
            url = url.get("url") if isinstance(url, dict) else str(url)
            out.append(_image_mark(url.split(",", 1)[-1]))
    return "\n".join(out)


def shared_prefix(a: str, b: str) -> str:
    """What two rendered prompts have in common from their start: what a prefix cache reuses."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def _rendered_pieces(rendered: str) -> List[tuple]:
    """A rendered prompt as a prefix cache compares it: images (by content) and lines of text, each
    line about a token per 3 bytes of UTF-8, in the order the model reads them."""
    pieces: List[tuple] = []
    for line in rendered.split("\n"):
        for segment in re.split(r"(<image:[0-9a-f]{12}>)", line):
            if segment.startswith("<image:"):
                pieces.append((("image", segment), IMAGE_TOKENS))
            elif segment:
                pieces.append((("text", segment), max(1, len(segment.encode("utf-8")) // 3)))
        pieces.append((("text", "\n"), 0))
    return pieces


def _schema_shape(schema) -> Optional[str]:
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("object", "array"):
            return kind
    return None


def _class_only(schema) -> bool:
    """Whether the schema asks the class alone: strict values that are integers, or array items without a reason."""
    if _is_strict(schema):
        values = list((schema.get("properties") or {}).values())
        return bool(values) and values[0].get("type") == "integer"
    if _schema_shape(schema) == "array":
        return "reason" not in ((schema.get("items") or {}).get("required") or ["reason"])
    return False


def _is_strict(schema) -> bool:
    return _schema_shape(schema) == "object" and bool(schema.get("required"))


class _Handler(JSONHandler):
    fake: FakeModelServer = None  # set on the subclass made by start()
    CONTENT_TYPE = "application/json; charset=utf-8"  # as Ollama (Go) sends it

    # -- plumbing ------------------------------------------------------------------------------------

    def _dribble(self, status: int, payload) -> None:
        """The answer, one byte at a time: each wait between bytes is short, the whole never ends soon."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        try:
            for position in range(len(body)):
                if self.fake.stopping.wait(self.fake.dribble_interval):
                    break
                self.wfile.write(body[position:position + 1])
                self.wfile.flush()
        except OSError:
            pass  # the client hung up, as it should
        self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True  # nothing written: the client sees the connection vanish

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return None

    def _authorized(self) -> bool:
        if not self.fake.api_key:
            return True
        return self.headers.get("Authorization", "") == f"Bearer {self.fake.api_key}"

    def _error(self, api: str, status: int, message: str) -> None:
        if api == "openai":
            self._send(status, {"error": {"message": message, "type": "api_error", "param": None, "code": None}})
        else:
            self._send(status, {"error": message})

    # -- routes ------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        fake = self.fake
        if fake.dead.is_set():
            return self._drop()
        if not self._authorized():
            return self._send(401, {"detail": "Not authenticated"})
        path = self.path.split("?")[0].rstrip("/")
        if path == "/api/version":
            return self._send(200, {"version": fake.version})
        if path == "/api/tags":
            return self._send(200, {"models": [{
                "name": fake.model, "model": fake.model, "modified_at": "2026-08-01T10:00:00.000000Z",
                "size": 17400000000, "digest": "0" * 64,
                "details": {"parent_model": "", "format": "gguf", "family": "gemma3", "families": ["gemma3"],
                            "parameter_size": "27.4B", "quantization_level": "Q4_K_M"},
            }]})
        if path in ("/v1/models", "/api/models"):
            item = {"id": fake.model, "object": "model", "created": 1754000000, "owned_by": fake.owned_by}
            if fake.owned_by == "vllm":
                item["max_model_len"] = fake.server_context
            return self._send(200, {"object": "list", "data": [item]})
        if path == "/version" and fake.owned_by == "vllm":
            return self._send(200, {"version": "0.11.0"})
        if path == "/props" and fake.owned_by == "llamacpp":
            return self._send(200, {"default_generation_settings": {"n_ctx": fake.server_context},
                                    "modalities": {"vision": fake.vision}, "build_info": "b6500"})
        if path == "":
            return self._send(200, "Ollama is running")
        return self._send(404, {"error": "404 page not found"})

    def do_POST(self) -> None:
        fake = self.fake
        if fake.dead.is_set():
            return self._drop()
        path = self.path.split("?")[0].rstrip("/")
        payload = self._read_json()
        received = time.monotonic()
        api = "openai" if path.endswith("/chat/completions") else "ollama"
        if payload is None:
            return self._error(api, 400, "invalid character in request body")
        if not self._authorized():
            return self._send(401, {"detail": "Not authenticated"})
        if path == "/api/show":
            name = payload.get("model") or payload.get("name")
            if name != fake.model:
                return self._send(404, {"error": f"model '{name}' not found"})
            return self._send(200, {
                "license": "", "modelfile": f"FROM {fake.model}", "parameters": "temperature 1",
                "template": "{{ .Prompt }}",
                "details": {"parent_model": "", "format": "gguf", "family": "gemma3", "families": ["gemma3"],
                            "parameter_size": "27.4B", "quantization_level": "Q4_K_M"},
                "model_info": {"general.architecture": "gemma3"},
                "capabilities": ["completion", "vision"] if fake.vision else ["completion"],
                "modified_at": "2026-08-01T10:00:00.000000Z",
            })
        if path in ("/api/chat", "/v1/chat/completions", "/api/chat/completions"):
            return self._chat(api, path, payload, received)
        return self._send(404, {"error": "404 page not found"})

    def _chat(self, api: str, path: str, payload: dict, received: float) -> None:
        fake = self.fake
        with fake.lock:
            fake.chat_count += 1
            number = fake.chat_count
        if fake.die_after_requests is not None and number > fake.die_after_requests:
            fake._die()
            return self._drop()
        model = payload.get("model")
        if model != fake.model:
            return self._error(api, 404, f'model "{model}" not found, try pulling it first')
        messages = payload.get("messages") or []
        if not messages:
            return self._error(api, 400, "messages are required")
        try:
            text_parts, images, rendered = _read_messages(api, messages)
        except ValueError as problem:
            return self._error(api, 400, str(problem))
        schema, options = _schema_and_options(api, payload)
        fids = _batch_fids(schema, "\n".join(text_parts))
        text = "\n".join(text_parts)
        reference_classes = [int(m.group(1)) for m in _REFERENCE_LINE.finditer(text)]
        if len(fids) + len(reference_classes) != len(images):
            return self._error(api, 400, f"{len(images)} images for {len(fids)} fids and "
                                         f"{len(reference_classes)} references")
        behavior = fake._pick_behavior(fids)
        record = ChatRecord(api, path, model, fids, len(images), _schema_shape(schema), options,
                            payload.get("think"), behavior, self.headers.get("Authorization", ""),
                            logprobs=payload.get("logprobs") is True, top_logprobs=payload.get("top_logprobs"),
                            received=received)
        record.keep_alive = payload.get("keep_alive")
        # the references come first (their own message, or the first parts of the message)
        record.reference_classes = reference_classes
        record.reference_images = images[:len(reference_classes)]
        record.batch_images = images[len(reference_classes):]
        record.context_tokens = (IMAGE_TOKENS * len(images) + len(text.encode("utf-8")) // 3
                                 + ANSWER_TOKENS_PER_FID * len(fids))
        record.num_ctx = options.get("num_ctx") if api == "ollama" else None
        record.text, record.messages = text, len(messages)
        record.rendered = "\n".join(rendered)
        pieces = _rendered_pieces(record.rendered)
        record.answer_limit = options.get("num_predict") if api == "ollama" else payload.get("max_tokens")
        record.class_only = _class_only(schema)
        with fake.lock:
            fake.records.append(record)
        refusal = fake.refusal(record, schema)
        if refusal is not None:
            return self._error(api, *refusal)
        if behavior == DROP_CONNECTION or not fake.occupy(record):
            return self._drop()
        if fake.dead.is_set() and (fake.die_after_requests is None or number > fake.die_after_requests):
            return self._drop()  # the first die_after requests are answered even if the end came meanwhile
        content = fake.answer_text(fids, _schema_shape(schema) or "array", behavior, reference_classes,
                                   class_only=_class_only(schema))
        # about what Gemma's tokenizer counts: ~260 per image, ~1 per CJK character, ~3 ASCII a token
        prompt_tokens = 260 * len(images) + max(400, len("\n".join(text_parts).encode("utf-8")) // 3)
        prompt_tokens, cut = fake.cut_to_context(prompt_tokens, int(options.get("num_ctx") or 0) if api == "ollama" else 0)
        prompt_tokens = fake.reported_prompt_tokens(prompt_tokens, pieces)
        eval_tokens = 30 * len(fids)
        record.finished = time.monotonic()
        entries = None
        if record.logprobs and fake.logprobs == LOGPROBS_GIVE and len(content) <= 20_000:
            # (not for the parser-breaking answers: 100,000 tokens would take the fake longer than a timeout)
            entries = fake.logprob_entries(content, fids, record.top_logprobs or 1, api)
        return self._answer(record, number, content, entries, (prompt_tokens, eval_tokens, cut))

    def _answer(self, record: ChatRecord, number: int, content: str, entries, usage: tuple) -> None:
        """Send the answer in the request's API shape; ``usage``: (prompt tokens, eval tokens, cut)."""
        fake, api, model, behavior = self.fake, record.api, record.model, record.behavior
        prompt_tokens, eval_tokens, cut = usage
        send = self._dribble if behavior == DRIBBLE else self._send
        if api == "ollama":
            answer = {
                "model": model, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
                "message": {"role": "assistant", "content": content},
                "done_reason": "stop", "done": True,
                "total_duration": int(fake.delay * 1e9) + 1000, "load_duration": 1000,
                "prompt_eval_count": prompt_tokens, "prompt_eval_duration": 1000,
                "eval_count": eval_tokens, "eval_duration": int(fake.delay * 1e9),
            }
            if prompt_tokens is None:
                del answer["prompt_eval_count"], answer["prompt_eval_duration"]
            if cut and fake.says_when_cut:
                answer["truncated"] = True
            if entries is not None:
                answer["logprobs"] = entries
            if behavior == HUGE_ANSWER:
                answer["padding"] = "x" * fake.huge_bytes
            return send(200, answer)
        choice = {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        if entries is not None:
            choice["logprobs"] = {"content": entries}
        extra = {"truncated": True} if cut and fake.says_when_cut else {}
        return send(200, {**extra,
            "id": f"chatcmpl-{number}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "system_fingerprint": "fp_ollama",
            "choices": [choice],
            "usage": {"prompt_tokens": prompt_tokens or 0, "completion_tokens": eval_tokens,
                      "total_tokens": (prompt_tokens or 0) + eval_tokens},
        })


def main(argv: Optional[List[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Serve fake Ollama endpoints on 127.0.0.1.")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=0)
    parser.add_argument("--model", default="gemma3:27b")
    args = parser.parse_args(argv)
    servers = [
        FakeModelServer(model=args.model, delay=args.delay, concurrency=args.concurrency or None).start()
        for _ in range(args.count)
    ]
    print(json.dumps({"urls": [s.url for s in servers]}), flush=True)
    stats: Dict[str, int] = {}
    timeline: Dict[str, list] = {}
    try:
        sys.stdin.read()  # serve until the parent closes our stdin (or kills us)
    finally:
        for server in servers:
            stats[server.url] = server.max_active
            timeline[server.url] = [(r.received, r.started, r.finished) for r in server.records]
            server.stop()
    print(json.dumps({"max_active": stats, "timeline": timeline}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
