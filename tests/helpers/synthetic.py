"""Synthetic rasters and polygons for tests and benchmarks (no QGIS needed)."""
import numpy as np


def write_raster(path, width, height, tiled=True, dtype="uint8", bands=3, seed=0, block=512,
                 compress="DEFLATE", origin=(500000.0, 4000000.0), pixel=1.0, crs="EPSG:32643", nodata=None):
    """A textured raster, written in horizontal slabs so memory stays small for big rasters."""
    import rasterio
    from rasterio.transform import from_origin

    profile = dict(driver="GTiff", width=width, height=height, count=bands, dtype=dtype, crs=crs,
                   transform=from_origin(origin[0], origin[1], pixel, pixel), compress=compress)
    if nodata is not None:
        profile["nodata"] = nodata
    if tiled:
        profile.update(tiled=True, blockxsize=block, blockysize=block)
    else:
        profile.update(tiled=False, blockysize=1)
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
