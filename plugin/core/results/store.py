"""results.sqlite: the source of truth for classes, reviews and the raw answers of every request.

The schema is fixed in docs/internals.md. The file is in WAL mode so the review dock can read while a
run writes, and every write is one transaction, so a kill loses at most what was not yet handed to
the store. A classification never touches the reviewed_* columns: an analyst's decision outlives any
rerun.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Union

from ..files import write_csv
from ..schemes import ERROR_CLASS, Scheme

RESULT_COLUMNS = (
    "fid",
    "chip_path",
    "class_id",
    "class_name",
    "reason",
    "needs_review",
    "reviewed_class_id",
    "reviewed_class_name",
    "reviewed_at",
    "reviewer",
    "model",
    "endpoint",
    "attempts",
    "elapsed_ms",
    "updated_at",
    "confidence",
    "runner_up_class_id",
    "error",
    "second_class_id",
    "second_confidence",
    "agrees",
    "model_class_id",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
  fid INTEGER PRIMARY KEY,
  chip_path TEXT NOT NULL,
  class_id INTEGER NOT NULL,
  class_name TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  needs_review INTEGER NOT NULL DEFAULT 0,
  reviewed_class_id INTEGER,
  reviewed_class_name TEXT,
  reviewed_at TEXT,
  reviewer TEXT,
  model TEXT,
  endpoint TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  elapsed_ms INTEGER,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT, endpoint TEXT, model TEXT,
  fids TEXT,
  status TEXT,
  http_status INTEGER, error TEXT, raw_response TEXT, schema_kind TEXT,
  elapsed_ms INTEGER, prompt_tokens INTEGER, eval_tokens INTEGER
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS audit_design (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seed INTEGER NOT NULL,
  target_se REAL,
  min_per_class INTEGER,
  size_rule TEXT NOT NULL,
  population INTEGER NOT NULL,
  sample_size INTEGER NOT NULL,
  drawn_at TEXT NOT NULL,
  drawn_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_strata (
  class_id INTEGER PRIMARY KEY,
  class_name TEXT,
  population INTEGER NOT NULL,
  expected_users_accuracy REAL,
  expected_from TEXT,
  sample_size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_sample (
  fid INTEGER PRIMARY KEY,
  stratum_class_id INTEGER NOT NULL,
  position INTEGER NOT NULL UNIQUE,
  reference_class_id INTEGER,
  reference_class_name TEXT,
  referenced_at TEXT,
  referenced_by TEXT
);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  action_id INTEGER NOT NULL,
  fid INTEGER NOT NULL,
  old_class_id INTEGER, old_class_name TEXT, old_at TEXT, old_by TEXT,
  new_class_id INTEGER,
  by TEXT,
  at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0
);
"""

# Columns added after the first release: a results file made by an older version gains them when it
# is opened (ALTER TABLE ... ADD COLUMN keeps every row; the new column is NULL in old rows).
ADDED_COLUMNS = {
    "results": (
        ("confidence", "REAL"),  # probability of the chosen class from the model's log-probabilities
        ("runner_up_class_id", "INTEGER"),  # the next most probable class
        ("error", "TEXT"),  # technical detail of an error row, kept apart from the user's reason
        # chipvlm:secondopinion (core/learn): its class and probability, and whether it agrees with the
        # model's class (NULL for class -1); model_class_id keeps the model's own class where APPLY_ABOVE
        # replaced class_id with the second opinion's (NULL everywhere else: the marker of an applied row)
        ("second_class_id", "INTEGER"),
        ("second_confidence", "REAL"),
        ("agrees", "INTEGER"),
        ("model_class_id", "INTEGER"),
    ),
}


def ensure_columns(con: sqlite3.Connection) -> None:
    """Add the columns of ADDED_COLUMNS a table lacks (inside the caller's transaction)."""
    for table, columns in ADDED_COLUMNS.items():
        have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
        for name, decl in columns:
            if name not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")

