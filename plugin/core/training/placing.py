"""How an export puts each chip in place (export.py decides which chips and where): hard-linked when
the training set is on the run's file system, else copied, or cut again from the raster without the
outline and the fid label (export.CleanCutter); moved when its decision changed, left alone when up to date.
"""
from __future__ import annotations

import json
import os
import shutil
from typing import Dict, List, Optional

from .export_types import ExportError, ExportItem, ExportOptions, ExportSummary


def same_file(a: str, b: str) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return sa.st_size == sb.st_size and int(sa.st_mtime) == int(sb.st_mtime)


def file_stamp(path: str) -> List[int]:
    """Size and modification time: a chip cut again since the last export is exported again."""
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns]


def place_file(source: str, target: str) -> str:
    """Hard link when the target is on the source's file system, else copy (data and times)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tmp = target + ".part"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    how = "copied"
    try:
        if os.stat(source).st_dev == os.stat(os.path.dirname(target)).st_dev:
            os.link(source, tmp)
            how = "linked"
    except OSError:
        how = "copied"  # a file system without hard links (FAT, some network shares): copy
    if how == "copied":
        shutil.copy2(source, tmp)
    os.replace(tmp, target)
    return how


class ChipWriter:
    """Puts each chip of the export in place: linked, copied or cut clean, moved when its decision
    changed, left alone when it is up to date (``files`` is the export's state, by fid)."""

    def __init__(self, output: str, options: ExportOptions, files: Dict[str, dict], summary: ExportSummary,
                 cutter: Optional[CleanCutter], source_stat: Optional[List]):
        self.output, self.options, self.files, self.summary = output, options, files, summary
        self.cutter, self.source_stat = cutter, source_stat

    def _path(self, rel: str) -> str:
        return os.path.join(self.output, *rel.split("/"))

    def place(self, item: ExportItem) -> None:
        options, summary = self.options, self.summary
        key, rel, source = str(item.label.fid), item.file, item.source
        target = self._path(rel)
        before = self.files.get(key)
        signature = {"window": item.window, "source": source,
                     "stat": self.source_stat if options.clean else file_stamp(source)}
        same = bool(before) and before.get("signature") == signature
        old = self._path(before["file"]) if before and before.get("file") else ""
        moved = False
        if same and before["file"] != rel and os.path.isfile(old) and not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(old, target)  # a decision changed: the exported file follows it
            drop_empty_folders(self.output, os.path.dirname(old))
            summary.moved += 1
            moved = True
        up_to_date = os.path.isfile(target) and (
            (same and (before["file"] == rel or moved))
            or (before is None and not options.clean and same_file(source, target)))
        if up_to_date:
            summary.kept += 0 if moved else 1
        else:
            self._write(source, item.window, target)
        if old and before["file"] != rel and os.path.isfile(old):
            os.unlink(old)
            drop_empty_folders(self.output, os.path.dirname(old))
        self.files[key] = {"file": rel, "signature": signature, "class_id": item.label.class_id, "split": item.split}

    def _write(self, source: str, window: Dict[str, str], target: str) -> None:
        if self.options.clean:
            self.cutter.cut(window, target)
            self.summary.cut += 1
        elif place_file(source, target) == "linked":
            self.summary.linked += 1
        else:
            self.summary.copied += 1
        self.summary.written += 1

    def remove_others(self, wanted) -> None:
        """Drop what an earlier export wrote for chips that no longer have a label."""
        for key in sorted(set(self.files) - set(wanted)):
            old = self._path(self.files.pop(key)["file"])
            if os.path.isfile(old):
                os.unlink(old)
                self.summary.removed += 1
                drop_empty_folders(self.output, os.path.dirname(old))


def drop_empty_folders(output: str, folder: str) -> None:
    while os.path.abspath(folder) != output and os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


class CleanCutter:
    """Cuts a run's windows again from its raster, without outline or label, with the run's stretch.

    Uses the chips core's own reader, stretch and image code so the pixels are those a cut makes.
    """

    def __init__(self, run_folder: str, raster: str, chip_size: int):
        from ..chips.cutter import ChipCutter
        from ..chips.render import Stretch
        from ..chips.run_folder import STRETCH_FILE

        path = os.path.join(run_folder, STRETCH_FILE)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            bands = list(json.loads(text)["bands"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ExportError("Clean chips need the run's stretch {0}, which cannot be read: {1}.", path, exc) from None
        stretch = Stretch.from_json(text, bands)
        self.cutter = ChipCutter(raster, bands, stretch, chip_size, "PNG", run_folder, "")

    def cut(self, window: Dict[str, str], target: str) -> None:
        from ..chips.render import save_image, to_image

        col, row, width = int(window["col_off"]), int(window["row_off"]), int(window["width"])
        if width == self.cutter.size:
            data, valid = self.cutter.read(col, row)
        else:  # a framed window (zoom != 1): the chips core resamples it to the chip size
            data, valid = self.cutter.read(col, row, width)
        image = to_image(self.cutter.stretch.apply(data, valid), valid)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        save_image(image, target, "PNG")

    def close(self) -> None:
        self.cutter.close()
