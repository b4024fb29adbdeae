"""Merging results made on other machines or by other runs (chipvlm:mergeresults; tests/unit/test_classify_merge.py).

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
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..errors import ChipVLMError
from ..fids import parse_fid
from ..files import write_csv
from ..schemes import Scheme, SchemeError
from .store import RESULT_COLUMNS, ResultsStore, utc_now

INTEGER_COLUMNS = ("fid", "class_id", "needs_review", "reviewed_class_id", "attempts", "elapsed_ms")
# A results.csv without these cannot make a row of results.sqlite (NOT NULL there)
REQUIRED_CSV_COLUMNS = ("fid", "chip_path", "class_id", "class_name")


class MergeError(ChipVLMError, ValueError):
    """Inputs that cannot be merged; the message names the file (and the line or fid)."""


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


def _to_int(value, column: str = "fid") -> Optional[int]:
    """A whole number of 64 bits by core.fids' rule, or None for an empty cell; FidError (a
    ValueError) for anything else (text, 12.5, inf, nan, 1e+30: SQLite cannot hold it, or it is no fid)."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    return parse_fid(value, column)


def _check_row(row: dict, where: Callable[[], str]) -> None:
    """Every number column a whole number of 64 bits, fid and class present: else MergeError at `where`."""
    for column in INTEGER_COLUMNS:
        try:
            row[column] = _to_int(row.get(column), column)
        except (TypeError, ValueError):
            raise MergeError("{0}: {1} is {2!r}, not a whole number ChipVLM can store.",
                             where(), column, row.get(column)) from None
    if row["fid"] is None or row["class_id"] is None:
        raise MergeError("{0}: fid and class_id are required.", where())
    for column in ("chip_path", "class_name", "reason"):
        if row.get(column) is None:
            row[column] = ""


def read_results_csv(path: str) -> List[dict]:
    """Every row of a results.csv, checked: a bad cell is a MergeError naming the file and the line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            for needed in REQUIRED_CSV_COLUMNS:
                if needed not in columns:
                    raise MergeError("{0} has no {1!r} column (its header, line 1); is it a ChipVLM results.csv?", path, needed)
            rows = []
            for line, raw in enumerate(reader, start=2):
                row = {column: None for column in RESULT_COLUMNS}
                for key, value in raw.items():
                    if key is None or not isinstance(value, str):
                        continue  # cells beyond the header
                    key = key.strip()
                    if key in row:
                        row[key] = value if value != "" else None
                _check_row(row, lambda line=line: f"{path} line {line}")
                rows.append(row)
            return rows
    except UnicodeDecodeError as exc:
        raise MergeError("{0} is not a UTF-8 text file: {1}.", path, exc) from None
    except csv.Error as exc:
        raise MergeError("{0} cannot be read as CSV: {1}.", path, exc) from None


def _read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True, timeout=5)


def read_results_sqlite(path: str) -> Tuple[List[dict], Optional[Scheme]]:
    """The rows and the scheme of a results.sqlite, read without writing to it (not even its tables)."""
    try:
        con = _read_only(path)
        try:
            con.row_factory = sqlite3.Row
            columns = {row[1] for row in con.execute("PRAGMA table_info(results)")}
            missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
            if missing:
                raise MergeError("{0} is not a ChipVLM results.sqlite (no results table with {1}).",
                                 path, ", ".join(missing))
            rows = [dict(r) for r in con.execute("SELECT * FROM results ORDER BY fid")]
            meta = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone() if \
                con.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise MergeError("{0} is not a readable results.sqlite: {1}", path, exc) from None
    scheme = None
    if meta and meta[0]:
        try:
            scheme = Scheme.from_json(meta[0], source=f"{path} (meta 'scheme')")
        except SchemeError as exc:
            raise MergeError("{0} holds a class scheme that cannot be read: {1}", path, exc) from None
    for row in rows:
        _check_row(row, lambda row=row: f"{path} fid {row.get('fid')}")
    return rows, scheme


def read_results(path: str) -> Tuple[List[dict], Optional[Scheme]]:
    if not os.path.isfile(path):
        raise MergeError("The results file {0} does not exist.", path)
    if path.lower().endswith(".csv"):
        return read_results_csv(path), None
    return read_results_sqlite(path)


def check_not_open(path: str) -> None:
    """Refuse a results file another connection has open: a classification holds its results file
    open for the whole run, a review dock for as long as the run is open in it.

    How: SQLite's exclusive locking mode. In WAL mode every connection that has used the file keeps
    a shared lock on its -shm; an exclusive lock is granted only when there is none, and the OS
    drops a killed process's locks, so a crashed run does not block the merge.
    """
    try:
        con = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        try:
            con.execute("PRAGMA locking_mode=EXCLUSIVE")
            con.execute("BEGIN EXCLUSIVE")
            con.execute("ROLLBACK")
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise MergeError(
                "{0} is open in another program: a classification writing to it, or a review dock. Let the "
                "classification finish (or cancel it) and close the run in the review dock, then merge again.",
                path) from None
        raise MergeError("{0} cannot be opened: {1}", path, exc) from None


def _check_classes(sources: Sequence[Tuple[str, List[dict]]], scheme: Scheme) -> None:
    """Every class and reviewed class in the scheme (no fid/class mix-up comes in through a merge)."""
    known = {c.id for c in scheme.classes}
    for source, rows in sources:
        for number, row in enumerate(rows):
            for column in ("class_id", "reviewed_class_id"):
                value = row.get(column)
                if value is not None and value not in known:
                    where = f"{source} line {number + 2}" if source.lower().endswith(".csv") else \
                        f"{source} fid {row['fid']}"
                    raise MergeError("{0}: {1} {2} is not a class of the scheme {3!r}.",
                                     where, column, value, scheme.id)


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
    """Merge results files (.sqlite or .csv) into ``output`` (.sqlite, with a .csv beside it, or .csv).

    Nothing is written before every input is read and checked. An existing output results.sqlite is
    merged too (its decisions are never dropped), and it is read again and rewritten inside one
    transaction, so a decision stored meanwhile is part of the merge.
    """
    inputs = [os.path.abspath(os.fspath(p)) for p in inputs]
    if not inputs:
        raise MergeError("No results files to merge.")
    output = os.path.abspath(os.fspath(output))
    to_sqlite = not output.lower().endswith(".csv")
    into_existing = to_sqlite and os.path.isfile(output) and os.path.getsize(output) > 0
    warnings: List[str] = []
    if into_existing:
        check_not_open(output)
        if output not in inputs:
            inputs.append(output)
            warnings.append(f"{output} exists: its results and decisions are merged too.")
    sources, scheme = _read_sources(inputs)
    if to_sqlite:
        merged, conflicts = _write_sqlite(output, sources, scheme, inputs, into_existing)
        csv_path = os.path.splitext(output)[0] + ".csv"
        with ResultsStore(output) as store:
            store.export_csv(csv_path)
    else:
        merged, conflicts = merge_rows(sources)
        _write_csv(output, merged)
        csv_path = output
    report = MergeReport(
        output=output,
        csv_path=csv_path,
        rows=len(merged),
        per_source={path: len(rows) for path, rows in sources},
        conflicts=conflicts,
        warnings=warnings,
    )
    if log:
        for conflict in conflicts:
            log("Conflict: " + conflict.text())
        for warning in warnings:
            log(warning)
        log(report.text())
    return report


def _read_sources(inputs: List[str]):
    """Every input's rows, and the scheme they share; refuses inputs of different schemes or classes."""
    sources = []
    scheme: Optional[Scheme] = None
    for path in inputs:
        rows, file_scheme = read_results(path)
        if file_scheme is not None:
            if scheme is None:
                scheme = file_scheme
            else:
                difference = file_scheme.differs_from(scheme)
                if difference:
                    raise MergeError(
                        "{0} was classified with the scheme {1!r} and an earlier input with {2!r} ({3}); only "
                        "results of the same class scheme can be merged.", path, file_scheme.id, scheme.id,
                        difference)
        sources.append((path, rows))
    if scheme is not None:
        _check_classes(sources, scheme)
    return sources, scheme


