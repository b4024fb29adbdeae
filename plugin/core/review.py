"""A review session over results.sqlite: what the analyst sees, decides and can undo.

Pure Python (the dock in plugin/gui/review_dock.py is only a view of it). Everything is read lazily
with keyset paging over indexes, so a run of 200,000 results opens at once, and every decision is
committed before the call returns, so closing QGIS or a crash loses nothing. Decisions are kept in
`review_log` (owned by this module): undo restores what a decision replaced, even one made in an
earlier session.
"""
import getpass
import os
import re
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .chips.index import resolve_chip_path
from .classify.store import ResultsStore, utc_now
from .errors import ChipVLMError
from .schemes import ERROR_CLASS, UNKNOWN_CLASS, SchemeError

RESULTS_FILE = "results.sqlite"

# Review scopes: which results the dock lists before the other filters apply.
SCOPE_NEEDS_REVIEW = "needs_review"
SCOPE_ALL = "all"
SCOPE_ERRORS = "errors"
SCOPES = (SCOPE_NEEDS_REVIEW, SCOPE_ALL, SCOPE_ERRORS)

SORT_FID = "fid"
SORT_CLASS = "class"
SORT_CONFIDENCE = "confidence"  # least sure first; results without a confidence last
SORTS = (SORT_FID, SORT_CLASS, SORT_CONFIDENCE)

# Review status of a result, also written into the layer's review field.
STATUS_REVIEWED = "reviewed"  # an analyst decided the class
STATUS_TO_REVIEW = "to_review"  # the model could not tell, or gave no reason: waiting for an analyst
STATUS_ERROR = "error"  # not classified (class -1) and not reviewed
STATUS_MODEL = "model"  # the model's class, no review needed
STATUSES = (STATUS_REVIEWED, STATUS_TO_REVIEW, STATUS_ERROR, STATUS_MODEL)

FINAL_CLASS_SQL = "COALESCE(reviewed_class_id, class_id)"
# the confidence sort key: a result without one (the server gave no log-probabilities) after all others
NO_CONFIDENCE = 2.0
CONFIDENCE_SQL = f"COALESCE(confidence, {NO_CONFIDENCE})"

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
)

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

CHIP_COLUMNS = (
    "fid, chip_path, class_id, class_name, reason, needs_review, "
    "reviewed_class_id, reviewed_class_name, reviewed_at, reviewer, confidence, runner_up_class_id"
)


class ReviewError(ChipVLMError):
    """A review action that cannot be done; the message says why in the user's words."""


SQLITE_HEADER = b"SQLite format 3\x00"
# The columns the review reads and writes; a "results" table without them is another program's.
REQUIRED_COLUMNS = ("fid", "chip_path", "class_id", "class_name", "reason", "needs_review",
                    "reviewed_class_id", "reviewed_class_name", "reviewed_at", "reviewer")


