"""How sure the model was of each class it gave: from the log-probabilities of the answer's tokens.

Servers return one entry per generated token when asked (Ollama's /api/chat with ``logprobs`` and
``top_logprobs``: a top-level ``logprobs`` list; OpenAI-compatible servers: ``choices[0].logprobs
.content``), each ``{"token", "logprob", "top_logprobs": [{"token", "logprob"}, ...]}``. For every fid
of an accepted answer we find where its ``class_id`` value was generated and read, from the
alternatives the model weighed at those tokens, the probability of each class of the scheme:

- the token stream is laid over the answer text by character offsets (the stream may hold more than
  the answer, e.g. thinking before it; tokens that split a Chinese character are matched on the ASCII
  skeleton of both, since class ids, keys and JSON punctuation are ASCII);
- the walk starts at the token holding the value's first digit and follows the generated path: an
  alternative that ends the number there gives that class, one that stays in digits gives the classes
  starting with those digits. A class id of two digits is two tokens for Gemma ("1" then "2": the
  product), and a one-digit class that is the prefix of a two-digit one ("1" beside "12") needs the
  token after the digit to be a non-digit: its probability times the chosen "1";
- the masses are renormalised over the classes that are valid for the scheme (the schema's grammar
  or our validation rejects the others), giving ``confidence`` (0-1) of the chosen class and the
  most probable other class, ``runner_up_class_id``.

What the stream cannot tell is left out rather than guessed: a path the model did not take beyond its
first digit (a "2" when the scheme has 2 and 21..29) counts for the shortest class it can still
become. A reply without usable log-probabilities gives no confidence (NULL), never a made-up one.
Pure Python: parsing costs microseconds per chip beside the request itself.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from json.decoder import scanstring
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .parse import CODE_FENCE

# alternatives asked for per token: the largest OpenAI and vLLM accept by default is 20; 10 holds every
# digit, and each alternative costs about 40 bytes of answer per generated token
TOP_LOGPROBS = 10


class Confidence(NamedTuple):
    confidence: float  # probability of the chosen class among the scheme's classes, 0-1
    runner_up_class_id: Optional[int]  # the most probable other class (None: no other had any mass)


class Token(NamedTuple):
    text: str
    logprob: float
    top: Tuple[Tuple[str, float], ...]  # the alternatives at this position, the chosen one included


# -- the two answer shapes ----------------------------------------------------------------------------
def ollama_entries(data) -> Optional[list]:
    """The per-token entries of an Ollama /api/chat answer (top-level ``logprobs``), or None."""
    entries = data.get("logprobs") if isinstance(data, dict) else None
    return entries if isinstance(entries, list) and entries else None


def openai_entries(data) -> Optional[list]:
    """The per-token entries of a chat completion (``choices[0].logprobs.content``), or None."""
    try:
        entries = data["choices"][0]["logprobs"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    return entries if isinstance(entries, list) and entries else None


def without_logprobs(data: dict, entries: list) -> str:
    """The answer as JSON without its token list, for the requests log.

    The alternatives make an answer 10-50 times longer; results.sqlite keeps every raw answer, so the
    list is replaced by its length there (the confidence computed from it is in the results).
    """
    if data.get("logprobs") is entries:
        kept = dict(data)
        kept["logprobs"] = f"{len(entries)} token entries, not kept"
    else:
        choice = dict(data["choices"][0])
        choice["logprobs"] = f"{len(entries)} token entries, not kept"
        kept = dict(data)
        kept["choices"] = [choice] + list(data["choices"][1:])
    return json.dumps(kept, ensure_ascii=False)


def _number(value) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None  # NaN too: it would make every share NaN
    return min(0.0, float(value))  # a log-probability above 0 is a rounding error


def _token(entry) -> Optional[Token]:
    """One entry as a Token; None when it is not what the servers document."""
    if not isinstance(entry, dict) or not isinstance(entry.get("token"), str):
        return None
    logprob = _number(entry.get("logprob"))
    if logprob is None:
        return None
    text = entry["token"]
    top = []
    for alternative in entry.get("top_logprobs") or ():
        if isinstance(alternative, dict) and isinstance(alternative.get("token"), str):
            value = _number(alternative.get("logprob"))
            if value is not None:
                top.append((alternative["token"], value))
    if not any(alt == text for alt, _ in top):
        top.append((text, logprob))
    return Token(text, logprob, tuple(top))


class _Tokens:
    """The token stream, its text read at once, each token's alternatives only where a class is read
    (an answer has hundreds of tokens and a handful of class values)."""

    def __init__(self, entries: list):
        self.entries = entries
        self.texts = [entry.get("token") if isinstance(entry, dict) else None for entry in entries]
        self._read: Dict[int, Optional[Token]] = {}

    @property
    def ok(self) -> bool:
        return all(isinstance(text, str) for text in self.texts)

    def from_bytes(self) -> bool:
        """Take each token's text from its UTF-8 ``bytes`` where they say something else (servers that
        write a token holding part of a character as an escape such as ``bytes:\\xe8``); False when
        no entry has bytes that differ."""
        changed = False
        for number, entry in enumerate(self.entries):
            raw = entry.get("bytes")
            if isinstance(raw, list) and raw and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
                text = bytes(raw).decode("utf-8", errors="replace")
                if text != self.texts[number]:
                    self.texts[number] = text
                    changed = True
        return changed

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, number: int) -> Optional[Token]:
        if number not in self._read:
            self._read[number] = _token(self.entries[number])
        return self._read[number]


# -- where each class_id value is in the answer ---------------------------------------------------------
class _Object(list):
    """A JSON object as its (key, value) pairs, in the order written."""


class _Scalar(NamedTuple):
    text: str  # a number as written, or a string's content
    start: int
    end: int


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_INTEGER = re.compile(r"\s*-?\d+\s*")


def _value(text: str, pos: int):
    """A JSON value at ``pos`` with the offsets of its scalars; (value, position after it)."""
    pos = _WS.match(text, pos).end()
    char = text[pos:pos + 1]
    if char == "{":
        return _object(text, pos + 1)
    if char == "[":
        return _array(text, pos + 1)
    if char == '"':
        content, end = scanstring(text, pos + 1)
        return _Scalar(content, pos + 1, end - 1), end
    match = _NUMBER.match(text, pos)
    if match:
        return _Scalar(match.group(), match.start(), match.end()), match.end()
    for word, literal in _LITERALS.items():
        if text.startswith(word, pos):
            return literal, pos + len(word)
    raise ValueError(f"unexpected character at {pos}")


def _object(text: str, pos: int):
    """The object whose '{' ends before ``pos``."""
    pairs = _Object()
    pos = _WS.match(text, pos).end()
    if text[pos:pos + 1] == "}":
        return pairs, pos + 1
    while True:
        if text[pos:pos + 1] != '"':
            raise ValueError("object key expected")
        key, pos = scanstring(text, pos + 1)
        pos = _WS.match(text, pos).end()
        if text[pos:pos + 1] != ":":
            raise ValueError("':' expected")
        item, pos = _value(text, pos + 1)
        pairs.append((key, item))
        pos = _WS.match(text, pos).end()
        if text[pos:pos + 1] == ",":
            pos = _WS.match(text, pos + 1).end()
            continue
        if text[pos:pos + 1] == "}":
            return pairs, pos + 1
        raise ValueError("',' or '}' expected")


def _array(text: str, pos: int):
    """The array whose '[' ends before ``pos``."""
    items = []
    pos = _WS.match(text, pos).end()
    if text[pos:pos + 1] == "]":
        return items, pos + 1
    while True:
        item, pos = _value(text, pos)
        items.append(item)
        pos = _WS.match(text, pos).end()
        if text[pos:pos + 1] == ",":
            pos += 1
            continue
        if text[pos:pos + 1] == "]":
            return items, pos + 1
        raise ValueError("',' or ']' expected")


def _field(pairs, name: str):
    for key, value in pairs:
        if key == name:
            return value
    return None


def class_value_spans(text: str) -> Dict[int, Tuple[int, int]]:
    """fid -> (start, end) of the digits of its class_id in ``text``, for both answer shapes.

    The strict schema's object keyed by fid (its values {class_id, reason}, or the class id alone), the
    simple schema's array of {fid, class_id}, an array
    wrapped in one key, and fenced JSON, as parse.parse_answer takes them. Empty when the text is
    not such JSON (parse_answer has accepted it before we get here, so that is rare).
    """
    fence = CODE_FENCE.match(text)
    start = fence.start(1) if fence else 0
    try:
        data, _ = _value(text, start)
    except (ValueError, IndexError):
        return {}
    triples = _fid_class_pairs(data)
    spans: Dict[int, Tuple[int, int]] = {}
    for fid, value in triples:
        if not isinstance(fid, str) or not _INTEGER.fullmatch(fid) or not isinstance(value, _Scalar):
            continue
        digits = re.match(r"\s*(\d+)", value.text)
        if digits is None:
            continue
        spans[int(fid)] = (value.start + digits.start(1), value.start + digits.end(1))
    return spans


def _fid_class_pairs(data) -> list:
    """(fid as written, class_id scalar) of each answer in either shape; an array wrapped in one key too."""
    if _is_object(data) and len(data) == 1:
        key, only = data[0]
        if isinstance(only, list) and not _is_object(only) and not _INTEGER.fullmatch(key):
            data = only  # some models wrap the array: {"results": [...]}
    triples = []
    if _is_object(data):
        for key, value in data:
            if _is_object(value):
                triples.append((key, _field(value, "class_id")))
            elif isinstance(value, _Scalar):  # the class-only shape: {"<fid>": <class_id>}
                triples.append((key, value))
    elif isinstance(data, list):
        for item in data:
            if _is_object(item):
                fid = _field(item, "fid")
                triples.append((fid.text if isinstance(fid, _Scalar) else None, _field(item, "class_id")))
    return triples


def _is_object(value) -> bool:
    return isinstance(value, _Object)


# -- laying the token stream over the text ---------------------------------------------------------------
def _ascii_skeleton(text: str) -> Tuple[str, List[int]]:
    where = [i for i, char in enumerate(text) if char < "\x80"]
    return "".join(text[i] for i in where), where


def _stream_offsets(text: str, stream: str) -> Optional[Tuple[int, Optional[Tuple[List[int], List[int]]]]]:
    """How text positions map into the stream: (offset, None) when the text is in it verbatim,
    else (skeleton offset, (text ASCII positions, stream ASCII positions)); None when it is not there."""
    at = stream.rfind(text)
    if at >= 0:
        return at, None
    text_skeleton, text_where = _ascii_skeleton(text)
    stream_skeleton, stream_where = _ascii_skeleton(stream)
    at = stream_skeleton.rfind(text_skeleton)
    if at < 0 or not text_skeleton:
        return None
    return at, (text_where, stream_where)


def _to_stream(position: int, mapping) -> Optional[int]:
    offset, skeletons = mapping
    if skeletons is None:
        return position + offset
    text_where, stream_where = skeletons
    k = bisect_left(text_where, position)
    if k >= len(text_where) or text_where[k] != position:
        return None
    return stream_where[offset + k]


# -- the walk along the generated digits -----------------------------------------------------------------
_DIGITS = re.compile(r"\d*")


def _reading(token: str, lead: str, done: str) -> Tuple[Optional[str], str]:
    """What a token at this position makes of the number: ("end", digits) when the number ends in it,
    ("more", digits) when it may go on, (None, "") when the token leaves the value altogether."""
    if lead:
        if not token.startswith(lead):
            return None, ""
        token = token[len(lead):]
    digits = _DIGITS.match(token).group()
    number = done + digits
    if not number:
        return None, ""
    return ("end" if len(digits) < len(token) else "more"), number


def _masses(tokens: _Tokens, starts: List[int], stream: str, start: int, end: int,
            classes: Sequence[str]) -> Optional[Dict[str, float]]:
    """Probability mass of each class (by its digits) at the value stream[start:end]."""
    chosen = stream[start:end]
    masses: Dict[str, float] = {}
    prefixes: Dict[str, float] = {}
    j = bisect_right(starts, start) - 1
    path = 1.0
    while 0 <= j < len(tokens):
        token = tokens[j]
        if token is None:
            return None
        at = starts[j]
        lead = stream[at:start] if at < start else ""
        done = stream[start:at] if at > start else ""
        for text, logprob in token.top:
            if text == token.text:
                continue
            kind, number = _reading(text, lead, done)
            if kind == "end":
                masses[number] = masses.get(number, 0.0) + path * math.exp(logprob)
            elif kind == "more":
                prefixes[number] = prefixes.get(number, 0.0) + path * math.exp(logprob)
        kind, number = _reading(token.text, lead, done)
        if kind == "end":
            if number != chosen:
                return None  # the stream does not say what the text says
            masses[number] = masses.get(number, 0.0) + path * math.exp(token.logprob)
            break
        if kind != "more" or not chosen.startswith(number):
            return None
        path *= math.exp(token.logprob)
        j += 1
    else:
        masses[chosen] = masses.get(chosen, 0.0) + path  # the stream ends right after the digits
    for prefix, mass in prefixes.items():
        becoming = [c for c in classes if c.startswith(prefix)]
        if becoming:
            shortest = min(becoming, key=lambda c: (len(c), c))
            masses[shortest] = masses.get(shortest, 0.0) + mass
    return masses


def class_confidences(text: str, entries: Optional[Iterable], class_ids: Iterable[int]) -> Dict[int, Confidence]:
    """fid -> Confidence for every fid whose class value the token stream covers.

    ``entries``: the server's per-token list (ollama_entries / openai_entries); ``class_ids``: the
    classes an answer may have (the scheme's answerable ids). Fids the stream cannot place are left
    out: their confidence stays empty.
    """
    if not entries or not text or not isinstance(entries, list):
        return {}
    tokens = _Tokens(entries)
    if not tokens.ok:
        return {}
    classes = [str(int(c)) for c in class_ids if int(c) >= 0]
    valid = set(classes)
    stream = "".join(tokens.texts)
    mapping = _stream_offsets(text, stream)
    if mapping is None and tokens.from_bytes():
        stream = "".join(tokens.texts)
        mapping = _stream_offsets(text, stream)
    if mapping is None:
        return {}
    starts = [0, *accumulate(len(t) for t in tokens.texts)][:-1]
    result: Dict[int, Confidence] = {}
    for fid, (start, end) in class_value_spans(text).items():
        first, last = _to_stream(start, mapping), _to_stream(end - 1, mapping)
        if first is None or last is None or stream[first:last + 1] != text[start:end]:
            continue
        masses = _masses(tokens, starts, stream, first, last + 1, classes)
        if not masses:
            continue
        chosen = text[start:end]
        total = sum(mass for digits, mass in masses.items() if digits in valid)
        if chosen not in valid or total <= 0:
            continue
        others = [(mass, -int(digits)) for digits, mass in masses.items()
                  if digits in valid and digits != chosen and mass > 0]
        runner_up = -max(others)[1] if others else None
        result[fid] = Confidence(min(1.0, masses.get(chosen, 0.0) / total), runner_up)
    return result
