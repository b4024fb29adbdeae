"""Decisions and undo: what the analyst decides is committed at once and logged in review_log.

ReviewSession (session.py) gets these methods from Decisions; they use its connection (`store`), its
classes and its session id. The log and its undo are decision_log.py's, shared with the audit.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from ..results.store import utc_now
from ..schemes import ERROR_CLASS
from .decision_log import DecisionLog, writing
from .files import ReviewError

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
REVIEW_DECISIONS = DecisionLog(
    table="results",
    columns=("reviewed_class_id", "reviewed_class_name", "reviewed_at", "reviewer"),
    log="review_log",
    old_columns=("old_class_id", "old_class_name", "old_reviewed_at", "old_reviewer"),
    new_columns=("new_class_id", "new_class_name"),
    by="reviewer",
    sessions="review_sessions",
)
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

    def _apply(self, changes: List[Tuple[int, Optional[int]]], reviewer: Optional[str]) -> Optional[int]:
        """Store decisions (fid -> class, None clears) as one undoable action, in one transaction."""
        if not changes:
            return None
        with writing(self.store, self.path) as con:
            return REVIEW_DECISIONS.record(
                con, changes, reviewer or self.reviewer, utc_now(), self.class_name,
                lambda fid: ReviewError("Fid {0} is not in {1}.", fid, self.path), self.session_id)

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

    def can_undo(self) -> bool:
        return REVIEW_DECISIONS.last_action(self._con, self.reviewer, self.session_id) is not None

    def undo(self) -> List[int]:
        """Undo this reviewer's last decision not yet undone (one key press, however many chips).

        Returns its fids. A chip decided again since by someone else keeps that later decision: it
        is listed in `last_undo_skipped` (fid, reviewer) instead.
        """
        self.last_undo_skipped = []
        with writing(self.store, self.path) as con:
            undone, self.last_undo_skipped = REVIEW_DECISIONS.undo(con, self.reviewer, self.session_id)
        return undone
