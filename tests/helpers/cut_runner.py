"""Run the cutting engine in its own process (for kill tests): python cut_runner.py RASTER FOLDER COUNT SEED"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import conftest  # noqa: E402,F401  (makes `chipvlm` importable)
from chipvlm.plugin.core.chips.engine import CutFeedback, CutOptions, FeatureInput, cut_chips  # noqa: E402
from helpers.synthetic import random_polygons  # noqa: E402


def features(raster, count, seed):
    import rasterio

    with rasterio.open(raster) as dataset:
        bounds = tuple(dataset.bounds)
    for fid, polygon in enumerate(random_polygons(bounds, count, seed=seed)):
        yield FeatureInput(fid * 2 + 1, polygon.wkb)


def main():
    raster, folder, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    summary = cut_chips(raster, features(raster, count, seed), folder, CutOptions(workers=2, chip_size=256),
                        CutFeedback(progress=lambda f, m: print(m, flush=True)))
    print("DONE", summary.cut, summary.already_done, flush=True)


if __name__ == "__main__":
    main()
