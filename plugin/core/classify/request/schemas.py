"""The JSON schemas we ask the server to enforce on the model's answer.

``strict``: an object with one required key per fid of the batch (additionalProperties false), so
where the server compiles the schema to a grammar a duplicated, missing or stranger fid cannot even
be generated. Some Ollama/model pairs answer HTTP 500 to such schemas (field report 4.3, ollama
#11500/#8185), so ``simple`` is the fallback: a plain array of {fid, class_id, reason}. Either way the
answer is validated in our code (answer/parse.py): a schema is a help, never a guarantee.
"""
from __future__ import annotations

from typing import List, Sequence

STRICT = "strict"
SIMPLE = "simple"
SCHEMA_KINDS = (STRICT, SIMPLE)


def strict_schema(fids: Sequence[int], class_ids: List[int]) -> dict:
    item = {
        "type": "object",
        "properties": {
            "class_id": {"type": "integer", "enum": list(class_ids)},
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


def simple_schema() -> dict:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "fid": {"type": "integer"},
                "class_id": {"type": "integer"},
                "reason": {"type": "string"},
            },
            "required": ["fid", "class_id", "reason"],
        },
    }


def answer_schema(kind: str, fids: Sequence[int], class_ids: List[int]) -> dict:
    if kind == STRICT:
        return strict_schema(fids, class_ids)
    if kind == SIMPLE:
        return simple_schema()
    raise ValueError(f"unknown schema kind {kind!r}; expected one of {SCHEMA_KINDS}")
