"""What the analyst gets from chipvlm:secondopinion beyond the numbers: embeddings of another grid
averaged over the right pixels, the page in Chinese, and the page itself (README's picture)."""
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

from helpers.second_opinion import CELL, ORIGIN, PARCEL, case_with_layer

pytest.importorskip("sklearn", reason="scikit-learn is not installed (Debian: apt install python3-sklearn)")


def case(tmp_path):
    return case_with_layer(str(tmp_path / "run"))


def write_embeddings(path, pixel=2.5, grid=15):
    """A 2-band embeddings raster in Web Mercator with 2.5-unit pixels (about 2 m here; the imagery is UTM,
    1 m): band 1 is the parcel's fid over the parcel and 3 m around it (0 between parcels), band 2 the
    pixel's UTM easting. The mean over a parcel's pixels is then its fid exactly, and its centre's easting."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.warp import transform, transform_bounds

    size = grid * CELL
    west, south, east, north = transform_bounds("EPSG:32643", "EPSG:3857", ORIGIN[0], ORIGIN[1] - size,
                                                ORIGIN[0] + size, ORIGIN[1])
    width, height = int(np.ceil((east - west) / pixel)) + 4, int(np.ceil((north - south) / pixel)) + 4
    cols, rows = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    xs, ys = west - 2 * pixel + cols * pixel, north + 2 * pixel - rows * pixel
    ux, uy = (np.array(v).reshape(xs.shape) for v in transform("EPSG:3857", "EPSG:32643", xs.ravel(), ys.ravel()))
    dx, dy = ux - ORIGIN[0], ORIGIN[1] - uy
    col, row = np.floor(dx / CELL), np.floor(dy / CELL)
    lx, ly = dx - col * CELL, dy - row * CELL
    margin = (CELL - PARCEL) / 2  # 4 m on each side; the fid covers 3 m of it
    near = ((lx >= margin - 3) & (lx <= CELL - margin + 3) & (ly >= margin - 3) & (ly <= CELL - margin + 3)
            & (col >= 0) & (col < grid) & (row >= 0) & (row < grid))
    fid = np.where(near, row * grid + col + 1, 0)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=2, dtype="float32",
                       crs="EPSG:3857", transform=from_origin(west - 2 * pixel, north + 2 * pixel, pixel, pixel)) as dst:
        dst.write(np.stack([fid, dx]).astype("float32"))
    return path


def test_embeddings_in_another_crs_and_resolution_are_averaged_over_each_objects_own_pixels(run_algorithm, tmp_path):
    from chipvlm.plugin.core.learn.features import FeatureCache, cache_path

    _, results, classes, layer = case(tmp_path)
    embeddings = write_embeddings(str(tmp_path / "embeddings_3857.tif"))
    run_algorithm("chipvlm:secondopinion", {
        "RESULTS": results, "INPUT": layer.source(), "FID_FIELD": "obj_id", "EMBEDDINGS": embeddings,
        "OUTPUT_TABLE": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "p.html")})
    cache = FeatureCache(cache_path(results))
    try:
        names, vectors = cache.names(), cache.vectors(list(classes))
    finally:
        cache.close()
    which, easting = names.index("embedding1_mean"), names.index("embedding2_mean")
    assert len(vectors) == len(classes)
    for fid, vector in vectors.items():
        row, col = divmod(fid - 1, 15)
        assert vector[which] == pytest.approx(fid, abs=1e-3), fid  # only its own pixels, none of the gap's
        assert vector[easting] == pytest.approx(col * CELL + CELL / 2, abs=1.5), fid


def visible_text(html):
    return [t.strip() for t in re.split(r"<[^>]+>", html.split("<body>", 1)[1]) if t.strip()]


def test_the_page_speaks_chinese_when_the_interface_does(chinese, run_algorithm, tmp_path):
    from helpers.chinese import english_in

    _, results, _, layer = case(tmp_path)
    result, _ = run_algorithm("chipvlm:secondopinion", {
        "RESULTS": results, "INPUT": layer.source(), "FID_FIELD": "obj_id",
        "OUTPUT_TABLE": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "p.html")})
    page = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    texts = visible_text(page)
    assert "<title>第二意见</title>" in page and "第二意见" in texts
    assert any("交叉验证" in t for t in texts) and any("模型" in t for t in texts)
    assert english_in(texts, quoted_allowed=True) == []


def test_second_opinion_page_screenshot(run_algorithm, tmp_path):
    from helpers.screenshots import screenshot_path

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no chromium to render the page (Debian: apt install chromium)")
    _, results, _, layer = case(tmp_path)
    result, _ = run_algorithm("chipvlm:secondopinion", {
        "RESULTS": results, "INPUT": layer.source(), "FID_FIELD": "obj_id",
        "OUTPUT_TABLE": str(tmp_path / "t.csv"), "OUTPUT_HTML": str(tmp_path / "second_opinion.html")})
    picture = screenshot_path("second_opinion.png", tmp_path)
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=860,720", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={picture}",
                    "file://" + os.path.abspath(result["OUTPUT_HTML"])], check=True, capture_output=True, timeout=120)
    from PIL import Image

    image = np.asarray(Image.open(picture).convert("L"))
    assert image.shape == (720, 860) and (image < 128).mean() > 0.01  # text and bars, not a blank page
