"""The blind audit sample of a results.sqlite: drawing it, and the analyst's reference decisions.

Tables `audit_design`, `audit_strata`, `audit_sample`, `audit_log` (created by the store's SCHEMA,
described in docs/internals.md). Reference classes are kept apart from review decisions: deciding a
sampled chip changes neither its `reviewed_class_id` nor the map, and a review never becomes a
reference. Every decision is committed before the call returns; undo restores what a decision
replaced, even in a later session.

Use (the dock's Audit filter is a view of this)::

    design = draw_sample("run/results.sqlite", size="", target_se=0.01, min_per_class=50, seed=1)
    with Audit("run/results.sqlite", reviewer="analyst") as audit:
        audit.progress().decided, audit.progress().total      # 212, 640 -> "audit 212 of 640"
        item = audit.next_undecided(after_position=0)         # or audit.items(undecided_only=True)
        # blind: an AuditItem has the fid, chip path and position only
        ...show item.chip_path, never the model's class, reason or confidence...
        audit.set_reference([item.fid], class_id)              # one undoable action
        audit.undo()                                           # -> the fids of my last decision
        audit.references()                                     # fid -> (stratum class, reference class)
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple, Union

from ..files import write_csv
from ..results.store import ResultsStore, utc_now
from ..review import ReviewError, check_results_file, database_error, default_reviewer, results_path
from ..review.decision_log import DecisionLog, writing
from ..schemes import ERROR_CLASS
from . import sampling

FINAL_CLASS_SQL = "COALESCE(r.reviewed_class_id, r.class_id)"
SAMPLE_CSV_COLUMNS = ("fid", "stratum_class_id", "chip_path")
# Reference decisions, undone by their auditor in any session (the audit records no sessions).
AUDIT_DECISIONS = DecisionLog(
    table="audit_sample",
    columns=("reference_class_id", "reference_class_name", "referenced_at", "referenced_by"),
    log="audit_log",
    old_columns=("old_class_id", "old_class_name", "old_at", "old_by"),
    new_columns=("new_class_id",),
    by="by",
)


class AuditError(ReviewError):
    """An audit action that cannot be done; the message says why in the user's words."""


@dataclass(frozen=True)
class Stratum:
    class_id: int
    class_name: str
    population: int  # results of this final class when the sample was drawn
    expected_users_accuracy: Optional[float]
    expected_from: Optional[str]  # 'confidence' | 'default_common' | 'default_rare' | None (given size)
    sample_size: int


@dataclass(frozen=True)
class AuditDesign:
    seed: int
    target_se: Optional[float]
    min_per_class: Optional[int]
    size_rule: str  # sampling.SIZE_EQ13 | SIZE_TOTAL | SIZE_PER_CLASS
    population: int
    sample_size: int
    drawn_at: str
    drawn_by: str
    strata: Tuple[Stratum, ...]


@dataclass(frozen=True)
class AuditItem:
    """A sampled chip as the blind audit shows it: no model class, reason or confidence."""

    fid: int
    position: int  # 1-based, the order of the audit
    chip_path: str
    reference_class_id: Optional[int]

    @property
    def is_decided(self) -> bool:
        return self.reference_class_id is not None


@dataclass(frozen=True)
class AuditProgress:
    decided: int
    total: int
    decided_by_stratum: Dict[int, int]

    @property
    def remaining(self) -> int:
        return self.total - self.decided


