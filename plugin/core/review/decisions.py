"""Decisions and undo: what the analyst decides is committed at once and logged in review_log.

ReviewSession (session.py) gets these methods from Decisions; they use its connection (`store`), its
classes and its session id. Undo restores what a decision replaced, even one of an earlier session.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator, List, Optional, Tuple

from ..classify.store import utc_now
from ..schemes import ERROR_CLASS
from .files import ReviewError, database_error

REVIEW_LOG_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  action_id INTEGER NOT NULL,          -- one decision; a decision on several chips has several rows
  fid INTEGER NOT NULL,
  old_class_id INTEGER, old_class_name TEXT, old_reviewed_at TEXT, old_reviewer TEXT,
  new_class_id INTEGER, new_class_name TEXT,
  reviewer TEXT,
  at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0
)
"""
REVIEW_LOG_INDEX = "CREATE INDEX IF NOT EXISTS review_log_action ON review_log (undone, action_id)"
REVIEW_LOG_FID_INDEX = "CREATE INDEX IF NOT EXISTS review_log_fid ON review_log (fid, action_id)"
REVIEW_LOG_OWN_INDEXES = (
    "CREATE INDEX IF NOT EXISTS review_log_session ON review_log (session_id, undone, action_id)",
    "CREATE INDEX IF NOT EXISTS review_log_reviewer ON review_log (reviewer, undone, action_id)",
)
# Who may undo what: a session undoes its own decisions, and its reviewer's from sessions that have
# ended (another day); never a decision of a session still open elsewhere, nor another reviewer's.
REVIEW_SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_sessions (
  id TEXT PRIMARY KEY,
  reviewer TEXT,
  opened_at TEXT NOT NULL,
  closed_at TEXT
)
"""


class Decisions:
    """The writing half of ReviewSession."""

    # -- decisions -------------------------------------------------------------------------------
    def _check_class(self, class_id: int) -> int:
        class_id = int(class_id)
        if class_id == ERROR_CLASS:
            raise ReviewError("ERROR (-1) means 'not classified'; choose a class, or 0 when you cannot tell.")
        if class_id not in self._class_names:
            known = ", ".join(f"{cid} {name}" for cid, name in self.reviewable_classes())
            raise ReviewError("Class {0} is not in this run's scheme ({1}).", class_id, known)
        return class_id

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; an SQLite error becomes a sentence (nothing was stored)."""
        try:
            with self.store.transaction() as con:
                yield con
        except sqlite3.Error as exc:
            raise database_error(self.path, exc) from exc

    def _apply(self, changes: List[Tuple[int, Optional[int]]], reviewer: Optional[str]) -> Optional[int]:
        """Store decisions (fid -> class, None clears) as one undoable action, in one transaction."""
        if not changes:
            return None
        reviewer = reviewer or self.reviewer
        now = utc_now()
        with self._writing() as con:
            action = con.execute("SELECT COALESCE(MAX(action_id), 0) + 1 FROM review_log").fetchone()[0]
            for fid, class_id in changes:
                old = con.execute(
                    "SELECT reviewed_class_id, reviewed_class_name, reviewed_at, reviewer "
                    "FROM results WHERE fid = ?",
                    (fid,),
                ).fetchone()
                if old is None:
                    raise ReviewError("Fid {0} is not in {1}.", fid, self.path)
                name = None if class_id is None else self.class_name(class_id)
                con.execute(
                    "INSERT INTO review_log (action_id, fid, old_class_id, old_class_name, old_reviewed_at, "
                    "old_reviewer, new_class_id, new_class_name, reviewer, at, session_id) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (action, fid, old[0], old[1], old[2], old[3], class_id, name, reviewer, now, self.session_id),
                )
                con.execute(
                    "UPDATE results SET reviewed_class_id = ?, reviewed_class_name = ?, reviewed_at = ?, "
                    "reviewer = ? WHERE fid = ?",
                    (
                        class_id,
                        name,
                        None if class_id is None else now,
                        None if class_id is None else reviewer,
                        fid,
                    ),
                )
        return int(action)

    def set_review(self, fids: Iterable[int], class_id: int, reviewer: Optional[str] = None) -> Optional[int]:
        """The analyst's class for these fids, stored at once; returns the action id (for undo)."""
        class_id = self._check_class(class_id)
        unique = list(dict.fromkeys(int(f) for f in fids))
        return self._apply([(fid, class_id) for fid in unique], reviewer)

    def confirm(self, fids: Iterable[int], reviewer: Optional[str] = None) -> Tuple[Optional[int], List[int]]:
        """Accept the model's class of each fid as reviewed.

        Errors (-1) have nothing to accept and are skipped: returns (action id, skipped fids).
        """
        unique = list(dict.fromkeys(int(f) for f in fids))
        chips = self.chips(unique)
        missing = [fid for fid in unique if fid not in chips]
        if missing:
            raise ReviewError("Fid {0} is not in {1}.", missing[0], self.path)
        changes = [(fid, chips[fid].class_id) for fid in unique if chips[fid].class_id != ERROR_CLASS]
        skipped = [fid for fid in unique if chips[fid].class_id == ERROR_CLASS]
        return self._apply(changes, reviewer), skipped

    def clear_review(self, fids: Iterable[int], reviewer: Optional[str] = None) -> Optional[int]:
        """Forget the analyst's class of these fids (undoable like any decision)."""
        unique = list(dict.fromkeys(int(f) for f in fids))
        return self._apply([(fid, None) for fid in unique], reviewer)

    # this session's decisions, and its reviewer's from sessions that ended (or from before sessions
    # were recorded); never one of a session still open elsewhere, nor another reviewer's. Two
    # lookups, each newest first along its own index, so that undo stays instant in a county's log.
    _OWN_SESSION_ACTION = (
        "SELECT action_id FROM review_log WHERE session_id = ? AND undone = 0 ORDER BY action_id DESC LIMIT 1"
    )
    _OWN_EARLIER_ACTION = (
        "SELECT l.action_id FROM review_log l LEFT JOIN review_sessions s ON s.id = l.session_id "
        "WHERE l.reviewer = ? AND l.undone = 0 AND (l.session_id IS NULL OR s.closed_at IS NOT NULL) "
        "ORDER BY l.action_id DESC LIMIT 1"
    )

    def _last_own_action(self, con) -> Optional[int]:
        found = [row[0] for row in (con.execute(self._OWN_SESSION_ACTION, (self.session_id,)).fetchone(),
                                    con.execute(self._OWN_EARLIER_ACTION, (self.reviewer,)).fetchone())
                 if row is not None and row[0] is not None]
        return int(max(found)) if found else None

    def can_undo(self) -> bool:
        return self._last_own_action(self._con) is not None

    def undo(self) -> List[int]:
        """Undo this reviewer's last decision not yet undone (one key press, however many chips).

        Returns its fids. A chip decided again since by someone else keeps that later decision: it
        is listed in `last_undo_skipped` (fid, reviewer) instead.
        """
        self.last_undo_skipped = []
        with self._writing() as con:
            action = self._last_own_action(con)
            if action is None:
                return []
            entries = con.execute(
                "SELECT fid, old_class_id, old_class_name, old_reviewed_at, old_reviewer "
                "FROM review_log WHERE action_id = ? ORDER BY id DESC",
                (action,),
            ).fetchall()
            undone = []
            for fid, class_id, name, at, who in entries:
                later = con.execute(
                    "SELECT reviewer FROM review_log WHERE fid = ? AND action_id > ? AND undone = 0 "
                    "ORDER BY action_id DESC LIMIT 1", (fid, action)
                ).fetchone()
                if later is not None:
                    self.last_undo_skipped.append((int(fid), later[0] or "?"))
                    continue
                con.execute(
                    "UPDATE results SET reviewed_class_id = ?, reviewed_class_name = ?, reviewed_at = ?, "
                    "reviewer = ? WHERE fid = ?",
                    (class_id, name, at, who, fid),
                )
                undone.append(fid)
            con.execute("UPDATE review_log SET undone = 1 WHERE action_id = ?", (action,))
        self.last_undo_skipped.reverse()
        return list(dict.fromkeys(reversed(undone)))

