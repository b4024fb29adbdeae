"""Small objects on coarse imagery and chips at the raster's edge (issue 20), through processing.run on
the real NAIP tile (5 m pixels): the outline never covers an object (outside its boundary, corner
marks around one of a few pixels), the index says which objects are small, padding is magenta (in
PNG and JPEG), and the end of the run names the fids outside the raster."""
import os

import numpy as np
import pytest
from PIL import Image

from chipvlm.plugin.core.chips.index import read_chip_index, small_object
from chipvlm.plugin.core.chips.render import NO_IMAGERY_COLOR
from helpers.layers import write_layer
from helpers.real_data import raster_bounds, read_index_rows, real_raster
from helpers.screenshots import screenshot_path

NAIP = "naip_m_4709963_se_14_1_20200831.tif"
# (fid, column, row of the object's top-left raster pixel, side in metres) on the 5 m tile
OBJECTS = [(1, 300, 300, 5), (2, 400, 300, 10), (3, 500, 300, 20), (4, 600, 400, 400), (5, 2, 2, 10)]
OUTSIDE = list(range(101, 113))  # 12 objects beyond the tile


def square(bounds, col, row, side):
    x, y = bounds.left + col * 5.0, bounds.top - row * 5.0
    return f"POLYGON(({x} {y},{x + side} {y},{x + side} {y - side},{x} {y - side},{x} {y}))"


def cut_objects(run_algorithm, out, **params):
    raster = real_raster(NAIP)
    bounds, crs = raster_bounds(raster)
    wkts = [square(bounds, col, row, side) for _, col, row, side in OBJECTS]
    wkts += [square(bounds, -500 - 30 * n, 100, 20) for n in range(len(OUTSIDE))]
    fids = [fid for fid, *_ in OBJECTS] + OUTSIDE
    layer = write_layer(str(out) + ".gpkg", wkts, crs=crs.to_string(), fids=fids)
    result, feedback = run_algorithm("chipvlm:cutchips", dict(
        {"INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id", "FRAMING": "fit", "OUTPUT_FOLDER": str(out)},
        **params))
    rows = {int(r["fid"]): r for r in read_index_rows(str(out))}
    return result, feedback, rows


def object_pixels(row, col, top, side):
    """The chip pixels (u0, v0, u1, v1), end exclusive, that show the object, from the index row."""
    zoom, cells = float(row["zoom"]), side / 5.0
    u0, v0 = (col - int(row["col_off"])) * zoom, (top - int(row["row_off"])) * zoom
    return int(np.floor(u0)), int(np.floor(v0)), int(np.ceil(u0 + cells * zoom)), int(np.ceil(v0 + cells * zoom))


def red(pixels):
    a = pixels.astype(int)
    return (a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)


def test_no_outline_covers_an_object_and_small_ones_get_corner_marks(run_algorithm, tmp_path):
    out = tmp_path / "fit"
    result, _, rows = cut_objects(run_algorithm, out)
    assert result["CHIP_COUNT"] == len(OBJECTS)
    for fid, col, top, side in OBJECTS:
        pixels = np.asarray(Image.open(out / rows[fid]["chip_path"]).convert("RGB"))
        u0, v0, u1, v1 = object_pixels(rows[fid], col, top, side)
        marked = red(pixels)
        assert not marked[v0:v1, u0:u1].any(), f"fid {fid} ({side} m): the outline covers the object"
        ring = marked[max(0, v0 - 12):v1 + 12, max(0, u0 - 12):u1 + 12]
        assert ring.any(), f"fid {fid}: marked close around the object"
        if side <= 10:  # 1-2 raster pixels: corner marks, clear of the object and the pixels next to it
            assert not marked[v0 - 4:v1 + 4, u0 - 4:u1 + 4].any(), fid
            assert not marked[(v0 + v1) // 2, :].any() and not marked[:, (u0 + u1) // 2].any(), (
                f"fid {fid}: corners only, no line across the middle of a side")


def test_the_index_says_which_objects_are_smaller_than_a_few_raster_pixels(run_algorithm, tmp_path):
    out = tmp_path / "run"
    _, feedback, rows = cut_objects(run_algorithm, out)
    # 5 m and 10 m are 1 and 2 pixels of 5 m imagery; 20 m (4 pixels) and 400 m are not small
    assert {fid: rows[fid]["small_object"] for fid, *_ in OBJECTS} == {1: "1", 2: "1", 3: "0", 4: "0", 5: "1"}
    index = read_chip_index(str(out / "chips_index.csv"))
    assert sorted(e.fid for e in index.entries if e.small_object) == [1, 2, 5]
    assert any("3 chips show an object smaller than 3 raster pixels" in info for info in feedback.infos)
    # an index cut before the column existed still reads: the answer is "not known"
    old = tmp_path / "old_index.csv"
    with open(old, "w", encoding="utf-8-sig") as handle:
        handle.write("fid,chip_path,status,message\n7,chips/000007.png,ok,\n")
    (entry,) = read_chip_index(str(old)).entries
    assert entry.fid == 7 and entry.small_object is None and small_object({"fid": "7"}) is None


def test_the_end_of_a_cut_names_the_fids_outside_the_raster(run_algorithm, tmp_path):
    _, feedback, rows = cut_objects(run_algorithm, tmp_path / "run")
    assert all(rows[fid]["status"] == "outside" for fid in OUTSIDE)
    named = [w for w in feedback.warnings if "Outside the raster" in w]
    assert named == ["Outside the raster (no chip): fid 101, 102, 103, 104, 105, 106, 107, 108, 109, 110 and 2 more."]


@pytest.mark.parametrize("fmt", [0, 1], ids=["PNG", "JPEG"])
def test_padding_beyond_the_raster_is_magenta_not_black_like_the_lakes(run_algorithm, tmp_path, fmt):
    out = tmp_path / str(fmt)
    _, _, rows = cut_objects(run_algorithm, out, FORMAT=fmt)
    row = rows[5]  # 10 m from the tile's top-left corner: most of its window is beyond the raster
    assert int(row["col_off"]) < 0 and int(row["row_off"]) < 0
    pixels = np.asarray(Image.open(out / row["chip_path"]).convert("RGB")).astype(int)
    beyond = pixels[200:, 100:200]  # left of the raster's first column
    assert np.abs(beyond - NO_IMAGERY_COLOR).max() <= 6, "JPEG keeps a flat magenta"
    inside = pixels[-60:, -60:]
    assert np.abs(inside - NO_IMAGERY_COLOR).max(axis=2).min() > 60, "the imagery itself is no magenta"


def test_screenshot_of_small_objects_and_edge_padding(run_algorithm, tmp_path):
    """docs/chips_small_objects.png (make screenshots): the 5, 10 and 20 m objects on 5 m imagery in fit, the
    400 m field, and a chip at the tile's corner, as the model sees them."""
    out = tmp_path / "fit"
    _, _, rows = cut_objects(run_algorithm, out)
    chips = [Image.open(out / rows[fid]["chip_path"]).convert("RGB") for fid in (1, 2, 3, 4, 5)]
    side, gap = 300, 8
    sheet = Image.new("RGB", (len(chips) * (side + gap) - gap, side), (255, 255, 255))
    for n, image in enumerate(chips):
        sheet.paste(image.resize((side, side), Image.LANCZOS), (n * (side + gap), 0))
    target = screenshot_path("chips_small_objects.png", tmp_path)
    sheet.save(target)
    assert os.path.getsize(target) > 10_000
