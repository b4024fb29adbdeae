"""Merging results made on other machines or by other runs (field report 5.3 / 7.3).

The field report ran one process per GPU, each writing its own CSV, and merged them by hand. Here a
run feeds all GPUs at once, but results still come from several places (another office, a laptop
review session), so merging stays: per fid, an analyst's decision beats a prediction, a real class
beats "cannot tell" (0), which beats ERROR (-1). Two sources that disagree at the same level are a
conflict: the most recent one is kept, it is flagged for review, and the conflict is reported.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..schemes import Scheme
from .store import RESULT_COLUMNS, ResultsStore

INTEGER_COLUMNS = ("fid", "class_id", "needs_review", "reviewed_class_id", "attempts", "elapsed_ms")


class MergeError(ValueError):
    """Inputs that cannot be merged; the message names the file."""


@dataclass
class Conflict:
    fid: int
    chosen_class: int
    candidates: List[Tuple[str, int, bool]]  # (source file, class, reviewed?)

    def text(self) -> str:
        parts = ", ".join(
            f"{os.path.basename(source)}: {cls}{' (reviewed)' if reviewed else ''}"
            for source, cls, reviewed in self.candidates
        )
        return f"fid {self.fid}: {parts} -> kept {self.chosen_class}"


@dataclass
class MergeReport:
    output: str
    csv_path: str
    rows: int
    per_source: Dict[str, int]
    conflicts: List[Conflict] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    def text(self) -> str:
        line = f"Merged {self.rows} fids from {len(self.per_source)} files into {self.output}"
        if self.conflicts:
            line += f"; {len(self.conflicts)} conflict(s), flagged for review"
        return line + "."


def _to_int(value) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text == "":
        return None
    return int(float(text))


def read_results_csv(path: str) -> List[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        for needed in ("fid", "class_id"):
            if needed not in columns:
                raise MergeError(f"{path} has no {needed!r} column; is it a ChipVLM results.csv?")
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = {column: None for column in RESULT_COLUMNS}
            for key, value in raw.items():
                if key is None:
                    continue
                key = key.strip()
                if key in row:
                    row[key] = value if value != "" else None
            try:
                for column in INTEGER_COLUMNS:
                    row[column] = _to_int(row[column])
            except ValueError:
                raise MergeError(f"{path} line {line}: a number column holds text.") from None
            if row["fid"] is None or row["class_id"] is None:
                raise MergeError(f"{path} line {line}: fid and class_id are required.")
            rows.append(row)
        return rows


def read_results(path: str) -> Tuple[List[dict], Optional[Scheme]]:
    if not os.path.isfile(path):
        raise MergeError(f"The results file {path} does not exist.")
    if path.lower().endswith(".csv"):
        return read_results_csv(path), None
    try:
        with ResultsStore(path) as store:
            return store.results(), store.scheme()
    except Exception as exc:
        raise MergeError(f"{path} is not a readable results.sqlite: {exc}") from None


def _rank(row: dict) -> int:
    if row.get("reviewed_class_id") is not None:
        return 3
    class_id = row["class_id"]
    if class_id > 0:
        return 2
    if class_id == 0:
        return 1
    return 0


def _effective_class(row: dict) -> int:
    reviewed = row.get("reviewed_class_id")
    return reviewed if reviewed is not None else row["class_id"]


def _when(row: dict) -> str:
    return str(row.get("reviewed_at") or "") if row.get("reviewed_class_id") is not None else str(
        row.get("updated_at") or "")


def merge_rows(sources: Sequence[Tuple[str, List[dict]]]) -> Tuple[List[dict], List[Conflict]]:
    by_fid: Dict[int, List[Tuple[str, dict]]] = {}
    for source, rows in sources:
        for row in rows:
            by_fid.setdefault(int(row["fid"]), []).append((source, row))
    merged: List[dict] = []
    conflicts: List[Conflict] = []
    for fid in sorted(by_fid):
        candidates = by_fid[fid]
        best_rank = max(_rank(row) for _, row in candidates)
        top = [(source, row) for source, row in candidates if _rank(row) == best_rank]
        top.sort(key=lambda pair: _when(pair[1]))
        chosen = dict(top[-1][1])
        if len({_effective_class(row) for _, row in top}) > 1:
            conflicts.append(Conflict(
                fid=fid,
                chosen_class=_effective_class(chosen),
                candidates=[(source, _effective_class(row), row.get("reviewed_class_id") is not None)
                            for source, row in candidates],
            ))
            chosen["needs_review"] = 1
        merged.append(chosen)
    return merged, conflicts


def merge_results(inputs: Sequence[str], output: str, log: Optional[Callable[[str], None]] = None) -> MergeReport:
    """Merge results files (.sqlite or .csv) into ``output`` (.sqlite, with a .csv beside it, or .csv)."""
    inputs = [os.path.abspath(os.fspath(p)) for p in inputs]
    if not inputs:
        raise MergeError("No results files to merge.")
    output = os.path.abspath(os.fspath(output))
    sources = []
    scheme: Optional[Scheme] = None
    warnings: List[str] = []
    for path in inputs:
        rows, file_scheme = read_results(path)
        if file_scheme is not None:
            if scheme is None:
                scheme = file_scheme
            elif [(c.id, c.name) for c in scheme.classes] != [(c.id, c.name) for c in file_scheme.classes]:
                raise MergeError(
                    f"{path} was classified with the scheme {file_scheme.id!r} and an earlier input with "
                    f"{scheme.id!r}; only results of the same class scheme can be merged."
                )
        sources.append((path, rows))
    merged, conflicts = merge_rows(sources)
    for conflict in conflicts:
        if log:
            log("Conflict: " + conflict.text())
    if output.lower().endswith(".csv"):
        _write_csv(output, merged)
        csv_path = output
    else:
        if os.path.exists(output) and output not in inputs:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(output + suffix):
                    os.remove(output + suffix)
        with ResultsStore(output) as store:
            with store.transaction() as con:
                con.execute("DELETE FROM results")
            store.import_rows(merged)
            if scheme is not None:
                store.set_scheme(scheme)
            store.set_meta("merged_from", json.dumps(inputs, ensure_ascii=False))
            csv_path = os.path.splitext(output)[0] + ".csv"
            store.export_csv(csv_path)
    report = MergeReport(
        output=output,
        csv_path=csv_path,
        rows=len(merged),
        per_source={path: len(rows) for path, rows in sources},
        conflicts=conflicts,
        warnings=warnings,
    )
    if log:
        log(report.text())
    return report


def _write_csv(path: str, rows: List[dict]) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_COLUMNS)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in RESULT_COLUMNS])
    os.replace(tmp, path)
