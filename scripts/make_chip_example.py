"""Make docs/chip_example.png: one real chip cut by cutchips' engine, as the README shows it.

The object is a pond in the NAIP sample of ../shared/data/real/: its outline is traced from the
image itself (the dark water around a seed point, polygonised), so the red line follows a visible
shoreline the way a SAM segment would. The chip is cut exactly as `chipvlm:cutchips` cuts it.

Usage: python scripts/make_chip_example.py [raster] [output.png]
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from qgis_env import expose_package  # noqa: E402

expose_package()  # the repository as the package `chipvlm`

RASTER = ROOT.parent / "shared" / "data" / "real" / "naip_m_4709963_se_14_1_20200831.tif"
OUTPUT = ROOT / "docs" / "chip_example.png"
SEED_PIXEL = (533, 265)  # (col, row) inside a dark pond, right of the image centre
FID = 1207  # any fid: it is what the chip's label shows


def pond_polygon(raster_path, seed=SEED_PIXEL):
    """The dark water around the seed pixel, as a polygon in the raster's CRS."""
    import numpy as np
    import rasterio
    from rasterio import features
    from rasterio.transform import xy
    from shapely.geometry import Point, Polygon, shape

    with rasterio.open(raster_path) as dataset:
        brightness = dataset.read([1, 2, 3]).astype(np.int32).sum(axis=0)
        transform = dataset.transform
    col, row = seed
    water = (brightness < brightness[row, col] + 25).astype(np.uint8)  # pond ~160, fields 200-300
    inside = Point(*xy(transform, row, col))  # the pixel's centre
    for geometry, value in features.shapes(water, mask=water.astype(bool), transform=transform):
        polygon = shape(geometry)
        if value == 1 and polygon.contains(inside):
            # the shoreline only (no holes of reeds), without the pixel staircase
            return Polygon(polygon.exterior).simplify(transform.a * 0.75)
    raise SystemExit(f"no dark water at pixel {seed} of {raster_path}")


def main(argv):
    from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips

    raster = Path(argv[0]) if argv else RASTER
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    polygon = pond_polygon(str(raster))
    with tempfile.TemporaryDirectory(prefix="chipvlm-example-") as folder:
        summary = cut_chips(str(raster), [FeatureInput(FID, polygon.wkb)], folder, CutOptions(chip_size=512))
        if summary.cut != 1:
            raise SystemExit(f"no chip was cut: {summary}")
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(os.path.join(folder, "chips", f"{FID:06d}.png"), output)
    print(f"wrote {output} (fid {FID}, {polygon.area:.0f} m2 pond, {len(polygon.exterior.coords)} vertices)")


if __name__ == "__main__":
    main(sys.argv[1:])
