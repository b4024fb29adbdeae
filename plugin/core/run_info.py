"""run.json: what a run folder was cut from and how, kept beside chips_index.csv.

Written by the cut (layer, fid field, raster, CRS, chip size, framing, plugin version), extended by
later steps under their own key (e.g. "classification"), and read by the review dock and
writeclasses to pre-fill their fields and to refuse a layer the run was not cut from. Every write
goes to a temporary file first and is swapped in, so a kill never leaves half a file.
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, Iterable, List, Optional

from .errors import ChipVLMError

RUN_INFO_NAME = "run.json"
FORMAT_VERSION = 1


class RunInfoError(ChipVLMError):
    pass


def run_info_path(folder: str) -> str:
    return os.path.join(folder, RUN_INFO_NAME)


def read_run_info(folder: str) -> Optional[Dict[str, Any]]:
    """The run's record, or None when the folder has none (a run cut before run.json existed)."""
    path = run_info_path(folder)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise RunInfoError("{0} cannot be read: {1}.", path, exc) from exc
    if not isinstance(data, dict):
        raise RunInfoError("{0} is not a ChipVLM run record (expected a JSON object).", path)
    return data


def write_run_info(folder: str, info: Dict[str, Any]) -> str:
    """Write the whole record atomically; returns its path."""
    os.makedirs(folder, exist_ok=True)
    path = run_info_path(folder)
    record = dict(info)
    record.setdefault("format_version", FORMAT_VERSION)
    fd, tmp = tempfile.mkstemp(prefix=".run.", suffix=".json.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def update_run_info(folder: str, **sections: Any) -> Dict[str, Any]:
    """Set top-level keys (e.g. classification={...}) and keep the rest; returns the new record."""
    record = read_run_info(folder) or {}
    record.update(sections)
    write_run_info(folder, record)
    return record


def differences(recorded: Dict[str, Any], wanted: Dict[str, Any], keys: Iterable[str]) -> List[str]:
    """'key: recorded -> wanted' for each of `keys` whose values differ (keys absent from the record
    are not differences: an older run did not record them)."""
    out = []
    for key in keys:
        if key in recorded and recorded[key] != wanted.get(key):
            out.append(f"{key}: {recorded[key]!r} -> {wanted.get(key)!r}")
    return out
