"""The run folder of a cutting run: its run.json (what the chips are cut from and how, written before
the first chip), the stretch every chip of the folder shares (chips_stretch.json), the index rows a
resumed run keeps, and the checks that a resume cuts and names chips like the ones already there.

ChipError, the error that stops a cutting run with a sentence for the user, lives here so these
checks can raise it; chips/engine.py re-exports it.
"""
from __future__ import annotations

import math
import os
from typing import Dict

from ..errors import ChipVLMError
from ..run_info import read_run_info, write_run_info
from . import index as idx
from .render import Stretch, compute_stretch
from .window import Framing

STRETCH_FILE = "chips_stretch.json"


class ChipError(ChipVLMError):
    """A problem with the run's input or output that stops it, with a sentence for the user."""


def stretch_for_run(dataset, bands, folder, overwrite, log) -> Stretch:
    """The stretch is computed once per run folder and reused on resume, so all chips look alike."""
    path = os.path.join(folder, STRETCH_FILE)
    if not overwrite and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            stored = Stretch.from_json(handle.read(), bands)
        if stored is not None:
            return stored
    stretch = compute_stretch(dataset, bands)
    if not stretch.identity:
        log("Stretch to 8 bits (2-98 percentiles): "
            + ", ".join(f"band {b}: {lo:g}..{hi:g}" for b, (lo, hi) in zip(bands, stretch.ranges)))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(stretch.to_json(bands))
    return stretch


def done_before(index_path: str, overwrite: bool) -> Dict[int, dict]:
    """The chips a resumed run skips: rows whose status is ok and whose chip file is there."""
    if overwrite or not os.path.exists(index_path):
        return {}
    return idx.completed_fids(index_path)


def prepare_index(index_path: str, overwrite: bool, done: Dict[int, dict]) -> None:
    """On resume keep only the rows of chips that are really done; they are skipped."""
    if overwrite:
        if os.path.exists(index_path):
            os.remove(index_path)
        return
    if os.path.exists(index_path):
        idx.rewrite_index(index_path, done.values())


def metres_per_unit(dataset) -> float:
    """Metres in one unit of the raster's CRS (for CONTEXT's minimum in metres); 1 when unknown."""
    crs = dataset.crs
    if not crs:
        return 1.0
    try:
        if crs.is_geographic:
            lat = (dataset.bounds.bottom + dataset.bounds.top) / 2.0
            return 111320.0 * max(0.05, math.cos(math.radians(max(-89.0, min(89.0, lat)))))
        factor = crs.linear_units_factor[1]
        return float(factor) if factor and factor > 0 else 1.0
    except Exception:  # an unusual CRS rasterio cannot describe: take its unit as a metre
        return 1.0


def plugin_version() -> str:
    """The version in metadata.txt (the plugin's root is three folders above this file)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "metadata.txt")
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip().startswith("version="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return ""


def check_same_framing(folder, done, options, framing) -> None:
    """A resume must cut chips like the ones already there: refuse other framing settings."""
    if options.overwrite or not done:
        return
    recorded = read_run_info(folder) or {}
    was = recorded.get("framing")
    # a run cut before run.json existed was cut at native scale
    before = Framing(**was) if isinstance(was, dict) else Framing("native")
    size_before = recorded.get("chip_size", options.chip_size)
    if before.relevant() != framing.relevant() or size_before != options.chip_size:
        raise ChipError(
            "The run folder '{0}' holds chips cut with chip size {1} and framing {2}; this run asks for chip "
            "size {3} and framing {4}. Resume with the same settings, or turn OVERWRITE on to cut every chip "
            "again.", folder, size_before, _describe(before), options.chip_size, _describe(framing))


def check_same_fid_field(folder, done, options, caller) -> None:
    """Chips are named by fid: a resume that names features by another field would mix two numberings."""
    if options.overwrite or not done or "fid_field" not in caller:
        return
    recorded = read_run_info(folder) or {}
    if "fid_field" in recorded and (recorded["fid_field"] or "") != (caller["fid_field"] or ""):
        raise ChipError(
            "The run folder '{0}' holds chips named by {1}; this run names features by {2}. Resume with the same "
            "fid field, or turn OVERWRITE on to cut every chip again.", folder, _field_words(recorded["fid_field"]),
            _field_words(caller["fid_field"]))


def _field_words(field) -> str:
    return f"'{field}'" if field else "(feature id)"


def _describe(framing: Framing) -> str:
    return ", ".join(f"{key}={value}" for key, value in framing.relevant().items())


def record_run(folder, raster_path, crs, bands, options, framing, caller) -> None:
    """run.json: what the run is cut from and how, written before the first chip (a kill keeps it)."""
    from datetime import datetime, timezone

    recorded = {} if options.overwrite else (read_run_info(folder) or {})
    record = dict(recorded)
    record.update({
        "layer_source": caller.get("layer_source", ""),
        "layer_name": caller.get("layer_name", ""),
        "fid_field": caller.get("fid_field") or "",
        "feature_count": int(caller.get("feature_count", 0) or 0),
        "raster": os.path.abspath(raster_path),
        "crs": caller.get("crs") or crs,
        "chip_size": options.chip_size,
        "framing": framing.as_dict(),
        "bands": list(bands),
        "format": options.fmt,
        "plugin_version": plugin_version(),
        "created_at": recorded.get("created_at")
        or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    })
    try:
        write_run_info(folder, record)
    except OSError as exc:
        raise ChipError("Cannot write chips to the folder '{0}': {1}.", folder, exc.strerror or exc) from exc
