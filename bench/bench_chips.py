"""Benchmark of chipvlm:cutchips' engine against the field report's first script.

Baseline = what cut_feature_chips_512.py did: one process, features in file order, for each one a
windowed rasterio read, drawing with PIL and a PNG save with Pillow's defaults.
Prints a markdown section. Usage: python bench/bench_chips.py [--quick]
"""
import argparse
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("GDAL_CACHEMAX", "256")  # MB, fixed for every contender: a county mosaic never fits

from common import OUT, ROOT, machine  # noqa: E402

RASTER_SIZE = 16000
FEATURES = 10000
BASELINE_FEATURES = 1000  # the baseline is slow on striped files: time it on the first 1000
CHIP = 512


def make_inputs(size):
    from helpers.synthetic import write_raster

    OUT.mkdir(parents=True, exist_ok=True)
    paths = {}
    for layout in ("tiled", "striped"):
        path = OUT / f"bench_{layout}_{size}.tif"
        if not path.exists():
            started = time.monotonic()
            write_raster(str(path) + ".tmp.tif", size, size, tiled=layout == "tiled")
            os.replace(str(path) + ".tmp.tif", path)
            print(f"# wrote {path.name} in {time.monotonic() - started:.0f} s", file=sys.stderr)
        paths[layout] = str(path)
    return paths


def polygons(raster, count, seed=7):
    import rasterio

    from helpers.synthetic import random_polygons

    with rasterio.open(raster) as dataset:
        bounds = tuple(dataset.bounds)
    return random_polygons(bounds, count, seed=seed, size=(5, 150))


