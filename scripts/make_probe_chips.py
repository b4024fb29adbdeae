"""Make resources/probe/: the two chips the endpoint Test sends when no chips index is known.

Both are cut by cutchips' own engine (512 px JPEG, auto framing) from the NAIP tile of
../shared/data/real/ (USDA public-domain imagery): the pond of docs/chip_example.png (its outline
traced from the image, see make_chip_example.py) and a field south-west of it (a rectangle of
pixels). The speed of a server hardly depends on what a chip shows, but a real chip keeps the
request exactly what a run sends. resources/probe/PROVENANCE.md says the same for a reader of the
folder.

Usage: python scripts/make_probe_chips.py [raster]
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_chip_example import RASTER, pond_polygon  # noqa: E402  (it exposes the package too)

OUTPUT = ROOT / "resources" / "probe"
POND_FID = 1207
FIELD_FID = 2415
FIELD_PIXELS = (180, 480, 300, 600)  # col_min, row_min, col_max, row_max


def field_polygon(raster_path, window=FIELD_PIXELS):
    import rasterio
    from rasterio.transform import xy
    from shapely.geometry import box

    with rasterio.open(raster_path) as dataset:
        left, top = xy(dataset.transform, window[1], window[0])
        right, bottom = xy(dataset.transform, window[3], window[2])
    return box(min(left, right), min(top, bottom), max(left, right), max(top, bottom))


def main(argv):
    from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips

    raster = Path(argv[0]) if argv else RASTER
    features = [FeatureInput(POND_FID, pond_polygon(str(raster)).wkb),
                FeatureInput(FIELD_FID, field_polygon(str(raster)).wkb)]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chipvlm-probe-") as folder:
        summary = cut_chips(str(raster), features, folder, CutOptions(chip_size=512, fmt="JPEG"))
        if summary.cut != 2:
            raise SystemExit(f"two chips were not cut: {summary}")
        for fid in (POND_FID, FIELD_FID):
            name = f"{fid:06d}.jpg"
            shutil.copyfile(os.path.join(folder, "chips", name), OUTPUT / name)
            print(f"wrote {OUTPUT / name} ({(OUTPUT / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
