"""Benchmark of chipvlm:secondopinion: its features against the cutting engine's reads, the polygon
mask's alternatives, training, and memory against the number of objects.

On the chips benchmark's county-sized synthetic raster (16000 x 16000, 3 bands, tiled) and its random
quadrilaterals of 5-150 px, each contender runs alone in a fresh process (its own GDAL cache, its own
peak memory), one after the other in the same run, so their ratio holds even on a shared machine:
- read: the features' pipeline (plan, layout order, one WindowReader per worker thread) reading each
  object's window and nothing else: the chip engine's read speed on the same windows;
- chip512: the same pipeline reading each object's 512-px chip window instead (what cutting reads);
- features: compute_features as chipvlm:secondopinion runs it (read, mask, statistics, shape, cache),
  for SPEED_COUNT and then MEMORY_COUNTS objects given one at a time by a generator (peak RSS);
- training: second_opinion() on a results file of as many objects, with TRAIN_DECISIONS decisions.
The polygon mask's variants are timed in this process, one thread, on the same objects' windows, and
checked against each other; then rasterio's masks are run from two threads at once to see whether the
NotGeoreferencedWarning appears and what it leaves in the warnings filters.

Prints a markdown section. Usage: python bench/bench_secondopinion.py [--quick]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import warnings

os.environ.setdefault("GDAL_CACHEMAX", "256")  # MB, as the chips benchmark

from bench_chips import PeakMemory, iter_polygons, raster_bounds, warm_page_cache  # noqa: E402

from common import OUT, ROOT, loadavg, machine, system_busy_seconds  # noqa: E402

RASTER_SIZE = 16000
SPEED_COUNT = 20000
MEMORY_COUNTS = (20000, 200000)
MASK_OBJECTS = 3000
TRAIN_DECISIONS = 1000
CHIP = 512


def make_raster(size):
    from helpers.synthetic import write_raster

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench_tiled_{size}.tif"  # the chips benchmark's file: made once for both
    if not path.exists():
        write_raster(str(path) + ".tmp.tif", size, size, tiled=True)
        os.replace(str(path) + ".tmp.tif", path)
    return str(path)


# -- contenders (each in a child process) ----------------------------------------------------------
def _read_only(kind):
    """ObjectReader.many replaced by a read of each object's window (kind 'read') or of its 512-px chip
    window (kind 'chip512'): the pipeline's scheduling with the cutting engine's reads only."""
    import numpy as np
    from shapely import wkb as shapely_wkb

    from chipvlm.plugin.core.chips.window import chip_window
    from chipvlm.plugin.core.learn import features

    def many(self, jobs, cancel):
        out = []
        for fid, col_off, row_off, side, _cx, _cy, wkb in jobs:
            if kind == "chip512":
                window = chip_window(self.reader.grid, shapely_wkb.loads(bytes(wkb)).bounds, CHIP)
                self.reader.read(window.col_off, window.row_off, CHIP, CHIP)
            else:
                self.reader.read(col_off, row_off, side, min(side, self.max_side))
            out.append((fid, np.zeros(1), ""))
        return out

    features.ObjectReader.many = many


def child(spec):
    import resource

    from chipvlm.plugin.core.chips.engine import FeatureInput
    from chipvlm.plugin.core.learn.features import FeatureOptions, compute_features

    if spec["kind"] != "features":
        _read_only(spec["kind"])
    os.makedirs(spec["folder"], exist_ok=True)
    polygons = iter_polygons(raster_bounds(spec["raster"]), spec["count"])
    objects = (FeatureInput(fid, polygon.wkb) for fid, polygon in enumerate(polygons, start=1))
    busy, load = system_busy_seconds(), loadavg()
    before = resource.getrusage(resource.RUSAGE_SELF)
    with PeakMemory() as memory:
        started = time.perf_counter()
        summary = compute_features(os.path.join(spec["folder"], "results.sqlite"), objects,
                                   FeatureOptions(spec["raster"]), object_count=spec["count"])
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"kind": spec["kind"], "count": spec["count"], "computed": summary.computed,
                      "missing": summary.missing, "seconds": seconds, "rate": summary.computed / seconds,
                      "cpu": cpu, "peak_mb": max(memory.peak, after.ru_maxrss) / 1024,
                      "others": max(0.0, system_busy_seconds() - busy - cpu) / seconds, "load": [load, loadavg()]}))


def run_child(name, kind, raster, count, keep=False):
    folder = OUT / f"second_{name}"
    shutil.rmtree(folder, ignore_errors=True)
    spec = {"kind": kind, "raster": raster, "count": count, "folder": str(folder)}
    print(f"# {name}: {count} objects ...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                          cwd=str(ROOT / "bench"))
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["folder"] = str(folder)
    print(f"# {name}: {result['rate']:.0f} objects/s, {result['cpu'] / result['seconds']:.2f} cores, peak "
          f"{result['peak_mb']:.0f} MiB, others {result['others']:.2f} cores", file=sys.stderr, flush=True)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


# -- the polygon mask (in this process, one thread) ------------------------------------------------
def mask_windows(raster, count):
    """(geometry, col_off, row_off, side, size) of the first `count` objects, as the features read them."""
    from chipvlm.plugin.core.chips.cutter import open_raster
    from chipvlm.plugin.core.chips.reader import raster_grid
    from chipvlm.plugin.core.learn.features import MAX_SIDE, object_window

    with open_raster(raster) as dataset:
        grid = raster_grid(dataset)
    out = []
    for polygon in iter_polygons(raster_bounds(raster), count):
        window = object_window(grid, polygon.bounds)
        out.append((polygon, window.col_off, window.row_off, window.size, min(window.size, MAX_SIDE)))
    return grid, out


def _window_transform(grid, col_off, row_off, side, size):
    from affine import Affine

    return Affine(*grid.transform) * Affine.translation(col_off, row_off) * Affine.scale(side / size)


def mask_variants():
    """name -> function(geom, col_off, row_off, side, size, grid) -> bool mask (pixel centres inside)."""
    import numpy as np
    from rasterio import features as rio_features

    from chipvlm.plugin.core.learn.measures import scanline_masks
    from chipvlm.plugin.core.learn.rings import ChunkRings, wkb_rings

    def contains_xy(geom, x, y):
        try:
            from shapely import contains_xy as vectorized_contains  # shapely 2
        except ImportError:  # shapely 1.8
            from shapely.vectorized import contains as vectorized_contains
        return vectorized_contains(geom, x, y)

    def scanline(geom, col_off, row_off, side, size, grid):  # measures.polygon_mask without its sliver rule
        return scanline_masks(ChunkRings([wkb_rings(geom.wkb)]), [(col_off, row_off, side, size)], grid)[0]

    def vectorized(geom, col_off, row_off, side, size, grid):
        step = side / size
        centres = (np.arange(size) + 0.5) * step
        cols, rows = np.meshgrid(col_off + centres, row_off + centres)
        a, b, c, d, e, f = grid.transform
        return contains_xy(geom, a * cols + b * rows + c, d * cols + e * rows + f)

    def per_point(geom, col_off, row_off, side, size, grid):
        from shapely.geometry import Point
        from shapely.prepared import prep

        prepared, step = prep(geom), side / size
        a, b, c, d, e, f = grid.transform
        out = np.zeros((size, size), dtype=bool)
        for v in range(size):
            for u in range(size):
                col, row = col_off + (u + 0.5) * step, row_off + (v + 0.5) * step
                out[v, u] = prepared.contains(Point(a * col + b * row + c, d * col + e * row + f))
        return out

    def geometry_mask(geom, col_off, row_off, side, size, grid):
        return rio_features.geometry_mask([geom], (size, size), _window_transform(grid, col_off, row_off, side, size),
                                          invert=True)

    def rasterize(geom, col_off, row_off, side, size, grid):
        return rio_features.rasterize([(geom, 1)], out_shape=(size, size), fill=0, dtype="uint8",
                                      transform=_window_transform(grid, col_off, row_off, side, size)).astype(bool)

    return {"scanline": scanline, "contains_xy": vectorized, "geometry_mask": geometry_mask, "rasterize": rasterize,
            "contains_per_point": per_point}


def time_masks(raster, count):
    import numpy as np

    grid, windows = mask_windows(raster, count)
    variants = mask_variants()
    reference = [variants["contains_xy"](g, c, r, s, n, grid) for g, c, r, s, n in windows]
    results = {}
    for name, function in variants.items():
        chosen = windows if name != "contains_per_point" else windows[: max(1, count // 30)]  # slow: a sample
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # one thread here: the filter holds
            started = time.perf_counter()
            masks = [function(g, c, r, s, n, grid) for g, c, r, s, n in chosen]
            seconds = time.perf_counter() - started
        pixels = sum(m.size for m in masks)
        differ = sum(int(np.count_nonzero(m != ref)) for m, ref in zip(masks, reference))
        results[name] = {"us_per_object": seconds / len(chosen) * 1e6, "objects": len(chosen),
                         "differ_share": differ / pixels}
    return results


def warnings_under_threads(raster, calls=400):
    """geometry_mask from two threads at once with Python's default warning filters: how many
    NotGeoreferencedWarnings escape, and whether an 'ignore everything' filter is left behind."""
    from rasterio.errors import NotGeoreferencedWarning

    grid, windows = mask_windows(raster, 50)
    mask = mask_variants()["geometry_mask"]
    seen = []
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("always", NotGeoreferencedWarning)  # count each one, not once per place
        before = list(warnings.filters)
        shown = warnings.showwarning
        warnings.showwarning = lambda message, category, *rest: seen.append(category.__name__)

        def work():
            for i in range(calls):
                mask(*windows[i % len(windows)], grid)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after = list(warnings.filters)
        warnings.showwarning = shown
    one_thread = []
    with warnings.catch_warnings():
        warnings.simplefilter("always", NotGeoreferencedWarning)
        warnings.showwarning = lambda message, category, *rest: one_thread.append(category.__name__)
        for i in range(calls):
            mask(*windows[i % len(windows)], grid)
    return {"calls": 2 * calls, "escaped": seen.count("NotGeoreferencedWarning"),
            "one_thread_escaped": one_thread.count("NotGeoreferencedWarning"),
            "filters_changed": after != before, "ignore_all_left": bool(after and after[0][0] == "ignore"
                                                                        and after[0][2] is Warning)}


# -- one thread ------------------------------------------------------------------------------------
def time_one_thread(raster, count):
    """CPU µs per object of ObjectReader.many in this process, one thread, the windows in layout order:
    the read-only contender's many and the features' (what the features add, without the GIL)."""
    import threading

    from chipvlm.plugin.core.chips.cutter import open_raster
    from chipvlm.plugin.core.chips.reader import raster_grid
    from chipvlm.plugin.core.learn import features

    with open_raster(raster) as dataset:
        grid = raster_grid(dataset)
    jobs = []
    for fid, polygon in enumerate(iter_polygons(raster_bounds(raster), count), start=1):
        window = features.object_window(grid, polygon.bounds)
        jobs.append((window.sort_key(grid), window.row_off, window.col_off,
                     (fid, window.col_off, window.row_off, window.size, 0.0, 0.0, polygon.wkb)))
    jobs = [job[-1] for job in sorted(jobs)]
    computing = features.ObjectReader.many
    _read_only("read")
    reading, features.ObjectReader.many = features.ObjectReader.many, computing
    reader = features.ObjectReader(raster, "", features.MAX_SIDE)
    found = {"read": [], "features": []}
    try:
        for _ in range(3):  # in turn, the smallest of three
            for name, many in (("read", reading), ("features", computing)):
                started = time.thread_time()
                for start in range(0, len(jobs), features.CHUNK):
                    many(reader, jobs[start:start + features.CHUNK], threading.Event())
                found[name].append((time.thread_time() - started) / len(jobs) * 1e6)
    finally:
        reader.close()
    return {name: min(values) for name, values in found.items()}


# -- training --------------------------------------------------------------------------------------
def time_training(folder, count, decisions):
    """second_opinion() on the features cached by the features run of `count` objects: a results file of
    `count` objects whose first `decisions` were decided (the class a rule of the pixels gives)."""
    import numpy as np

    from chipvlm.plugin.core.learn.features import FeatureCache, cache_path
    from chipvlm.plugin.core.learn.opinion import OpinionOptions, second_opinion
    from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
    from chipvlm.plugin.core.schemes import load_scheme

    results = os.path.join(folder, "results.sqlite")
    cache = FeatureCache(cache_path(results))
    names = cache.names()
    fids = sorted(cache.done_fids())
    vectors = cache.vectors(fids)
    cache.close()
    mean = names.index("band1_mean")
    values = np.array([vectors[f][mean] for f in fids])
    cuts = np.quantile(values, [1 / 3, 2 / 3])
    truth = {f: (2, 5, 4)[int(np.searchsorted(cuts, v))] for f, v in zip(fids, values)}
    scheme = load_scheme("landcover_en")
    with ResultsStore(results) as store:
        store.set_scheme(scheme)
        store.record_results(ResultRow(fid=f, chip_path=f"chips/{f:06d}.png", class_id=5 if truth[f] == 2 else truth[f],
                                       class_name="", reason="", confidence=0.9) for f in fids)
        with store.transaction() as con:
            con.executemany("UPDATE results SET reviewed_class_id = ? WHERE fid = ?",
                            [(truth[f], f) for f in fids[:decisions]])
    started = time.perf_counter()
    summary = second_opinion(results, OpinionOptions())
    return {"objects": summary.objects, "decisions": summary.decisions, "train_s": summary.train_seconds,
            "predict_s": summary.predict_seconds, "whole_s": time.perf_counter() - started,
            "cv": summary.cv_accuracy, "model": summary.model_accuracy}


# -- the report ------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script itself")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))
    quick = args.quick
    size = 4000 if quick else RASTER_SIZE
    speed = 2000 if quick else SPEED_COUNT
    memory_counts = (2000, 20000) if quick else MEMORY_COUNTS
    load_start = loadavg()
    raster = make_raster(size)
    warm_page_cache(raster)
    runs = {"read": run_child("read", "read", raster, speed), "chip512": run_child("chip512", "chip512", raster, speed)}
    runs["features"] = run_child("features", "features", raster, speed)
    memory = [runs["features"]] + [run_child(f"memory_{n}", "features", raster, n, keep=n == memory_counts[-1])
                                   for n in memory_counts if n != speed]
    one_thread = time_one_thread(raster, 1000 if quick else MASK_OBJECTS)
    masks = time_masks(raster, 300 if quick else MASK_OBJECTS)
    threads = warnings_under_threads(raster, 100 if quick else 400)
    training = time_training(memory[-1]["folder"], memory[-1]["count"], TRAIN_DECISIONS)
    shutil.rmtree(memory[-1]["folder"], ignore_errors=True)
    load_end = loadavg()
    found = {"runs": runs, "memory": memory, "masks": masks, "threads": threads, "training": training, "one_thread": one_thread,
             "load": [load_start, load_end], "size": size, "quick": quick}
    print("\n".join(report(found)))
    (OUT / "secondopinion.json").write_text(json.dumps(found, indent=1))


def report(found):
    runs, memory, masks, threads, training = (found[k] for k in ("runs", "memory", "masks", "threads", "training"))
    one = found["one_thread"]
    (load_start, load_end), size, quick = found["load"], found["size"], found["quick"]
    read, chip, feat = runs["read"], runs["chip512"], runs["features"]
    loads = "/".join(f"{x:.2f}" for x in load_start) + " at the start, " + "/".join(f"{x:.2f}" for x in load_end)
    lines = [
        "## Second opinion: features, polygon mask, training, memory (`bench/bench_secondopinion.py`)",
        "",
        f"Command: `python bench/run.py secondopinion`{' (--quick)' if quick else ''}. Machine: {machine()}. "
        f"Load average (1/5/15 min) {loads} at the end: the machine is shared, so compare the ratios of "
        f"this run, not its absolute figures.",
        "",
        f"Synthetic raster {size} x {size} px, 3 bands, tiled 512; random quadrilaterals of 5-150 px; "
        f"one worker thread per core, each contender alone in a fresh process, one after the other.",
        "",
        "| contender | objects | objects/s | cores busy | other processes (cores) | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in (("read: the engine's reads of the objects' windows", read),
                    ("chip512: the engine's reads of their 512-px chip windows", chip),
                    ("features (compute_features)", feat)):
        lines.append(f"| {name} | {r['count']:,} | {r['rate']:.0f} | {r['cpu'] / r['seconds']:.2f} | "
                     f"{r['others']:.2f} | {r['peak_mb']:.0f} MiB |")
    grow = memory[-1]["peak_mb"] - memory[0]["peak_mb"]
    lines += [
        "",
        f"- **Features against reading**: {feat['rate'] / chip['rate']:.2f}x the speed at which the cutting engine "
        f"reads the same objects (their 512-px chip windows)" + (
            ": close to it" if feat["rate"] >= 0.8 * chip["rate"] else ": **not close**") +
        f"; {feat['rate'] / read['rate']:.2f}x the speed of reading only the objects' own windows (at most "
        f"96 px, nothing computed: the bound the features cannot pass)." +
        f" In one thread (CPU per object, this process, the windows in layout order) reading takes "
        f"{one['read']:.0f} µs and the features {one['features']:.0f} µs ({one['read'] / one['features']:.2f}x): a "
        f"chunk's masks, histograms and shapes are computed at once in numpy, but under the GIL, which "
        f"GDAL's reads release, so with a worker per core they overlap the other worker's reads only in part.",
        f"- **Memory**: peak RSS {memory[0]['peak_mb']:.0f} MiB for {memory[0]['count']:,} objects and "
        f"{memory[-1]['peak_mb']:.0f} MiB for {memory[-1]['count']:,} ({grow:+.0f} MiB; "
        f"{memory[-1]['rate']:.0f} objects/s): " + ("flat." if abs(grow) <= 0.1 * memory[0]["peak_mb"] else
                                                     "**it grows with the number of objects**."),
        f"- **Training** on {training['decisions']:,} decisions (5-fold cross-validation, then the forest of 200 "
        f"trees on all of them): {training['train_s']:.1f} s; the second opinion of all {training['objects']:,} "
        f"objects {training['predict_s']:.1f} s; the whole second_opinion() with writing results.sqlite and "
        f"results.csv {training['whole_s']:.1f} s (k-fold accuracy {training['cv']:.1%}, a class rule of the "
        f"pixels the forest has to find).",
        "",
        f"The polygon mask (which output pixels have their centre inside), one thread, on the windows of "
        f"{masks['contains_xy']['objects']:,} objects (at most 96 x 96 pixels each), against contains_xy (shapely 2's "
        f"contains_xy, or shapely.vectorized.contains on shapely 1.8); scanline is what the features use (here one "
        f"object at a time; the features fill a chunk's masks at once):",
        "",
        "| mask | µs per object | speed vs contains_xy | pixels that differ |",
        "|---|---:|---:|---:|",
    ]
    base = masks["contains_xy"]["us_per_object"]
    for name, m in masks.items():
        lines.append(f"| {name} | {m['us_per_object']:.0f} | {base / m['us_per_object']:.2f}x | "
                     f"{m['differ_share']:.4%} |")
    lines += [
        "",
        f"rasterio's masks from two threads at once ({threads['calls']} calls, Python's default filters): "
        f"{threads['escaped']} NotGeoreferencedWarnings escaped (one thread: {threads['one_thread_escaped']}); "
        f"filters changed afterwards: {threads['filters_changed']}, an 'ignore every warning' filter left "
        f"behind: {threads['ignore_all_left']}.",
        "",
        "Why: rasterio 1.3's masks write into an in-memory GDAL dataset (MemoryDataset), opened inside "
        "`warnings.catch_warnings()` + `simplefilter(\"ignore\")` because it has no geotransform yet. "
        "catch_warnings swaps the process-wide list of filters and puts the saved one back on exit: when a "
        "second thread exits first, it puts back a list without the 'ignore' while the first thread is still "
        "opening its dataset (the warning escapes), and the first thread then puts back the list it saved, "
        "which holds the second thread's 'ignore every warning' (every warning of the process, QGIS's "
        "included, is silenced from then on). The transform we pass is right; the warning is not about it. "
        "The features use the scanline fill: the fastest, the same pixels, and no process-wide state "
        "touched from worker threads.",
    ]
    return lines


if __name__ == "__main__":
    main()
