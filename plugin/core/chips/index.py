"""chips_index.csv: one row per feature, appended as chips finish, read back for resume.

UTF-8 with a BOM so Excel on a Chinese Windows opens it right; chip paths relative to the index.
"""
from __future__ import annotations

import csv
import os
import time
from typing import Dict, Iterable, Optional

INDEX_NAME = "chips_index.csv"
CHIPS_DIR = "chips"
COLUMNS = (
    "fid", "chip_path", "status", "message", "center_x", "center_y", "crs",
    "col_off", "row_off", "width", "height", "scale", "zoom",
)
STATUS_OK = "ok"
STATUS_OUTSIDE = "outside"
STATUS_EMPTY = "empty_geometry"
STATUS_ERROR = "error"


def chip_name(fid: int, fmt: str) -> str:
    return f"{fid:06d}.{'jpg' if fmt == 'JPEG' else 'png'}"


def read_index(path: str) -> Dict[int, dict]:
    """fid -> row; when a fid appears more than once the last row wins (a later run redid it).

    A partial last line (the process was killed while writing it) is ignored.
    """
    rows: Dict[int, dict] = {}
    if not os.path.exists(path):
        return rows
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        last = reader.fieldnames[-1] if reader.fieldnames else "scale"  # "zoom", or "scale" in older files
        for row in reader:
            if row.get(last) is None or row.get("fid") in (None, ""):
                continue
            try:
                rows[int(row["fid"])] = row
            except ValueError:
                continue
    return rows


def completed_fids(index_path: str) -> Dict[int, dict]:
    """Rows whose status is ok and whose chip file is really there: what a resumed run skips."""
    folder = os.path.dirname(os.path.abspath(index_path))
    done = {}
    for fid, row in read_index(index_path).items():
        if row["status"] == STATUS_OK and row["chip_path"] and os.path.exists(os.path.join(folder, row["chip_path"])):
            done[fid] = row
    return done


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
    (col_off + u / zoom, row_off + v / zoom)."""
    row = {
        "fid": fid, "chip_path": chip_path, "status": status, "message": message,
        "center_x": "", "center_y": "", "crs": crs, "col_off": "", "row_off": "",
        "width": "", "height": "", "scale": "" if scale is None else repr(scale),
        "zoom": "" if zoom is None else repr(float(zoom)),
    }
    if window is not None:
        row.update(
            center_x=repr(window.center_x), center_y=repr(window.center_y),
            col_off=window.col_off, row_off=window.row_off, width=window.size, height=window.size,
        )
    return row
