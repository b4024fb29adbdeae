"""Writing into a cutting run's folder when the disk may fill up: the check that the folder takes
files, DiskFullError (raised out of a worker with the rows it finished), the index writes that
delete their chips when even the index cannot be written (so the folder never holds a chip the
index does not list), and the message that says how much space is left.
"""
from __future__ import annotations

import errno
import os
import shutil
from typing import List

from . import index as idx
from .run_folder import ChipError


def check_writable(folder: str) -> None:
    try:
        os.makedirs(os.path.join(folder, idx.CHIPS_DIR), exist_ok=True)
        probe = os.path.join(folder, ".chipvlm_write_test")
        with open(probe, "w") as handle:
            handle.write("ok")
        os.remove(probe)
        for name in os.listdir(os.path.join(folder, idx.CHIPS_DIR)):
            if name.endswith(".part"):  # left by a killed run, never a finished chip
                os.remove(os.path.join(folder, idx.CHIPS_DIR, name))
    except OSError as exc:
        raise ChipError("Cannot write chips to the folder '{0}': {1}.", folder, exc.strerror or exc) from exc


class DiskFullError(Exception):
    """The run folder's disk is full: the run stops (raised out of a worker with the rows it finished)."""

    def __init__(self, rows: List[dict], error: OSError):
        super().__init__(str(error))
        self.rows = rows
        self.error = error


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def close_writer(writer) -> None:
    """Close the index; after a full disk, a failing last flush is not news (its chips are gone)."""
    try:
        writer.close()
    except OSError as exc:
        if not (getattr(writer, "broken", False) and is_disk_full(exc)):
            raise


def folder_of(writer) -> str:
    return os.path.dirname(os.path.abspath(writer.path))


def write_status_rows(writer, rows, folder, chips_cut: int) -> None:
    try:
        writer.write(rows)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        writer.broken = True
        raise disk_full_error(folder, chips_cut, exc) from exc


def disk_full_error(folder: str, chips_cut: int, error: OSError) -> ChipError:
    return ChipError(
        "The disk holding '{0}' is full ({1} free): cutting stopped after {2} chips. Free some space, then "
        "run again with OVERWRITE off to resume where it stopped.", folder, _free_space(folder), chips_cut,
        detail=one_line(error))


def write_or_unlink(writer, rows, folder) -> bool:
    """Index the rows; when the disk is too full even for that, delete their chips, so the folder
    never holds a chip the index does not list. False when the disk is full."""
    try:
        writer.write(rows)
        return True
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        writer.broken = True
    for row in rows:
        if row.get("chip_path"):
            remove_quietly(os.path.join(folder, row["chip_path"]))
    return False


def _free_space(folder: str) -> str:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "unknown"
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if free < 1024 or unit == "GiB":
            return f"{free:.0f} {unit}" if unit == "bytes" else f"{free:.1f} {unit}"
        free /= 1024.0
    return ""
