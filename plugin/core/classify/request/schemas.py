"""The JSON schemas we ask the server to enforce on the model's answer, and how long that answer may be.

``strict``: an object with one required key per fid of the batch (additionalProperties false), so
where the server compiles the schema to a grammar a duplicated, missing or stranger fid cannot even
be generated. Some Ollama/model pairs answer HTTP 500 to such schemas (ollama #11500/#8185;
tests/unit/test_classify_failures.py::test_a_server_answering_500_to_the_strict_schema_falls_back_to_the_simple_one), so ``simple`` is the fallback: a plain array of {fid, class_id, reason}. Either way the
answer is validated in our code (answer/parse.py): a schema is a help, never a guarantee.

The answer's shape is a parameter: ``WITH_REASON`` (class and reason, today's answer) or
``CLASS_ONLY`` (``{"<fid>": <class_id>}`` strict, ``[{fid, class_id}]`` simple), for a first pass that
asks the class alone. `answer_token_limit` bounds the answer (num_predict / max_tokens) from the batch
size and the shape, so a model that loops stops after a few hundred tokens, not 2048.
"""
from __future__ import annotations

from typing import List, Sequence

STRICT = "strict"
SIMPLE = "simple"
SCHEMA_KINDS = (STRICT, SIMPLE)

WITH_REASON = "class_reason"
CLASS_ONLY = "class"
ANSWER_SHAPES = (WITH_REASON, CLASS_ONLY)

# Tokens of the longest legitimate answer per chip, counted with Gemma 3's tokenizer by
# bench/bench_tokens.py (seven-digit fid, two-digit class, a reason at the template's limit: 20 English
# words or 30 Chinese characters, in either schema kind), with a margin for a model that writes a
# little more than asked (a cut answer is invalid JSON: the batch would be split and asked again).
WORST_TOKENS_PER_CHIP = {WITH_REASON: 56, CLASS_ONLY: 24}
ANSWER_MARGIN = 1.5
ANSWER_OVERHEAD_TOKENS = 16  # the brackets, a code fence some models add, the end of turn


def answer_token_limit(chips: int, shape: str = WITH_REASON, ceiling: int = 0) -> int:
    """num_predict / max_tokens for a batch of ``chips``: its worst legitimate answer with a margin,
    never more than ``ceiling`` (the endpoint's own setting) when one is given."""
    if shape not in WORST_TOKENS_PER_CHIP:
        raise ValueError(f"unknown answer shape {shape!r}; expected one of {ANSWER_SHAPES}")
    bound = ANSWER_OVERHEAD_TOKENS + int(round(max(1, int(chips)) * WORST_TOKENS_PER_CHIP[shape] * ANSWER_MARGIN))
    return min(bound, int(ceiling)) if ceiling and int(ceiling) > 0 else bound


def _class_property(class_ids: List[int]) -> dict:
    return {"type": "integer", "enum": list(class_ids)}


def strict_schema(fids: Sequence[int], class_ids: List[int], shape: str = WITH_REASON) -> dict:
    if shape == CLASS_ONLY:
        item = _class_property(class_ids)
    else:
        item = {
            "type": "object",
            "properties": {
                "class_id": _class_property(class_ids),
                "reason": {"type": "string"},
            },
            "required": ["class_id", "reason"],
            "additionalProperties": False,
        }
    keys = [str(int(fid)) for fid in fids]
    return {
        "type": "object",
        "properties": {key: item for key in keys},
        "required": keys,
        "additionalProperties": False,
    }


def simple_schema(shape: str = WITH_REASON) -> dict:
    fields = ["fid", "class_id"] if shape == CLASS_ONLY else ["fid", "class_id", "reason"]
    types = {"fid": "integer", "class_id": "integer", "reason": "string"}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {name: {"type": types[name]} for name in fields},
            "required": fields,
        },
    }


def answer_schema(kind: str, fids: Sequence[int], class_ids: List[int], shape: str = WITH_REASON) -> dict:
    if shape not in ANSWER_SHAPES:
        raise ValueError(f"unknown answer shape {shape!r}; expected one of {ANSWER_SHAPES}")
    if kind == STRICT:
        return strict_schema(fids, class_ids, shape)
    if kind == SIMPLE:
        return simple_schema(shape)
    raise ValueError(f"unknown schema kind {kind!r}; expected one of {SCHEMA_KINDS}")