def _final_strata(con: sqlite3.Connection) -> Tuple[Dict[int, List[int]], Dict[int, Optional[float]], Dict[int, str]]:
    """fids, mean confidence and a name of every final class (ERROR excluded: nothing to audit)."""
    fids: Dict[int, List[int]] = {}
    confidence_sum: Dict[int, float] = {}
    confidence_count: Dict[int, int] = {}
    names: Dict[int, str] = {}
    columns = {row[1] for row in con.execute("PRAGMA table_info(results)")}
    confidence = "r.confidence" if "confidence" in columns else "NULL"
    cursor = con.execute(
        f"SELECT r.fid, {FINAL_CLASS_SQL}, COALESCE(r.reviewed_class_name, r.class_name), {confidence}, "
        "r.reviewed_class_id FROM results r ORDER BY r.fid"
    )
    for fid, class_id, name, conf, reviewed in cursor:
        class_id = int(class_id)
        if class_id == ERROR_CLASS:
            continue
        fids.setdefault(class_id, []).append(int(fid))
        names.setdefault(class_id, name or str(class_id))
        # an analyst's class has no model confidence behind it
        if conf is not None and reviewed is None:
            confidence_sum[class_id] = confidence_sum.get(class_id, 0.0) + float(conf)
            confidence_count[class_id] = confidence_count.get(class_id, 0) + 1
    means = {c: confidence_sum[c] / confidence_count[c] for c in confidence_count}
    return fids, means, names


def _open_store(path: Union[str, os.PathLike], busy_timeout: float = 5.0) -> ResultsStore:
    path = results_path(path)
    check_results_file(path)
    try:
        return ResultsStore(path, timeout=busy_timeout)
    except sqlite3.Error as exc:
        raise database_error(path, exc) from exc


def draw_sample(
    results: Union[str, os.PathLike],
    size: Union[str, int, None] = None,
    target_se: float = sampling.DEFAULT_TARGET_SE,
    min_per_class: int = sampling.DEFAULT_MIN_PER_CLASS,
    seed: int = 1,
    replace: bool = False,
    drawn_by: Optional[str] = None,
) -> AuditDesign:
    """Draw the stratified random audit sample of a results file and store it with its design.

    Strata are the final classes (reviewed class, else the model's; ERROR results are not sampled).
    `size`: empty/None = Olofsson eq. 13 from `target_se`; a number = that total; "1=75, 2=100" =
    per class (classes not named get `min_per_class`). A sample that already has reference
    decisions is replaced only with `replace=True` (its decisions are kept in meta
    'audit_replaced_<time>' as JSON); one without decisions is replaced silently.
    """
    store = _open_store(results)
    try:
        with store.transaction() as con:
            decided = con.execute(
                "SELECT COUNT(*) FROM audit_sample WHERE reference_class_id IS NOT NULL").fetchone()[0]
            if decided and not replace:
                raise AuditError(
                    "{0} already has an audit sample with {1} reference decisions: drawing again would "
                    "replace them. Set REPLACE (replace the existing sample) to draw anyway.",
                    store.path, decided)
            fids, means, names = _final_strata(con)
            populations = {c: len(f) for c, f in fids.items()}
            rule, sizes, expected = sampling.plan_sizes(populations, means, size, target_se, min_per_class)
            chosen = sampling.select(fids, sizes, seed)
            now = utc_now()
            who = drawn_by or default_reviewer()
            if decided:
                kept = [dict(zip(("fid", "stratum_class_id", "reference_class_id", "referenced_at", "referenced_by"),
                                 row)) for row in con.execute(
                    "SELECT fid, stratum_class_id, reference_class_id, referenced_at, referenced_by "
                    "FROM audit_sample WHERE reference_class_id IS NOT NULL ORDER BY position")]
                con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            (f"audit_replaced_{now}", json.dumps(kept)))
            for table in ("audit_sample", "audit_strata", "audit_design", "audit_log"):
                con.execute(f"DELETE FROM {table}")
            con.execute(
                "INSERT INTO audit_design (id, seed, target_se, min_per_class, size_rule, population, sample_size, "
                "drawn_at, drawn_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                (int(seed), float(target_se) if rule == sampling.SIZE_EQ13 else None, int(min_per_class), rule,
                 sum(populations.values()), len(chosen), now, who))
            given = rule == sampling.SIZE_PER_CLASS
            con.executemany(
                "INSERT INTO audit_strata (class_id, class_name, population, expected_users_accuracy, "
                "expected_from, sample_size) VALUES (?, ?, ?, ?, ?, ?)",
                [(c, names[c], populations[c], None if given else expected[c][0], None if given else expected[c][1],
                  sizes[c]) for c in sorted(populations)])
            con.executemany(
                "INSERT INTO audit_sample (fid, stratum_class_id, position) VALUES (?, ?, ?)",
                [(fid, stratum, k + 1) for k, (fid, stratum) in enumerate(chosen)])
    except sqlite3.Error as exc:
        raise database_error(store.path, exc) from exc
    finally:
        store.close()
    with Audit(results) as audit:
        return audit.design()


