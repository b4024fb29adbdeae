"""Undoable decisions: one rule for the review's classes (review_log) and the audit's references (audit_log).

A decision gives some fids a class (or clears it) in a table keyed by fid that keeps four columns:
class id, class name, when, who. It is committed at once as one action in a log that keeps what it
replaced, so undo restores that, even a decision made in an earlier session. Undo takes the last
action of its owner not yet undone, and leaves alone a chip decided again since by someone else.

Whose actions can be undone: the owner's (the log's `by` column); where the log records sessions,
this session's own decisions and its owner's from sessions that have ended (or from before sessions
were recorded), never a decision of a session still open elsewhere, nor another owner's. The tables
and their columns are named by a DecisionLog, so each log keeps its own columns (other tools read them).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from .files import database_error

Change = Tuple[int, Optional[int]]  # fid -> class id, None clears


@contextmanager
def writing(store, path: str) -> Iterator[sqlite3.Connection]:
    """One write transaction of a ResultsStore; an SQLite error becomes a sentence (nothing was stored)."""
    try:
        with store.transaction() as con:
            yield con
    except sqlite3.Error as exc:
        raise database_error(path, exc) from exc


@dataclass(frozen=True)
class DecisionLog:
    """Where decisions are stored and logged; every name is a column or table of the results file."""

    table: str  # the decided rows, keyed by fid
    columns: Tuple[str, str, str, str]  # their class id, class name, when, who
    log: str
    old_columns: Tuple[str, str, str, str]  # the log's copy of what a decision replaced (same order)
    new_columns: Sequence[str]  # the log's new class id [, its name]
    by: str  # the log's who
    sessions: Optional[str] = None  # the sessions table (id, closed_at) when the log has `session_id`

    # -- deciding --------------------------------------------------------------------------------
    def record(
        self,
        con: sqlite3.Connection,
        changes: List[Change],
        who: str,
        now: str,
        name_of: Callable[[int], str],
        missing: Callable[[int], Exception],
        session_id: Optional[str] = None,
    ) -> int:
        """Store the changes as one action inside the caller's transaction; returns its action id.

        `name_of(class_id)` names a class; `missing(fid)` is the error raised for a fid the table lacks.
        """
        action = con.execute(f"SELECT COALESCE(MAX(action_id), 0) + 1 FROM {self.log}").fetchone()[0]
        log_columns = ("action_id", "fid") + self.old_columns + tuple(self.new_columns) + (self.by, "at")
        if self.sessions:
            log_columns += ("session_id",)
        insert = (f"INSERT INTO {self.log} ({', '.join(log_columns)}) "
                  f"VALUES ({','.join('?' * len(log_columns))})")
        select_old = f"SELECT {', '.join(self.columns)} FROM {self.table} WHERE fid = ?"
        update = self._update_sql()
        for fid, class_id in changes:
            old = con.execute(select_old, (fid,)).fetchone()
            if old is None:
                raise missing(fid)
            name = None if class_id is None else name_of(class_id)
            new = (class_id, name)[:len(self.new_columns)]
            values = (action, fid) + tuple(old) + new + (who, now)
            con.execute(insert, values + (session_id,) if self.sessions else values)
            con.execute(update, (class_id, name, None if class_id is None else now,
                                 None if class_id is None else who, fid))
        return int(action)

    def _update_sql(self) -> str:
        return f"UPDATE {self.table} SET {', '.join(c + ' = ?' for c in self.columns)} WHERE fid = ?"

    # -- undo ------------------------------------------------------------------------------------
    def last_action(self, con: sqlite3.Connection, who: str, session_id: Optional[str] = None) -> Optional[int]:
        """The action undo would take back, or None. With sessions: two lookups, each newest first
        along its own index, so that undo stays instant in a county's log."""
        if not self.sessions:
            row = con.execute(f"SELECT action_id FROM {self.log} WHERE {self.by} = ? AND undone = 0 "
                              "ORDER BY action_id DESC LIMIT 1", (who,)).fetchone()
            return None if row is None else int(row[0])
        rows = (
            con.execute(f"SELECT action_id FROM {self.log} WHERE session_id = ? AND undone = 0 "
                        "ORDER BY action_id DESC LIMIT 1", (session_id,)).fetchone(),
            con.execute(f"SELECT l.action_id FROM {self.log} l LEFT JOIN {self.sessions} s ON s.id = l.session_id "
                        f"WHERE l.{self.by} = ? AND l.undone = 0 AND (l.session_id IS NULL OR s.closed_at IS NOT NULL) "
                        "ORDER BY l.action_id DESC LIMIT 1", (who,)).fetchone(),
        )
        found = [row[0] for row in rows if row is not None and row[0] is not None]
        return int(max(found)) if found else None

    def undo(self, con: sqlite3.Connection, who: str,
             session_id: Optional[str] = None) -> Tuple[List[int], List[Tuple[int, str]]]:
        """Undo the last action of `who` (see last_action) inside the caller's transaction.

        Returns (its fids restored, [(fid, who decided it since)] left alone), both in decision order.
        """
        action = self.last_action(con, who, session_id)
        if action is None:
            return [], []
        entries = con.execute(
            f"SELECT fid, {', '.join(self.old_columns)} FROM {self.log} WHERE action_id = ? ORDER BY id DESC",
            (action,),
        ).fetchall()
        update = self._update_sql()
        undone: List[int] = []
        skipped: List[Tuple[int, str]] = []
        for fid, class_id, name, at, by in entries:
            later = con.execute(
                f"SELECT {self.by} FROM {self.log} WHERE fid = ? AND action_id > ? AND undone = 0 "
                "ORDER BY action_id DESC LIMIT 1", (fid, action)
            ).fetchone()
            if later is not None:
                skipped.append((int(fid), later[0] or "?"))
                continue
            con.execute(update, (class_id, name, at, by, fid))
            undone.append(fid)
        con.execute(f"UPDATE {self.log} SET undone = 1 WHERE action_id = ?", (action,))
        skipped.reverse()
        return list(dict.fromkeys(reversed(undone))), skipped
