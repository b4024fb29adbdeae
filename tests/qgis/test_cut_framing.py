"""FRAMING, CONTEXT, MAX_ZOOM of "Cut feature chips" (issue 11), through processing.run on generated
and real rasters: big objects shrunk whole into their chip, small ones magnified in fit, and an index
that maps every chip pixel back to its raster pixel exactly in every mode."""
import json
import os
import shutil

import numpy as np
import pytest
from PIL import Image
from qgis.core import QgsProcessingException

from chipvlm.plugin.core.chips.render import NO_IMAGERY_COLOR, ChipPainter
from helpers.layers import write_layer
from helpers.real_data import raster_bounds, read_index_rows, real_raster

PIXEL = 0.5  # metres: CONTEXT's 5 m minimum is 10 pixels
ORIGIN = (400000.0, 5000000.0)
CRS = "EPSG:32633"
# white marker squares (raster col, row of the top-left pixel, side) on a black background
MARKERS = [(300, 400, 24), (1500, 900, 24), (2100, 2600, 3), (3990, 3000, 10), (700, 3300, 80)]


def box_wkt(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def ground(col, row):
    """Map coordinates of a raster pixel position (col, row as continuous pixel coordinates)."""
    return ORIGIN[0] + col * PIXEL, ORIGIN[1] - row * PIXEL


def pixel_box(c0, r0, c1, r1):
    (x0, y1), (x1, y0) = ground(c0, r0), ground(c1, r1)
    return box_wkt(x0, y0, x1, y1)


def write_marker_raster(path, size=4000, overview_value=None):
    import rasterio
    from rasterio.transform import from_origin

    data = np.zeros((3, size, size), dtype=np.uint8)
    for col, row, side in MARKERS:
        data[:, row:row + side, col:col + side] = 255
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs=CRS,
                       transform=from_origin(ORIGIN[0], ORIGIN[1], PIXEL, PIXEL), tiled=True,
                       blockxsize=256, blockysize=256, compress="DEFLATE") as dst:
        dst.write(data)
    return path


@pytest.fixture(scope="module")
def marker_raster(tmp_path_factory):
    return write_marker_raster(str(tmp_path_factory.mktemp("markers") / "markers.tif"))


def red_mask(pixels):
    a = pixels.astype(int)
    return (a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)


def cut(run_algorithm, geoms, raster, out, **params):
    import rasterio

    with rasterio.open(raster) as dataset:
        crs = dataset.crs.to_string()
    layer = write_layer(str(out) + ".gpkg", geoms, crs=crs)
    result, feedback = run_algorithm("chipvlm:cutchips", dict(
        {"INPUT": layer, "RASTER": raster, "OUTPUT_FOLDER": str(out)}, **params))
    rows = {int(r["fid"]): r for r in read_index_rows(str(out))}
    return result, feedback, rows


def line_width(chip_size):
    """The outline's width: drawn outside the object, it adds this much on each side of its extent."""
    return ChipPainter(chip_size).line_width


def chip(out, row):
    return np.asarray(Image.open(os.path.join(str(out), row["chip_path"])).convert("RGB"))


@pytest.mark.parametrize("framing", ["auto", "fit"])
def test_an_object_larger_than_the_chip_lies_wholly_inside_it_with_its_context(run_algorithm, marker_raster,
                                                                                tmp_path, framing):
    # 1200 x 800 raster pixels in a 256-pixel chip: the window is 1200 * 1.5 = 1800 pixels
    result, _, rows = cut(run_algorithm, [pixel_box(1000, 1000, 2200, 1800)], marker_raster, tmp_path / framing,
                          CHIP_SIZE=256, FRAMING=framing)
    row = rows[1]
    assert row["status"] == "ok" and int(row["width"]) == int(row["height"]) == 1800
    zoom = float(row["zoom"])
    assert zoom == pytest.approx(256 / 1800)
    red = red_mask(chip(tmp_path / framing, row))
    rr, cc = np.nonzero(red)
    margin = 300 * zoom  # CONTEXT 0.25 of the longer side on each side
    line = line_width(256)  # outside the object: the outline adds a line width on each side
    assert cc.min() >= margin - 3 - line and cc.max() <= 255 - margin + 3 + line, "the whole width, with context"
    assert abs((cc.max() - cc.min()) - (1200 * zoom + 2 * line)) <= 3
    assert abs((rr.max() - rr.min()) - (800 * zoom + 2 * line)) <= 3
    assert abs((rr.min() + rr.max()) / 2 - 128) <= 2, "centred on the bounding box"


