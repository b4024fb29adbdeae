"""What the write-back's check against the chips costs (issue 17): the same write timed in several trees,
in turn (a micro-measurement, not part of make bench).

The data of bench_review.py (200,000 results, chips_index.csv, a GeoPackage of 200,000 squares) is made
once in bench/out/write_cost by this tree; then, round after round, each tree given writes the classes
into a fresh copy of the GeoPackage in a process of its own: saved (not in edit mode), then into the edit
buffer, each timed as bench_review.py times it (RunRecord.of_results inside the write, where the tree
has it). Wall and CPU seconds and the load are printed per write, and the part of each spent before the
first value is written (reading the layer's fids and, where the tree checks, the run's record and every
feature against its chip): the write's own part varies by seconds from write to write (SQLite's commits),
the reading part is where the trees differ. Compare trees within a round.
Usage:
    git worktree add /tmp/wt-before b9939d3      # main before the check
    python bench/write_cost.py /tmp/wt-before . [--rounds 3] [--rows 200000]
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_data(folder: Path, rows: int) -> None:
    from qgis.core import QgsApplication

    import common  # noqa: F401  (this tree as `chipvlm`)

    app = QgsApplication([], False)
    app.initQgis()
    import bench_review

    bench_review.make_results(str(folder), rows)
    bench_review.make_layer(str(folder), rows)
    (folder / "done").touch()


def time_write(tree: Path, folder: Path, rows: int) -> str:
    sys.path.insert(0, str(tree / "bench"))
    from qgis.core import QgsApplication, QgsVectorLayer

    import common  # noqa: F401  (that tree as `chipvlm`)

    app = QgsApplication([], False)
    app.initQgis()
    from chipvlm.plugin.core.review import final_classes
    from chipvlm.plugin.layers import write_back
    from chipvlm.plugin.layers.write_back import write_classes
    try:
        from chipvlm.plugin.layers.places import RunRecord
    except ImportError:  # a tree before the check
        RunRecord = None
    results = str(folder / "results.sqlite")
    work = folder / f"copy-{os.getpid()}"
    work.mkdir(exist_ok=True)
    shutil.copy(folder / "objects.gpkg", work / "objects.gpkg")
    layer = QgsVectorLayer(str(work / "objects.gpkg"), "objects", "ogr")
    finals = final_classes(results)
    reading = timed_reading(write_back)
    figures = []
    for editing in (False, True):
        if editing:
            layer.startEditing()
        reading.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        run = {} if RunRecord is None else {"run": RunRecord.of_results(results)}
        record = time.perf_counter() - wall
        report = write_classes(layer, finals, "obj_id", **run)
        figures.append((time.perf_counter() - wall, time.process_time() - cpu, record + sum(reading)))
        assert report.written == rows, report.message()
    layer.rollBack()
    shutil.rmtree(work, ignore_errors=True)
    return f"{tree}: " + ", ".join(f"{what} {whole:.2f} s (CPU {cpu:.2f} s, reading {read:.2f} s)" for what, (
        whole, cpu, read) in zip(("saved", "edit buffer"), figures)) + f", load {os.getloadavg()[0]:.1f}"


def timed_reading(write_back) -> list:
    """The wall seconds write_classes spends in its reading pass (linked_keys where the tree checks,
    feature_keys before), appended to the returned list; the run's record is read in the timed part too."""
    name = "linked_keys" if hasattr(write_back, "linked_keys") else "feature_keys"
    original, seconds = getattr(write_back, name), []

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    setattr(write_back, name, timed)
    return seconds


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    folder = HERE / "out" / "write_cost"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.make:
        make_data(folder, args.rows)
    elif args.time:
        print(time_write(Path(args.time).resolve(), folder, args.rows), flush=True)
    else:
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([sys.executable, __file__, "--make", "--rows", str(args.rows)], check=True)
        for round_ in range(1, args.rounds + 1):
            for tree in args.trees:
                print(f"round {round_}: ", end="", flush=True)
                subprocess.run([sys.executable, __file__, "--time", tree, "--rows", str(args.rows)], check=True)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