# A rerun replaces the predicted columns only; and never replaces a real class with an error, so a
# late failure of a duplicate request cannot undo a result already accepted.
UPSERT = """
INSERT INTO results (fid, chip_path, class_id, class_name, reason, needs_review, model, endpoint,
                     attempts, elapsed_ms, updated_at, confidence, runner_up_class_id, error)
VALUES (:fid, :chip_path, :class_id, :class_name, :reason, :needs_review, :model, :endpoint,
        :attempts, :elapsed_ms, :updated_at, :confidence, :runner_up_class_id, :error)
ON CONFLICT(fid) DO UPDATE SET
  chip_path = excluded.chip_path,
  class_id = excluded.class_id,
  class_name = excluded.class_name,
  reason = excluded.reason,
  needs_review = excluded.needs_review,
  model = excluded.model,
  endpoint = excluded.endpoint,
  attempts = results.attempts + excluded.attempts,
  elapsed_ms = excluded.elapsed_ms,
  updated_at = excluded.updated_at,
  confidence = excluded.confidence,
  runner_up_class_id = excluded.runner_up_class_id,
  error = excluded.error
WHERE excluded.class_id != -1 OR results.class_id = -1
"""

REQUEST_STATUSES = ("ok", "invalid", "http_error", "transport_error", "internal_error")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class RequestRow:
    """One HTTP request and what came of it: a row of the requests table."""

    endpoint: str
    model: Optional[str]
    fids: Sequence[int]
    status: str  # one of REQUEST_STATUSES
    http_status: Optional[int] = None
    error: Optional[str] = None
    raw_response: Optional[str] = None  # what transport.stored_copy() keeps of the answer
    schema_kind: Optional[str] = None
    elapsed_ms: Optional[int] = None
    prompt_tokens: Optional[int] = None
    eval_tokens: Optional[int] = None
    started_at: Optional[str] = None


@dataclass
class ResultRow:
    """The predicted part of a results row, as the engine produces it."""

    fid: int
    chip_path: str
    class_id: int
    class_name: str
    reason: str = ""
    needs_review: bool = False
    model: Optional[str] = None
    endpoint: Optional[str] = None
    attempts: int = 1
    elapsed_ms: Optional[int] = None
    confidence: Optional[float] = None  # from the model's log-probabilities; None when the server gave none
    runner_up_class_id: Optional[int] = None
    error: Optional[str] = None  # an error row's technical detail (its reason is in the scheme's language)

    def as_params(self, now: str) -> dict:
        return {
            "fid": int(self.fid),
            "chip_path": str(self.chip_path),
            "class_id": int(self.class_id),
            "class_name": str(self.class_name),
            "reason": self.reason or "",
            "needs_review": 1 if self.needs_review else 0,
            "model": self.model,
            "endpoint": self.endpoint,
            "attempts": int(self.attempts),
            "elapsed_ms": None if self.elapsed_ms is None else int(self.elapsed_ms),
            "updated_at": now,
            "confidence": None if self.confidence is None else float(self.confidence),
            "runner_up_class_id": None if self.runner_up_class_id is None else int(self.runner_up_class_id),
            "error": self.error or None,
        }


