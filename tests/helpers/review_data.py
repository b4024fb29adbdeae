"""Runs to review: a results.sqlite (schema of docs/internals.md), chip PNGs, and the layer they came from."""
import os
import random

from chipvlm.plugin.core.results.store import RequestRow, ResultsStore
from chipvlm.plugin.core.schemes import load_scheme

SCHEME = load_scheme("yili8")
NAMES = {c.id: c.name for c in SCHEME.classes}
REVIEW_REASON = SCHEME.review_reason
# NAIP tile of ../shared/data/real, EPSG:26914
NAIP_ORIGIN = (486000.0, 5206000.0)

REASONS = {
    1: "屋顶规则,有阴影",
    2: "条带状耕作纹理",
    3: "细长线状,宽度一致",
    4: "水面颜色均匀偏深",
    5: "成行乔木,树冠颗粒状",
    6: "纹理细腻均匀",
    7: "无植被覆盖",
    8: "成行成列的果树",
}


def standard_predictions(fids):
    """A mix like a real run: most classified, some 无法判断, some errors, some without a reason."""
    pattern = [(2, False), (0, True), (1, False), (-1, True), (2, True), (0, True), (5, False), (4, False),
               (0, True), (6, False), (-1, True), (3, True)]
    return {fid: pattern[i % len(pattern)] for i, fid in enumerate(fids)}


def synthetic_chip(path, fid, class_id, size=64):
    from PIL import Image, ImageDraw

    colors = {-1: (90, 90, 90), 0: (160, 150, 130), 1: (200, 80, 60), 2: (120, 170, 70), 3: (180, 180, 180),
              4: (40, 80, 150), 5: (30, 110, 40), 6: (150, 200, 110), 7: (210, 190, 150), 8: (90, 150, 60)}
    image = Image.new("RGB", (size, size), colors.get(class_id, (128, 128, 128)))
    draw = ImageDraw.Draw(image)
    draw.rectangle([size // 4, size // 4, 3 * size // 4, 3 * size // 4], outline=(255, 0, 0), width=2)
    draw.text((2, 2), str(fid), fill=(255, 255, 255))
    image.save(path)


def make_run(folder, predictions, chip_maker=synthetic_chip, reviews=None):
    """A run folder with chips/ and results.sqlite; predictions: fid -> (class_id, needs_review)."""
    chips = os.path.join(folder, "chips")
    os.makedirs(chips, exist_ok=True)
    rows = []
    for fid, (class_id, needs) in predictions.items():
        path = os.path.join(chips, f"{fid:06d}.png")
        if chip_maker is not None:
            chip_maker(path, fid, class_id)
        reason = REVIEW_REASON if needs or class_id in (-1, 0) else REASONS.get(class_id, "")
        if class_id == -1:
            reason = "HTTP 500 after 3 tries"
        rows.append({"fid": fid, "chip_path": path, "class_id": class_id, "class_name": NAMES[class_id],
                     "reason": reason, "needs_review": needs or class_id in (-1, 0)})
    results = os.path.join(folder, "results.sqlite")
    with ResultsStore(results) as store:
        store.set_scheme(SCHEME)
        store.record_results(rows)
        if reviews:
            with store.transaction() as con:
                for fid, class_id in reviews.items():
                    con.execute(
                        "UPDATE results SET reviewed_class_id = ?, reviewed_class_name = ?, reviewer = 'earlier', "
                        "reviewed_at = '2026-01-01T00:00:00+00:00' WHERE fid = ?",
                        (class_id, NAMES[class_id], fid))
    return results


def big_predictions(count, seed=1):
    rnd = random.Random(seed)
    choices = [-1, 0, 0, 1, 2, 2, 2, 3, 4, 5, 5, 6, 7, 8]
    out = {}
    for fid in range(count):
        class_id = rnd.choice(choices)
        out[fid] = (class_id, class_id in (-1, 0) or rnd.random() < 0.05)
    return out


def square_wkt(x, y, size):
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"


def grid_squares(count, origin=NAIP_ORIGIN, size=60.0, step=150.0, per_row=6):
    return [square_wkt(origin[0] + (i % per_row) * step, origin[1] + (i // per_row) * step, size)
            for i in range(count)]


class BackgroundClassification:
    """A classification writing to a results.sqlite from its own connection, as a running run does.

    Batches of `batch` new fids (class 0, needing review), each one transaction, plus a request row
    per batch; use as a context manager: started on entry, joined on exit. `failures` keeps what broke.
    """

    def __init__(self, path, fids, batch=10):
        import threading

        self.path = path
        self.fids = list(fids)
        self.batch = batch
        self.failures = []
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            with ResultsStore(self.path) as store:
                for start in range(0, len(self.fids), self.batch):
                    part = self.fids[start:start + self.batch]
                    store.record_results(
                        {"fid": fid, "chip_path": f"/chips/{fid:06d}.png", "class_id": 0, "class_name": NAMES[0],
                         "reason": REVIEW_REASON, "needs_review": True} for fid in part)
                    store.log_request(RequestRow("http://gpu1:11434", "gemma", part, "ok"))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            self.failures.append(exc)

    def is_alive(self):
        return self.thread.is_alive()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join()
