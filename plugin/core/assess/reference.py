"""Reference classes for the accuracy report: a results.sqlite's audit sample, or a CSV from anywhere."""
from __future__ import annotations

import csv
import os
import sqlite3
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

from ..review import check_results_file, results_path
from ..schemes import ERROR_CLASS, UNKNOWN_CLASS
from .audit import Audit, AuditDesign
from .estimators import AssessError


@dataclass
class ReferenceSample:
    """fid -> reference class of the units that have one (0 "cannot tell" and undecided left out)."""

    classes: Dict[int, int]
    source: str
    kind: str  # 'audit' | 'csv'
    cannot_tell: int = 0  # units the analyst could not tell (reference 0): not used
    undecided: int = 0  # sampled units without a decision yet
    strata: Dict[int, int] = field(default_factory=dict)  # fid -> stratum at draw time (audit only)
    design: Optional[AuditDesign] = None


def is_results_file(path: str) -> bool:
    if os.path.isdir(path):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def read_reference(path: Union[str, os.PathLike]) -> ReferenceSample:
    """A results.sqlite (or its run folder) with an audit sample, or a CSV with columns fid, class_id."""
    path = os.fspath(path)
    if is_results_file(path):
        return reference_from_results(path)
    return reference_from_csv(path)


def reference_from_results(path: Union[str, os.PathLike]) -> ReferenceSample:
    path = results_path(path)
    check_results_file(path)
    with Audit(path) as audit:
        design = audit.design()
        if design is None:
            raise AssessError("{0} has no audit sample: draw one (Draw audit sample) and decide its chips first.",
                              path)
        references = audit.references()
    classes = {fid: ref for fid, (_, ref) in references.items() if ref is not None and ref != UNKNOWN_CLASS}
    return ReferenceSample(
        classes=classes, source=path, kind="audit",
        cannot_tell=sum(1 for _, ref in references.values() if ref == UNKNOWN_CLASS),
        undecided=sum(1 for _, ref in references.values() if ref is None),
        strata={fid: stratum for fid, (stratum, _) in references.items()},
        design=design,
    )


def _integer(text: str, what: str, path: str, line: int) -> int:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise AssessError("Line {0} of {1}: the {2} '{3}' is not a whole number.", line, path, what, text) from None
    if value != int(value):
        raise AssessError("Line {0} of {1}: the {2} '{3}' is not a whole number.", line, path, what, text)
    return int(value)


def reference_from_csv(path: Union[str, os.PathLike]) -> ReferenceSample:
    """A CSV (UTF-8, with or without BOM; comma, semicolon or tab) with columns fid and class_id."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise AssessError("The reference file {0} does not exist.", path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if "fid" not in columns or "class_id" not in columns:
        raise AssessError("The reference file {0} needs the columns fid and class_id (it has: {1}).",
                          path, ", ".join(reader.fieldnames or []) or "none")
    classes: Dict[int, int] = {}
    cannot_tell = 0
    for line, row in enumerate(reader, start=2):
        row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        if not (row.get("fid") or "").strip() and not (row.get("class_id") or "").strip():
            continue
        fid = _integer(row.get("fid") or "", "fid", path, line)
        class_id = _integer(row.get("class_id") or "", "class id", path, line)
        if fid in classes:
            raise AssessError("Line {0} of {1}: fid {2} is there twice.", line, path, fid)
        if class_id == ERROR_CLASS:
            raise AssessError("Line {0} of {1}: -1 (ERROR) is not a reference class.", line, path)
        if class_id == UNKNOWN_CLASS:
            cannot_tell += 1
            continue
        classes[fid] = class_id
    if not classes:
        raise AssessError("The reference file {0} has no reference class.", path)
    return ReferenceSample(classes=classes, source=path, kind="csv", cannot_tell=cannot_tell)


def final_classes_of(path: Union[str, os.PathLike]) -> Dict[int, int]:
    """fid -> final class (reviewed, else the model's) of a results file: a second run to compare."""
    path = results_path(path)
    check_results_file(path)
    con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=5)
    try:
        return {int(fid): int(c) for fid, c in con.execute(
            "SELECT fid, COALESCE(reviewed_class_id, class_id) FROM results")}
    finally:
        con.close()


def class_names_of(path: Union[str, os.PathLike]) -> Dict[int, str]:
    """Class names of a results file's scheme (empty when none)."""
    try:
        with Audit(path) as audit:
            return dict(audit._names)
    except Exception:  # a CSV reference: names come from the layer or stay ids
        return {}


def review_changes(path: Union[str, os.PathLike]) -> Tuple[List[tuple], List[tuple]]:
    """How often the analyst changed the model's class, from every review (audit aside).

    Returns ([(class_id, class_name, reviewed, changed)], [(endpoint, model, reviewed, changed)]).
    """
    path = results_path(path)
    con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=5)
    try:
        by_class = [tuple(r) for r in con.execute(
            "SELECT class_id, MIN(class_name), COUNT(*), SUM(reviewed_class_id != class_id) FROM results "
            "WHERE reviewed_class_id IS NOT NULL GROUP BY class_id ORDER BY class_id")]
        by_model = [tuple(r) for r in con.execute(
            "SELECT COALESCE(endpoint, ''), COALESCE(model, ''), COUNT(*), SUM(reviewed_class_id != class_id) "
            "FROM results WHERE reviewed_class_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2")]
    finally:
        con.close()
    return by_class, by_model


def calibration_points(path: Union[str, os.PathLike]) -> List[Tuple[float, bool]]:
    """(model confidence, model right?) of every decided audit unit whose result has a confidence."""
    path = results_path(path)
    con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=5)
    try:
        columns = {row[1] for row in con.execute("PRAGMA table_info(results)")}
        if "confidence" not in columns:
            return []
        return [(float(conf), int(model) == int(ref)) for conf, model, ref in con.execute(
            "SELECT r.confidence, r.class_id, a.reference_class_id FROM audit_sample a JOIN results r "
            "ON r.fid = a.fid WHERE a.reference_class_id IS NOT NULL AND a.reference_class_id != 0 "
            "AND r.confidence IS NOT NULL")]
    except sqlite3.Error:
        return []
    finally:
        con.close()


def calibration_bins(points: List[Tuple[float, bool]], bins: int = 10) -> List[Tuple[float, float, int, float]]:
    """(low, high, units, share correct) per confidence bin that holds units."""
    out = []
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        inside = [ok for conf, ok in points if low <= conf < high or (k == bins - 1 and conf == 1.0)]
        if inside:
            out.append((low, high, len(inside), sum(inside) / len(inside)))
    return out
