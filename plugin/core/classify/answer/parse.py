"""Checking a model's answer for a batch, and cleaning the reasons it gives.

The field report's worst failure: an answer that looked complete but repeated one fid and dropped
another, so classes were written to the wrong objects (tests/unit/test_classify_failures.py). An
answer is therefore accepted only as a whole: exactly the batch's fids, each once, each with a class
of the scheme (0 allowed, -1 never). Anything else raises InvalidAnswerError and the caller splits
the batch. The same checks hold for both answer shapes (request/schemas.py): class and reason
(``{"<fid>": {"class_id", "reason"}}`` or ``[{fid, class_id, reason}]``) and class only
(``{"<fid>": <class_id>}`` or ``[{fid, class_id}]``, REASONS=review's first pass and REASONS=none).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from ...errors import ChipVLMError, Message
from ...schemes import ERROR_CLASS, UNKNOWN_CLASS, Scheme
from ..request.schemas import CLASS_ONLY, WITH_REASON

MAX_REASON_CHARS = 200


class InvalidAnswerError(ChipVLMError, ValueError):
    """The answer cannot be trusted for this batch; the message says why (kept in the requests log, and
    said in the user's language in the run's log)."""


@dataclass(frozen=True)
class ChipAnswer:
    fid: int
    class_id: int
    reason: str  # cleaned; the scheme's review_reason when nothing usable was left; '' for a class-only answer
    needs_review: bool


CODE_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.S)


def _strip_fences(text: str) -> str:
    match = CODE_FENCE.match(text)
    return match.group(1) if match else text


def _no_duplicate_keys(pairs):
    # json.loads silently keeps the last of two equal keys; a repeated fid must not slip through
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidAnswerError("fid {0} appears twice in the answer", key)
        seen[key] = value
    return seen


def _as_int(value, what: str) -> int:
    if isinstance(value, bool):
        raise InvalidAnswerError("{0} is {1}, not an integer", what, repr(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise InvalidAnswerError("{0} is {1}, not an integer", what, repr(value))


def _keyed_value(key, value, shape: str) -> Tuple[object, object, object]:
    """(fid, class_id, reason) of one key of an object answer: {"class_id", "reason"} or, class only, the id."""
    if shape == CLASS_ONLY:
        if isinstance(value, (dict, list)):
            raise InvalidAnswerError("the value for fid {0} is not a class_id", key)
        return key, value, ""
    if not isinstance(value, dict):
        raise InvalidAnswerError("the value for fid {0} is not an object with class_id and reason", key)
    return key, value.get("class_id"), value.get("reason", "")


def _items(data, shape: str = WITH_REASON) -> List[Tuple[object, object, object]]:
    """(fid, class_id, reason) triples from either answer shape (object keyed by fid, or array)."""
    if isinstance(data, dict) and len(data) == 1:
        (only_key, only_value), = data.items()
        # some models wrap the array: {"results": [...]}
        if isinstance(only_value, list) and not re.fullmatch(r"\s*-?\d+\s*", str(only_key)):
            data = only_value
    if isinstance(data, dict):
        return [_keyed_value(key, value, shape) for key, value in data.items()]
    if isinstance(data, list):
        triples = []
        for position, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise InvalidAnswerError("item {0} of the answer is not an object", position)
            if "fid" not in item:
                raise InvalidAnswerError("item {0} of the answer has no fid", position)
            triples.append((item.get("fid"), item.get("class_id"), item.get("reason", "") if shape != CLASS_ONLY else ""))
        return triples
    raise InvalidAnswerError("the answer is neither a JSON object nor a JSON array")


def parse_answer(text: str, fids: Sequence[int], scheme: Scheme, shape: str = WITH_REASON) -> Dict[int, ChipAnswer]:
    """The batch's answers by fid, or InvalidAnswerError: all of the batch or nothing.

    ``shape``: the answer asked for (schemas.WITH_REASON or CLASS_ONLY). A class-only answer has no
    reason, and needs review only for its class (0); with a reason, an empty one needs review too."""
    if text is None or not str(text).strip():
        raise InvalidAnswerError("the model's answer is empty")
    try:
        data = json.loads(_strip_fences(str(text)), object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InvalidAnswerError("the answer is not valid JSON ({0} at character {1})", exc.msg, exc.pos) from None
    expected = [int(f) for f in fids]
    expected_set = set(expected)
    allowed = set(scheme.answerable_ids)
    answers: Dict[int, ChipAnswer] = {}
    for raw_fid, raw_class, raw_reason in _items(data, shape):
        fid = _as_int(raw_fid, Message("a fid"))
        if fid not in expected_set:
            raise InvalidAnswerError("fid {0} is not in this batch {1}", fid, str(expected))
        if fid in answers:
            raise InvalidAnswerError("fid {0} appears twice in the answer", fid)
        if raw_class is None:
            raise InvalidAnswerError("fid {0} has no class_id", fid)
        class_id = _as_int(raw_class, Message("the class_id of fid {0}", fid))
        if class_id == ERROR_CLASS or class_id not in allowed:
            raise InvalidAnswerError("fid {0} has class {1}, which the scheme {2} does not allow", fid, class_id,
                                     repr(scheme.id))
        answers[fid] = _chip_answer(fid, class_id, raw_reason, scheme, shape)
    missing = [f for f in expected if f not in answers]
    if missing:
        raise InvalidAnswerError("fid(s) {0} are missing from the answer", str(missing))
    return answers


def _chip_answer(fid: int, class_id: int, raw_reason, scheme: Scheme, shape: str) -> ChipAnswer:
    if shape == CLASS_ONLY:
        return ChipAnswer(fid, class_id, "", class_id in (ERROR_CLASS, UNKNOWN_CLASS))
    reason = clean_reason(raw_reason if isinstance(raw_reason, str) else "", scheme)
    needs_review = class_id in (ERROR_CLASS, UNKNOWN_CLASS) or not reason
    return ChipAnswer(fid, class_id, reason or scheme.review_reason, needs_review)


# -- reasons -------------------------------------------------------------------------------------
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u00b7"
_HAS_CJK = re.compile(f"[{_CJK}]")
# what a Chinese reason may keep: Chinese, its punctuation, digits and a few measuring signs
_NOT_KEPT_ZH = re.compile(f"[^{_CJK}{_CJK_PUNCT}0-9%.,;/×\\-\\s]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]*\s*[:：=]?")
_LABEL = re.compile(r"^\s*(reasons?|explanation|理由|原因|判断依据|依据)\s*[:：=]\s*", re.I)
_JUNK_ONLY = re.compile(r"^(reasons?|en|zh|cn|n/?a|none|null|nil|unknown|string|text|\W|_)*$", re.I)
_EDGE = re.compile(r"^[\s,.;:，。;:、\-_/|]+|[\s,;:，;:、\-_/|]+$")


def clean_reason(text: str, scheme: Scheme) -> str:
    """A reason fit to show an analyst, or '' when nothing usable is left (then: 待复核, review).

    For a Chinese scheme only the Chinese text is kept (the field report's model mixed in ``reasons:``,
    ``en`` and other fragments: tests/unit/test_classify_answers.py). For other languages labels and junk tokens are dropped.
    """
    if not text:
        return ""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(text)).strip()
    previous = None
    while previous != text:
        previous = text
        text = _LABEL.sub("", text).strip()
    if scheme.is_chinese:
        text = _LATIN_WORD.sub(" ", text)
        text = _NOT_KEPT_ZH.sub(" ", text)
        text = re.sub(r"\s+", " ", text)
        # spaces between Chinese characters are leftovers of removed fragments
        text = re.sub(f"(?<=[{_CJK}{_CJK_PUNCT}]) (?=[{_CJK}{_CJK_PUNCT}])", "", text)
        text = _EDGE.sub("", text).strip()
        if not _HAS_CJK.search(text):
            return ""
    else:
        text = re.sub(r"\s+", " ", text).strip()
        text = _EDGE.sub("", text).strip()
        if _JUNK_ONLY.match(text.replace(" ", "")) or not re.search(r"\w{2,}", text):
            return ""
    if len(text) > MAX_REASON_CHARS:
        text = text[:MAX_REASON_CHARS].rstrip() + "…"
    return text


