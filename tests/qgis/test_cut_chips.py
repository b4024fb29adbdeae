"""The analyst runs "Cut feature chips" from the Toolbox (processing.run) on real rasters."""
import os

import numpy as np
import pytest
from PIL import Image
from qgis.core import QgsProcessingException

from helpers.feedback import RecordingFeedback
from helpers.layers import write_layer
from helpers.real_data import raster_bounds, read_index_rows, real_raster

NAIP = "naip_m_4709963_se_14_1_20200831.tif"


def box_wkt(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def red_mask(image):
    a = np.asarray(image.convert("RGB")).astype(int)
    return (a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)


@pytest.fixture()
def naip_layer(tmp_path):
    """Objects over the NAIP tile, stored in EPSG:4326 so they must be reprojected to the raster's CRS:
    a multipart, a polygon with a hole, a null geometry, one outside the raster, fids not contiguous."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

    path = real_raster(NAIP)
    bounds, crs = raster_bounds(path)
    to_wgs = QgsCoordinateTransform(QgsCoordinateReferenceSystem(crs.to_string()),
                                    QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2

    def wgs(wkt):
        geometry = QgsGeometry.fromWkt(wkt)
        geometry.transform(to_wgs)
        return geometry.asWkt(8)

    geometries = [
        wgs(box_wkt(cx - 200, cy - 150, cx + 200, cy + 150)),
        wgs(f"MULTIPOLYGON((({cx+800} {cy},{cx+900} {cy},{cx+900} {cy+100},{cx+800} {cy})),"
            f"(({cx+1000} {cy},{cx+1100} {cy},{cx+1100} {cy+100},{cx+1000} {cy})))"),
        wgs(f"POLYGON(({cx-1500} {cy-500},{cx-1000} {cy-500},{cx-1000} {cy},{cx-1500} {cy},{cx-1500} {cy-500}),"
            f"({cx-1400} {cy-400},{cx-1100} {cy-400},{cx-1100} {cy-100},{cx-1400} {cy-100},{cx-1400} {cy-400}))"),
        None,
        wgs(box_wkt(bounds.right + 5000, cy, bounds.right + 5200, cy + 200)),
        wgs(box_wkt(bounds.left + 10, bounds.top - 60, bounds.left + 60, bounds.top - 10)),  # at the corner
    ]
    fids = [7, 19, 20, 42, 1000, 3]
    layer = write_layer(str(tmp_path / "objects.gpkg"), geometries, crs="EPSG:4326", fids=fids)
    return layer, path


def test_cut_chips_on_real_naip_imagery(run_algorithm, naip_layer, tmp_path):
    layer, raster = naip_layer
    out = tmp_path / "run"
    result, feedback = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id", "OUTPUT_FOLDER": str(out)})

    assert result["INDEX"] == str(out / "chips_index.csv")
    assert result["CHIP_COUNT"] == 4
    with open(result["INDEX"], "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf", "index must start with a BOM for Excel"
    rows = {int(r["fid"]): r for r in read_index_rows(str(out))}
    assert set(rows) == {7, 19, 20, 42, 1000, 3}
    assert rows[42]["status"] == "empty_geometry"
    assert rows[1000]["status"] == "outside" and "outside" in rows[1000]["message"]
    for fid in (7, 19, 20, 3):
        assert rows[fid]["status"] == "ok", rows[fid]
        assert rows[fid]["chip_path"] == f"chips/{fid:06d}.png"
        assert rows[fid]["crs"] == "EPSG:26914"
        image = Image.open(out / rows[fid]["chip_path"])
        assert image.size == (512, 512) and image.mode == "RGB"

    # the single box: its red outline is centred (400 m x 300 m at 5 m/pixel = 80 x 60 px)
    red = red_mask(Image.open(out / "chips/000007.png"))
    rows_idx, cols_idx = np.nonzero(red[100:, :])  # below the fid label
    rows_idx = rows_idx + 100
    assert abs((cols_idx.min() + cols_idx.max()) / 2 - 256) <= 3
    assert abs((rows_idx.min() + rows_idx.max()) / 2 - 256) <= 3
    assert 70 <= cols_idx.max() - cols_idx.min() <= 90

    # the polygon with a hole: both rings are drawn (red pixels inside the outer ring)
    red = red_mask(Image.open(out / "chips/000020.png"))
    assert red[256, 256 - 50:256 + 50].any() and red[256 - 50:256 + 50, 256].any()

    # the corner feature: the window is padded with magenta (no land cover, unlike black), never shifted
    corner = np.asarray(Image.open(out / "chips/000003.png"))
    assert int(rows[3]["col_off"]) < 0 and int(rows[3]["row_off"]) < 0
    assert tuple(corner[-1, 0]) == tuple(corner[300, 10]) == (255, 0, 255)  # left of the raster: padding
    assert corner[400, 400].sum() > 0

    # the fid label: a black box top-left with white text
    label = np.asarray(Image.open(out / "chips/000019.png"))[:40, :60]
    assert (label.sum(axis=2) == 0).mean() > 0.4 and (label.min(axis=2) > 200).any()
    assert any("reproject" in info.lower() for info in feedback.infos)


def test_resume_skips_what_is_done_and_limit_cuts_only_the_first(run_algorithm, naip_layer, tmp_path):
    layer, raster = naip_layer
    out = tmp_path / "run"
    params = {"INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id", "OUTPUT_FOLDER": str(out)}
    first, _ = run_algorithm("chipvlm:cutchips", dict(params, LIMIT=2))
    assert first["CHIP_COUNT"] == 2
    assert sorted(int(r["fid"]) for r in read_index_rows(str(out))) == [7, 19]
    stamp = os.stat(out / "chips/000007.png").st_mtime_ns

    second, feedback = run_algorithm("chipvlm:cutchips", params)
    assert second["CHIP_COUNT"] == 4
    fids = [int(r["fid"]) for r in read_index_rows(str(out))]
    assert sorted(fids) == [3, 7, 19, 20, 42, 1000], "every fid exactly once after a resume"
    assert os.stat(out / "chips/000007.png").st_mtime_ns == stamp, "a finished chip is not cut again"
    assert any("2 already there" in info for info in feedback.infos)

    # a chip deleted by hand is cut again on the next run
    os.remove(out / "chips/000019.png")
    third, _ = run_algorithm("chipvlm:cutchips", params)
    assert (out / "chips/000019.png").exists() and third["CHIP_COUNT"] == 4
    assert sorted(int(r["fid"]) for r in read_index_rows(str(out))) == [3, 7, 19, 20, 42, 1000]

    # OVERWRITE cuts everything again
    run_algorithm("chipvlm:cutchips", dict(params, OVERWRITE=True, FORMAT=1))
    rows = read_index_rows(str(out))
    assert sorted(int(r["fid"]) for r in rows) == [3, 7, 19, 20, 42, 1000]
    assert all(r["chip_path"].endswith(".jpg") for r in rows if r["status"] == "ok")


def test_feature_id_is_used_without_fid_field_and_bands_pick_grey(run_algorithm, naip_layer, tmp_path):
    layer, raster = naip_layer
    out = tmp_path / "nir"
    result, _ = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "BANDS": "4", "CHIP_SIZE": 256, "OUTPUT_FOLDER": str(out)})
    rows = read_index_rows(str(out))
    assert sorted(int(r["fid"]) for r in rows) == [1, 2, 3, 4, 5, 6]  # GeoPackage feature ids
    image = np.asarray(Image.open(out / "chips/000001.png"))
    assert image.shape == (256, 256, 3)
    body = image[100:, :, :]
    grey = (body[..., 0] == body[..., 1]) & (body[..., 1] == body[..., 2])
    assert grey.mean() > 0.9, "one band is shown as grey"


def test_16bit_imagery_is_stretched_once_for_the_whole_raster(run_algorithm, tmp_path):
    raster = real_raster("RGBA.uint16.tif")
    bounds, crs = raster_bounds(raster)
    step = (bounds.right - bounds.left) / 5
    geoms = [box_wkt(bounds.left + i * step + 10, bounds.bottom + 50, bounds.left + i * step + 60, bounds.bottom + 100)
             for i in range(5)]
    layer = write_layer(str(tmp_path / "objs.shp"), geoms, crs=crs.to_string())
    out = tmp_path / "run16"
    result, feedback = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "OUTPUT_FOLDER": str(out)})
    assert result["CHIP_COUNT"] == 5
    assert (out / "chips_stretch.json").exists()
    assert any("Stretch to 8 bits" in info for info in feedback.infos)
    # this raster's RGB bands hold one value everywhere (10000): shown as mid-grey, never black or white
    for row in read_index_rows(str(out)):
        pixels = np.asarray(Image.open(out / row["chip_path"]))
        assert int(row["row_off"]) == 101  # chip rows 0..309 hold data, the rest is padding
        centre = pixels[200, 250]
        assert tuple(centre) == (127, 127, 127), centre


def test_corrupt_tiles_become_error_rows_and_the_run_goes_on(run_algorithm, tmp_path):
    raster = real_raster("corrupt.tif")
    bounds, crs = raster_bounds(raster)
    px = (bounds.right - bounds.left) / 1024
    # windows centred in the four 512-pixel tiles; the bottom-right tile is corrupt
    centres = [(256, 256), (768, 256), (256, 768), (768, 768)]
    geoms = [box_wkt(bounds.left + (c - 20) * px, bounds.top - (r + 20) * px,
                     bounds.left + (c + 20) * px, bounds.top - (r - 20) * px) for c, r in centres]
    layer = write_layer(str(tmp_path / "objs.gpkg"), geoms, crs=crs.to_string())
    out = tmp_path / "runc"
    result, feedback = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "CHIP_SIZE": 128, "OUTPUT_FOLDER": str(out)})
    rows = {int(r["fid"]): r for r in read_index_rows(str(out))}
    assert rows[1]["status"] == "ok"
    assert rows[4]["status"] == "error"
    # the file and the window are named by ChipVLM, whatever GDAL says (rasterio 1.4 names neither)
    message = rows[4]["message"]
    assert message.startswith("Could not cut the chip from corrupt.tif "), message
    window = f"(window at column {rows[4]['col_off']}, row {rows[4]['row_off']}, 128 x 128 pixels)"
    assert window in message, message
    assert result["CHIP_COUNT"] == sum(r["status"] == "ok" for r in rows.values())
    # rerunning retries only the failed one
    run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "CHIP_SIZE": 128, "OUTPUT_FOLDER": str(out)})
    assert sorted(int(r["fid"]) for r in read_index_rows(str(out))) == [1, 2, 3, 4]


def test_rotated_raster_without_crs(run_algorithm, tmp_path):
    raster = real_raster("rotated.tif")
    # the raster's centre pixel (5, 7.5) in its rotated geotransform
    a, b, c, d, e, f = 17.320508075688775, 5.0, 100.0, 10.0, -8.660254037844387, 200.0
    x, y = a * 5 + b * 7.5 + c, d * 5 + e * 7.5 + f
    layer = write_layer(str(tmp_path / "nocrs.gpkg"), [box_wkt(x - 5, y - 5, x + 5, y + 5)], crs=None)
    out = tmp_path / "rot"
    result, feedback = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "CHIP_SIZE": 64, "OUTPUT_FOLDER": str(out)})
    assert result["CHIP_COUNT"] == 1
    assert any("no coordinate reference system" in w for w in feedback.warnings)
    assert any("rotated" in w for w in feedback.warnings)
    rows = read_index_rows(str(out))
    assert rows[0]["status"] == "ok" and rows[0]["crs"] == ""
    # the window is centred on the raster's pixel (5, 7.5): offsets 5 - 32 and 7.5 - 32
    assert abs(int(rows[0]["col_off"]) + 32 - 5) <= 1 and abs(int(rows[0]["row_off"]) + 32 - 7.5) <= 1


def test_float_nan_and_all_nodata_rasters(run_algorithm, tmp_path):
    raster = real_raster("float_nan.tif")
    layer = write_layer(str(tmp_path / "f.gpkg"), [box_wkt(10, 10, 290, 190)], crs=None)
    result, _ = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "CHIP_SIZE": 32, "OUTPUT_FOLDER": str(tmp_path / "f")})
    assert result["CHIP_COUNT"] == 1

    raster = real_raster("all-nodata.tif")
    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    layer = write_layer(str(tmp_path / "n.gpkg"), [box_wkt(cx - 30, cy - 30, cx + 30, cy + 30)], crs=crs.to_string())
    result, _ = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "CHIP_SIZE": 64, "OUTPUT_FOLDER": str(tmp_path / "n")})
    rows = read_index_rows(str(tmp_path / "n"))
    assert rows[0]["status"] == "ok" and rows[0]["message"] == "the window holds only nodata"


def test_unreadable_raster_gets_a_clear_error(run_algorithm, naip_layer, tmp_path):
    layer, _ = naip_layer
    fake = tmp_path / "not_a_raster.tif"
    fake.write_text("this is not a GeoTIFF")
    with pytest.raises(QgsProcessingException) as error:
        run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": str(fake), "OUTPUT_FOLDER": str(tmp_path / "x")})
    assert "Could not load source layer for RASTER" in str(error.value)


def test_folder_that_cannot_be_written_gets_a_clear_error(run_algorithm, naip_layer, tmp_path):
    layer, raster = naip_layer
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(QgsProcessingException) as error:
        run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "OUTPUT_FOLDER": str(blocker / "run")})
    assert "Cannot write chips to the folder" in str(error.value)


def test_bands_that_do_not_exist_get_a_clear_error(run_algorithm, naip_layer, tmp_path):
    layer, raster = naip_layer
    with pytest.raises(QgsProcessingException) as error:
        run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "BANDS": "1,2,9",
                                           "OUTPUT_FOLDER": str(tmp_path / "b")})
    assert "Band 9 does not exist" in str(error.value)


def test_chinese_paths(run_algorithm, tmp_path):
    import shutil

    source = real_raster("RGB.byte.tif")
    folder = tmp_path / "霍城县 影像"
    folder.mkdir()
    raster = folder / "霍城.tif"
    shutil.copy(source, raster)
    bounds, crs = raster_bounds(str(raster))
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    layer = write_layer(str(folder / "对象.shp"), [box_wkt(cx - 3000, cy - 3000, cx + 3000, cy + 3000)],
                        crs=crs.to_string())
    out = folder / "切图结果"
    result, _ = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": str(raster), "OUTPUT_FOLDER": str(out)})
    assert result["CHIP_COUNT"] == 1
    assert sorted(p.name for p in (out / "chips").iterdir()) == ["000000.png"]  # a shapefile counts from 0


def test_cancel_stops_quickly_and_leaves_a_valid_index(run_algorithm, tmp_path):
    import random
    import time

    raster = real_raster(NAIP)
    bounds, crs = raster_bounds(raster)
    rng = random.Random(5)
    geoms = []
    for _ in range(400):
        x = rng.uniform(bounds.left, bounds.right - 100)
        y = rng.uniform(bounds.bottom, bounds.top - 100)
        geoms.append(box_wkt(x, y, x + 60, y + 60))
    layer = write_layer(str(tmp_path / "many.gpkg"), geoms, crs=crs.to_string())
    out = tmp_path / "cancel"
    feedback = RecordingFeedback(cancel_after_progress=20)
    started = time.monotonic()
    result, _ = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "OUTPUT_FOLDER": str(out)},
                              feedback=feedback)
    assert feedback.isCanceled()
    assert 0 < result["CHIP_COUNT"] < 400
    assert any("Canceled" in w for w in feedback.warnings)
    rows = read_index_rows(str(out))
    assert all((out / r["chip_path"]).exists() for r in rows if r["status"] == "ok")
    assert len({r["fid"] for r in rows}) == len(rows)
    assert time.monotonic() - started < 60
    # resume finishes the job, every fid once
    result, _ = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "OUTPUT_FOLDER": str(out)})
    assert result["CHIP_COUNT"] == 400
    assert sorted(int(r["fid"]) for r in read_index_rows(str(out))) == list(range(1, 401))


def test_only_selected_features_when_the_user_asks(run_algorithm, naip_layer, tmp_path, qgis_new_project):
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject

    layer, raster = naip_layer
    QgsProject.instance().addMapLayer(layer)
    layer.selectByExpression('"obj_id" in (7, 20)')
    source = QgsProcessingFeatureSourceDefinition(layer.id(), True)
    result, _ = run_algorithm("chipvlm:cutchips", {"INPUT": source, "RASTER": raster, "FID_FIELD": "obj_id",
                                                   "OUTPUT_FOLDER": str(tmp_path / "sel")})
    assert result["CHIP_COUNT"] == 2
    assert sorted(int(r["fid"]) for r in read_index_rows(str(tmp_path / "sel"))) == [7, 20]


def test_null_values_in_the_fid_field_are_reported_by_feature(run_algorithm, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry

    raster = real_raster(NAIP)
    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    layer = write_layer(str(tmp_path / "nullfid.gpkg"), [box_wkt(cx, cy, cx + 50, cy + 50)], crs=crs.to_string())
    layer.startEditing()
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt(box_wkt(cx + 100, cy, cx + 150, cy + 50)))
    layer.addFeature(feature)  # obj_id stays NULL
    assert layer.commitChanges()
    result, feedback = run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id",
                                                          "OUTPUT_FOLDER": str(tmp_path / "nf")})
    assert result["CHIP_COUNT"] == 1
    assert "Feature 2 gets no chip: its obj_id is empty." in feedback.warnings
