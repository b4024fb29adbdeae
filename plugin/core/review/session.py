"""A review session over results.sqlite: what the analyst sees, decides and can undo.

Pure Python (the dock in plugin/gui/review_dock/ is only a view of it). Everything is read lazily
with keyset paging over indexes, so a run of 200,000 results opens at once, and every decision is
committed before the call returns, so closing QGIS or a crash loses nothing. Decisions are kept in
`review_log` (owned by this module): undo restores what a decision replaced, even one made in an
earlier session.
"""
from __future__ import annotations

import os
import sqlite3
import uuid
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..chips.index import resolve_chip_path
from ..results.store import ResultsStore, utc_now
from ..schemes import ERROR_CLASS, UNKNOWN_CLASS, SchemeError
from .decisions import (
    REVIEW_LOG_FID_INDEX,
    REVIEW_LOG_INDEX,
    REVIEW_LOG_OWN_INDEXES,
    REVIEW_LOG_SCHEMA,
    REVIEW_SESSIONS_SCHEMA,
    Decisions,
)
from .files import check_results_file, database_error, default_reviewer, results_path
from .model import (
    CHIP_COLUMNS,
    CONFIDENCE_SQL,
    FINAL_CLASS_SQL,
    SCOPE_ERRORS,
    SCOPE_NEEDS_REVIEW,
    SECOND_SQL,
    SORT_CONFIDENCE,
    SORT_FID,
    SORT_SECOND,
    ChipReview,
    FinalClass,
    ReviewCounts,
    ReviewFilter,
    review_status,
)

# Each index serves one query the dock runs on every key press; all are small next to the table.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS results_review_fid ON results (needs_review)",
    "CREATE INDEX IF NOT EXISTS results_review_done ON results (needs_review, reviewed_class_id)",
    f"CREATE INDEX IF NOT EXISTS results_review_final ON results (needs_review, {FINAL_CLASS_SQL})",
    "CREATE INDEX IF NOT EXISTS results_class_fid ON results (class_id)",
    f"CREATE INDEX IF NOT EXISTS results_final_class ON results ({FINAL_CLASS_SQL})",
    # partial: a plain index on a mostly-NULL column lures the planner into "IS NULL" searches
    "CREATE INDEX IF NOT EXISTS results_reviewed_only ON results (reviewed_class_id) "
    "WHERE reviewed_class_id IS NOT NULL",
    f"CREATE INDEX IF NOT EXISTS results_confidence ON results ({CONFIDENCE_SQL})",
    f"CREATE INDEX IF NOT EXISTS results_review_confidence ON results (needs_review, {CONFIDENCE_SQL})",
    f"CREATE INDEX IF NOT EXISTS results_second ON results ({SECOND_SQL})",
)
# the float sort keys: the expression each orders by (then fid)
FLOAT_SORTS = {SORT_CONFIDENCE: CONFIDENCE_SQL, SORT_SECOND: SECOND_SQL}