def test_native_keeps_todays_window_whatever_the_object(run_algorithm, marker_raster, tmp_path):
    result, _, rows = cut(run_algorithm, [pixel_box(1000, 1000, 2200, 1800), pixel_box(300, 400, 324, 424)],
                          marker_raster, tmp_path / "native", CHIP_SIZE=256, FRAMING="native")
    for row in rows.values():
        assert (int(row["width"]), int(row["height"]), float(row["zoom"])) == (256, 256, 1.0)
    assert int(rows[1]["col_off"]) == 1600 - 128 and int(rows[1]["row_off"]) == 1400 - 128
    red = red_mask(chip(tmp_path / "native", rows[1]))
    assert not red[50:200, 50:200].any() and not red[-1].any(), "a big object is cropped to its middle"


def test_fit_magnifies_a_small_object_to_the_share_of_the_chip_the_settings_say(run_algorithm, marker_raster,
                                                                                 tmp_path):
    geoms = [
        pixel_box(1490, 890, 1570, 970),  # 80 px: CONTEXT 0.5 -> 40 px each side -> window 160, zoom 1.6
        pixel_box(2100, 2600, 2103, 2603),  # 3 px: 5 m minimum -> window 23 -> capped at 256 / 4 = 64 (zoom 4)
        pixel_box(290, 390, 334, 434),  # 44 px: margin 22 px -> window 88, zoom 2.909
    ]
    result, _, rows = cut(run_algorithm, geoms, marker_raster, tmp_path / "fit", CHIP_SIZE=256, FRAMING="fit",
                          CONTEXT=0.5)
    assert (int(rows[1]["width"]), float(rows[1]["zoom"])) == (160, 1.6)
    assert (int(rows[2]["width"]), float(rows[2]["zoom"])) == (64, 4.0), "MAX_ZOOM caps the magnification"
    assert (int(rows[3]["width"]), float(rows[3]["zoom"])) == (88, pytest.approx(256 / 88))
    for fid, extent in ((1, 80), (3, 44)):
        red = red_mask(chip(tmp_path / "fit", rows[fid]))
        red[:40, :120] = False  # the fid label
        rr, cc = np.nonzero(red)
        share = (cc.max() - cc.min() - 2 * line_width(256)) / 256  # the outline lies outside the object
        assert share == pytest.approx(extent / (2 * extent), abs=0.02), "object + 2 x 0.5 context = the chip"
        assert abs((cc.min() + cc.max()) / 2 - 128) <= 2
    # the 5 m minimum: with no CONTEXT at all a tiny object still keeps 10 pixels of ground each side
    result, _, rows = cut(run_algorithm, [pixel_box(2100, 2600, 2160, 2660)], marker_raster, tmp_path / "min",
                          CHIP_SIZE=256, FRAMING="fit", CONTEXT=0.0)
    assert int(rows[1]["width"]) == 60 + 2 * 10 and float(rows[1]["zoom"]) == 256 / 80


