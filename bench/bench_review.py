"""Benchmark of the review dock on a county-sized run: opening 200,000 results and moving chip to chip.

Targets (issue 4): a run of 200,000 results opens in under 2 s; the next chip shows in under 50 ms.
Measured through the dock itself (offscreen Qt), linked to a GeoPackage of as many polygons shown on
a map canvas: key presses as the analyst makes them, each one including the query, the 512 px chip
decoded for the large view, the feature highlighted and the canvas panned to it, and the counter.
Then the classes are written back to the layer, timing the longest stretch without a progress report
(how long the window goes without being redrawn).
With --second-opinion the file carries chipvlm:secondopinion's columns (10 % disagreements, 2 % of
them applied), so the dock shows the second opinion on every tile and in the info box.
Prints a markdown section. Usage: python bench/bench_review.py [--quick] [--second-opinion]
"""
import argparse
import os
import shutil
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import OUT, ROOT, machine  # noqa: E402

ROWS = 200_000
CHIP_FILES = 120  # distinct 512 px chips; rows point at them in turn
MOVES = 400
OPEN_TARGET = 2.0
STEP_TARGET = 0.025  # issue 18: every review key under 25 ms p95
LOOK = 0.3  # seconds an analyst looks at a chip before the next key (a fast one)
NAIP = "naip_m_4709963_se_14_1_20200831.tif"


def make_results(folder, rows, second_opinion=False):
    """A results.sqlite like a county run's: 8 classes, ~20 % needing review, ~5 % errors (and with
    `second_opinion`, chipvlm:secondopinion's columns)."""
    import numpy as np
    from PIL import Image, ImageDraw

    from chipvlm.plugin.core.results.store import ResultsStore
    from chipvlm.plugin.core.schemes import load_scheme
    from helpers.review_data import big_predictions

    shutil.rmtree(folder, ignore_errors=True)
    chips = os.path.join(folder, "chips")
    os.makedirs(chips)
    rng = np.random.default_rng(3)
    imagery = real_imagery()
    for i in range(CHIP_FILES):
        if imagery is not None:  # crops of real imagery: PNGs as big and as slow to decode as real chips
            row = int(rng.integers(0, imagery.shape[0] - 512 + 1))
            col = int(rng.integers(0, imagery.shape[1] - 512 + 1))
            image = Image.fromarray(imagery[row:row + 512, col:col + 512])
        else:
            pixels = rng.integers(40, 200, size=(64, 64, 3), dtype=np.uint8)
            image = Image.fromarray(pixels).resize((512, 512), Image.BILINEAR)
        ImageDraw.Draw(image).rectangle([150, 160, 340, 330], outline=(255, 0, 0), width=3)
        image.save(os.path.join(chips, f"{i:06d}.png"), compress_level=1)  # as the cutter writes them
    scheme = load_scheme("yili8")
    names = {c.id: c.name for c in scheme.classes}
    predictions = big_predictions(rows, seed=11)
    store = ResultsStore(os.path.join(folder, "results.sqlite"))
    store.set_scheme(scheme)
    batch = []
    for fid, (class_id, needs) in predictions.items():
        batch.append({"fid": fid, "chip_path": os.path.join(chips, f"{fid % CHIP_FILES:06d}.png"),
                      "class_id": class_id, "class_name": names[class_id],
                      "reason": scheme.review_reason if needs else "形状规则,纹理均匀", "needs_review": needs})
        if len(batch) == 20_000:
            store.record_results(batch)
            batch = []
    store.record_results(batch)
    store.close()
    write_index(folder, rows)
    write_run_json(folder, rows)
    if second_opinion:
        add_second_opinion(os.path.join(folder, "results.sqlite"))
    return os.path.join(folder, "results.sqlite")


def add_second_opinion(results):
    """chipvlm:secondopinion's columns as it writes them: most objects agree, one in ten differs (surest
    first in the order "disagreements first"), one in fifty of those took the second opinion's class."""
    import sqlite3

    con = sqlite3.connect(results)
    with con:
        con.execute("UPDATE results SET second_class_id = class_id, second_confidence = 0.5 + (fid % 50) / 100.0, "
                    "agrees = CASE WHEN class_id > 0 THEN 1 END")
        con.execute("UPDATE results SET second_class_id = (class_id % 8) + 1, agrees = 0 "
                    "WHERE fid % 10 = 3 AND class_id > 0")
        con.execute("UPDATE results SET model_class_id = class_id, class_id = second_class_id "
                    "WHERE fid % 500 = 3 AND class_id > 0")
    con.close()


