"""The cutting plan: every feature's window, spooled to a temporary SQLite file and read back in
raster-layout order, so memory stays flat however many features there are."""
from __future__ import annotations

import os
import sqlite3
from typing import Iterator, List, Tuple


class ChipPlan:
    def __init__(self, path: str):
        self.path = path
        if os.path.exists(path):
            os.remove(path)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(
            "CREATE TABLE jobs (k1 INTEGER, k2 INTEGER, fid INTEGER, col_off INTEGER, row_off INTEGER,"
            " size INTEGER, cx REAL, cy REAL, wkb BLOB)"
        )
        self._pending: List[tuple] = []
        self.count = 0

    def add(self, key: Tuple[int, int], fid: int, window, wkb: bytes) -> None:
        self._pending.append((key[0], key[1], fid, window.col_off, window.row_off, window.size,
                              window.center_x, window.center_y, wkb))
        self.count += 1
        if len(self._pending) >= 2000:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self._pending)
            self._pending = []

    def in_layout_order(self) -> Iterator[tuple]:
        """(fid, col_off, row_off, size, cx, cy, wkb) sorted by block row, block column, then fid."""
        self._flush()
        cursor = self._db.execute(
            "SELECT fid, col_off, row_off, size, cx, cy, wkb FROM jobs ORDER BY k1, k2, row_off, col_off, fid"
        )
        while True:
            rows = cursor.fetchmany(512)
            if not rows:
                return
            yield from rows

    def close(self) -> None:
        self._db.close()
        try:
            os.remove(self.path)
        except OSError:
            pass
