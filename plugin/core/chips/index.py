"""chips_index.csv: one row per feature, appended as chips finish, read back for resume.

UTF-8 with a BOM so Excel on a Chinese Windows opens it right; chip paths relative to the index.
This module is the only reader and writer of the file: the cutter's resume and the classifier read
it with read_index_rows() (one rule for a torn last line, fids through core.fids.parse_fid), and
the classifier and the review find chips with resolve_chip_path() (one fallback for a moved run).
"""
from __future__ import annotations

import csv
import os
import re
import time
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from ..errors import ChipVLMError, Message
from ..fids import BULK_DIGITS, FidError, parse_fid, parse_fid_texts

INDEX_NAME = "chips_index.csv"
CHIPS_DIR = "chips"
COLUMNS = (
    "fid", "chip_path", "status", "message", "center_x", "center_y", "crs",
    "col_off", "row_off", "width", "height", "scale", "zoom", "small_object",
)
# An object whose bounding box is under this many raster pixels on its longer side: the imagery
# cannot show what it is (a 10 m shed on 5 m imagery). Its row says small_object = 1 (0 otherwise,
# empty in an index cut before the column existed), so a review can list them and a report count them.
SMALL_OBJECT_PIXELS = 3.0
STATUS_OK = "ok"
STATUS_OUTSIDE = "outside"
STATUS_EMPTY = "empty_geometry"
STATUS_ERROR = "error"


def chip_name(fid: int, fmt: str) -> str:
    return f"{fid:06d}.{'jpg' if fmt == 'JPEG' else 'png'}"