def default_reviewer() -> str:
    """The OS user name: who made a decision, when the GUI does not know better."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def results_path(path: Union[str, os.PathLike]) -> str:
    """The results.sqlite of a run: the file itself, or the one inside a run folder."""
    path = os.fspath(path)
    if os.path.isdir(path):
        candidate = os.path.join(path, RESULTS_FILE)
        if not os.path.isfile(candidate):
            raise ReviewError(
                "The folder {0} has no results.sqlite: classify its chips first, or open the results "
                "file itself.", path
            )
        return candidate
    if not os.path.isfile(path):
        raise ReviewError("The results file {0} does not exist.", path)
    return path


def check_results_file(path: str) -> None:
    """Refuse, without writing a byte to it, a file that is not a ChipVLM results.sqlite."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ReviewError("{0} cannot be read: {1}.", path, exc.strerror or exc) from exc
    if not header:
        raise ReviewError("{0} is empty: it is not a results file of ChipVLM.", path)
    if header != SQLITE_HEADER:
        if path.lower().endswith(".csv"):
            raise ReviewError(
                "{0} is the CSV export of a run: open the results.sqlite beside it (the review stores "
                "its decisions there).", path
            )
        raise ReviewError("{0} is not a results file of ChipVLM (not an SQLite database).", path)
    try:
        con = sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            columns = {row[1] for row in con.execute("PRAGMA table_info(results)")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise ReviewError("{0} cannot be opened as a results file: {1}.", path, exc) from exc
    if not columns:
        raise ReviewError(
            "{0} has no results table: it is not a results file of ChipVLM (a GeoPackage or another "
            "database?). Open the results.sqlite of a run.", path
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ReviewError(
            "The results table of {0} lacks the columns {1}: it was not written by ChipVLM.",
            path, ", ".join(missing)
        )


def result_count(path: Union[str, os.PathLike]) -> int:
    """How many results a results file holds, read without writing to it (0 when it cannot be read):
    a classification that failed before its first batch leaves a file with none, nothing to review."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        return 0
    try:
        con = sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM results").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


# A write matches results to features by the field the chips were named by: a layer in which fewer
# than this share of the results' fids is found is not the layer the run was cut from.
MIN_MATCH_SHARE = 0.5


class LinkError(ReviewError):
    """The layer (or fid field) chosen for writing is not the one the run was cut from."""


def run_info_for(results: Union[str, os.PathLike]) -> Optional[Dict[str, object]]:
    """run.json of the run a results file belongs to: beside it, else beside the index it classified.

    None for a run cut before run.json existed. Read without writing to the results file.
    """
    from .run_info import read_run_info

    path = os.path.abspath(results_path(results))
    folders = [os.path.dirname(path)]
    try:
        con = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'index_path'").fetchone()
        finally:
            con.close()
        if row and row[0]:
            folders.append(os.path.dirname(os.path.abspath(row[0])))
    except sqlite3.Error:
        pass
    for folder in dict.fromkeys(folders):
        info = read_run_info(folder)
        if info is not None:
            return info
    return None


def recorded_fid_field(info: Optional[Dict[str, object]]) -> Optional[str]:
    """The fid field run.json names ("" = feature id), None when there is no record of it."""
    if not info or "fid_field" not in info:
        return None
    value = info.get("fid_field")
    return "" if value is None else str(value)


def _field_words(field: str) -> str:
    return f"'{field}'" if field else "(feature id)"


def check_link(info: Optional[Dict[str, object]], fid_field: str, layer_name: str, result_fids: int,
               matched: int) -> None:
    """Refuse to write into a layer the run was not cut from (LinkError says what differs).

    `info` is run.json (None: an older run, nothing to check against), `fid_field` the field the
    write would match by, `matched` how many of the `result_fids` results a feature of the layer has.
    """
    if info is None:
        return
    recorded = recorded_fid_field(info)
    if recorded is not None and recorded != (fid_field or ""):
        raise LinkError(
            "The chips of this run were named by {0} (run.json), but the classes would be matched by {1} in "
            "layer '{2}'. Choose {0} as the fid field.", _field_words(recorded), _field_words(fid_field or ""),
            layer_name)
    if result_fids and matched < MIN_MATCH_SHARE * result_fids:
        raise LinkError(
            "Only {0} of the {1} results of this run have a feature in layer '{2}' by {3}: it is not the layer "
            "the chips were cut from ('{4}', {5} features). Choose that layer.", matched, result_fids, layer_name,
            _field_words(fid_field or ""), info.get("layer_name") or info.get("layer_source") or "?",
            info.get("feature_count", "?"))


def database_error(path: str, exc: sqlite3.Error) -> ReviewError:
    """A sentence for an SQLite error met while reviewing (a busy file is the usual one)."""
    if "locked" in str(exc) or "busy" in str(exc):
        return ReviewError(
            "{0} is busy: another program (a classification?) has been writing to it for a while. "
            "Nothing was stored; try again.", path
        )
    return ReviewError("{0} cannot be read or written: {1}.", path, exc)


def parse_fids(text: str) -> List[int]:
    """Fids typed by a user: "12", "12, 40-45 7" -> [12, 40, 41, 42, 43, 44, 45, 7]."""
    fids: List[int] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", token)
        if match is None:
            raise ReviewError("'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45.", token)
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if end < start:
            start, end = end, start
        if end - start > 1_000_000:
            raise ReviewError("The fid range '{0}' is too large.", token)
        fids.extend(range(start, end + 1))
    return fids


@dataclass(frozen=True)
class ReviewFilter:
    """Which results to list, and in which order. The default lists what needs review, by fid."""

    scope: str = SCOPE_NEEDS_REVIEW
    class_id: Optional[int] = None  # the final class (reviewed, else predicted)
    reviewed: Optional[bool] = None  # True: reviewed only, False: not reviewed only
    fids: Optional[frozenset] = None  # only these fids (typed, or selected on the map)
    sort: str = SORT_FID
    confidence_below: Optional[float] = None  # only results the model was less sure of (NULL: never)

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {self.scope!r}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {self.sort!r}")
        if self.fids is not None and not isinstance(self.fids, frozenset):
            object.__setattr__(self, "fids", frozenset(int(f) for f in self.fids))


@dataclass(frozen=True)
class ChipReview:
    """One result as the dock shows it."""

    fid: int
    chip_path: str
    class_id: int
    class_name: str
    reason: str
    needs_review: bool
    reviewed_class_id: Optional[int] = None
    reviewed_class_name: Optional[str] = None
    reviewed_at: Optional[str] = None
    reviewer: Optional[str] = None
    confidence: Optional[float] = None  # the model's probability of its class; None: the server gave none
    runner_up_class_id: Optional[int] = None

    @classmethod
    def from_row(cls, row: Sequence) -> "ChipReview":
        return cls(
            fid=int(row[0]),
            chip_path=row[1] or "",
            class_id=int(row[2]),
            class_name=row[3] or "",
            reason=row[4] or "",
            needs_review=bool(row[5]),
            reviewed_class_id=row[6],
            reviewed_class_name=row[7],
            reviewed_at=row[8],
            reviewer=row[9],
            confidence=row[10] if len(row) > 10 else None,
            runner_up_class_id=row[11] if len(row) > 11 else None,
        )

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_class_id is not None

    @property
    def final_class_id(self) -> int:
        return self.class_id if self.reviewed_class_id is None else int(self.reviewed_class_id)

    @property
    def final_class_name(self) -> str:
        return self.class_name if self.reviewed_class_id is None else (self.reviewed_class_name or "")

    @property
    def status(self) -> str:
        return review_status(self.class_id, self.needs_review, self.reviewed_class_id)

    def sort_key(self, sort: str) -> Tuple[float, ...]:
        if sort == SORT_CONFIDENCE:
            return (NO_CONFIDENCE if self.confidence is None else float(self.confidence), self.fid)
        return (self.fid,) if sort == SORT_FID else (self.final_class_id, self.fid)


@dataclass(frozen=True)
class FinalClass:
    """What the layer gets for one fid."""

    fid: int
    class_id: int
    class_name: str
    status: str


@dataclass(frozen=True)
class ReviewCounts:
    total: int  # results in the file
    needs_review: int  # results the model flagged
    reviewed_of_needing: int  # of those, decided by an analyst
    reviewed: int  # every result an analyst decided, flagged or not
    errors: int  # results of class -1 (an analyst may have decided them since)

    @property
    def remaining(self) -> int:
        return self.needs_review - self.reviewed_of_needing


def review_status(class_id: int, needs_review: bool, reviewed_class_id: Optional[int]) -> str:
    if reviewed_class_id is not None:
        return STATUS_REVIEWED
    if class_id == ERROR_CLASS:
        return STATUS_ERROR
    if needs_review:
        return STATUS_TO_REVIEW
    return STATUS_MODEL


class ReviewSession:
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
        return clauses, params

    @staticmethod
    def _order(flt: ReviewFilter) -> str:
        if flt.sort == SORT_CONFIDENCE:
            return f"{CONFIDENCE_SQL}, fid"
        return "fid" if flt.sort == SORT_FID else f"{FINAL_CLASS_SQL}, fid"

    @staticmethod
    def _bound(flt: ReviewFilter, key: Sequence[int], clauses: List[str], params: List, upper=False) -> None:
        """Rows strictly after `key` in the filter's order, or (upper) up to and including it."""
        strict, last = ("<", "<=") if upper else (">", ">")
        if flt.sort == SORT_FID:
            clauses.append(f"fid {last} ?")
            params.append(int(key[-1]))
        elif flt.sort == SORT_CONFIDENCE:
            # as for the class below: a range on the indexed key, then the fid among equal keys
            clauses.append(f"{CONFIDENCE_SQL} {strict}= ?")
            clauses.append(f"({CONFIDENCE_SQL} {strict} ? OR +fid {last} ?)")
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