def write_sample_csv(results: Union[str, os.PathLike], path: Union[str, os.PathLike]) -> int:
    """The sample as CSV (fid, stratum_class_id, chip_path; UTF-8 with BOM) in audit order; the row count."""
    with Audit(results) as audit:
        rows = audit._con.execute(
            "SELECT a.fid, a.stratum_class_id, r.chip_path FROM audit_sample a JOIN results r ON r.fid = a.fid "
            "ORDER BY a.position").fetchall()
    write_csv(path, SAMPLE_CSV_COLUMNS, rows)
    return len(rows)


class Audit:
    """The audit of one results.sqlite. Single-threaded: the dock's (main) thread owns it."""

    def __init__(self, path: Union[str, os.PathLike], reviewer: Optional[str] = None, busy_timeout: float = 5.0):
        self.store = _open_store(path, busy_timeout)
        self.path = self.store.path
        self.reviewer = reviewer or default_reviewer()
        self._con = self.store.connection
        self._names = self._class_names()
        self.last_undo_skipped: List[Tuple[int, str]] = []

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Audit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _class_names(self) -> Dict[int, str]:
        try:
            scheme = self.store.scheme()
        except Exception:  # a broken scheme in meta: fall back on the names in the results
            scheme = None
        if scheme is not None:
            return {c.id: c.name for c in scheme.classes}
        names: Dict[int, str] = {}
        for class_id, name in self._con.execute("SELECT class_id, MIN(class_name) FROM results GROUP BY class_id"):
            names[int(class_id)] = name or str(class_id)
        return names

    # -- reading ---------------------------------------------------------------------------------
    def design(self) -> Optional[AuditDesign]:
        """The sample's design, or None when no sample was drawn."""
        row = self._con.execute(
            "SELECT seed, target_se, min_per_class, size_rule, population, sample_size, drawn_at, drawn_by "
            "FROM audit_design WHERE id = 1").fetchone()
        if row is None:
            return None
        strata = tuple(Stratum(int(r[0]), r[1] or "", int(r[2]), r[3], r[4], int(r[5])) for r in self._con.execute(
            "SELECT class_id, class_name, population, expected_users_accuracy, expected_from, sample_size "
            "FROM audit_strata ORDER BY class_id"))
        return AuditDesign(int(row[0]), row[1], row[2], row[3], int(row[4]), int(row[5]), row[6], row[7], strata)

    def items(self, undecided_only: bool = False) -> List[AuditItem]:
        """The sampled chips in audit order, blind (chip paths as stored by the classification)."""
        where = "WHERE a.reference_class_id IS NULL" if undecided_only else ""
        return [AuditItem(int(fid), int(position), chip or "", ref) for fid, position, chip, ref in self._con.execute(
            "SELECT a.fid, a.position, r.chip_path, a.reference_class_id FROM audit_sample a "
            f"LEFT JOIN results r ON r.fid = a.fid {where} ORDER BY a.position")]

    def next_undecided(self, after_position: int = 0) -> Optional[AuditItem]:
        """The first sampled chip without a reference after `after_position`, wrapping to the start."""
        for start in (int(after_position), 0):
            row = self._con.execute(
                "SELECT a.fid, a.position, r.chip_path, a.reference_class_id FROM audit_sample a "
                "LEFT JOIN results r ON r.fid = a.fid WHERE a.reference_class_id IS NULL AND a.position > ? "
                "ORDER BY a.position LIMIT 1", (start,)).fetchone()
            if row is not None:
                return AuditItem(int(row[0]), int(row[1]), row[2] or "", row[3])
        return None

    def progress(self) -> AuditProgress:
        """How many sampled chips have a reference class ("audit 212 of 640")."""
        by_stratum = {int(s): int(n) for s, n in self._con.execute(
            "SELECT stratum_class_id, COUNT(reference_class_id) FROM audit_sample GROUP BY stratum_class_id")}
        total = self._con.execute("SELECT COUNT(*) FROM audit_sample").fetchone()[0]
        return AuditProgress(sum(by_stratum.values()), int(total), by_stratum)

    def decision(self, fid: int) -> Optional[Tuple[int, str, str, str]]:
        """(reference class, its name, who, when in UTC ISO) of a sampled fid; None when undecided.

        Blind like items(): nothing of the model's answer (the stratum is the model's class)."""
        row = self._con.execute(
            "SELECT reference_class_id, reference_class_name, referenced_by, referenced_at FROM audit_sample "
            "WHERE fid = ? AND reference_class_id IS NOT NULL", (int(fid),)).fetchone()
        return None if row is None else (int(row[0]), row[1] or "", row[2] or "", row[3] or "")

    def references(self) -> Dict[int, Tuple[int, Optional[int]]]:
        """fid -> (stratum class, reference class or None) of every sampled fid."""
        return {int(fid): (int(stratum), None if ref is None else int(ref)) for fid, stratum, ref in self._con.execute(
            "SELECT fid, stratum_class_id, reference_class_id FROM audit_sample ORDER BY fid")}

    # -- deciding --------------------------------------------------------------------------------
    def _apply(self, changes: List[Tuple[int, Optional[int]]], reviewer: Optional[str]) -> Optional[int]:
        if not changes:
            return None
        with writing(self.store, self.path) as con:
            return AUDIT_DECISIONS.record(
                con, changes, reviewer or self.reviewer, utc_now(), lambda c: self._names.get(c, str(c)),
                lambda fid: AuditError("Fid {0} is not in the audit sample of {1}.", fid, self.path))

    def set_reference(self, fids: Iterable[int], class_id: int, reviewer: Optional[str] = None) -> Optional[int]:
        """The reference class of these sampled fids (one undoable action); returns the action id.

        0 (cannot tell) is allowed and counted as decided; the report leaves such units out of the
        estimates and says how many. ERROR (-1) is not a class a chip can be.
        """
        class_id = int(class_id)
        if class_id == ERROR_CLASS or class_id not in self._names:
            known = ", ".join(f"{c} {n}" for c, n in sorted(self._names.items()) if c != ERROR_CLASS)
            raise AuditError("Class {0} is not a reference class of this run's scheme ({1}).", class_id, known)
        unique = list(dict.fromkeys(int(f) for f in fids))
        return self._apply([(fid, class_id) for fid in unique], reviewer)

    def clear_reference(self, fids: Iterable[int], reviewer: Optional[str] = None) -> Optional[int]:
        """Forget the reference class of these fids (undoable like any decision)."""
        unique = list(dict.fromkeys(int(f) for f in fids))
        return self._apply([(fid, None) for fid in unique], reviewer)

    def can_undo(self) -> bool:
        """Whether this auditor has a decision left to undo."""
        return AUDIT_DECISIONS.last_action(self._con, self.reviewer) is not None

    def undo(self) -> List[int]:
        """Undo this auditor's last reference decision not yet undone; returns its fids ([] when none).

        A chip decided again since by someone else keeps that later decision: it is listed in
        `last_undo_skipped` as (fid, auditor) instead (as the review's undo does).
        """
        self.last_undo_skipped = []
        with writing(self.store, self.path) as con:
            undone, self.last_undo_skipped = AUDIT_DECISIONS.undo(con, self.reviewer)
        return undone
