"""The real rasters in ../shared/data/real (made by nobody on this project)."""
import os
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"


def real_raster(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real test raster {path} is missing (../shared/data/real is not beside the project)")
    return str(path)


def raster_bounds(path):
    import rasterio

    with rasterio.open(path) as dataset:
        return dataset.bounds, dataset.crs


def read_index_rows(folder):
    import csv

    index = os.path.join(folder, "chips_index.csv")
    with open(index, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