class ResultsStore:
    """One results.sqlite, safe to share between the threads of a run (one connection, one lock)."""

    def __init__(self, path: Union[str, os.PathLike], timeout: float = 30.0):
        self.path = os.fspath(path)
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        self._lock = threading.RLock()
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so one write is exactly one transaction
        self.connection = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode (only a power cut can lose the tail)
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        with self.transaction() as con:
            for statement in SCHEMA.strip().split(";"):
                if statement.strip():
                    con.execute(statement)
            ensure_columns(con)
        self._closed = False

    # -- plumbing --------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front so it never deadlocks."""
        with self._lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            else:
                self.connection.execute("COMMIT")

    def _query(self, sql: str, params: Sequence = ()) -> List[sqlite3.Row]:
        with self._lock:
            return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self.connection.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- results ---------------------------------------------------------------------------------
    def record_results(self, rows: Iterable[Union[ResultRow, dict]]) -> int:
        """Insert or update the predicted columns of rows, all in one transaction; returns the count."""
        now = utc_now()
        params = []
        for row in rows:
            if isinstance(row, dict):
                row = ResultRow(**row)
            params.append(row.as_params(now))
        if not params:
            return 0
        with self.transaction() as con:
            con.executemany(UPSERT, params)
        return len(params)

    def flag_confidence_below(self, threshold: float) -> int:
        """Mark every result whose confidence is under ``threshold`` as needing review (REVIEW_BELOW);
        the reason stays the model's, and no flag is ever taken away. Returns how many were newly marked."""
        with self.transaction() as con:
            cursor = con.execute(
                "UPDATE results SET needs_review = 1 WHERE needs_review = 0 AND class_id != ? "
                "AND confidence IS NOT NULL AND confidence < ?", (ERROR_CLASS, float(threshold)))
            return int(cursor.rowcount)

    def lacking_reasons(self) -> Dict[int, int]:
        """fid -> class_id of the results that go to review without a reason (REASONS=review asks them
        again): a class of the scheme (not -1, whose reason is the error), needing review, not yet
        reviewed by an analyst, and an empty reason."""
        rows = self._query(
            "SELECT fid, class_id FROM results WHERE needs_review = 1 AND class_id != ? "
            "AND reviewed_class_id IS NULL AND (reason IS NULL OR reason = '') ORDER BY fid", (ERROR_CLASS,))
        return {int(r[0]): int(r[1]) for r in rows}

    def record_reasons(self, reasons: Dict[int, str]) -> int:
        """Set the reason of results already classified (the reasons pass), in one transaction; the
        class and everything else stay. Returns how many rows changed."""
        now = utc_now()
        with self.transaction() as con:
            cursor = con.executemany("UPDATE results SET reason = ?, needs_review = 1, updated_at = ? WHERE fid = ?",
                                     [(str(reason), now, int(fid)) for fid, reason in reasons.items()])
            return int(cursor.rowcount)

    def done_fids(self) -> Set[int]:
        """Fids with a class other than ERROR: a rerun skips them (an error is not done)."""
        return {r[0] for r in self._query("SELECT fid FROM results WHERE class_id != ?", (ERROR_CLASS,))}

    def error_fids(self) -> Set[int]:
        return {r[0] for r in self._query("SELECT fid FROM results WHERE class_id = ?", (ERROR_CLASS,))}

    def get(self, fid: int) -> Optional[dict]:
        rows = self._query("SELECT * FROM results WHERE fid = ?", (int(fid),))
        return dict(rows[0]) if rows else None

    def results(self) -> List[dict]:
        return [dict(r) for r in self._query("SELECT * FROM results ORDER BY fid")]

    def counts(self) -> Dict[str, int]:
        """How many rows, how many classified (not ERROR), errors, and rows needing review."""
        row = self._query(
            "SELECT COUNT(*), "
            "COALESCE(SUM(class_id != -1), 0), COALESCE(SUM(class_id = -1), 0), "
            "COALESCE(SUM(needs_review = 1 AND reviewed_class_id IS NULL), 0), "
            "COALESCE(SUM(reviewed_class_id IS NOT NULL), 0) FROM results"
        )[0]
        return {
            "total": row[0],
            "classified": row[1],
            "errors": row[2],
            "needs_review": row[3],
            "reviewed": row[4],
        }

    # -- requests log ----------------------------------------------------------------------------
    def log_request(self, request: "RequestRow") -> int:
        """Keep one HTTP request and the model's raw answer; returns the row id."""
        if request.status not in REQUEST_STATUSES:
            raise ValueError(f"request status must be one of {REQUEST_STATUSES}, not {request.status!r}")
        with self.transaction() as con:
            cursor = con.execute(
                "INSERT INTO requests (started_at, endpoint, model, fids, status, http_status, error, "
                "raw_response, schema_kind, elapsed_ms, prompt_tokens, eval_tokens) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    request.started_at or utc_now(),
                    request.endpoint,
                    request.model,
                    json.dumps([int(f) for f in request.fids]),
                    request.status,
                    request.http_status,
                    request.error,
                    request.raw_response,
                    request.schema_kind,
                    request.elapsed_ms,
                    request.prompt_tokens,
                    request.eval_tokens,
                ),
            )
            return int(cursor.lastrowid)

    def requests(self) -> List[dict]:
        return [dict(r) for r in self._query("SELECT * FROM requests ORDER BY id")]

    # -- meta ------------------------------------------------------------------------------------
    def get_meta(self, key: str, default: Optional[str] = None) -> Optional[str]:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: Optional[str]) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def scheme(self) -> Optional[Scheme]:
        """The class scheme the results were made with (None before the first run)."""
        text = self.get_meta("scheme")
        if not text:
            return None
        return Scheme.from_json(text, source=f"{self.path} (meta 'scheme')")

    def set_scheme(self, scheme: Scheme) -> None:
        self.set_meta("scheme", scheme.to_json())

    # -- export ----------------------------------------------------------------------------------
    def export_csv(self, path: Union[str, os.PathLike]) -> str:
        """results.csv for Excel and merging: UTF-8 with BOM, the results table's columns.

        Written to a temporary file then renamed, so a reader never sees half a file.
        """
        rows = self._query(f"SELECT {', '.join(RESULT_COLUMNS)} FROM results ORDER BY fid")
        return write_csv(path, RESULT_COLUMNS, rows)