@pytest.mark.parametrize("framing", ["native", "auto", "fit"])
def test_the_index_maps_chip_pixels_to_raster_pixels_exactly(run_algorithm, marker_raster, tmp_path, framing):
    """Each object is placed off-centre around a white marker; the marker's centre in the chip (its
    brightness-weighted centroid, which area averaging and bilinear magnification keep) lands where
    (col - col_off) * zoom, (row - row_off) * zoom says."""
    geoms = [
        pixel_box(250, 380, 420, 460),  # marker (300, 400, 24) left of centre
        pixel_box(1400, 800, 1650, 1000),  # a big object around marker (1500, 900)
        pixel_box(2095, 2590, 2110, 2610),  # tiny, around the 3-pixel marker
        pixel_box(3900, 2900, 4100, 3100),  # across the raster's right edge: padded, never shifted
        pixel_box(680, 3200, 1100, 3450),  # a long object around the 80-pixel marker
    ]
    out = tmp_path / framing
    result, _, rows = cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, FRAMING=framing)
    assert result["CHIP_COUNT"] == 5
    checked = 0
    for fid, (col, row, side) in enumerate(MARKERS, start=1):
        index_row = rows[fid]
        zoom = float(index_row["zoom"])
        assert zoom == pytest.approx(128 / int(index_row["width"]))
        u = (col + side / 2 - int(index_row["col_off"])) * zoom
        v = (row + side / 2 - int(index_row["row_off"])) * zoom
        if min(u, v) - side * zoom / 2 < 0 or max(u, v) + side * zoom / 2 > 128:
            continue  # the marker is not wholly in this chip (native: the long object's marker)
        checked += 1
        pixels = chip(out, index_row).astype(float)
        weight = pixels[..., 2]  # blue: the red outline has none, the white label box is masked below
        weight[:30, :80] = 0
        weight[(pixels == NO_IMAGERY_COLOR).all(axis=2)] = 0  # padding beyond the raster's edge
        yy, xx = np.mgrid[0:128, 0:128]
        near = (abs(xx + 0.5 - u) < side * zoom / 2 + 4) & (abs(yy + 0.5 - v) < side * zoom / 2 + 4)
        weight = weight * near
        assert weight.sum() > 0, (fid, framing, index_row)
        got_u = ((xx + 0.5) * weight).sum() / weight.sum()
        got_v = ((yy + 0.5) * weight).sum() / weight.sum()
        assert abs(got_u - u) <= 0.35 and abs(got_v - v) <= 0.35, (fid, framing, (got_u, got_v), (u, v))
    assert checked == (4 if framing == "native" else 5)
    # the same point through the index's map coordinates: its centre is the bbox centre
    assert float(rows[2]["center_x"]) == pytest.approx(ground(1525, 0)[0])
    if framing != "native":
        assert int(rows[4]["col_off"]) + int(rows[4]["width"]) > 4000, "the edge window is padded, not shifted"


def test_a_multipart_object_fits_as_a_whole_on_real_imagery(run_algorithm, tmp_path):
    raster = real_raster("naip_m_4709963_se_14_1_20200831.tif")
    bounds, crs = raster_bounds(raster)
    x0, y0 = bounds.left + 300, bounds.bottom + 300
    parts = [(x0, y0), (x0 + 3500, y0 + 2000), (x0 + 600, y0 + 2800)]  # 700 x 560 pixels in all
    wkt = "MULTIPOLYGON(" + ",".join(f"(({x} {y},{x+100} {y},{x+100} {y+100},{x} {y+100},{x} {y}))"
                                     for x, y in parts) + ")"
    big = box_wkt(bounds.left + 1000, bounds.bottom + 1000, bounds.left + 4000, bounds.bottom + 3000)
    for framing in ("auto", "fit"):
        out = tmp_path / framing
        result, _, rows = cut(run_algorithm, [wkt, big], raster, out, FRAMING=framing)
        assert result["CHIP_COUNT"] == 2
        for fid, (w, h) in ((1, (3600 / 5, 2900 / 5)), (2, (3000 / 5, 2000 / 5))):
            row = rows[fid]
            zoom = float(row["zoom"])
            assert zoom < 1 and int(row["width"]) == int(np.ceil(max(w, h) * 1.5))
            red = red_mask(chip(out, row))
            red[:50, :110] = False
            rr, cc = np.nonzero(red)
            line = line_width(512)  # outside the object: the outline adds a line width on each side
            assert cc.min() > 0.2 * max(w, h) * zoom - 4 - line and cc.max() < 511 - 0.2 * max(w, h) * zoom + 4 + line
            assert abs((cc.max() - cc.min()) - (w * zoom + 2 * line)) <= 4, (framing, fid)
        pixels = chip(out, rows[1])
        assert pixels[200:400, 200:400].std() > 5, "real imagery, not padding"


