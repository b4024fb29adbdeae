"""Synthetic rasters and polygons for tests and benchmarks (no QGIS needed)."""
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np


@dataclass
class RasterSpec:
    """How write_raster lays a raster out, each a keyword of write_raster."""
    tiled: bool = True
    dtype: str = "uint8"
    bands: int = 3
    seed: int = 0
    block: int = 512
    compress: str = "DEFLATE"
    origin: Tuple[float, float] = (500000.0, 4000000.0)
    pixel: float = 1.0
    crs: str = "EPSG:32643"
    nodata: Optional[float] = None

    def profile(self, width: int, height: int) -> dict:
        from rasterio.transform import from_origin

        profile = dict(driver="GTiff", width=width, height=height, count=self.bands, dtype=self.dtype,
                       crs=self.crs, transform=from_origin(self.origin[0], self.origin[1], self.pixel, self.pixel),
                       compress=self.compress)
        if self.nodata is not None:
            profile["nodata"] = self.nodata
        if self.tiled:
            profile.update(tiled=True, blockxsize=self.block, blockysize=self.block)
        else:
            profile.update(tiled=False, blockysize=1)
        return profile


def write_raster(path, width, height, **layout):
    """A textured raster (layout: the fields of RasterSpec), written in horizontal slabs so memory stays
    small for big rasters."""
    import rasterio

    spec = RasterSpec(**layout)
    profile, dtype, bands = spec.profile(width, height), spec.dtype, spec.bands
    seed = spec.seed
    rng = np.random.default_rng(seed)
    slab = 512
    cols = np.arange(width)
    with rasterio.open(path, "w", **profile) as dst:
        for row0 in range(0, height, slab):
            rows = min(slab, height - row0)
            r = (np.arange(row0, row0 + rows)[:, None] // 37 + cols[None, :] // 53) % 7
            base = (r * 30 + 20).astype(np.float32)
            noise = rng.integers(0, 25, size=(rows, width)).astype(np.float32)
            data = np.stack([(base + noise + 17 * b) % 250 for b in range(bands)])
            if dtype != "uint8":
                data = data * 40 + 1000
            dst.write(data.astype(dtype), window=rasterio.windows.Window(0, row0, width, rows))
    return path


def random_polygons(bounds, count, seed=0, size=(10, 120)):
    """`count` random quadrilaterals within bounds (minx, miny, maxx, maxy), in file order."""
    from shapely.geometry import Polygon

    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bounds
    out = []
    for _ in range(count):
        w, h = rng.uniform(*size, size=2)
        x = rng.uniform(minx, maxx - w)
        y = rng.uniform(miny, maxy - h)
        jitter = rng.uniform(-0.2, 0.2, size=4)
        out.append(Polygon([(x, y), (x + w, y + jitter[0] * h), (x + w * (1 + jitter[1] * 0.2), y + h),
                            (x + jitter[2] * w, y + h * (1 + jitter[3] * 0.2))]))
    return out
