"""chipvlm:exporttrainingset: the labelled chips of a run as a training set a trainer reads directly.

Layouts (FORMAT):
- ``folders``: ``train/<class_id>_<name>/<fid>.png`` and ``val/...``, what image-classification
  trainers read (torchvision ImageFolder, Keras image_dataset_from_directory), plus ``manifest.csv``;
- ``coco``: ``images/<fid>.png`` and ``train.json`` / ``val.json`` (categories, one image entry per
  chip with one annotation covering it);
- ``csv``: ``images/<fid>.png`` and ``manifest.csv`` with a ``split`` column.
Every manifest row and COCO image entry carries the class id and name, the fid, where the label came
from and the chip's window on the raster (col_off, row_off, width, height, and zoom when the index
has it), so a trainer can cut other sizes. ``README.txt`` counts chips per class and split.

Chips are hard-linked when the output is on the same file system as the run, else copied; a run's
chips are never moved or changed. With ``clean`` the chips are cut again from the raster through the
chips core, without the red outline and the fid label.

The export is idempotent and resumable: ``.export_state.json`` records what was written; a rerun
writes only what changed. A chip whose decision changed since the last export is moved (inside the
export) to its new class folder or split, a chip that lost its label is removed from the export.
What the manifest, the COCO files and README.txt say is listing.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Callable, Dict, List, Optional, Tuple

from ..chips import index as chip_index
from ..chips.index import resolve_chip_path
from ..errors import Message
from ..run_info import read_run_info
from .export_types import ExportError, ExportItem, ExportOptions, ExportSummary
from .labels import Label, collect_labels, open_results
from .listing import README_NAME, WINDOW_COLUMNS, listing_files, readme_text
from .placing import ChipWriter, CleanCutter, file_stamp

FORMATS = ("folders", "coco", "csv")
STATE_FILE = ".export_state.json"
STATE_VERSION = 1


def split_of(fids_by_class: Dict[int, List[int]], val_share: float, seed: int) -> Dict[int, str]:
    """train / val per fid, stratified by class, the same for the same seed and labels.

    Within each class, fids are ranked by a hash of (seed, fid) and the first round(n * share) go to
    val (at least one when the class has two chips or more and the share is above 0, never all), so
    adding a chip moves at most one other chip between the splits.
    """
    out: Dict[int, str] = {}
    for _class_id, fids in sorted(fids_by_class.items()):
        ranked = sorted(fids, key=lambda f: hashlib.sha256(f"{seed}:{f}".encode()).hexdigest())
        n = len(ranked)
        val = int(round(n * val_share))
        if val_share > 0 and n >= 2:
            val = min(max(val, 1), n - 1)
        else:
            val = 0 if n < 2 else val
        for position, fid in enumerate(ranked):
            out[fid] = "val" if position < val else "train"
    return out


def _safe(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name.strip())
    return keep.strip("._") or "class"


def class_folder(class_id: int, name: str) -> str:
    return f"{class_id}_{_safe(name)}"


def find_index(results_path: str, con_meta: Optional[str]) -> str:
    """The run's chips_index.csv: where results.sqlite says, else beside it (a moved run folder)."""
    beside = os.path.join(os.path.dirname(os.path.abspath(results_path)), chip_index.INDEX_NAME)
    for candidate in (con_meta, beside):
        if candidate and os.path.isfile(candidate):
            return os.path.abspath(candidate)
    raise ExportError("The chips index of {0} was not found (looked at {1}).", results_path,
                      "; ".join(c for c in (con_meta, beside) if c))


def _index_path_meta(results_path: str) -> Optional[str]:
    con = open_results(results_path)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'index_path'").fetchone()
    except Exception:
        row = None
    finally:
        con.close()
    return row[0] if row else None


