"""Reading chips_index.csv for classification, and finding chips whose recorded path went stale.

The index is appended while chips are cut, so a fid may appear more than once (a retried chip): the
last row wins. Only rows with status ``ok`` have a chip to classify. The field report's run folder
was copied to a new place and every ``chip_path`` still pointed at the old one; we look for the file
in the likely places instead of asking the user to edit the CSV.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

REQUIRED_COLUMNS = ("fid", "chip_path", "status")


class ChipIndexError(ValueError):
    """chips_index.csv cannot be used; the message names the file and the problem."""


@dataclass
class ChipEntry:
    fid: int
    chip_path: str  # as written in the index
    status: str
    message: str = ""
    path: Optional[str] = None  # the file found on disk, absolute; None when missing
    tried: Tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.path is not None

    def missing_reason(self) -> str:
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


def _basename(path: str) -> str:
    # the index may come from Windows: split on both separators
    return re.split(r"[\\/]", path.strip())[-1]


def chip_candidates(chip_path: str, index_folder: str) -> List[str]:
    """Where a chip may be, in order: relative to the index, as written, chips/<name>, <name>."""
    chip_path = chip_path.strip()
    if not chip_path:
        return []
    native = chip_path.replace("\\", os.sep) if os.sep != "\\" else chip_path
    name = _basename(chip_path)
    candidates = [os.path.join(index_folder, native)]
    if os.path.isabs(native):
        candidates.append(native)  # a relative path is never taken relative to the current folder
    candidates += [os.path.join(index_folder, "chips", name), os.path.join(index_folder, name)]
    unique = []
    for candidate in candidates:
        candidate = os.path.abspath(candidate)
        if candidate not in unique:
            unique.append(candidate)
    return unique


def resolve_chip_path(chip_path: str, index_folder: str) -> Tuple[Optional[str], Tuple[str, ...]]:
    """The first existing candidate (absolute), and every place looked at."""
    tried = chip_candidates(chip_path, index_folder)
    for candidate in tried:
        if os.path.isfile(candidate):
            return candidate, tuple(tried)
    return None, tuple(tried)


def read_chip_index(index_path: str) -> ChipIndex:
    """The chips to classify from chips_index.csv (UTF-8 with or without BOM)."""
    index_path = os.fspath(index_path)
    if not os.path.isfile(index_path):
        raise ChipIndexError(f"The chips index {index_path} does not exist; run 'Cut chips' first.")
    folder = os.path.dirname(os.path.abspath(index_path))
    rows: Dict[int, Dict[str, str]] = {}
    warnings: List[str] = []
    try:
        with open(index_path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise ChipIndexError(
                    f"The chips index {index_path} lacks the column(s) {', '.join(missing)}; "
                    f"it has {', '.join(columns) or 'no header'}."
                )
            for line_number, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "") for k, v in raw.items()}
                text = row.get("fid", "").strip()
                try:
                    fid = int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
                except ValueError:
                    warnings.append(f"{index_path} line {line_number}: fid {text!r} is not a number; row skipped.")
                    continue
                rows.pop(fid, None)  # re-insert so the order is that of the last row
                rows[fid] = row
    except UnicodeDecodeError as exc:
        raise ChipIndexError(f"The chips index {index_path} is not UTF-8 text: {exc}") from None
    except csv.Error as exc:
        raise ChipIndexError(f"The chips index {index_path} is not a readable CSV: {exc}") from None

    entries: List[ChipEntry] = []
    skipped: Dict[str, int] = {}
    for fid, row in rows.items():
        status = row.get("status", "").strip().lower()
        if status != "ok":
            skipped[status or "(empty)"] = skipped.get(status or "(empty)", 0) + 1
            continue
        chip_path = row.get("chip_path", "").strip()
        path, tried = resolve_chip_path(chip_path, folder)
        entries.append(
            ChipEntry(fid=fid, chip_path=chip_path, status=status, message=row.get("message", ""),
                      path=path, tried=tried)
        )
    return ChipIndex(path=os.path.abspath(index_path), entries=entries, skipped=skipped, warnings=warnings)
