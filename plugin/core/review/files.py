"""The results file a review works on: finding it, checking it is ours, its run and layer link, its errors."""
from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path
from typing import Dict, List, Optional, Union

from ..errors import ChipVLMError

RESULTS_FILE = "results.sqlite"


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
    from ..run_info import read_run_info

    for folder in run_folders(results):
        info = read_run_info(folder)
        if info is not None:
            return info
    return None


def run_folders(results: Union[str, os.PathLike]) -> List[str]:
    """Where the files of a results file's run may be, in order: its own folder, then the folder of
    the chips index it classified (its meta table's index_path). Read without writing to it."""
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
    return list(dict.fromkeys(folders))


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