def write_index(folder, rows):
    """chips_index.csv of the run, as cutchips writes it: each square's bbox centre (what the write-back
    checks every feature against) in the raster's CRS, NAIP's 0.6 m pixels."""
    from chipvlm.plugin.core.chips.index import IndexWriter, make_row
    from chipvlm.plugin.core.chips.window import ChipWindow
    from helpers.review_data import NAIP_ORIGIN

    with IndexWriter(os.path.join(folder, "chips_index.csv")) as writer:
        for start in range(0, rows, 20_000):
            writer.write(
                make_row(fid, "ok", chip_path=f"chips/{fid % CHIP_FILES:06d}.png", crs="EPSG:26914", scale=0.6,
                         zoom=1.0, window=ChipWindow(0, 0, 512, NAIP_ORIGIN[0] + (fid % 500) * 150.0 + 30.0,
                                                     NAIP_ORIGIN[1] + (fid // 500) * 150.0 + 30.0))
                for fid in range(start, min(rows, start + 20_000)))


def write_run_json(folder, rows):
    """run.json as chipvlm:cutchips writes it for the layer of make_layer: the raster's CRS is there, so
    the write-back's check knows it without waiting for chips_index.csv."""
    from chipvlm.plugin.core.run_info import write_run_info

    write_run_info(folder, {"layer_source": os.path.join(folder, "objects.gpkg"), "layer_name": "objects",
                            "fid_field": "obj_id", "feature_count": rows, "crs": "EPSG:26914", "chip_size": 512,
                            "format": "png"})


def make_layer(folder, rows):
    """The objects the chips were cut from: a square per result, matched by the obj_id field."""
    from helpers.layers import write_layer
    from helpers.review_data import grid_squares

    return write_layer(os.path.join(folder, "objects.gpkg"), grid_squares(rows, per_row=500), crs="EPSG:26914",
                       fids=list(range(rows)))


def real_imagery():
    """The NAIP tile of ../shared/data/real as an RGB array, or None when it is not there."""
    path = ROOT.parent / "shared" / "data" / "real" / NAIP
    if not path.exists():
        return None
    import numpy as np
    import rasterio

    with rasterio.open(path) as dataset:
        return np.moveaxis(dataset.read([1, 2, 3]), 0, -1)


class Took(float):
    """Seconds of wall time, and in `cpu` the main thread's own CPU time: what the dock's code costs
    per key, which a machine loaded by others changes far less than the wall time."""

    cpu = 0.0


def timed(action):
    started, cpu = time.perf_counter(), time.thread_time()
    action()
    took = Took(time.perf_counter() - started)
    took.cpu = time.thread_time() - cpu
    return took


def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def verdict(value, target):
    return "yes" if value < target else "**no**"


def drive_keys(app, dock):
    """The analyst's keys on the open dock, each timed until Qt has processed it: samples by step."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    def press(key):
        return timed(lambda: (QTest.keyClick(dock.view, key), app.processEvents()))

    moves = [press(Qt.Key.Key_Right) for _ in range(MOVES)]  # crosses page boundaries (200 a page)

    def look_then_press(key):
        QTest.qWait(int(LOOK * 1000))
        return press(key)

    looked = [look_then_press(Qt.Key.Key_Right) for _ in range(40)]
    decisions = [press(Qt.Key.Key_2) for _ in range(100)]
    def confirm_a_prediction():
        while dock.current_chip().class_id == -1:  # an error has nothing to confirm: Space would stay
            QTest.keyClick(dock.view, Qt.Key.Key_Right)
            app.processEvents()
        return press(Qt.Key.Key_Space)

    confirms = [confirm_a_prediction() for _ in range(100)]
    undos = [timed(lambda: (QTest.keyClick(dock.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
                            app.processEvents())) for _ in range(20)]
    dock.select_row(0)
    jumps = [press(Qt.Key.Key_N) for _ in range(50)]
    dock.scope_combo.setCurrentIndex(dock.scope_combo.findData("all"))
    all_sorted = timed(lambda: (dock.sort_combo.setCurrentIndex(dock.sort_combo.findData("class")),
                                app.processEvents()))
    class_moves = [press(Qt.Key.Key_Right) for _ in range(100)]
    return {"moves": moves, "looked": looked, "decisions": decisions, "confirms": confirms, "undos": undos,
            "jumps": jumps, "all_sorted": all_sorted, "class_moves": class_moves}


def time_writes(layer, results, rows):
    """Writing the classes back as the dock and writeclasses do (run.json and chips_index.csv read, every
    feature checked against its chip): saved, into the edit buffer, and that edit undone."""
    from qgis.core import QgsFeedback

    from chipvlm.plugin.core.review import final_classes
    from chipvlm.plugin.layers.places import RunRecord
    from chipvlm.plugin.layers.write_back import write_classes

    class Stopwatch(QgsFeedback):  # the longest time between two progress reports
        def __init__(self):
            super().__init__()
            self.last = time.perf_counter()
            self.longest = 0.0
            self.progressChanged.connect(self.tick)

        def tick(self, _value):
            now = time.perf_counter()
            self.longest = max(self.longest, now - self.last)
            self.last = now

    finals = final_classes(results)
    watch = Stopwatch()
    started = time.perf_counter()
    # as the dock and writeclasses do: run.json and chips_index.csv read, every feature checked against its chip
    report = write_classes(layer, finals, "obj_id", feedback=watch, run=RunRecord.of_results(results))
    write_time = time.perf_counter() - started
    assert report.written == rows and report.committed, report.message()
    layer.startEditing()
    started = time.perf_counter()
    buffered = write_classes(layer, finals, "obj_id", run=RunRecord.of_results(results))
    buffer_time = time.perf_counter() - started
    assert buffered.written == rows
    undo_time = timed(layer.undoStack().undo)

    return {"saved": write_time, "longest": watch.longest, "buffer": buffer_time, "undo": undo_time}


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20,000 results instead of 200,000")
    parser.add_argument("--second-opinion", action="store_true", help="with chipvlm:secondopinion's columns")
    args = parser.parse_args(argv)
    rows = ROWS // 10 if args.quick else ROWS

    from qgis.core import Qgis, QgsApplication, QgsProject

    app = QgsApplication([], True)
    app.initQgis()
    from qgis.gui import QgsMapCanvas

    from chipvlm.plugin.core.review import ReviewSession
    from chipvlm.plugin.gui.review_dock import ReviewDock

    folder = str(OUT / f"review_{rows}")
    started = time.perf_counter()
    results = make_results(folder, rows, second_opinion=args.second_opinion)
    layer = make_layer(folder, rows)
    QgsProject.instance().addMapLayer(layer, False)  # the dock links layers of the project
    build = time.perf_counter() - started

    first_open = timed(lambda: ReviewSession(results).close())  # builds the indexes once
    reopen = [timed(lambda: ReviewSession(results).close()) for _ in range(5)]

    class Iface:  # what the dock needs of QGIS's interface
        def __init__(self):
            self.canvas = QgsMapCanvas()
            self.canvas.resize(800, 600)
            self.canvas.setDestinationCrs(layer.crs())
            self.canvas.setLayers([layer])
            self.canvas.setExtent(layer.getFeature(1).geometry().boundingBox().buffered(2000))
            self.canvas.show()

        def mapCanvas(self):
            return self.canvas

        def messageBar(self):
            return None

    dock = ReviewDock(Iface())
    dock.resize(900, 800)
    dock.show()
    app.processEvents()
    open_times = []
    for _ in range(3):
        open_times.append(timed(lambda: (dock.open_run(results), app.processEvents())))
    # linked again by hand: the fid field of every feature read again (a link chosen may name other values),
    # here, not on the first key press after it
    link = timed(lambda: (dock.link_layer(layer, "obj_id"), dock.feature_id(dock.current_chip().fid),
                          app.processEvents()))
    assert dock.highlight is not None, "the current chip's feature is not highlighted"
    listed = dock.model.rowCount()
    needing = dock.session.counts().needs_review

    keys = drive_keys(app, dock)
    assert dock.highlight is not None and dock.highlight.isVisible()
    dock.close()
    dock.dispose()
    dock.deleteLater()
    app.processEvents()

    writes = time_writes(layer, results, rows)
    lines = [
        "## Review dock",
        "",
        f"Command: `python bench/bench_review.py{' --quick' if args.quick else ''}"
        f"{' --second-opinion' if args.second_opinion else ''}` (offscreen Qt, QGIS "
        f"{Qgis.QGIS_VERSION}).",
        f"Machine: {machine()}.",
        "",
        f"A results.sqlite of {rows:,} results ({needing:,} needing review) with 512 px PNG chips, opened in "
        f"the review dock linked to a GeoPackage of {rows:,} polygons drawn on a map canvas, and driven "
        f"with key presses (QTest), each timed until Qt has processed it: the query, the chip decoded "
        f"for the large view, the thumbnails, the feature highlighted and the canvas panned to it (its "
        f"drawing runs in QGIS's render threads), the counter. Every decision is "
        f"committed to the file before the key press returns. Chips are 512 px PNG crops of the NAIP "
        f"tile (zlib level 1, as the cutter writes them); the large view decodes the chips ahead in the "
        f"background, so a key held down is bound by decoding, while an analyst who looks at each "
        f"chip gets the next one from memory.",
        "",
        "| step | median | p95 | max | main-thread CPU p95 | target | met |",
        "|---|---|---|---|---|---|---|",
        f"| build the results file ({rows:,} rows, not part of the review) | {build:.1f} s | | | | | |",
        f"| first open of the file (builds the review indexes once) | {first_open * 1000:.0f} ms | | | | < 2 s | "
        f"{verdict(first_open, OPEN_TARGET)} |",
        f"| open again (session only) | {ms(statistics.median(reopen))} | | {ms(max(reopen))} | | < 2 s | "
        f"{verdict(max(reopen), OPEN_TARGET)} |",
        f"| open in the dock: session, counts, first page ({listed} chips), first chip shown, and the layer run.json "
        f"names linked (the project's layer: its fid field read, {rows:,} features) | "
        f"{ms(statistics.median(open_times))} | | {ms(max(open_times))} | | < 2 s | {verdict(max(open_times), OPEN_TARGET)} |",
        f"| link the layer again by hand: its fid field read again ({rows:,} features), first chip on the map | "
        f"{ms(link)} | | | | | |",
    ]
    for label, samples in (
        (f"next chip (→), {LOOK:.1f} s look at each chip (the next one is decoded meanwhile)", keys["looked"]),
        (f"next chip (→) held down: {MOVES} back-to-back moves across pages", keys["moves"]),
        ("number key: store the class, move to the next chip", keys["decisions"]),
        ("Space: confirm the model's class, move on", keys["confirms"]),
        ("Ctrl+Z: undo the last decision", keys["undos"]),
        ("N: jump to the next chip not reviewed", keys["jumps"]),
        ("next chip (→) in all results sorted by class", keys["class_moves"]),
    ):
        median, p95, worst = summary(samples)
        cpu = summary([sample.cpu for sample in samples])[1]
        lines.append(f"| {label} | {ms(median)} | {ms(p95)} | {ms(worst)} | {ms(cpu)} | < 25 ms | "
                     f"{verdict(p95, STEP_TARGET)} |")
    lines.append(f"| switch to all results sorted by class | {ms(keys['all_sorted'])} | | | | | |")
    lines.append(f"| write the classes into the GeoPackage, not in edit mode ({rows:,} features, saved) | "
                 f"{writes['saved']:.1f} s | | | | | |")
    lines.append(f"| ... longest time without a progress report (the window not redrawn) | {ms(writes['longest'])} | | "
                 f"| | | |")
    lines.append(f"| write the classes into the edit buffer of the layer in edit mode (not saved) | "
                 f"{writes['buffer']:.1f} s | | | | | |")
    lines.append(f"| ... Ctrl+Z of that write (one edit command, old values kept) | {ms(writes['undo'])} | | | | | |")
    lines += ["", "\"met\" compares the p95 of a step (the max for opening) with the target. The main thread's "
              "CPU time per key is what the dock's own code costs; on a machine others load it moves far less "
              "than the wall time."]
    print("\n".join(lines))
    shutil.rmtree(folder, ignore_errors=True)
    # leave from here: with 200,000 edits in the layer's buffer, freeing main()'s locals (the dock's canvas,
    # the layer, the application) dies with SIGSEGV after the section is printed (faulthandler: on return)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    status = main(sys.argv[1:])
    # exitQgis() with the dock's Qt objects still around dies with SIGSEGV (exit 139), after the section
    # is printed, and make bench then reports it as failed: leave without native teardown, as the tests do
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
