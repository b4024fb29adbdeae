"""Which chips of a results.sqlite carry a label a model may learn from, and where each label came from.

Sources, strongest first: the audit sample's reference classes (when the file has audit tables, added
by chipvlm:drawsample), the analyst's reviewed decisions, and, when asked, the model's own class when
its confidence is at or above a threshold. Class -1 (ERROR) and 0 (cannot tell) are never labels: they
say nothing about what the object is.

The audit sample is for assessing accuracy: a model trained on it could not be assessed on it, so its
chips are left out unless asked for (``with_audit``); then their reference classes win over reviews.
A label's confidence is the model's confidence in that label's class: none where the label is not the
model's class (the model's confidence in its own class says nothing about another).
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from typing import Dict, List, Optional

from ..errors import ChipVLMError, Message
from ..schemes import ERROR_CLASS, UNKNOWN_CLASS, Scheme

SOURCE_AUDIT = "audit"
SOURCE_REVIEWED = "reviewed"
SOURCE_MODEL = "model"

INCLUDE_REVIEWED = "reviewed"
INCLUDE_CONFIDENT = "reviewed+confident"
INCLUDE_CHOICES = (INCLUDE_REVIEWED, INCLUDE_CONFIDENT)

# why a row of the results gives no label (counted in the export's log and README.txt)
NOT_REVIEWED = Message("not reviewed")
BELOW_CONFIDENCE = Message("below the confidence")
NO_CLASS = Message("class -1 or 0")
NOT_IN_SCHEME = Message("class not in the scheme")
IN_AUDIT_SAMPLE = Message("in the audit sample (kept for assessment)")

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


def audit_classes(con: sqlite3.Connection) -> Dict[int, Optional[int]]:
    """fid -> reference class of the audit sample (None while undecided), when the file has one (else empty)."""
    if not _has_table(con, AUDIT_TABLE) or not {"fid", AUDIT_CLASS_COLUMN} <= set(_columns(con, AUDIT_TABLE)):
        return {}
    return {int(fid): None if class_id is None else int(class_id) for fid, class_id in con.execute(
        f"SELECT fid, {AUDIT_CLASS_COLUMN} FROM {AUDIT_TABLE}")}


@dataclass
class LabelSet:
    labels: List[Label]
    scheme: Scheme
    left_out: Dict[str, int]  # why (a Message) -> rows
    reviewed_in_audit: int = 0  # reviewed chips that are in the audit sample (left out, or audit wins)


def _label_of(row, audit: Dict[int, Optional[int]], include: str, min_confidence: float, with_audit: bool):
    """(class_id, source), or the reason (a Message) the row gives no label."""
    fid = int(row["fid"])
    confidence = row["confidence"] if "confidence" in row.keys() else None
    if fid in audit:
        if not with_audit:
            return IN_AUDIT_SAMPLE
        if audit[fid] is not None:
            return audit[fid], SOURCE_AUDIT
    if row["reviewed_class_id"] is not None:
        return int(row["reviewed_class_id"]), SOURCE_REVIEWED
    if include == INCLUDE_CONFIDENT and confidence is not None and float(confidence) >= min_confidence:
        return int(row["class_id"]), SOURCE_MODEL
    return NOT_REVIEWED if include == INCLUDE_REVIEWED or confidence is None else BELOW_CONFIDENCE


def collect_labels(results_path: str, include: str = INCLUDE_REVIEWED, min_confidence: float = 0.9,
                   with_audit: bool = False) -> LabelSet:
    """The labelled chips, by fid, with the scheme, how many rows were left out and why."""
    if include not in INCLUDE_CHOICES:
        raise LabelError("INCLUDE must be one of {0}, not {1}.", ", ".join(INCLUDE_CHOICES), include)
    con = open_results(results_path)
    try:
        scheme = scheme_of(con, results_path)
        has_confidence = "confidence" in _columns(con, "results")
        audit = audit_classes(con)
        select = "fid, chip_path, class_id, reviewed_class_id" + (", confidence" if has_confidence else "")
        rows = con.execute(f"SELECT {select} FROM results ORDER BY fid").fetchall()
    finally:
        con.close()
    found = LabelSet([], scheme, {})
    real = set(scheme.class_ids) - {ERROR_CLASS, UNKNOWN_CLASS}
    for row in rows:
        fid = int(row["fid"])
        found.reviewed_in_audit += fid in audit and row["reviewed_class_id"] is not None
        label = _label_of(row, audit, include, min_confidence, with_audit)
        if isinstance(label, Message):
            found.left_out[label] = found.left_out.get(label, 0) + 1
            continue
        class_id, source = label
        if class_id not in real:
            why = NO_CLASS if class_id in (ERROR_CLASS, UNKNOWN_CLASS) else NOT_IN_SCHEME
            found.left_out[why] = found.left_out.get(why, 0) + 1
            continue
        confidence = row["confidence"] if has_confidence else None
        # the model's confidence is in its own class: it is the label's only where they are one class
        if confidence is not None and class_id != row["class_id"]:
            confidence = None
        found.labels.append(Label(fid, class_id, scheme.name_of(class_id), source,
                                  None if confidence is None else float(confidence), row["chip_path"] or ""))
    return found