def _ovr_from_other_values(raster, tmp_path):
    """Give `raster` an external .ovr whose pixels differ from its own (all 200): a chip that shows 200
    was read through the overview."""
    import rasterio

    with rasterio.open(raster) as dataset:
        profile = dataset.profile
    other = str(tmp_path / "other.tif")
    with rasterio.open(other, "w", **profile) as dst:
        dst.write(np.full((profile["count"], profile["height"], profile["width"]), 200, dtype=np.uint8))
    from osgeo import gdal

    handle = gdal.Open(other, gdal.GA_ReadOnly)  # read-only: GDAL writes the overviews to other.tif.ovr
    handle.BuildOverviews("AVERAGE", [2, 4, 8, 16])
    handle = None
    shutil.copy(other + ".ovr", raster + ".ovr")


def test_large_windows_are_read_through_overviews_when_the_raster_has_them(run_algorithm, tmp_path):
    raster = write_marker_raster(str(tmp_path / "plain.tif"))
    big = pixel_box(500, 500, 3500, 3500)  # window 4500 pixels -> zoom 0.057: the 16x overview fits
    _, _, rows = cut(run_algorithm, [big], raster, tmp_path / "without", CHIP_SIZE=256)
    without = chip(tmp_path / "without", rows[1])
    assert without[128, 200].max() == 0, "no overview: the full-resolution pixels (black) are averaged"
    _ovr_from_other_values(raster, tmp_path)
    _, _, rows = cut(run_algorithm, [big], raster, tmp_path / "with", CHIP_SIZE=256)
    assert tuple(chip(tmp_path / "with", rows[1])[128, 200]) == (200, 200, 200), "read from the .ovr"
    native = pixel_box(1000, 1000, 1100, 1100)
    _, _, rows = cut(run_algorithm, [native], raster, tmp_path / "native", CHIP_SIZE=256)
    assert float(rows[1]["zoom"]) == 1.0 and chip(tmp_path / "native", rows[1])[200, 200].max() == 0, \
        "a window read at native scale never comes from an overview"


def test_a_resume_with_other_framing_is_refused_unless_overwrite(run_algorithm, marker_raster, tmp_path):
    out = tmp_path / "run"
    geoms = [pixel_box(1000, 1000, 2200, 1800)]
    cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128)
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["framing"] == {"mode": "auto", "context": 0.25, "min_context_m": 5.0, "max_zoom": 4.0}
    with pytest.raises(QgsProcessingException) as error:
        cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, FRAMING="fit")
    assert "framing mode=auto" in str(error.value) and "mode=fit" in str(error.value)
    assert "OVERWRITE" in str(error.value)
    with pytest.raises(QgsProcessingException, match="context=0.4"):
        cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, CONTEXT=0.4)
    with pytest.raises(QgsProcessingException, match="chip size 128"):
        cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=256)
    result, _, rows = cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, FRAMING="fit", OVERWRITE=True)
    assert result["CHIP_COUNT"] == 1
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["framing"]["mode"] == "fit"
    cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, FRAMING="fit", MAX_ZOOM=4)  # same: resumes
    # a run folder from before run.json was cut at native scale: only a native resume continues it
    os.remove(out / "run.json")
    with pytest.raises(QgsProcessingException, match="framing mode=native"):
        cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128)
    result, _, _ = cut(run_algorithm, geoms, marker_raster, out, CHIP_SIZE=128, FRAMING="native")
    assert result["CHIP_COUNT"] == 1


