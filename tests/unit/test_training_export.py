"""chipvlm:exporttrainingset's core: the reviewed chips of a real cut run as folders, COCO or a CSV manifest."""
import csv
import json
import os
import sqlite3
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from chipvlm.plugin.core.chips import render
from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips
from chipvlm.plugin.core.chips.index import read_index
from chipvlm.plugin.core.training.export import export_training_set
from chipvlm.plugin.core.training.export_types import ExportError, ExportOptions
from chipvlm.plugin.core.training.labels import INCLUDE_CONFIDENT
from helpers.training import classify_rows, make_cut_run, review, set_confidence

DECISIONS = {**{f: 2 for f in range(1, 13)}, **{f: 5 for f in range(13, 21)}, 21: 1, 22: 1, 23: 1, 24: 0, 25: 3}
# n per class -> val = round(0.2 n), at least 1 when n >= 2: 2 -> 12/2, 5 -> 8/2, 1 -> 3/1, 3 -> 1/0
EXPECTED = {(2, "train"): 10, (2, "val"): 2, (5, "train"): 6, (5, "val"): 2, (1, "train"): 2, (1, "val"): 1,
            (3, "train"): 1}


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    return make_cut_run(str(tmp_path_factory.mktemp("cut")), count=30)


@pytest.fixture
def run(cut, tmp_path):
    """A fresh copy of the cut run's results (so each test decides on its own)."""
    raster, index, polygons = cut
    results = classify_rows(index, {f: 4 for f in range(1, 31)})
    con = sqlite3.connect(results)
    with con:
        con.execute("UPDATE results SET reviewed_class_id = NULL, reviewed_class_name = NULL, confidence = NULL")
        for table in [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'audit%'")]:
            con.execute(f"DELETE FROM {table}")
    con.close()
    review(results, DECISIONS)
    return results, index, raster, polygons


def counts_on_disk(out):
    found = Counter()
    for split in ("train", "val"):
        for folder in sorted(os.listdir(os.path.join(out, split))):
            class_id = int(folder.split("_")[0])
            found[(class_id, split)] += len(os.listdir(os.path.join(out, split, folder)))
    return dict(found)


def manifest(out):
    with open(os.path.join(out, "manifest.csv"), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_folders_counts_per_class_and_split_match_the_decisions(run, tmp_path):
    results, index, _, _ = run
    out = str(tmp_path / "set")
    summary = export_training_set(results, out, ExportOptions(fmt="folders", seed=7))
    assert counts_on_disk(out) == EXPECTED
    assert summary.counts() == EXPECTED
    rows = manifest(out)
    assert len(rows) == 24
    windows = read_index(index)
    for row in rows:
        fid = int(row["fid"])
        assert int(row["class_id"]) == DECISIONS[fid] and row["label_source"] == "reviewed"
        assert row["class_name"] == {1: "building", 2: "cropland", 3: "road", 5: "trees"}[DECISIONS[fid]]
        assert row["file"].startswith(f"{row['split']}/{row['class_id']}_")
        assert os.path.isfile(os.path.join(out, row["file"]))
        for key in ("col_off", "row_off", "width", "height"):
            assert row[key] == windows[fid][key]
        assert row.get("zoom") == windows[fid].get("zoom")  # the zoom column follows the index's
    text = open(os.path.join(out, "README.txt"), encoding="utf-8").read()
    assert "2 cropland" in text and "reviewed (the analyst's decisions in the review dock): 24" in text
    assert "landcover_en" in text and "seed 7" in text
    assert "1 class -1 or 0" in text and "5 not reviewed" in text


def test_coco_lists_every_chip_once_with_its_category_and_window(run, tmp_path):
    results, index, _, _ = run
    out = str(tmp_path / "coco")
    export_training_set(results, out, ExportOptions(fmt="coco", seed=7))
    found = Counter()
    windows = read_index(index)
    for split in ("train", "val"):
        document = json.load(open(os.path.join(out, f"{split}.json"), encoding="utf-8"))
        names = {c["id"]: c["name"] for c in document["categories"]}
        assert names[2] == "cropland" and 0 not in names and -1 not in names
        by_image = {a["image_id"]: a for a in document["annotations"]}
        for image in document["images"]:
            annotation = by_image[image["id"]]
            assert annotation["category_id"] == image["class_id"] == DECISIONS[image["fid"]]
            assert image["width"] == image["height"] == 64
            assert image["window"]["col_off"] == int(windows[image["fid"]]["col_off"])
            assert os.path.isfile(os.path.join(out, image["file_name"]))
            found[(annotation["category_id"], split)] += 1
    assert dict(found) == EXPECTED
    assert len(os.listdir(os.path.join(out, "images"))) == 24


def test_csv_manifest_counts_match_the_decisions(run, tmp_path):
    results, _, _, _ = run
    out = str(tmp_path / "csv")
    export_training_set(results, out, ExportOptions(fmt="csv", seed=7))
    rows = manifest(out)
    assert dict(Counter((int(r["class_id"]), r["split"]) for r in rows)) == EXPECTED
    assert all(r["file"].startswith("images/") and os.path.isfile(os.path.join(out, r["file"])) for r in rows)


def test_split_is_the_same_for_the_same_seed_and_changes_with_another(run, tmp_path):
    results, _, _, _ = run
    split = {}
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        out = str(tmp_path / name)
        export_training_set(results, out, ExportOptions(fmt="csv", seed=seed))
        split[name] = {r["fid"]: r["split"] for r in manifest(out)}
    assert split["a"] == split["b"]
    assert split["a"] != split["c"]


def test_rerun_writes_nothing_and_a_changed_decision_moves_the_file(run, tmp_path):
    results, _, _, _ = run
    out = str(tmp_path / "set")
    first = export_training_set(results, out, ExportOptions(fmt="folders"))
    assert first.written == 24
    before = {r["fid"]: os.stat(os.path.join(out, r["file"])).st_mtime_ns for r in manifest(out)}
    listings = {name: os.stat(os.path.join(out, name)).st_mtime_ns for name in ("manifest.csv", "README.txt")}
    again = export_training_set(results, out, ExportOptions(fmt="folders"))
    assert (again.written, again.moved, again.removed, again.kept) == (0, 0, 0, 24)
    assert {r["fid"]: os.stat(os.path.join(out, r["file"])).st_mtime_ns for r in manifest(out)} == before
    assert {name: os.stat(os.path.join(out, name)).st_mtime_ns for name in listings} == listings

    review(results, {3: 5, 22: 0})  # fid 3: cropland -> trees; fid 22: building -> cannot tell
    changed = export_training_set(results, out, ExportOptions(fmt="folders"))
    assert changed.written == 0 and changed.removed == 1
    rows = {int(r["fid"]): r for r in manifest(out)}
    assert 22 not in rows and rows[3]["class_id"] == "5" and rows[3]["file"].split("/")[1] == "5_trees"
    files = [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if f.endswith(".png")]
    assert sorted(os.path.basename(f) for f in files) == sorted(os.path.basename(r["file"]) for r in rows.values())
    assert sum(1 for f in files if os.path.basename(f) == "000003.png") == 1


def test_chips_are_hard_linked_on_the_same_file_system_and_never_moved(run, tmp_path):
    results, index, _, _ = run
    out = str(tmp_path / "set")
    summary = export_training_set(results, out, ExportOptions(fmt="csv"))
    assert summary.linked == 24 and summary.copied == 0
    run_chips = os.path.join(os.path.dirname(index), "chips")
    for row in manifest(out):
        source = os.path.join(run_chips, os.path.basename(row["file"]))
        assert os.path.isfile(source)
        assert os.path.samefile(source, os.path.join(out, row["file"]))


def test_copy_when_links_are_refused(run, tmp_path, monkeypatch):
    results, _, _, _ = run

    def refuse(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    out = str(tmp_path / "set")
    summary = export_training_set(results, out, ExportOptions(fmt="csv"))
    assert summary.copied == 24 and summary.linked == 0
    assert summary.written == 24
    assert export_training_set(results, out, ExportOptions(fmt="csv")).written == 0


def test_confident_model_classes_are_included_and_marked(run, tmp_path):
    results, _, _, _ = run
    set_confidence(results, {26: 0.95, 27: 0.91, 28: 0.5, 29: None})
    out = str(tmp_path / "set")
    export_training_set(results, out, ExportOptions(fmt="csv", include=INCLUDE_CONFIDENT, min_confidence=0.9))
    rows = {int(r["fid"]): r for r in manifest(out)}
    assert {f for f, r in rows.items() if r["label_source"] == "model"} == {26, 27}
    assert rows[26]["class_id"] == "4" and float(rows[26]["confidence"]) == 0.95
    assert len(rows) == 26
    text = open(os.path.join(out, "README.txt"), encoding="utf-8").read()
    assert "confidence >= 0.9, not checked by anyone): 2" in text


def decide_audit(results):
    """An audit sample of 6 drawn and two of it decided: one the analyst reviewed (the auditor
    disagrees), one nobody reviewed. Returns (sampled, reviewed, unreviewed) fids."""
    from chipvlm.plugin.core.assess.audit import Audit, draw_sample

    draw_sample(results, size=6, min_per_class=1, seed=3)
    with Audit(results, reviewer="auditor") as audit:
        sampled = sorted(audit.references())
        reviewed, unreviewed = [f for f in sampled if f in DECISIONS], [f for f in sampled if f not in DECISIONS]
        audit.set_reference([reviewed[0]], 6)  # the auditor disagrees with the analyst
        audit.set_reference(unreviewed[:1], 3)
    return sampled, reviewed, unreviewed


def test_audit_reference_classes_are_labels_when_asked_for_and_win_over_reviews(run, tmp_path):
    results, _, _, _ = run
    _, reviewed, unreviewed = decide_audit(results)
    out = str(tmp_path / "set")
    export_training_set(results, out, ExportOptions(fmt="csv", include_audit=True))
    rows = {int(r["fid"]): r for r in manifest(out)}
    assert rows[reviewed[0]]["class_id"] == "6" and rows[reviewed[0]]["label_source"] == "audit"
    assert rows[unreviewed[0]]["class_id"] == "3" and rows[unreviewed[0]]["label_source"] == "audit"
    undecided = [f for f in reviewed[1:] if DECISIONS[f] > 0]  # sampled, not decided by the auditor
    assert undecided and all(rows[f]["label_source"] == "reviewed" and rows[f]["class_id"] == str(DECISIONS[f]) for f in undecided)
    text = open(os.path.join(out, "README.txt"), encoding="utf-8").read()
    assert "audit    (reference classes of the audit sample): 2" in text
    assert "an audit decision wins over a review" in text
    assert f"{len(reviewed)} reviewed chips are in the audit sample" in text


def test_the_audit_sample_is_left_out_by_default_and_readme_says_why(run, tmp_path):
    """Issue 17 point 7: the audit sample is for assessment; "reviewed: 0" with 9 reviewed is explained."""
    results, _, _, _ = run
    sampled, reviewed, _ = decide_audit(results)
    out = str(tmp_path / "set")
    summary = export_training_set(results, out, ExportOptions(fmt="csv"))
    fids = {int(r["fid"]) for r in manifest(out)}
    assert not fids & set(sampled), "no chip of the audit sample in the training set"
    assert len(fids) == 24 - len([f for f in reviewed if DECISIONS[f] > 0])
    text = open(os.path.join(out, "README.txt"), encoding="utf-8").read()
    assert "audit    (reference classes of the audit sample): 0" in text
    assert (f"The audit sample ({len(sampled)} chips, {len(reviewed)} of them also reviewed) is left out" in text
            and "INCLUDE_AUDIT puts it in" in text)
    assert f"{len(sampled)} in the audit sample (kept for assessment)" in summary.text()


def test_the_manifest_gives_the_confidence_of_the_exported_class_or_none(run, tmp_path):
    """Issue 17 point 7: fid 1 is the model's 4 at 0.905 but labelled 2 by the analyst: 0.905 is not
    the label's confidence."""
    results, _, _, _ = run
    review(results, {26: 4})  # the analyst agrees with the model here
    set_confidence(results, {1: 0.905, 26: 0.8})
    out = str(tmp_path / "set")
    export_training_set(results, out, ExportOptions(fmt="csv"))
    rows = {int(r["fid"]): r for r in manifest(out)}
    assert rows[1]["class_id"] == "2" and rows[1]["confidence"] == ""
    assert rows[26]["class_id"] == "4" and float(rows[26]["confidence"]) == 0.8


def test_the_default_seed_is_the_one_readme_md_gives(run, tmp_path):
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `VAL_SHARE`, `SEED`"))
    assert f"seed {ExportOptions().seed} by default" in row
    results, _, _, _ = run
    out = str(tmp_path / "set")
    export_training_set(results, out)
    assert f"seed {ExportOptions().seed}" in open(os.path.join(out, "README.txt"), encoding="utf-8").read()


def test_clean_chips_are_pixel_identical_to_a_fresh_cut_without_drawing(run, tmp_path, monkeypatch):
    results, index, raster, polygons = run
    out = str(tmp_path / "clean")
    summary = export_training_set(results, out, ExportOptions(fmt="csv", clean=True))
    assert summary.cut == 24
    monkeypatch.setattr(render.ChipPainter, "outline", lambda *a, **k: None)
    monkeypatch.setattr(render.ChipPainter, "label", lambda *a, **k: None)
    fresh = str(tmp_path / "fresh")
    cut_chips(raster, [FeatureInput(f, p.wkb) for f, p in enumerate(polygons, start=1)], fresh,
              CutOptions(chip_size=64, workers=1))
    drawn_differs = 0
    for row in manifest(out):
        name = os.path.basename(row["file"])
        clean = np.asarray(Image.open(os.path.join(out, row["file"])))
        assert np.array_equal(clean, np.asarray(Image.open(os.path.join(fresh, "chips", name))))
        drawn = np.asarray(Image.open(os.path.join(os.path.dirname(index), "chips", name)))
        drawn_differs += not np.array_equal(clean, drawn)
    assert drawn_differs == 24  # the run's own chips carry the outline and label
    assert export_training_set(results, out, ExportOptions(fmt="csv", clean=True)).written == 0


def test_clean_without_a_raster_says_what_to_give(run, tmp_path):
    results, index, raster, _ = run
    info = os.path.join(os.path.dirname(index), "run.json")
    saved = open(info, encoding="utf-8").read()
    os.remove(info)
    try:
        with pytest.raises(ExportError, match="RASTER"):
            export_training_set(results, str(tmp_path / "a"), ExportOptions(fmt="csv", clean=True))
        summary = export_training_set(results, str(tmp_path / "b"), ExportOptions(fmt="csv", clean=True, raster=raster))
        assert summary.cut == 24
    finally:
        open(info, "w", encoding="utf-8").write(saved)


def test_another_format_into_the_same_folder_is_refused(run, tmp_path):
    results, _, _, _ = run
    out = str(tmp_path / "set")
    export_training_set(results, out, ExportOptions(fmt="csv"))
    with pytest.raises(ExportError, match="holds an export in the csv format"):
        export_training_set(results, out, ExportOptions(fmt="coco"))


def test_a_file_that_is_not_results_is_refused(tmp_path):
    bad = tmp_path / "x.sqlite"
    con = sqlite3.connect(bad)
    con.execute("CREATE TABLE t (a)")
    con.close()
    with pytest.raises(Exception, match="not a results file"):
        export_training_set(str(bad), str(tmp_path / "o"))


def test_an_output_inside_the_runs_chips_folder_is_refused(run):
    results, index, _, _ = run
    chips = os.path.join(os.path.dirname(index), "chips")
    before = sorted(os.listdir(chips))
    with pytest.raises(ExportError, match="inside the run's chips folder"):
        export_training_set(results, os.path.join(chips, "set"), ExportOptions(fmt="csv"))
    assert sorted(os.listdir(chips)) == before


def test_a_missing_chip_file_is_left_out_and_counted(run, tmp_path):
    results, index, _, _ = run
    chip = os.path.join(os.path.dirname(index), "chips", "000005.png")
    saved = open(chip, "rb").read()
    os.remove(chip)
    try:
        summary = export_training_set(results, str(tmp_path / "set"), ExportOptions(fmt="csv"))
    finally:
        open(chip, "wb").write(saved)
    assert len(summary.items) == 23 and summary.left_out["chip file missing"] == 1
    assert any("fid 5: chip file not found" in w for w in summary.warnings)
    assert "1 chip file missing" in open(tmp_path / "set" / "README.txt", encoding="utf-8").read()


def test_a_chip_cut_again_since_the_last_export_is_exported_again(run, tmp_path):
    results, index, _, _ = run
    out = str(tmp_path / "set")
    export_training_set(results, out, ExportOptions(fmt="csv"))
    chip = os.path.join(os.path.dirname(index), "chips", "000002.png")
    saved = open(chip, "rb").read()
    try:
        Image.new("RGB", (64, 64), (9, 9, 9)).save(chip + ".new.png")
        os.replace(chip + ".new.png", chip)  # as the cutter writes a chip: a new file under the old name
        again = export_training_set(results, out, ExportOptions(fmt="csv"))
        assert again.written == 1 and again.kept == 23
        assert np.array_equal(np.asarray(Image.open(os.path.join(out, "images", "000002.png"))),
                              np.asarray(Image.open(chip)))
    finally:
        open(chip + ".tmp", "wb").write(saved)
        os.replace(chip + ".tmp", chip)


def test_an_interrupted_export_resumes_where_it_stopped(run, tmp_path):
    results, _, _, _ = run
    out = str(tmp_path / "set")
    calls = []

    def cancel_after_ten():
        calls.append(1)
        return len(calls) > 10

    first = export_training_set(results, out, ExportOptions(fmt="folders"), is_canceled=cancel_after_ten)
    assert first.canceled and first.written == 10
    assert not os.path.exists(os.path.join(out, "manifest.csv"))  # listed only when complete
    half = os.path.join(out, "train", "2_cropland", "000099.png.part")  # as a kill mid-copy leaves it
    open(half, "wb").write(b"\x89PNG")
    rest = export_training_set(results, out, ExportOptions(fmt="folders"))
    assert (rest.written, rest.kept) == (14, 10)
    assert counts_on_disk(out) == EXPECTED and not os.path.exists(half)
