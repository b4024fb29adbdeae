"""What a training set's own files say, written by export.py after the chips: manifest.csv (the
folders and csv layouts: one row per chip), COCO train.json / val.json (the coco layout: categories,
one image entry per chip with one annotation covering it) and README.txt (where the labels came
from, chips per class and split). The layouts and columns are described in export.py's docstring.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from typing import Callable, Dict, List, Sequence, Tuple

from ..errors import Message
from ..schemes import Scheme
from .export_types import ExportItem, ExportOptions, ExportSummary
from .labels import IN_AUDIT_SAMPLE, INCLUDE_REVIEWED

SPLITS = ("train", "val")
README_NAME = "README.txt"
MANIFEST_NAME = "manifest.csv"
WINDOW_COLUMNS = ("col_off", "row_off", "width", "height")


def manifest_columns(has_zoom: bool) -> List[str]:
    columns = ["file", "split", "class_id", "class_name", "fid", "label_source", "confidence",
               "col_off", "row_off", "width", "height"]
    return columns + (["zoom"] if has_zoom else [])


def _manifest_row(item: ExportItem, has_zoom: bool) -> dict:
    row = {"file": item.file, "split": item.split, "class_id": item.label.class_id,
           "class_name": item.label.class_name, "fid": item.label.fid, "label_source": item.label.source,
           "confidence": "" if item.label.confidence is None else repr(item.label.confidence)}
    row.update({k: item.window.get(k, "") for k in WINDOW_COLUMNS})
    if has_zoom:
        row["zoom"] = item.window.get("zoom", "")
    return row


def listing_files(output: str, options: ExportOptions, items: Sequence[ExportItem], scheme: Scheme,
                  has_zoom: bool) -> Dict[str, str]:
    """File name -> text: manifest.csv for the folders and csv layouts, train.json and val.json for coco
    (the COCO image sizes are read from the exported chips in `output`)."""
    items = sorted(items, key=lambda i: i.label.fid)
    if options.fmt in ("folders", "csv"):
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel on a Chinese Windows reads UTF-8 only with a BOM
        writer = csv.DictWriter(buffer, fieldnames=manifest_columns(has_zoom), lineterminator="\r\n")
        writer.writeheader()
        for item in items:
            writer.writerow(_manifest_row(item, has_zoom))
        return {MANIFEST_NAME: buffer.getvalue()}
    files = {}
    categories = [{"id": c.id, "name": c.name, "supercategory": scheme.id}
                  for c in scheme.classes if c.id > 0]
    for split in SPLITS:
        images, annotations = [], []
        for item in (i for i in items if i.split == split):
            width, height = _chip_size(output, item)
            extra = _manifest_row(item, has_zoom)
            images.append({"id": item.label.fid, "file_name": item.file, "width": width, "height": height,
                           "fid": item.label.fid, "class_id": item.label.class_id,
                           "class_name": item.label.class_name, "label_source": item.label.source,
                           "confidence": item.label.confidence,
                           "window": {k: _number(extra[k]) for k in WINDOW_COLUMNS + (("zoom",) if has_zoom else ())}})
            annotations.append({"id": item.label.fid, "image_id": item.label.fid,
                                "category_id": item.label.class_id, "bbox": [0, 0, width, height],
                                "area": width * height, "iscrowd": 0})
        document = {"info": {"description": f"ChipVLM training set ({split})", "scheme": scheme.id},
                    "categories": categories, "images": images, "annotations": annotations}
        files[f"{split}.json"] = json.dumps(document, ensure_ascii=False, indent=1)
    return files


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() else value


def _chip_size(output: str, item: ExportItem) -> Tuple[int, int]:
    from PIL import Image

    with Image.open(os.path.join(output, *item.file.split("/"))) as image:
        return image.size


def _label_sources(options: ExportOptions, summary: ExportSummary, t: Callable[[str], str]) -> List[str]:
    """README.txt's account of where the labels came from, and of the audit sample."""
    sources = Counter(i.label.source for i in summary.items)
    lines = [
        t(Message("Where the labels came from (one label a chip; an audit decision wins over a review, a review "
                  "over the model):")),
        t(Message("  audit    (reference classes of the audit sample): {0}", sources.get("audit", 0))),
        t(Message("  reviewed (the analyst's decisions in the review dock): {0}", sources.get("reviewed", 0))),
    ]
    if options.include != INCLUDE_REVIEWED:
        lines.append(t(Message("  model    (the model's class, confidence >= {0:g}, not checked by anyone): {1}",
                               options.min_confidence, sources.get("model", 0))))
    in_audit = summary.left_out.get(IN_AUDIT_SAMPLE, 0)
    if in_audit:
        lines += ["", t(Message(
            "The audit sample ({0} chips, {1} of them also reviewed) is left out: it is kept for assessing "
            "accuracy, which a model trained on it could not be assessed on. INCLUDE_AUDIT puts it in (its "
            "reference classes then win over reviews).", in_audit, summary.reviewed_in_audit))]
    elif summary.reviewed_in_audit:
        lines += ["", t(Message(
            "{0} reviewed chips are in the audit sample: those with a reference class count under audit, "
            "whose class wins over the review (INCLUDE_AUDIT is on).", summary.reviewed_in_audit))]
    return lines


def readme_text(options: ExportOptions, summary: ExportSummary, scheme: Scheme, results_path: str,
                index_path: str, translate: Callable[[str], str] = str) -> str:
    """README.txt: where the chips and labels came from, and how many chips each class has per split, in
    the language ``translate`` (i18n.tr_error) gives."""
    t = translate
    counts = summary.counts()
    fmt = Message("{0} (clean chips: cut again from the raster, no outline, no label)", options.fmt) if options.clean \
        else Message("{0} (the run's chips: red outline and fid label drawn)", options.fmt)
    lines = [
        t(Message("ChipVLM training set")),
        "",
        t(Message("Results: {0}", results_path)),
        t(Message("Chips index: {0}", index_path)),
        t(Message("Format: {0}", fmt)),
        t(Message("Scheme: {0} ({1}), language {2}", scheme.id, scheme.name, scheme.language)),
        t(Message("Validation share: {0:g}, stratified by class, seed {1}", options.val_share, options.seed)),
        "",
    ]
    lines += _label_sources(options, summary, t)
    lines += ["", t(Message("Chips per class and split:")),
              f"  {t(Message('class')):<32} {'train':>7} {'val':>7} {t(Message('total')):>7}"]
    for c in scheme.classes:
        train, val = counts.get((c.id, "train"), 0), counts.get((c.id, "val"), 0)
        if c.id > 0:
            lines.append(f"  {f'{c.id} {c.name}':<32} {train:>7} {val:>7} {train + val:>7}")
    train_all = sum(n for (_, s), n in counts.items() if s == "train")
    val_all = sum(n for (_, s), n in counts.items() if s == "val")
    lines.append(f"  {t(Message('all')):<32} {train_all:>7} {val_all:>7} {train_all + val_all:>7}")
    if summary.left_out:
        lines += ["", t(Message("Left out: {0}.", summary.left_out_text(t)))]
    columns = "col_off, row_off, width, height" + (", zoom" if any("zoom" in i.window for i in summary.items) else "")
    lines += ["", t(Message(
        "Every manifest row / COCO image has: class_id, class_name, fid, label_source, confidence (the model's "
        "confidence in the exported class; empty where the label is not the model's class), and the chip's "
        "window on the raster in pixels ({0}).", columns)), ""]
    return "\n".join(lines)
