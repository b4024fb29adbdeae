"""The cutting engine without QGIS: kills, resumes, bad geometries, duplicate fids, memory bound."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from shapely.geometry import MultiPolygon, box

from chipvlm.plugin.core.chips import index as idx
from chipvlm.plugin.core.chips.engine import ChipError, CutOptions, FeatureInput, cut_chips
from helpers.synthetic import random_polygons, write_raster

RUNNER = Path(__file__).resolve().parents[1] / "helpers" / "cut_runner.py"


@pytest.fixture(scope="module")
def raster(tmp_path_factory):
    return write_raster(str(tmp_path_factory.mktemp("r") / "striped.tif"), 3000, 3000, tiled=False)


def test_sigkill_mid_run_then_resume_loses_nothing_and_duplicates_nothing(raster, tmp_path):
    folder = str(tmp_path / "run")
    count = 600
    process = subprocess.Popen([sys.executable, str(RUNNER), raster, folder, str(count), "3"],
                               stdout=subprocess.PIPE, text=True)
    index = Path(folder) / idx.INDEX_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if index.exists() and len(idx.read_index(str(index))) >= 60:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before = idx.read_index(str(index))
    assert 0 < len(before) < count, "the kill must land mid-run"
    for row in before.values():  # every row written before the kill points at a complete chip
        with Image.open(os.path.join(folder, row["chip_path"])) as image:
            image.load()

    done = subprocess.run([sys.executable, str(RUNNER), raster, folder, str(count), "3"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = idx.read_index(str(index))
    assert sorted(rows) == [fid * 2 + 1 for fid in range(count)]
    with open(index, encoding="utf-8-sig") as handle:
        lines = [line for line in handle.read().splitlines()[1:] if line.strip()]
    assert len(lines) == count, "no fid appears twice in the index"
    assert all(row["status"] == "ok" for row in rows.values())
    assert not list(Path(folder, "chips").glob("*.part")), "temporary files of killed writes are cleaned"
    assert len(list(Path(folder, "chips").glob("*.png"))) == count


def test_bad_features_get_status_rows(raster, tmp_path):
    features = [
        FeatureInput(5, box(500000 + 100, 4000000 - 200, 500000 + 150, 4000000 - 150).wkb),
        FeatureInput(5, box(500000 + 300, 4000000 - 200, 500000 + 350, 4000000 - 150).wkb),  # duplicate fid
        FeatureInput(6, None),
        FeatureInput(7, MultiPolygon().wkb),
        FeatureInput(8, b"not wkb"),
        FeatureInput(9, None, "Cannot reproject the feature"),
        FeatureInput(10, MultiPolygon([box(500000 + 10, 4000000 - 50, 500000 + 20, 4000000 - 40),
                                       box(500000 + 60, 4000000 - 50, 500000 + 70, 4000000 - 40)]).wkb),
    ]
    summary = cut_chips(raster, features, str(tmp_path), CutOptions(chip_size=64))
    rows = idx.read_index(str(tmp_path / idx.INDEX_NAME))
    assert rows[5]["status"] == "ok"
    assert rows[6]["status"] == rows[7]["status"] == "empty_geometry"
    assert rows[8]["status"] == "error" and "Unreadable geometry" in rows[8]["message"]
    assert rows[9]["status"] == "error" and "reproject" in rows[9]["message"]
    assert rows[10]["status"] == "ok"
    assert summary.cut == 2 and summary.empty == 2 and summary.duplicates == 1
    assert any("have the fid of an earlier feature" in warning for warning in summary.warnings)
    with open(tmp_path / idx.INDEX_NAME, encoding="utf-8-sig") as handle:
        assert [line.split(",")[0] for line in handle.read().splitlines()].count("5") == 1


def test_bad_options_and_missing_raster_raise_clear_errors(raster, tmp_path):
    with pytest.raises(ChipError, match="does not exist"):
        cut_chips(str(tmp_path / "nope.tif"), [], str(tmp_path), CutOptions())
    with pytest.raises(ChipError, match="Unknown chip format"):
        cut_chips(raster, [], str(tmp_path), CutOptions(fmt="GIF"))
    with pytest.raises(ChipError, match="BANDS must name one band"):
        cut_chips(raster, [], str(tmp_path), CutOptions(bands="1,2"))


def test_one_and_two_worker_threads_make_identical_chips(raster, tmp_path):
    polygons = random_polygons((500000, 4000000 - 3000, 503000, 4000000), 20, seed=1)
    features = [FeatureInput(i, p.wkb) for i, p in enumerate(polygons)]
    cut_chips(raster, features, str(tmp_path / "t"), CutOptions(chip_size=128, workers=1))
    cut_chips(raster, features, str(tmp_path / "p"), CutOptions(chip_size=128, workers=2))
    for i in range(20):
        a = (tmp_path / "t" / "chips" / f"{i:06d}.png").read_bytes()
        b = (tmp_path / "p" / "chips" / f"{i:06d}.png").read_bytes()
        assert a == b


CHECK_FOLDER = """
import os, sys
sys.path.insert(0, {tests!r})
import conftest
from chipvlm.plugin.core.chips import index as idx
folder = sys.argv[1]
rows = idx.read_index(os.path.join(folder, idx.INDEX_NAME))
listed = sorted(os.path.basename(r["chip_path"]) for r in rows.values() if r["status"] == "ok")
print("CHECK", len(listed), sorted(os.listdir(os.path.join(folder, "chips"))) == listed)
"""


def test_a_real_full_filesystem_stops_the_cut_with_one_sentence_and_no_unlisted_chip(raster, tmp_path):
    """A 1 MiB tmpfs in a private mount namespace (needs `unshare -m`, i.e. root or user namespaces)."""
    from helpers.namespaces import mount_namespace_refusal

    refusal = mount_namespace_refusal()
    if refusal:
        pytest.skip(refusal)
    mount = tmp_path / "small"
    mount.mkdir()
    folder = mount / "run"
    check = tmp_path / "check.py"
    check.write_text(CHECK_FOLDER.format(tests=str(RUNNER.parents[1])))
    script = (f"mount -t tmpfs -o size=1m tmpfs '{mount}' || exit 77; "
              f"'{sys.executable}' '{RUNNER}' '{raster}' '{folder}' 200 4; echo RC=$?; "
              f"'{sys.executable}' '{check}' '{folder}'")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if done.returncode == 77 or "unshare failed" in done.stderr or "Operation not permitted" in done.stderr:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.strip()[:200]}")
    assert "RC=1" in done.stdout, done.stdout + done.stderr
    assert "ChipError: The disk holding" in done.stderr and "is full" in done.stderr
    assert "OVERWRITE off to resume" in done.stderr
    assert done.stderr.count("No space left") <= 1, "it stops at the first 'no space', not once per feature"
    count, same = done.stdout.split("CHECK", 1)[1].split()
    assert 0 < int(count) < 200 and same == "True", "every chip on disk is listed, nothing else"