class ReviewSession(Decisions):
    """The review of one results.sqlite. Single-threaded: the dock's (main) thread owns it."""

    def __init__(self, path: Union[str, os.PathLike], reviewer: Optional[str] = None, busy_timeout: float = 5.0):
        """`busy_timeout`: how long a decision waits for a classification writing to the same file
        (its writes take milliseconds; a longer wait would freeze the dock)."""
        self.path = results_path(path)
        check_results_file(self.path)
        self.folder = os.path.dirname(os.path.abspath(self.path))
        self.reviewer = reviewer or default_reviewer()
        try:
            self.store = ResultsStore(self.path, timeout=busy_timeout)
        except sqlite3.Error as exc:
            raise database_error(self.path, exc) from exc
        self._con = self.store.connection
        self._needing: Optional[Tuple[int, int]] = None  # (data_version, count): progress() keeps it
        self.session_id = uuid.uuid4().hex
        self.last_undo_skipped: List[Tuple[int, str]] = []  # (fid, reviewer) the last undo left alone
        try:
            self._ensure_schema()
            with self.store.transaction() as con:
                con.execute("INSERT INTO review_sessions (id, reviewer, opened_at) VALUES (?, ?, ?)",
                            (self.session_id, self.reviewer, utc_now()))
        except sqlite3.Error as exc:
            self.store.close()
            raise database_error(self.path, exc) from exc
        self.classes = self._load_classes()
        self._class_names = dict(self.classes)
        self._fid_set: Optional[frozenset] = None
        self._index_folder = self._index_chip_folder()

    # -- setup -----------------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        with self.store.transaction() as con:
            con.execute(REVIEW_LOG_SCHEMA)
            if "session_id" not in {row[1] for row in con.execute("PRAGMA table_info(review_log)")}:
                con.execute("ALTER TABLE review_log ADD COLUMN session_id TEXT")  # a file from before
            con.execute(REVIEW_LOG_INDEX)
            con.execute(REVIEW_LOG_FID_INDEX)
            for statement in REVIEW_LOG_OWN_INDEXES:
                con.execute(statement)
            con.execute(REVIEW_SESSIONS_SCHEMA)
            for statement in INDEXES:
                con.execute(statement)
        # Temporary tables live in memory and never touch the results file.
        self._con.execute("PRAGMA temp_store = MEMORY")
        self._con.execute("CREATE TEMP TABLE IF NOT EXISTS review_filter_fids (fid INTEGER PRIMARY KEY)")

    def _load_classes(self) -> List[Tuple[int, str]]:
        """(id, name) of every class, from the run's scheme, else from the results themselves."""
        try:
            scheme = self.store.scheme()
        except SchemeError:
            scheme = None
        self.has_scheme = scheme is not None
        if scheme is not None:
            return [(c.id, c.name) for c in scheme.classes]
        found: Dict[int, str] = {ERROR_CLASS: "ERROR", UNKNOWN_CLASS: "?"}
        for class_id, name in self._con.execute(
            "SELECT class_id, MIN(class_name) FROM results GROUP BY class_id "
            "UNION ALL SELECT reviewed_class_id, MIN(reviewed_class_name) FROM results "
            "WHERE reviewed_class_id IS NOT NULL GROUP BY reviewed_class_id"
        ):
            if class_id is not None and (name or class_id not in found):
                found[int(class_id)] = name or str(class_id)
        return sorted(found.items())

    def _index_chip_folder(self) -> Optional[str]:
        index_path = self.store.get_meta("index_path")
        return os.path.dirname(os.path.abspath(index_path)) if index_path else None

    def close(self) -> None:
        if not getattr(self.store, "_closed", False):
            try:  # this session's decisions become undoable by its reviewer's next session
                with self.store.transaction() as con:
                    con.execute("UPDATE review_sessions SET closed_at = ? WHERE id = ?", (utc_now(), self.session_id))
            except sqlite3.Error:
                pass  # a busy or vanished file: the decisions stay, only their undo from elsewhere is lost
        self.store.close()

    def __enter__(self) -> "ReviewSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- classes ---------------------------------------------------------------------------------
    def class_name(self, class_id: int) -> str:
        return self._class_names.get(int(class_id), str(class_id))

    def reviewable_classes(self) -> List[Tuple[int, str]]:
        """Classes an analyst may choose: every class but ERROR."""
        return [(cid, name) for cid, name in self.classes if cid != ERROR_CLASS]

    def resolve_chip_path(self, chip_path: str) -> str:
        """Where the chip is now: as recorded, else under the run folder's chips/ (a moved run)."""
        folders = [f for f in (self._index_folder, self.folder) if f]
        if not chip_path or not folders:
            return chip_path
        found, _ = resolve_chip_path(chip_path, *folders)
        return found or chip_path

    # -- queries ---------------------------------------------------------------------------------
    def _use_fids(self, fids: frozenset) -> None:
        if self._fid_set == fids:
            return
        self._con.execute("DELETE FROM temp.review_filter_fids")
        self._con.executemany(
            "INSERT OR IGNORE INTO temp.review_filter_fids (fid) VALUES (?)", ((f,) for f in fids)
        )
        self._fid_set = fids

    def _where(self, flt: ReviewFilter) -> Tuple[List[str], List]:
        clauses: List[str] = []
        params: List = []
        if flt.scope == SCOPE_NEEDS_REVIEW:
            clauses.append("needs_review = 1")
        elif flt.scope == SCOPE_ERRORS:
            clauses.append("class_id = ?")
            params.append(ERROR_CLASS)
        if flt.class_id is not None:
            clauses.append(f"{FINAL_CLASS_SQL} = ?")
            params.append(int(flt.class_id))
        if flt.reviewed is True:
            clauses.append("reviewed_class_id IS NOT NULL")
        elif flt.reviewed is False:
            clauses.append("reviewed_class_id IS NULL")
        if flt.fids is not None:
            self._use_fids(flt.fids)
            clauses.append("fid IN (SELECT fid FROM temp.review_filter_fids)")
        if flt.confidence_below is not None:
            clauses.append("confidence < ?")
            params.append(float(flt.confidence_below))
        if flt.second_differs is not None:
            clauses.append("agrees = ?")
            params.append(0 if flt.second_differs else 1)
        return clauses, params

    @staticmethod
    def _order(flt: ReviewFilter) -> str:
        if flt.sort in FLOAT_SORTS:
            return f"{FLOAT_SORTS[flt.sort]}, fid"
        return "fid" if flt.sort == SORT_FID else f"{FINAL_CLASS_SQL}, fid"

    @staticmethod
    def _bound(flt: ReviewFilter, key: Sequence[int], clauses: List[str], params: List, upper=False) -> None:
        """Rows strictly after `key` in the filter's order, or (upper) up to and including it."""
        strict, last = ("<", "<=") if upper else (">", ">")
        if flt.sort == SORT_FID:
            clauses.append(f"fid {last} ?")
            params.append(int(key[-1]))
        elif flt.sort in FLOAT_SORTS:
            # as for the class below: a range on the indexed key, then the fid among equal keys
            key_sql = FLOAT_SORTS[flt.sort]
            clauses.append(f"{key_sql} {strict}= ?")
            clauses.append(f"({key_sql} {strict} ? OR +fid {last} ?)")
            params.extend([float(key[0]), float(key[0]), int(key[1])])
        else:
            # Not a row value, nor a plain OR: for both SQLite plans a scan or a sort. A range on the
            # class plus an OR it cannot split (the unary +) walks the class index in order.
            clauses.append(f"{FINAL_CLASS_SQL} {strict}= ?")
            clauses.append(f"({FINAL_CLASS_SQL} {strict} ? OR +fid {last} ?)")
            params.extend([int(key[0]), int(key[0]), int(key[1])])

    def page(
        self,
        flt: Optional[ReviewFilter] = None,
        after: Optional[Sequence[int]] = None,
        limit: Optional[int] = 200,
        until: Optional[Sequence[int]] = None,
    ) -> List[ChipReview]:
        """Results of the filter in its order, after the sort key `after` (keyset paging).

        `limit` rows at most; with `until`, every row up to and including that sort key.
        """
        flt = flt or ReviewFilter()
        clauses, params = self._where(flt)
        if after is not None:
            self._bound(flt, after, clauses, params)
        if until is not None:
            self._bound(flt, until, clauses, params, upper=True)
        sql = f"SELECT {CHIP_COLUMNS} FROM results"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {self._order(flt)}"
        if limit is not None and until is None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [ChipReview.from_row(row) for row in self._con.execute(sql, params)]

    def count(self, flt: Optional[ReviewFilter] = None) -> int:
        clauses, params = self._where(flt or ReviewFilter())
        sql = "SELECT COUNT(*) FROM results"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return int(self._con.execute(sql, params).fetchone()[0])

    def has_second_opinion(self) -> bool:
        """Whether chipvlm:secondopinion ran on this file (it gives every object with features a class)."""
        return self._con.execute("SELECT 1 FROM results WHERE second_class_id IS NOT NULL LIMIT 1").fetchone() is not None

    def chip(self, fid: int) -> Optional[ChipReview]:
        row = self._con.execute(f"SELECT {CHIP_COLUMNS} FROM results WHERE fid = ?", (int(fid),)).fetchone()
        return ChipReview.from_row(row) if row else None

    def chips(self, fids: Iterable[int]) -> Dict[int, ChipReview]:
        fids = [int(f) for f in fids]
        found: Dict[int, ChipReview] = {}
        for start in range(0, len(fids), 500):
            part = fids[start : start + 500]
            marks = ",".join("?" * len(part))
            for row in self._con.execute(f"SELECT {CHIP_COLUMNS} FROM results WHERE fid IN ({marks})", part):
                chip = ChipReview.from_row(row)
                found[chip.fid] = chip
        return found

    def next_unreviewed(
        self, flt: Optional[ReviewFilter] = None, after: Optional[Sequence[int]] = None, wrap: bool = True
    ) -> Optional[ChipReview]:
        """The first result of the filter not yet reviewed after the sort key `after`, else from the top."""
        flt = flt or ReviewFilter()
        for start in ((after, None) if (after is not None and wrap) else (after,)):
            clauses, params = self._where(flt)
            clauses.append("reviewed_class_id IS NULL")
            if start is not None:
                self._bound(flt, start, clauses, params)
            sql = f"SELECT {CHIP_COLUMNS} FROM results WHERE {' AND '.join(clauses)} "
            sql += f"ORDER BY {self._order(flt)} LIMIT 1"
            row = self._con.execute(sql, params).fetchone()
            if row:
                return ChipReview.from_row(row)
        return None

    def progress(self) -> Tuple[int, int]:
        """(reviewed of those needing review, needing review): the dock's counter after every key.

        The reviewed ones are a range of the (needs_review, reviewed_class_id) index (as many as the
        analyst decided); the number needing review, which no decision changes, is counted again only
        when another connection has committed since (SQLite's data_version): on 200,000 results that
        count is 1.8 ms of every key."""
        version = self._con.execute("PRAGMA data_version").fetchone()[0]
        if self._needing is None or self._needing[0] != version:
            needs = self._con.execute("SELECT COUNT(*) FROM results WHERE needs_review = 1").fetchone()[0]
            self._needing = (version, needs)
        done = self._con.execute(
            "SELECT COUNT(*) FROM results WHERE needs_review = 1 AND reviewed_class_id IS NOT NULL").fetchone()[0]
        return done, self._needing[1]

    def counts(self) -> ReviewCounts:
        one = self._con.execute
        needs = one("SELECT COUNT(*) FROM results WHERE needs_review = 1").fetchone()[0]
        done = one(
            "SELECT COUNT(*) FROM results WHERE needs_review = 1 AND reviewed_class_id IS NOT NULL"
        ).fetchone()[0]
        return ReviewCounts(
            total=one("SELECT COUNT(*) FROM results").fetchone()[0],
            needs_review=needs,
            reviewed_of_needing=done,
            reviewed=one("SELECT COUNT(*) FROM results WHERE reviewed_class_id IS NOT NULL").fetchone()[0],
            errors=one("SELECT COUNT(*) FROM results WHERE class_id = ?", (ERROR_CLASS,)).fetchone()[0],
        )

    # -- the outcome -----------------------------------------------------------------------------
    def final_classes(self) -> Iterator[FinalClass]:
        """Every result's final class (reviewed, else predicted) and review status, by fid."""
        cursor = self._con.execute(
            "SELECT fid, class_id, class_name, needs_review, reviewed_class_id, reviewed_class_name "
            "FROM results ORDER BY fid"
        )
        for fid, class_id, class_name, needs, reviewed_id, reviewed_name in cursor:
            status = review_status(class_id, bool(needs), reviewed_id)
            if reviewed_id is None:
                yield FinalClass(int(fid), int(class_id), class_name or "", status)
            else:
                yield FinalClass(int(fid), int(reviewed_id), reviewed_name or "", status)


def final_classes(path: Union[str, os.PathLike]) -> Dict[int, FinalClass]:
    """fid -> final class of a results file (for writing classes back to a layer)."""
    with ReviewSession(path) as session:
        return {final.fid: final for final in session.final_classes()}