def _write_atomic(path: str, text: str) -> None:
    """Replace the file by ``text`` in one step; an identical file is left as it is (a rerun writes nothing)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            if handle.read() == text:
                return
    except (OSError, UnicodeDecodeError):
        pass
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _raster_for_clean(run_folder: str, fallback: str) -> str:
    info = read_run_info(run_folder) or {}
    recorded = info.get("raster") if isinstance(info.get("raster"), str) else ""
    for candidate in (recorded, fallback):
        if candidate and os.path.isfile(candidate):
            return candidate
    if recorded:
        raise ExportError("The run was cut from {0}, which is not there any more; give the raster (RASTER) "
                          "to cut clean chips.", recorded)
    raise ExportError("The run folder {0} does not say which raster it was cut from (no run.json); give the "
                      "raster (RASTER) to cut clean chips.", run_folder)


def _load_state(output: str) -> dict:
    path = os.path.join(output, STATE_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # unreadable: every file is checked again against its source
    return state if isinstance(state, dict) else {}


def _save_state(output: str, state: dict) -> None:
    _write_atomic(os.path.join(output, STATE_FILE), json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


NOT_IN_INDEX = Message("not in the chips index")
CHIP_MISSING = Message("chip file missing")


def _count(summary: ExportSummary, why: str) -> None:
    summary.left_out[why] = summary.left_out.get(why, 0) + 1


def _usable(labels: List[Label], rows: Dict[int, dict], run_folder: str, options: ExportOptions,
            summary: ExportSummary, has_zoom: bool) -> List[Tuple[Label, Dict[str, str], str]]:
    """(label, window, chip file) of every label whose chip the index has (and, unless clean, the disk)."""
    usable = []
    for label in labels:
        row = rows.get(label.fid)
        if row is None or row.get("status") != chip_index.STATUS_OK:
            _count(summary, NOT_IN_INDEX)
            continue
        window = {k: row.get(k, "") for k in WINDOW_COLUMNS}
        if has_zoom:
            window["zoom"] = row.get("zoom", "")
        source = ""
        if not options.clean:
            found, tried = resolve_chip_path(row.get("chip_path", ""), run_folder)
            if found is None:
                _count(summary, CHIP_MISSING)
                summary.warnings.append(Message("fid {0}: chip file not found (looked at {1})", label.fid,
                                                "; ".join(tried)))
                continue
            source = found
        usable.append((label, window, source))
    return usable


def _open_output(output: str, run_folder: str, options: ExportOptions) -> Dict[str, dict]:
    """The output folder made ready (refused inside the run's chips or over another kind of export);
    the files the last export wrote, by fid."""
    chips_folder = os.path.join(run_folder, chip_index.CHIPS_DIR)
    if os.path.commonpath([output, chips_folder]) == chips_folder:
        raise ExportError("The output folder {0} is inside the run's chips folder; choose another folder.", output)
    os.makedirs(output, exist_ok=True)
    state = _load_state(output)
    if state and (state.get("format") != options.fmt or bool(state.get("clean")) != bool(options.clean)):
        raise ExportError(
            "{0} holds an export in the {1} format{2}; choose an empty folder for a {3}{4} export.",
            output, state.get("format"), " (clean)" if state.get("clean") else "", options.fmt,
            " (clean)" if options.clean else "")
    for folder, _dirs, names in os.walk(output):  # half-written files of a killed export
        for name in names:
            if name.endswith(".part"):
                os.unlink(os.path.join(folder, name))
    return dict(state.get("files") or {})


def _check_options(options: ExportOptions) -> None:
    if options.fmt not in FORMATS:
        raise ExportError("FORMAT must be one of {0}, not {1}.", ", ".join(FORMATS), options.fmt)
    if not 0.0 <= float(options.val_share) < 1.0:
        raise ExportError("The validation share must be at least 0 and below 1, not {0}.", options.val_share)


def _clean_cutter(options: ExportOptions, usable, run_folder: str):
    """The cutter of clean chips and what it cuts from (another or a changed raster: cut again)."""
    if not (options.clean and usable):
        return None, None
    size = int((read_run_info(run_folder) or {}).get("chip_size") or 0) or int(usable[0][1]["width"])
    raster = _raster_for_clean(run_folder, options.raster)
    return CleanCutter(run_folder, raster, size), [os.path.abspath(raster)] + file_stamp(raster)


def export_training_set(results_path: str, output_folder: str, options: Optional[ExportOptions] = None,
                        progress: Optional[Callable[[float, str], None]] = None,
                        is_canceled: Optional[Callable[[], bool]] = None,
                        translate: Callable[[str], str] = str) -> ExportSummary:
    """Export the labelled chips; ``translate`` (i18n.tr_error) writes README.txt and the progress
    texts in the interface's language."""
    options = options or ExportOptions()
    progress = progress or (lambda fraction, text: None)
    is_canceled = is_canceled or (lambda: False)
    _check_options(options)
    results_path = os.path.abspath(results_path)
    found = collect_labels(results_path, options.include, options.min_confidence, options.include_audit)
    index_path = find_index(results_path, _index_path_meta(results_path))
    run_folder = os.path.dirname(index_path)
    rows = chip_index.read_index(index_path)
    output = os.path.abspath(output_folder)
    files = _open_output(output, run_folder, options)
    summary = ExportSummary(output_folder=output, left_out=dict(found.left_out),
                            reviewed_in_audit=found.reviewed_in_audit)

    has_zoom = any("zoom" in row for row in rows.values())
    usable = _usable(found.labels, rows, run_folder, options, summary, has_zoom)
    by_class: Dict[int, List[int]] = {}
    for label, _window, _source in usable:
        by_class.setdefault(label.class_id, []).append(label.fid)
    splits = split_of(by_class, float(options.val_share), int(options.seed))
    cutter, source_stat = _clean_cutter(options, usable, run_folder)
    writer = ChipWriter(output, options, files, summary, cutter, source_stat)
    try:
        for position, (label, window, source) in enumerate(usable):
            if is_canceled():
                summary.canceled = True
                break
            split = splits[label.fid]
            name = f"{label.fid:06d}.png" if options.clean else os.path.basename(source)
            folder = (split, class_folder(label.class_id, label.class_name)) if options.fmt == "folders" else ("images",)
            item = ExportItem(label, split, window, source, "/".join(folder + (name,)))
            summary.items.append(item)
            writer.place(item)
            if summary.written and summary.written % 200 == 0:
                _save_state(output, _state(options, files))
            if position % 50 == 0:
                progress(0.05 + 0.9 * position / max(1, len(usable)),
                         translate(Message("{0}/{1} chips", position, len(usable))))
        if not summary.canceled:
            writer.remove_others(str(item.label.fid) for item in summary.items)
    finally:
        if cutter is not None:
            cutter.close()
        _save_state(output, _state(options, files))
    if summary.canceled:
        return summary
    for name, text in listing_files(output, options, summary.items, found.scheme, has_zoom).items():
        _write_atomic(os.path.join(output, name), text)
    readme = readme_text(options, summary, found.scheme, results_path, index_path, translate)
    _write_atomic(os.path.join(output, README_NAME), readme)
    progress(1.0, summary.text(translate))
    return summary


def _state(options: ExportOptions, files: Dict[str, dict]) -> dict:
    return {"version": STATE_VERSION, "format": options.fmt, "clean": bool(options.clean), "files": files}
