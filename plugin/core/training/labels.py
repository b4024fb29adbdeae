"""Which chips of a results.sqlite carry a label a model may learn from, and where each label came from.

Sources, strongest first: the audit sample's reference classes (when the file has audit tables, added
by chipvlm:drawsample), the analyst's reviewed decisions, and, when asked, the model's own class when
its confidence is at or above a threshold. Class -1 (ERROR) and 0 (cannot tell) are never labels: they
say nothing about what the object is.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..errors import ChipVLMError
from ..schemes import ERROR_CLASS, UNKNOWN_CLASS, Scheme

SOURCE_AUDIT = "audit"
SOURCE_REVIEWED = "reviewed"
SOURCE_MODEL = "model"

INCLUDE_REVIEWED = "reviewed"
INCLUDE_CONFIDENT = "reviewed+confident"
INCLUDE_CHOICES = (INCLUDE_REVIEWED, INCLUDE_CONFIDENT)

# The audit sample of chipvlm:drawsample (its reference classes are kept apart from review decisions);
# read only when the file has it.
AUDIT_TABLE = "audit_sample"
AUDIT_CLASS_COLUMN = "reference_class_id"


class LabelError(ChipVLMError):
    pass


@dataclass
class Label:
    fid: int
    class_id: int
    class_name: str
    source: str  # audit | reviewed | model
    confidence: Optional[float]
    chip_path: str  # as recorded in results.sqlite (absolute when classified)


def open_results(path: str) -> sqlite3.Connection:
    """The results file, read only (an export never writes into a run's results)."""
    if not path or not os.path.isfile(path):
        raise LabelError("The results file {0} does not exist.", path)
    try:
        con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=30)
        con.row_factory = sqlite3.Row
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise LabelError("{0} is not a results file of ChipVLM: {1}.", path, exc) from None
    if "results" not in tables:
        con.close()
        raise LabelError("{0} is not a results file of ChipVLM (it has no results table).", path)
    return con


def _columns(con: sqlite3.Connection, table: str) -> List[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def scheme_of(con: sqlite3.Connection, path: str) -> Scheme:
    row = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone() if _has_table(con, "meta") else None
    if not row or not row[0]:
        raise LabelError("{0} does not record its class scheme; classify with chipvlm:classifychips first.", path)
    return Scheme.from_json(row[0], source=path)


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def audit_classes(con: sqlite3.Connection) -> Dict[int, int]:
    """fid -> reference class of the audit sample, when the file has one (else empty)."""
    if not _has_table(con, AUDIT_TABLE) or not {"fid", AUDIT_CLASS_COLUMN} <= set(_columns(con, AUDIT_TABLE)):
        return {}
    return {int(fid): int(class_id) for fid, class_id in con.execute(
        f"SELECT fid, {AUDIT_CLASS_COLUMN} FROM {AUDIT_TABLE} WHERE {AUDIT_CLASS_COLUMN} IS NOT NULL")}


def collect_labels(results_path: str, include: str = INCLUDE_REVIEWED,
                   min_confidence: float = 0.9) -> Tuple[List[Label], Scheme, Dict[str, int]]:
    """The labelled chips, by fid, with the scheme; plus how many rows were left out and why."""
    if include not in INCLUDE_CHOICES:
        raise LabelError("INCLUDE must be one of {0}, not {1}.", ", ".join(INCLUDE_CHOICES), include)
    con = open_results(results_path)
    try:
        scheme = scheme_of(con, results_path)
        columns = _columns(con, "results")
        has_confidence = "confidence" in columns
        audit = audit_classes(con)
        select = "fid, chip_path, class_id, reviewed_class_id" + (", confidence" if has_confidence else "")
        rows = con.execute(f"SELECT {select} FROM results ORDER BY fid").fetchall()
    finally:
        con.close()
    labels: List[Label] = []
    left_out: Dict[str, int] = {}

    def skip(why: str) -> None:
        left_out[why] = left_out.get(why, 0) + 1

    real = set(scheme.class_ids) - {ERROR_CLASS, UNKNOWN_CLASS}
    for row in rows:
        fid = int(row["fid"])
        confidence = row["confidence"] if has_confidence else None
        if fid in audit:
            class_id, source = audit[fid], SOURCE_AUDIT
        elif row["reviewed_class_id"] is not None:
            class_id, source = int(row["reviewed_class_id"]), SOURCE_REVIEWED
        elif include == INCLUDE_CONFIDENT and confidence is not None and float(confidence) >= min_confidence:
            class_id, source = int(row["class_id"]), SOURCE_MODEL
        else:
            skip("not reviewed" if include == INCLUDE_REVIEWED or confidence is None else "below the confidence")
            continue
        if class_id not in real:
            skip("class -1 or 0" if class_id in (ERROR_CLASS, UNKNOWN_CLASS) else "class not in the scheme")
            continue
        labels.append(Label(fid, class_id, scheme.name_of(class_id), source,
                            None if confidence is None else float(confidence), row["chip_path"] or ""))
    return labels, scheme, left_out