def rewrite_index(path: str, rows: Iterable[dict]) -> None:
    """Replace the index by these rows atomically (used to drop stale rows before a resumed run)."""
    tmp = f"{path}.tmp"
    with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            if not row.get("zoom") and row.get("status") == STATUS_OK:
                row = dict(row, zoom="1.0")  # a row from before the zoom column: cut at native scale
            writer.writerow(row)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class IndexWriter:
    """Appends rows; flushes every write and syncs to disk at most every `sync_seconds`."""

    def __init__(self, path: str, sync_seconds: float = 2.0):
        self.path = path
        fresh = not os.path.exists(path) or os.path.getsize(path) == 0
        self._handle = open(path, "a", newline="", encoding="utf-8-sig" if fresh else "utf-8")
        if not fresh:
            _ensure_trailing_newline(path, self._handle)
        self._writer = csv.DictWriter(self._handle, fieldnames=COLUMNS, extrasaction="ignore")
        if fresh:
            self._writer.writeheader()
        self._sync_seconds = sync_seconds
        self.broken = False  # set by the caller when a write failed for lack of space
        self._last_sync = time.monotonic()

    def write(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self._writer.writerow(row)
        self._handle.flush()
        if time.monotonic() - self._last_sync >= self._sync_seconds:
            os.fsync(self._handle.fileno())
            self._last_sync = time.monotonic()

    def close(self) -> None:
        if self._handle.closed:
            return
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
        finally:
            self._handle.close()  # closes the file even when the flush failed (a full disk)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _ensure_trailing_newline(path: str, handle) -> None:
    """A killed run may have left half a line: end it so the next row starts on its own line."""
    with open(path, "rb") as raw:
        raw.seek(-1, os.SEEK_END)
        last = raw.read(1)
    if last not in (b"\n", b"\r"):
        handle.write("\r\n")


def make_row(fid: int, status: str, message: str = "", chip_path: str = "", window=None,
             crs: str = "", scale: Optional[float] = None, zoom: Optional[float] = None) -> dict:
    """One index row. `window` is in raster pixels (col_off, row_off, width = height = its side);
    `zoom` is chip pixels per raster pixel, so chip pixel (u, v) shows raster pixel
    (col_off + u / zoom, row_off + v / zoom). The window's object_px says whether the object is small."""
    row = {
        "fid": fid, "chip_path": chip_path, "status": status, "message": message,
        "center_x": "", "center_y": "", "crs": crs, "col_off": "", "row_off": "",
        "width": "", "height": "", "scale": "" if scale is None else repr(scale),
        "zoom": "" if zoom is None else repr(float(zoom)), "small_object": "",
    }
    if window is not None:
        row.update(
            center_x=repr(window.center_x), center_y=repr(window.center_y),
            col_off=window.col_off, row_off=window.row_off, width=window.size, height=window.size,
        )
        if window.object_px is not None:
            row["small_object"] = "1" if is_small_object(window.object_px) else "0"
    return row


def is_small_object(object_px: float) -> bool:
    """The one rule: smaller than SMALL_OBJECT_PIXELS raster pixels on its longer side."""
    return float(object_px) < SMALL_OBJECT_PIXELS


def small_object(row: Dict[str, str]) -> Optional[bool]:
    """Whether an index row's object is small; None when the index does not say (cut before the column)."""
    value = (row.get("small_object") or "").strip()
    return None if value not in ("0", "1") else value == "1"


def small_object_fids(path: str) -> List[int]:
    """The fids of the index's chips (status ok) whose object is small, in index order."""
    return [fid for fid, row in read_index(path).items() if row.get("status") == STATUS_OK and small_object(row)]


# -- reading ---------------------------------------------------------------------------------------
REQUIRED_COLUMNS = ("fid", "chip_path", "status")


class ChipIndexError(ChipVLMError, ValueError):
    """chips_index.csv cannot be used; the message names the file and the problem."""


@dataclass
class IndexRows:
    path: str
    rows: Dict[int, Dict[str, str]]  # fid -> its last complete row, in the order of those last rows
    warnings: List[str] = field(default_factory=list)


def read_index_rows(path: str, required: Tuple[str, ...] = REQUIRED_COLUMNS,
                    columns: Optional[Tuple[str, ...]] = None) -> IndexRows:
    """Every complete row of chips_index.csv, one per fid: the last row of a fid wins.

    The one rule for every reader: a row with fewer fields than the header was cut short (a kill
    while it was written: ``12`` alone must not become fid 12) and is skipped with a warning; a fid
    that is not a whole 64-bit number (12.7, 10^20) is skipped with a warning naming the line. Keys
    and values are stripped, status in lower case. A missing file has no rows; a header without the
    ``required`` columns, text that is not UTF-8 or not CSV raise ChipIndexError. With ``columns``,
    each row holds only those of them the file has (the write-back's check reads 200,000 rows).
    """
    path = os.fspath(path)
    result = IndexRows(path=os.path.abspath(path), rows={})
    if not os.path.exists(path):
        return result
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            _read_rows(csv.reader(handle), path, required, columns, result)
    except UnicodeDecodeError as exc:
        raise ChipIndexError("The chips index {0} is not UTF-8 text: {1}", path, str(exc)) from None
    except csv.Error as exc:
        raise ChipIndexError("The chips index {0} is not a readable CSV: {1}", path, str(exc)) from None
    return result


def _header(reader, path: str, required) -> List[str]:
    """The column names of the index, ChipIndexError when one of ``required`` is missing."""
    names = [c.strip() for c in next(reader, None) or []]
    missing = [c for c in required if c not in names]
    if missing:
        raise ChipIndexError(
            "The chips index {0} lacks the column(s) {1}; it has {2}.", path, ", ".join(missing),
            ", ".join(names) if names else Message("no header"))
    return names


def _read_rows(reader, path: str, required, columns, result: IndexRows) -> None:
    names = _header(reader, path, required)
    wanted = names if columns is None else [c for c in columns if c in names]
    positions = [(name, names.index(name)) for name in dict.fromkeys(wanted)]
    fid_at = names.index("fid") if "fid" in names else None
    rows = result.rows
    for raw in reader:
        if not raw:
            continue  # a blank line
        if len(raw) < len(names):
            result.warnings.append(Message(
                "{0} line {1}: the row is cut short (a run stopped while writing it); row skipped.",
                path, reader.line_num))
            continue
        row = {name: raw[at].strip() for name, at in positions}
        row["status"] = row.get("status", "").lower()
        try:
            fid = parse_fid(raw[fid_at].strip() if fid_at is not None else "")
        except FidError as exc:
            result.warnings.append(Message("{0} line {1}: {2} Row skipped.", path, reader.line_num, exc))
            continue
        rows.pop(fid, None)  # re-insert so the order is that of the last row
        rows[fid] = row


@dataclass
class IndexColumns:
    """The rows of read_index_rows as columns: `fids[i]`'s row holds `columns[name][i]`."""

    path: str
    fids: np.ndarray  # int64, one per fid (its last complete row), in the order of those last rows
    columns: Dict[str, np.ndarray]  # the wanted columns the file has, as UTF-8 bytes ('S'), stripped, status in
    # lower case (bytes: a column of numbers becomes floats ten times faster than from str)
    warnings: List[str] = field(default_factory=list)


def read_index_columns(path: str, required: Tuple[str, ...], columns: Tuple[str, ...]) -> IndexColumns:
    """The ``columns`` of every fid's last complete row: read_index_rows' rows and rules, column by column.

    For the write-back's check, which reads 200,000 rows before every write: a plain file (what the
    cutter writes when no message needs quotes) is read by numpy as bytes (_plain_columns); a whole
    file (no row cut short, every fid plain digits) by the csv module without a Python step per row;
    any other file by read_index_rows, row by row, with its warnings.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        return IndexColumns(os.path.abspath(path), np.zeros(0, dtype=np.int64), {})
    with open(path, "rb") as handle:
        plain = _plain_columns(handle.read(), path, required, columns)
    return plain if plain is not None else _csv_columns(path, required, columns)


def _csv_columns(path: str, required: Tuple[str, ...], columns: Tuple[str, ...]) -> IndexColumns:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            names = _header(reader, path, required)
            rows = [raw for raw in reader if raw]  # blank lines skipped, as read_index_rows does
    except UnicodeDecodeError as exc:
        raise ChipIndexError("The chips index {0} is not UTF-8 text: {1}", path, str(exc)) from None
    except csv.Error as exc:
        raise ChipIndexError("The chips index {0} is not a readable CSV: {1}", path, str(exc)) from None
    whole = not rows or min(map(len, rows)) >= len(names)
    fids = parse_fid_texts(list(map(itemgetter(names.index("fid")), rows))) if whole and "fid" in names else None
    if fids is None:
        read = read_index_rows(path, required, columns)
        return _as_arrays(read.path, list(read.rows), {name: [row[name] for row in read.rows.values()]
                                                        for name in columns if name in names}, read.warnings)
    if len(set(fids)) < len(fids):  # a fid cut again (a resumed run): its last row wins
        kept = sorted({fid: at for at, fid in enumerate(fids)}.values())
        rows, fids = [rows[at] for at in kept], [fids[at] for at in kept]
    taken = {name: _stripped(list(map(itemgetter(names.index(name)), rows)))
             for name in dict.fromkeys(columns) if name in names}
    if "status" in taken:
        taken["status"] = [value.lower() for value in taken["status"]]
    return _as_arrays(os.path.abspath(path), fids, taken)


def _as_arrays(path: str, fids: List[int], columns: Dict[str, List[str]], warnings=()) -> IndexColumns:
    return IndexColumns(path, np.array(fids, dtype=np.int64),
                        {name: np.array([value.encode("utf-8") for value in values], dtype=bytes)
                         for name, values in columns.items()}, list(warnings))


_BOM = "\ufeff".encode("utf-8")
_QUOTE, _RETURN, _NEWLINE, _COMMA, _SPACE = b'"'[0], b"\r"[0], b"\n"[0], b","[0], b" "[0]


def _plain_columns(data: bytes, path: str, required, columns) -> Optional[IndexColumns]:
    """read_index_columns of a plain file with no Python step per row, or None for any other file.

    Plain: ASCII, no quote, a carriage return only before a newline, every line but blank ones with
    exactly the header's fields, every fid 1 to 18 digits, no space or control character in a wanted
    value. Then every line is whole and each value is what the csv module and read_index_rows read.
    """
    data = data[len(_BOM):] if data.startswith(_BOM) else data
    text = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(text == _RETURN)
    if len(text) and (text.max() >= 0x80 or (text == _QUOTE).any()
                      or np.any(text[np.minimum(returns + 1, len(text) - 1)] != _NEWLINE) or text[-1] == _RETURN):
        return None
    starts, ends = _lines(text)
    if len(starts) and starts[0] != 0:
        return None  # a blank first line: the csv module's header is empty
    names = _header(csv.reader([data[starts[0]:ends[0]].decode("ascii")] if len(starts) else []), path, required)
    if "fid" not in names:
        return None
    starts, ends = starts[1:], ends[1:]
    commas = np.flatnonzero(text == _COMMA)
    if np.any(np.searchsorted(commas, ends) - np.searchsorted(commas, starts) != len(names) - 1):
        return None
    commas = commas[np.searchsorted(commas, starts[0]) if len(starts) else len(commas):]
    commas = commas.reshape(len(starts), len(names) - 1)
    values = {}
    for name in ["fid"] + [name for name in dict.fromkeys(columns) if name in names]:
        at = names.index(name)  # the field between the comma before it (or the line's start) and the next
        values[name] = _plain_field(text, starts if at == 0 else commas[:, at - 1] + 1,
                                    ends if at == len(names) - 1 else commas[:, at])
        if values[name] is None:
            return None
    fid_bytes = values.pop("fid")
    if len(fid_bytes) and (fid_bytes.itemsize > BULK_DIGITS or not _digits(fid_bytes)):
        return None
    fids = fid_bytes.astype(np.int64)
    kept = _last_rows(fids)
    if "status" in values:
        values["status"] = np.char.lower(values["status"])
    return IndexColumns(os.path.abspath(path), fids[kept], {name: column[kept] for name, column in values.items()})


def _lines(text: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Where each line that is not blank starts and ends (before its newline, or a carriage return and
    newline, or at the end of the text)."""
    ends = np.flatnonzero(text == _NEWLINE)
    if not len(ends) or ends[-1] != len(text) - 1:
        ends = np.append(ends, len(text))
    starts = np.concatenate(([0], ends[:-1] + 1))
    ends = ends - (text[np.maximum(ends - 1, 0)] == _RETURN) * (ends > starts) if len(text) else ends
    filled = ends > starts
    return starts[filled], ends[filled]


def _plain_field(text: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> Optional[np.ndarray]:
    """One field of every line as a bytes array ('S'), None when one holds a space or control character."""
    widths = ends - starts
    width = max(int(widths.max()) if len(widths) else 0, 1)
    inside = np.arange(width) < widths[:, None]
    taken = np.where(inside, text[np.minimum(starts[:, None] + np.arange(width), max(len(text) - 1, 0))]
                     if len(text) else 0, 0).astype(np.uint8)
    if np.any(inside & (taken <= _SPACE)):
        return None
    return np.ascontiguousarray(taken).view(f"S{width}").ravel()


def _digits(values: np.ndarray) -> bool:
    """Whether every value of a bytes array is 1 or more ASCII digits (nothing else)."""
    raw = values.view(np.uint8).reshape(len(values), values.itemsize)
    filled = raw != 0
    return bool(filled[:, 0].all() and np.all(~filled | ((raw >= ord("0")) & (raw <= ord("9"))))
                and np.all(filled[:, :-1] | ~filled[:, 1:]))


def _last_rows(fids: np.ndarray) -> np.ndarray:
    """The positions of each fid's last row, in file order (a fid cut again: its last row wins)."""
    _, first_from_end = np.unique(fids[::-1], return_index=True)
    if len(first_from_end) == len(fids):
        return np.arange(len(fids))
    return np.sort(len(fids) - 1 - first_from_end)


def _stripped(values: List[str]) -> List[str]:
    """Each value stripped; a column without any space or unprintable character (no whitespace str.strip
    would take) as it is, checked in two scans at C speed."""
    joined = "".join(values)
    if " " not in joined and joined.isprintable():
        return values
    return [value.strip() for value in values]


def read_index(path: str) -> Dict[int, dict]:
    """fid -> row, for the cutter's resume (the rules of read_index_rows, no column required)."""
    return read_index_rows(path, required=()).rows


def completed_fids(index_path: str) -> Dict[int, dict]:
    """Rows whose status is ok and whose chip file is really there: what a resumed run skips."""
    folder = os.path.dirname(os.path.abspath(index_path))
    done = {}
    for fid, row in read_index(index_path).items():
        if row.get("status") == STATUS_OK and row.get("chip_path") and os.path.exists(
                os.path.join(folder, row["chip_path"])):
            done[fid] = row
    return done


# -- finding chips -----------------------------------------------------------------------------------
def _basename(path: str) -> str:
    # the index may come from Windows: split on both separators
    return re.split(r"[\\/]", path.strip())[-1]


def chip_candidates(chip_path: str, folder: str, *more_folders: str) -> List[str]:
    """Where a chip may be, in order: relative to ``folder``, as written (absolute), then chips/<name>
    and <name> in ``folder`` and each of ``more_folders`` (a run folder that was moved or copied)."""
    chip_path = (chip_path or "").strip()
    if not chip_path:
        return []
    native = chip_path.replace("\\", os.sep) if os.sep != "\\" else chip_path
    name = _basename(chip_path)
    candidates = [os.path.join(folder, native)]
    if os.path.isabs(native):
        candidates.append(native)  # a relative path is never taken relative to the current folder
    for place in (folder,) + tuple(more_folders):
        candidates += [os.path.join(place, CHIPS_DIR, name), os.path.join(place, name)]
    unique = []
    for candidate in candidates:
        candidate = os.path.abspath(candidate)
        if candidate not in unique:
            unique.append(candidate)
    return unique


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` (already resolved) lies in ``folder`` (already resolved)."""
    path, folder = os.path.normcase(path), os.path.normcase(folder).rstrip("\\/")
    return path.startswith(folder + os.sep) or (os.altsep is not None and path.startswith(folder + os.altsep))


def _lookup(chip_path: str, folder: str, more_folders: Tuple[str, ...] = (), confine: bool = False):
    """(first usable candidate or None, every place looked at, existing files refused as outside)."""
    tried = chip_candidates(chip_path, folder, *more_folders)
    real_folder = os.path.realpath(folder) if confine else ""
    outside = []
    for candidate in tried:
        if os.path.isfile(candidate):
            if confine and not _inside(os.path.realpath(candidate), real_folder):
                outside.append(candidate)
                continue
            return candidate, tuple(tried), tuple(outside)
    return None, tuple(tried), tuple(outside)


def resolve_chip_path(chip_path: str, folder: str, *more_folders: str,
                      confine: bool = False) -> Tuple[Optional[str], Tuple[str, ...]]:
    """The first existing candidate (absolute), and every place looked at.

    With ``confine`` a file is taken only if its real path (links resolved) lies inside ``folder``:
    what is sent to a model server never comes from outside the run folder.
    """
    found, tried, _ = _lookup(chip_path, folder, tuple(more_folders), confine)
    return found, tried


@dataclass
class ChipEntry:
    fid: int
    chip_path: str  # as written in the index
    status: str
    message: str = ""
    path: Optional[str] = None  # the file found on disk, absolute; None when missing
    small_object: Optional[bool] = None  # see SMALL_OBJECT_PIXELS; None in an index without the column
    tried: Tuple[str, ...] = ()
    outside: Tuple[str, ...] = ()  # files that exist but lie outside the run folder: never sent

    @property
    def found(self) -> bool:
        return self.path is not None

    def missing_reason(self) -> str:
        if self.outside:
            return (f"chip file of fid {self.fid} is outside the run folder: {self.chip_path!r} is "
                    f"{self.outside[0]}; only chips inside the folder of chips_index.csv are sent")
        places = "; ".join(self.tried) if self.tried else "(no path in the index)"
        return f"chip file not found for fid {self.fid}: {self.chip_path!r} (looked at {places})"


@dataclass
class ChipIndex:
    path: str
    entries: List[ChipEntry]  # status ok, in index order, one per fid
    skipped: Dict[str, int]  # status -> count of fids not classified because of it
    warnings: List[str]

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def read_chip_index(index_path: str) -> ChipIndex:
    """The chips to classify (status ok), each with its file found inside the run folder, or not."""
    index_path = os.fspath(index_path)
    if not os.path.isfile(index_path):
        raise ChipIndexError("The chips index {0} does not exist; run 'Cut chips' first.", index_path)
    read = read_index_rows(index_path)
    folder = os.path.dirname(read.path)
    entries: List[ChipEntry] = []
    skipped: Dict[str, int] = {}
    for fid, row in read.rows.items():
        status = row.get("status", "")
        if status != STATUS_OK:
            skipped[status or "(empty)"] = skipped.get(status or "(empty)", 0) + 1
            continue
        chip_path = row.get("chip_path", "")
        path, tried, outside = _lookup(chip_path, folder, confine=True)
        entries.append(ChipEntry(fid=fid, chip_path=chip_path, status=status, message=row.get("message", ""),
                                 path=path, small_object=small_object(row), tried=tried, outside=outside))
    return ChipIndex(path=read.path, entries=entries, skipped=skipped, warnings=read.warnings)