def baseline(raster, polys, folder):
    """The field report's sequential script."""
    import numpy as np
    import rasterio
    from PIL import Image, ImageDraw
    from rasterio.windows import Window

    os.makedirs(folder, exist_ok=True)
    started = time.monotonic()
    with rasterio.open(raster) as dataset:
        inverse = ~dataset.transform
        for fid, polygon in enumerate(polys):
            minx, miny, maxx, maxy = polygon.bounds
            col, row = inverse * ((minx + maxx) / 2, (miny + maxy) / 2)
            window = Window(int(col) - CHIP // 2, int(row) - CHIP // 2, CHIP, CHIP)
            data = dataset.read([1, 2, 3], window=window, boundless=True, fill_value=0)
            image = Image.fromarray(np.moveaxis(data, 0, -1))
            draw = ImageDraw.Draw(image)
            points = [tuple(inverse * xy) for xy in polygon.exterior.coords]
            draw.line([(x - window.col_off, y - window.row_off) for x, y in points], fill=(255, 0, 0), width=2)
            draw.text((5, 5), str(fid), fill=(255, 255, 0))
            image.save(os.path.join(folder, f"{fid}.png"))
    return time.monotonic() - started


def ours(raster, polys, folder, **options):
    from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips

    features = (FeatureInput(fid, polygon.wkb) for fid, polygon in enumerate(polys))
    summary = cut_chips(raster, features, folder, CutOptions(overwrite=True, **options))
    assert summary.cut == len(polys), summary
    return summary.seconds


def ours_with_png_level(level, raster, polys, folder):
    """Our engine with the baseline's zlib level, to separate encoder choice from parallelism and order."""
    from chipvlm.plugin.core.chips import render

    kept = render.PNG_COMPRESS_LEVEL
    render.PNG_COMPRESS_LEVEL = level
    try:
        return ours(raster, polys, folder)
    finally:
        render.PNG_COMPRESS_LEVEL = kept


def floor(raster, polys):
    """Reading one window alone, and encoding one chip alone (per chip, one thread)."""
    import numpy as np
    import rasterio
    from PIL import Image
    from rasterio.windows import Window

    from chipvlm.plugin.core.chips import render

    with rasterio.open(raster) as dataset:
        inverse = ~dataset.transform
        windows = []
        for polygon in polys[:300]:
            minx, miny, maxx, maxy = polygon.bounds
            col, row = inverse * ((minx + maxx) / 2, (miny + maxy) / 2)
            windows.append((max(0, min(dataset.width - CHIP, int(col) - CHIP // 2)),
                            max(0, min(dataset.height - CHIP, int(row) - CHIP // 2))))
        windows.sort(key=lambda w: (w[1], w[0]))
        started = time.monotonic()
        for col, row in windows:
            data = dataset.read([1, 2, 3], window=Window(col, row, CHIP, CHIP))
        read_ms = (time.monotonic() - started) / len(windows) * 1000
    image = Image.fromarray(np.ascontiguousarray(np.moveaxis(data, 0, -1)))
    results = {"read_ms": read_ms}
    for level in (render.PNG_COMPRESS_LEVEL, 6):
        target = OUT / "floor.png"
        started = time.monotonic()
        for _ in range(30):
            image.save(target, format="PNG", compress_level=level)
        results[f"png{level}_ms"] = (time.monotonic() - started) / 30 * 1000
        results[f"png{level}_kb"] = os.path.getsize(target) / 1024
    started = time.monotonic()
    for _ in range(30):
        image.save(OUT / "floor.jpg", format="JPEG", quality=90)
    results["jpeg_ms"] = (time.monotonic() - started) / 30 * 1000
    return results


def peak_memory(raster, count, chip):
    """Peak RSS (MiB) of a fresh process cutting `count` chips."""
    code = (
        "import sys; sys.path.insert(0, %r); import common, resource, bench_chips as b;"
        "from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips;"
        "polys = b.polygons(%r, %d, seed=11);"
        "s = cut_chips(%r, (FeatureInput(i, p.wkb) for i, p in enumerate(polys)), %r,"
        " CutOptions(chip_size=%d, overwrite=True));"
        "print(s.cut, s.seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    ) % (str(ROOT / "bench"), raster, count, raster, str(OUT / f"mem_{count}"), chip)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    cut, seconds, rss_kb = done.stdout.split()
    return int(cut), float(seconds), int(rss_kb) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script itself")
    args = parser.parse_args()
    size = 4000 if args.quick else RASTER_SIZE
    n = 500 if args.quick else FEATURES
    n_base = 100 if args.quick else BASELINE_FEATURES
    paths = make_inputs(size)
    rows = []
    speed = {}
    for layout in ("tiled", "striped"):
        raster = paths[layout]
        polys = polygons(raster, n)
        base_s = baseline(raster, polys[:n_base], str(OUT / f"base_{layout}"))
        ours_s = ours(raster, polys, str(OUT / f"ours_{layout}"))
        base_rate, ours_rate = n_base / base_s, n / ours_s
        speed[layout] = ours_rate / base_rate
        rows.append(f"| {layout} | baseline (1 process, file order) | {n_base} | {base_rate:.1f} | 1.00 |")
        rows.append(f"| {layout} | cutchips, 2 thread workers | {n} | {ours_rate:.1f} | **{ours_rate / base_rate:.2f}** |")
        m = min(n, 3000)
        level6_s = ours_with_png_level(6, raster, polys[:m], str(OUT / f"ours6_{layout}"))
        rows.append(f"| {layout} | cutchips, 2 thread workers, PNG level 6 like the baseline | {m} | {m / level6_s:.1f} | "
                    f"{m / level6_s / base_rate:.2f} |")
        if layout == "tiled":
            proc_s = ours(raster, polys[:m], str(OUT / "ours_process"), executor="process", workers=2)
            w1_s = ours(raster, polys[:m], str(OUT / "ours_1worker"), workers=1)
            rows.append(f"| {layout} | cutchips, 1 thread worker | {m} | {m / w1_s:.1f} | {m / w1_s / base_rate:.2f} |")
            rows.append(f"| {layout} | cutchips, 2 process workers | {m} | {m / proc_s:.1f} | {m / proc_s / base_rate:.2f} |")
    fl = floor(paths["tiled"], polygons(paths["tiled"], 300))

    mem_raster = make_inputs(4000)["tiled"] if not args.quick else paths["tiled"]
    small, large = (2000, 20000) if args.quick else (10000, 100000)
    mem = [peak_memory(mem_raster, count, 128) for count in (small, large)]

    lines = [
        "## Cutting chips",
        "",
        f"Command: `make bench` (runs `python bench/bench_chips.py{' --quick' if args.quick else ''}`), "
        f"GDAL_CACHEMAX={os.environ['GDAL_CACHEMAX']} MB for every contender.",
        f"Machine: {machine()}.",
        f"Input: synthetic {size} x {size} RGB uint8 GeoTIFF, DEFLATE, once tiled 512 x 512 and once striped "
        f"(one row per strip); {n} random polygons (5-150 px) in file order; chips {CHIP} x {CHIP} PNG.",
        "",
        "| raster | contender | chips | chips/s | x baseline |",
        "|---|---|---:|---:|---:|",
        *rows,
        "",
        f"Floor, one thread, per chip: reading a {CHIP} window from the tiled file in layout order "
        f"{fl['read_ms']:.1f} ms; PNG encoding {fl['png1_ms']:.1f} ms at zlib level 1 ({fl['png1_kb']:.0f} KiB) vs "
        f"{fl['png6_ms']:.1f} ms at Pillow's default level 6 ({fl['png6_kb']:.0f} KiB); JPEG q90 {fl['jpeg_ms']:.1f} ms.",
        "",
        f"Peak memory (RSS of the whole process, 4000 x 4000 tiled raster, 128 px chips): "
        f"{mem[0][2]:.0f} MiB for {mem[0][0]} features, {mem[1][2]:.0f} MiB for {mem[1][0]} features "
        f"(the caller's own list of test polygons included).",
        "",
        f"Targets: >= 1.8x on tiled (got {speed['tiled']:.2f}x), >= 3x on striped (got {speed['striped']:.2f}x).",
        "",
    ]
    print("\n".join(lines))
    (OUT / "chips.json").write_text(json.dumps({"speed": speed, "floor": fl, "memory": mem}))


if __name__ == "__main__":
    main()