def _write_sqlite(output: str, sources, scheme: Optional[Scheme], inputs: List[str],
                  into_existing: bool) -> Tuple[List[dict], List[Conflict]]:
    """One transaction: the output's own rows read again (decisions stored since the check are in),
    merged, written; a failure leaves the file as it was. Its -wal and -shm are SQLite's to manage."""
    created = not os.path.exists(output)
    try:
        store = ResultsStore(output)
    except sqlite3.Error as exc:
        raise MergeError("Cannot write the merged results to {0}: {1}", output, exc) from None
    columns = ", ".join(RESULT_COLUMNS)
    placeholders = ", ".join(f":{c}" for c in RESULT_COLUMNS)
    try:
        with store.transaction() as con:
            if into_existing:
                fresh = [dict(r) for r in con.execute("SELECT * FROM results ORDER BY fid")]
                for row in fresh:
                    _check_row(row, lambda row=row: f"{output} fid {row.get('fid')}")
                sources = [(path, fresh if path == output else rows) for path, rows in sources]
            merged, conflicts = merge_rows(sources)
            con.execute("DELETE FROM results")
            now = utc_now()
            con.executemany(
                f"INSERT INTO results ({columns}) VALUES ({placeholders})",
                [_row_params(row, now) for row in merged],
            )
            if scheme is not None:
                con.execute("INSERT INTO meta (key, value) VALUES ('scheme', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (scheme.to_json(),))
            con.execute("INSERT INTO meta (key, value) VALUES ('merged_from', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (json.dumps(inputs, ensure_ascii=False),))
    except sqlite3.Error as exc:
        store.close()
        if created:
            _remove_new_file(output)
        raise MergeError("Cannot write the merged results to {0}: {1}", output, exc) from None
    store.close()
    return merged, conflicts


def _row_params(row: dict, now: str) -> dict:
    values = {column: row.get(column) for column in RESULT_COLUMNS}
    values["updated_at"] = values.get("updated_at") or now
    for column in ("reason", "chip_path", "class_name"):
        values[column] = values.get(column) or ""
    values["needs_review"] = int(values.get("needs_review") or 0)
    values["attempts"] = int(values.get("attempts") or 0)
    return values


def _remove_new_file(path: str) -> None:
    """A results file this merge created and could not fill: nobody else has it open yet."""
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except OSError:
            pass


def _write_csv(path: str, rows: List[dict]) -> None:
    write_csv(path, RESULT_COLUMNS, ([row.get(c) for c in RESULT_COLUMNS] for row in rows))
