"""Benchmark of cutchips' FRAMING modes: chips per second for native, auto and fit on the chips
benchmark's 16k rasters, objects of 5 to 3,000 px (log-uniform), with and without overviews.

- native is also run with the code from before FRAMING existed (git commit BEFORE, extracted under
  bench/out/), turn about with today's native, so "native is not slower" is measured in one run;
- "with overviews" means an external .ovr beside a hard link of the same raster, built once by GDAL
  opened read-only (the raster itself is never touched); the time that takes is measured too.
Every contender runs alone in a fresh process on the same polygons.

Prints a markdown section. Usage: python bench/bench_framing.py [--quick]
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

os.environ.setdefault("GDAL_CACHEMAX", "256")  # MB, as in the chips benchmark

from common import OUT, ROOT, loadavg, machine, others_busy, system_busy_seconds  # noqa: E402

RASTER_SIZE = 16000
FEATURES = 300
NATIVE_FEATURES = 600
TURNS = 3  # native before / today, taken in turn
CHIP = 512
SEED = 11
SIZES = (5.0, 3000.0)
BEFORE = "61eda83"  # main before FRAMING (issue 11)
MODES = ("native", "auto", "fit")


def make_rasters(size):
    from bench_chips import make_inputs

    return make_inputs(size)


def with_overviews(raster):
    """A hard link of `raster` with an external .ovr (built once, read-only); (path, build seconds, MiB)."""
    from osgeo import gdal

    linked = raster.replace(".tif", "_ovr.tif")
    meta = linked + ".json"
    if os.path.exists(linked + ".ovr") and os.path.exists(meta):
        with open(meta) as handle:
            info = json.load(handle)
        return linked, info["seconds"], info["mib"]
    if not os.path.exists(linked):
        os.link(raster, linked)
    levels, side = [], max(gdal.Open(raster).RasterXSize, 1)
    factor = 2
    while side / factor >= 256:
        levels.append(factor)
        factor *= 2
    gdal.SetConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
    started = time.monotonic()
    handle = gdal.Open(linked, gdal.GA_ReadOnly)  # read-only: GDAL writes LINKED.ovr, not into the file
    handle.BuildOverviews("AVERAGE", levels)
    handle = None
    seconds = time.monotonic() - started
    mib = os.path.getsize(linked + ".ovr") / 2 ** 20
    with open(meta, "w") as handle:
        json.dump({"seconds": seconds, "mib": mib, "levels": levels}, handle)
    return linked, seconds, mib


def before_copy():
    """The plugin as it was at BEFORE, importable as `chipvlm` from the folder returned."""
    folder = OUT / f"before_{BEFORE}"
    package = folder / "chipvlm"
    if not (package / "plugin" / "core" / "chips" / "engine.py").exists():
        package.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "plugin", "metadata.txt", "__init__.py"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return str(folder)


def polygons(bounds, count, seed=SEED):
    """Squares-ish quadrilaterals whose side is log-uniform in SIZES (raster pixels = metres here)."""
    import numpy as np
    from shapely.geometry import Polygon

    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bounds
    out = []
    for _ in range(count):
        side = math.exp(rng.uniform(math.log(SIZES[0]), math.log(SIZES[1])))
        w, h = side, side * rng.uniform(0.6, 1.0)
        x = rng.uniform(minx, maxx - w)
        y = rng.uniform(miny, maxy - h)
        j = rng.uniform(-0.1, 0.1, size=2)
        out.append(Polygon([(x, y), (x + w, y + j[0] * h), (x + w, y + h), (x + j[1] * w, y + h)]))
    return out


def child(spec):
    import resource

    if spec.get("before"):
        sys.path.insert(0, spec["before"])
        for name in [m for m in sys.modules if m == "chipvlm" or m.startswith("chipvlm.")]:
            del sys.modules[name]
    import rasterio

    from chipvlm.plugin.core.chips.engine import CutOptions, FeatureInput, cut_chips

    with rasterio.open(spec["raster"]) as dataset:
        bounds = tuple(dataset.bounds)
        has_overviews = bool(dataset.overviews(1))
    features = [FeatureInput(i + 1, p.wkb) for i, p in enumerate(polygons(bounds, spec["count"]))]
    options = CutOptions(chip_size=CHIP, overwrite=True)
    if not spec.get("before"):
        options.framing = spec["mode"]
    before = resource.getrusage(resource.RUSAGE_SELF)
    busy = system_busy_seconds()
    started = time.perf_counter()
    summary = cut_chips(spec["raster"], features, spec["folder"], options)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    import csv
    import hashlib

    import numpy as np
    from PIL import Image

    # the pixels of every chip but its fid label (drawn without anti-aliasing since issue 9)
    digest = hashlib.sha256()
    for name in sorted(os.listdir(os.path.join(spec["folder"], "chips"))):
        pixels = np.array(Image.open(os.path.join(spec["folder"], "chips", name)).convert("RGB"))
        pixels[:CHIP // 8, :CHIP // 2] = 0
        digest.update(name.encode() + pixels.tobytes())
    with open(os.path.join(spec["folder"], "chips_index.csv"), encoding="utf-8-sig") as handle:
        zooms = [float(r.get("zoom") or 1.0) for r in csv.DictReader(handle) if r["status"] == "ok"]
    print(json.dumps({"cut": summary.cut, "seconds": seconds, "cpu": cpu,
                      "others": max(0.0, system_busy_seconds() - busy - cpu) / seconds,
                      "shrunk": sum(z < 1 for z in zooms), "magnified": sum(z > 1 for z in zooms),
                      "min_zoom": min(zooms) if zooms else 1.0, "overviews": has_overviews,
                      "peak_mb": after.ru_maxrss / 1024, "load": loadavg(), "sha256": digest.hexdigest()}))


def run(name, raster, mode, count, before=None):
    folder = OUT / f"framing_{name}"
    shutil.rmtree(folder, ignore_errors=True)
    spec = {"raster": raster, "mode": mode, "count": count, "folder": str(folder), "before": before}
    print(f"# {name}: {count} features ...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                          cwd=str(ROOT / "bench"))
    shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rate"] = result["cut"] / result["seconds"]
    print(f"# {name}: {result['rate']:.1f} chips/s, others {result['others']:.2f} cores", file=sys.stderr, flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))
    size = 4000 if args.quick else RASTER_SIZE
    n = 40 if args.quick else FEATURES
    n_native = 60 if args.quick else NATIVE_FEATURES
    load_start, others_start = loadavg(), others_busy()
    started = time.monotonic()
    paths = make_rasters(size)
    before = before_copy()
    rows, native, builds = [], {}, {}
    for layout in ("tiled", "striped"):
        raster = paths[layout]
        ovr, build_s, build_mib = with_overviews(raster)
        builds[layout] = (build_s, build_mib)
        # native: the code before FRAMING and today's, turn about, twice each
        pairs = {"before": [], "today": []}
        for _turn in range(TURNS):
            pairs["before"].append(run(f"{layout}_native_before", raster, "native", n_native, before=before))
            pairs["today"].append(run(f"{layout}_native_today", raster, "native", n_native))
        native[layout] = {k: max(r["rate"] for r in v) for k, v in pairs.items()}  # best: least disturbed
        for k, v in pairs.items():  # CPU per chip: what the load disturbs least
            native[layout][k + "_cpu_ms"] = sorted(r["cpu"] / r["cut"] * 1000 for r in v)[len(v) // 2]
        native[layout]["runs"] = {k: [round(r["rate"], 1) for r in v] for k, v in pairs.items()}
        native[layout]["others"] = max(r["others"] for v in pairs.values() for r in v)
        native[layout]["identical"] = len({r["sha256"] for v in pairs.values() for r in v}) == 1
        for mode in MODES:
            for label, path in (("no", raster), ("yes", ovr)):
                if mode == "native" and label == "yes":
                    continue  # native never reads an overview
                result = run(f"{layout}_{mode}_{label}", path, mode, n)
                rows.append((layout, mode, label, result))
    setup = {"size": size, "n": n, "n_native": n_native, "load_start": load_start, "others_start": others_start,
             "took": time.monotonic() - started}
    print(section(rows, native, builds, setup))


def section(rows, native, builds, setup):
    """The benchmark's section of docs/benchmarks.md; ``setup``: size, n, n_native, load_start, others_start,
    took (seconds)."""
    size, n, n_native = setup["size"], setup["n"], setup["n_native"]
    load_start, others_start, took = setup["load_start"], setup["others_start"], setup["took"]
    found = {(layout, mode, ovr): r for layout, mode, ovr, r in rows}
    lines = [
        "## Framing: native, auto, fit",
        "",
        f"Command: `python bench/bench_framing.py` (`python bench/run.py framing`), GDAL_CACHEMAX=256 MB. Machine: "
        f"{machine()}. Load average at the start {'/'.join(f'{x:.2f}' for x in load_start)}; other processes "
        f"used {others_start:.2f} cores just before. \"others\" per row below is the machine's busy time beyond "
        f"the cutting process's own CPU, over its wall time: it counts all else the machine did meanwhile, "
        f"the kernel writing the chips out to disk included, so it is not zero on a quiet machine. Ratios between rows measured "
        f"in turn are the figures to read.",
        "",
        f"Input: the chips benchmark's synthetic {size} x {size} RGB uint8 GeoTIFFs (DEFLATE, tiled 512 x 512 "
        f"and striped one row per strip, 1 m pixels), {n} random objects per run whose side is log-uniform between "
        f"{SIZES[0]:g} and {SIZES[1]:g} px, chips {CHIP} px PNG, 2 worker threads, CONTEXT 0.25 (>= 5 m), "
        f"MAX_ZOOM 4. \"With overviews\": an external .ovr (AVERAGE, DEFLATE) beside a hard link of the same "
        f"file, built by GDAL opened read-only.",
        "",
        "| raster | framing | overviews | features | chips/s | CPU ms/chip | shrunk | magnified | smallest zoom | "
        "cores busy | others | peak MiB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (layout, mode, ovr), r in found.items():
        lines.append(f"| {layout} | {mode} | {ovr} | {r['cut']} | {r['rate']:.1f} | {r['cpu'] / r['cut'] * 1000:.1f} | "
                     f"{r['shrunk']} | {r['magnified']} | "
                     f"{r['min_zoom']:.3f} | {r['cpu'] / r['seconds']:.2f} | {r['others']:.2f} | {r['peak_mb']:.0f} |")
    lines += ["", f"native before FRAMING (commit {BEFORE}) against today's native, {n_native} features, taken in "
                  f"turn {TURNS} times each; the best run of each (the least disturbed by the load) and the median CPU "
                  "time per chip (which the load disturbs least) are compared:", "",
              "| raster | before: best chips/s (runs) | today: best chips/s (runs) | today / before | "
              "CPU ms/chip before | today | today / before | others (worst) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for layout, r in native.items():
        lines.append(f"| {layout} | {r['before']:.1f} ({', '.join(map(str, r['runs']['before']))}) | "
                     f"{r['today']:.1f} ({', '.join(map(str, r['runs']['today']))}) | {r['today'] / r['before']:.3f} | "
                     f"{r['before_cpu_ms']:.1f} | {r['today_cpu_ms']:.1f} | {r['today_cpu_ms'] / r['before_cpu_ms']:.3f} | "
                     f"{r['others']:.2f} |")
    lines += ["", "### What the numbers say", ""]
    for layout in native:
        auto_no, auto_yes = found[(layout, "auto", "no")], found[(layout, "auto", "yes")]
        fit_no, fit_yes = found[(layout, "fit", "no")], found[(layout, "fit", "yes")]
        nat = found[(layout, "native", "no")]
        build_s, build_mib = builds[layout]
        per_chip_saved = (1 / auto_no["rate"] - 1 / auto_yes["rate"])
        lines.append(
            f"- **{layout}**: native {nat['rate']:.1f} chips/s; auto {auto_no['rate']:.1f} without overviews, "
            f"{auto_yes['rate']:.1f} with ({auto_yes['rate'] / auto_no['rate']:.1f}x); fit {fit_no['rate']:.1f} "
            f"and {fit_yes['rate']:.1f}. Building the overviews once took {build_s:.0f} s ({build_mib:.0f} MiB .ovr); "
            f"in auto they save {per_chip_saved * 1000:.0f} ms per chip on this mix, so they pay for themselves "
            f"after about {build_s / per_chip_saved:.0f} chips." if per_chip_saved > 0 else
            f"- **{layout}**: native {nat['rate']:.1f} chips/s; auto {auto_no['rate']:.1f} without overviews, "
            f"{auto_yes['rate']:.1f} with; fit {fit_no['rate']:.1f} and {fit_yes['rate']:.1f}; overviews took "
            f"{build_s:.0f} s to build and saved nothing measurable here.")
        lines.append(f"- **native, {layout}**: today's native makes {native[layout]['today'] / native[layout]['before']:.3f}x "
                     f"the chips per second of the code before FRAMING (best runs) and spends "
                     f"{native[layout]['today_cpu_ms'] / native[layout]['before_cpu_ms']:.3f}x its CPU time per chip, "
                     f"in the same run; its chips are "
                     + ("pixel-identical to the old code's outside the fid label (sha256 of every chip of every "
                        "run; the label is drawn without anti-aliasing now)."
                        if native[layout]["identical"] else "**not** byte-identical to the old code's."))
    lines += ["", f"(The section took {took:.0f} s, overview builds included when they were not already there.)"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
