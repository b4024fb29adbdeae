"""Small run folders for tests: a chips/ folder of PNGs and a chips_index.csv (UTF-8 with BOM)."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional

INDEX_COLUMNS = ["fid", "chip_path", "status", "message", "center_x", "center_y", "crs", "col_off",
                 "row_off", "width", "height", "scale"]

_PNG_CACHE: Dict[int, bytes] = {}


def png_bytes(seed: int = 0, size: int = 16) -> bytes:
    """A small valid PNG whose pixels depend on seed (so chips differ)."""
    key = seed % 251
    if key not in _PNG_CACHE:
        from PIL import Image

        image = Image.new("RGB", (size, size), ((key * 37) % 256, (key * 91) % 256, (key * 53) % 256))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        _PNG_CACHE[key] = buffer.getvalue()
    return _PNG_CACHE[key]


def index_row(fid: int, chip_path: str, status: str = "ok", message: str = "") -> dict:
    return {"fid": fid, "chip_path": chip_path, "status": status, "message": message,
            "center_x": 500000.5 + fid, "center_y": 4800000.5, "crs": "EPSG:32644", "col_off": fid * 10,
            "row_off": 0, "width": 512, "height": 512, "scale": 1.0}


def write_index(path: Path, rows: Iterable[dict]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=INDEX_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def make_run(folder: Path, fids: Iterable[int], statuses: Optional[Dict[int, str]] = None,
             image_size: int = 16, chip_path_prefix: str = "chips/") -> Path:
    """chips/<fid>.png for every ok fid and chips_index.csv; returns the index path."""
    folder = Path(folder)
    (folder / "chips").mkdir(parents=True, exist_ok=True)
    statuses = statuses or {}
    rows: List[dict] = []
    for fid in fids:
        status = statuses.get(fid, "ok")
        name = f"{fid:06d}.png"
        if status == "ok":
            (folder / "chips" / name).write_bytes(png_bytes(fid, image_size))
            rows.append(index_row(fid, chip_path_prefix + name))
        else:
            rows.append(index_row(fid, "", status, f"feature {fid}: {status}"))
    return write_index(folder / "chips_index.csv", rows)


def chip_paths(folder: Path) -> List[str]:
    return sorted(os.listdir(Path(folder) / "chips"))


def fast_policy(**overrides):
    """A RetryPolicy with waits of milliseconds, so failure tests run in a second or two."""
    from chipvlm.plugin.core.classify.dispatch.dispatcher import RetryPolicy

    values = dict(pause_after=2, pause_base=0.3, pause_max=0.6, backoff_base=0.01, backoff_max=0.05,
                  max_batch_failures=3, all_dead_after=1.0, check_timeout=2.0, progress_interval=0.05)
    values.update(overrides)
    return RetryPolicy(**values)


def assert_no_mixup(store_path, fids, fake, allow_errors=()):
    """Every fid exactly once; each classified fid has its own class and its own reason (if any), never
    another's, and every one that needs review has a reason.

    ``allow_errors``: fids that may legitimately end as -1 (the chip the fake always breaks on).
    Returns the rows by fid: (class_id, reason, needs_review), where an error row, whose reason is
    checked to be the scheme's one-language sentence, gives its technical detail (the `error` column).
    """
    import sqlite3

    con = sqlite3.connect(str(store_path))
    try:
        rows = con.execute("SELECT fid, class_id, reason, needs_review, error FROM results ORDER BY fid").fetchall()
        scheme = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone()
    finally:
        con.close()
    from chipvlm.plugin.core.schemes import Scheme

    error_reason = Scheme.from_json(scheme[0]).error_reason if scheme else None
    by_fid = {}
    for fid, class_id, reason, needs_review, error in rows:
        assert fid not in by_fid, f"fid {fid} stored twice"
        if class_id == -1:
            assert reason == error_reason and error, f"fid {fid}: an error row's reason is {reason!r}, error {error!r}"
            reason = error
        else:
            assert error is None, f"fid {fid} has a class and an error: {error!r}"
        by_fid[fid] = (class_id, reason, needs_review)
    assert sorted(by_fid) == sorted(fids), "a fid is missing from the results or a stranger got in"
    for fid, (class_id, reason, needs_review) in by_fid.items():
        if class_id == -1:
            assert fid in allow_errors, f"fid {fid} ended as an error: {reason}"
            assert needs_review == 1 and reason, "an error must say why and need review"
            continue
        assert class_id == fake.expected_class(fid), f"fid {fid} got class {class_id}: mixed up"
        if needs_review:
            assert reason, f"fid {fid} needs review and has no reason"  # REASONS=review's reasons pass
        if reason and not needs_review:  # REASONS=review and none store no reason outside review
            assert str(fid) in reason, f"fid {fid} got the reason of another fid: {reason!r}"
    return by_fid


def older_plugin_scheme(path, error_name="ERROR"):
    """The scheme as an older plugin stored it: the same classes, its own label for class -1."""
    import sqlite3

    from chipvlm.plugin.core.results.store import ResultsStore
    from chipvlm.plugin.core.schemes import load_scheme

    con = sqlite3.connect(str(path))
    with con:
        text = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone()[0]
        current = load_scheme("yili8").name_of(-1)
        con.execute("UPDATE meta SET value = ? WHERE key = 'scheme'",
                    (text.replace(f'"name": "{current}"', f'"name": "{error_name}"', 1),))
    con.close()
    with ResultsStore(path) as store:
        assert store.scheme().name_of(-1) == error_name