def test_run_json_records_what_the_run_was_cut_from(run_algorithm, marker_raster, tmp_path):
    out = tmp_path / "rec"
    layer = write_layer(str(tmp_path / "objs.gpkg"), [pixel_box(100, 100, 150, 150), pixel_box(900, 900, 950, 950)],
                        crs=CRS)
    run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": marker_raster, "FID_FIELD": "obj_id",
                                       "CHIP_SIZE": 64, "BANDS": "3,2,1", "FORMAT": 1, "FRAMING": "fit",
                                       "MAX_ZOOM": 2, "OUTPUT_FOLDER": str(out)})
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert set(info) == {"layer_source", "layer_name", "fid_field", "feature_count", "raster", "crs", "chip_size",
                         "framing", "bands", "format", "plugin_version", "created_at", "format_version"}
    assert info["layer_source"].startswith(str(tmp_path / "objs.gpkg")) and info["layer_name"] == "objs.gpkg"
    assert info["fid_field"] == "obj_id" and info["feature_count"] == 2
    assert info["raster"] == marker_raster and info["crs"] == CRS
    assert info["chip_size"] == 64 and info["bands"] == [3, 2, 1] and info["format"] == "JPEG"
    assert info["framing"] == {"mode": "fit", "context": 0.25, "min_context_m": 5.0, "max_zoom": 2.0}
    assert info["plugin_version"] and info["created_at"].endswith("Z")
    params = {"INPUT": layer, "RASTER": marker_raster, "FID_FIELD": "obj_id", "CHIP_SIZE": 64, "BANDS": "3,2,1",
              "FORMAT": 1, "FRAMING": "fit", "MAX_ZOOM": 2, "OUTPUT_FOLDER": str(out)}
    result, _ = run_algorithm("chipvlm:cutchips", params)
    assert result["CHIP_COUNT"] == 2
    again = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert again == info, "a resume keeps the record, when the run began included"
    # chips are named by fid: a resume by another fid field would mix two numberings
    with pytest.raises(QgsProcessingException, match=r"named by 'obj_id'; this run names features by \(feature id\)"):
        run_algorithm("chipvlm:cutchips", dict(params, FID_FIELD=""))


def test_build_overviews_writes_an_ovr_beside_the_raster_and_never_touches_it(run_algorithm, tmp_path):
    import hashlib

    raster = write_marker_raster(str(tmp_path / "county.tif"))
    before = (hashlib.sha256(open(raster, "rb").read()).hexdigest(), os.stat(raster).st_mtime_ns)
    big = [pixel_box(500, 500, 3500, 3500), pixel_box(1000, 1000, 1040, 1040)]
    _, feedback, rows = cut(run_algorithm, big, raster, tmp_path / "plain", CHIP_SIZE=256)
    assert any("1 chips were shrunk" in i and "has no overviews" in i
               for i in feedback.infos), feedback.infos
    assert any("Turn BUILD_OVERVIEWS on" in i for i in feedback.infos)
    assert not os.path.exists(raster + ".ovr")

    _, feedback, rows = cut(run_algorithm, big, raster, tmp_path / "built", CHIP_SIZE=256, BUILD_OVERVIEWS=True)
    assert os.path.exists(raster + ".ovr")
    assert (hashlib.sha256(open(raster, "rb").read()).hexdigest(), os.stat(raster).st_mtime_ns) == before
    assert any(i.startswith("Overviews built in") for i in feedback.infos), feedback.infos
    assert any("read through the raster's overviews" in i for i in feedback.infos)
    assert not any("Turn BUILD_OVERVIEWS on" in i for i in feedback.infos)
    # the chip is the same picture either way (the overview is an average of the same pixels)
    a = chip(tmp_path / "plain", rows[1]).astype(int)
    b = chip(tmp_path / "built", rows[1]).astype(int)
    assert np.abs(a - b).mean() < 3

    _, feedback, _ = cut(run_algorithm, big, raster, tmp_path / "again", CHIP_SIZE=256, BUILD_OVERVIEWS=True)
    assert any("already has overviews" in i for i in feedback.infos)
