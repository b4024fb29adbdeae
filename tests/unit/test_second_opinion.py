"""The second opinion in plugin/core: features read as cutting reads, a classifier trained on the decisions."""
import csv
import os
import sqlite3

import numpy as np
import pytest

from chipvlm.plugin.core.chips.engine import FeatureInput
from chipvlm.plugin.core.learn.features import FeatureCache, FeatureOptions, cache_path, compute_features
from chipvlm.plugin.core.learn.opinion import LearnError, OpinionOptions, second_opinion
from helpers.second_opinion import ORCHARD, TREES, WATER, make_case, parcel_wkt

pytest.importorskip("sklearn", reason="scikit-learn is not installed (Debian: apt install python3-sklearn)")


def objects(classes):
    from shapely import wkt

    return [FeatureInput(fid, wkt.loads(parcel_wkt(fid)).wkb) for fid in classes]


def rows_of(results):
    con = sqlite3.connect(results)
    con.row_factory = sqlite3.Row
    try:
        return {r["fid"]: dict(r) for r in con.execute("SELECT * FROM results")}
    finally:
        con.close()


@pytest.fixture()
def case(tmp_path):
    raster, results, classes = make_case(str(tmp_path / "run"))
    compute_features(results, objects(classes), FeatureOptions(raster, workers=2))
    return raster, results, classes


def test_features_are_the_pixels_inside_the_polygon_and_its_shape(case):
    raster, results, classes = case
    cache = FeatureCache(cache_path(results))
    try:
        names = cache.names()
        vectors = cache.vectors(list(classes))
    finally:
        cache.close()
    assert len(vectors) == len(classes)
    mean, std = names.index("band1_mean"), names.index("band1_std")
    water = [vectors[f] for f, c in classes.items() if c == WATER]
    orchard = [vectors[f] for f, c in classes.items() if c == ORCHARD]
    assert all(30 < v[mean] < 40 and v[std] < 6 for v in water)  # only the parcel, not the soil around it
    assert all(v[std] > 30 for v in orchard)
    assert vectors[1][names.index("area_m2")] == pytest.approx(576, rel=0.01)
    assert vectors[1][names.index("compactness")] == pytest.approx(np.pi / 4, rel=0.01)


def test_a_rerun_reads_only_new_objects_and_another_raster_starts_afresh(case, tmp_path):
    raster, results, classes = case
    again = compute_features(results, objects(classes), FeatureOptions(raster, workers=1))
    assert (again.computed, again.already_done) == (0, len(classes))
    other = tmp_path / "other.tif"
    other.write_bytes(open(raster, "rb").read())
    fresh = compute_features(results, objects(classes), FeatureOptions(str(other), workers=1))
    assert fresh.computed == len(classes)


def test_ninety_decisions_find_the_models_confusion_on_the_unseen_objects(case):
    _, results, classes = case
    summary = second_opinion(results, OpinionOptions())
    rows = rows_of(results)
    unseen = [f for f in classes if f > 90]
    orchards = [f for f in unseen if classes[f] == ORCHARD]
    right = [f for f in unseen if classes[f] != ORCHARD]
    assert all(rows[f]["second_class_id"] == ORCHARD and rows[f]["agrees"] == 0 for f in orchards)
    assert all(rows[f]["second_class_id"] == classes[f] and rows[f]["agrees"] == 1 for f in right)
    assert summary.disagreements == sum(1 for c in classes.values() if c == ORCHARD)
    assert summary.cv_accuracy > 0.95 and summary.model_accuracy < 0.75
    assert summary.corrections[0][:2] == (TREES, ORCHARD)
    assert all(rows[f]["class_id"] == TREES for f in orchards)  # without APPLY_ABOVE the model's class stays


def test_apply_above_takes_the_confident_second_opinion_and_never_touches_a_decision(case, tmp_path):
    _, results, classes = case
    con = sqlite3.connect(results)
    with con:  # the model is unsure on the even fids; fid 2 was decided by the analyst (as trees, wrongly or not)
        con.execute("UPDATE results SET confidence = 0.4 WHERE fid % 2 = 0")
    con.close()
    summary = second_opinion(results, OpinionOptions(apply_above=0.7), table_path=str(tmp_path / "table.csv"))
    rows = rows_of(results)
    applied = [f for f, r in rows.items() if r["model_class_id"] is not None]
    assert summary.applied == len(applied) > 0
    assert all(f % 2 == 0 and f > 90 and classes[f] == ORCHARD for f in applied)
    assert all(rows[f]["class_id"] == ORCHARD and rows[f]["model_class_id"] == TREES for f in applied)
    assert all(rows[f]["reviewed_class_id"] == classes[f] for f in range(1, 91))
    with open(tmp_path / "table.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["fid", "class_id", "second_class_id", "second_confidence", "agrees"]
    assert {int(r["class_id"]) for r in table if int(r["fid"]) in applied} == {TREES}  # the model's class

    second_opinion(results, OpinionOptions(apply_above=0))  # off again: the model's classes come back
    rows = rows_of(results)
    assert all(rows[f]["class_id"] == TREES and rows[f]["model_class_id"] is None for f in applied)


def test_disagreements_can_be_sent_to_review(case):
    _, results, classes = case
    summary = second_opinion(results, OpinionOptions(review_disagreements=0.6))
    rows = rows_of(results)
    flagged = {f for f, r in rows.items() if r["needs_review"]}
    assert summary.sent_to_review == len(flagged) > 0
    assert flagged <= {f for f, c in classes.items() if c == ORCHARD and f > 90}


def test_the_audit_sample_is_left_out_unless_asked(case):
    _, results, classes = case
    con = sqlite3.connect(results)
    with con:
        con.executemany("INSERT INTO audit_sample (fid, stratum_class_id, position, reference_class_id) "
                        "VALUES (?, 5, ?, ?)", [(f, f, classes[f]) for f in range(1, 21)])
    con.close()
    assert second_opinion(results, OpinionOptions()).decisions == 70
    assert second_opinion(results, OpinionOptions(use_audit=True)).decisions == 90


def test_too_few_decisions_are_refused_with_a_sentence(tmp_path):
    raster, results, classes = make_case(str(tmp_path / "run"), decided=5)
    compute_features(results, objects(classes), FeatureOptions(raster, workers=1))
    with pytest.raises(LearnError, match="at least 10 reviewed objects"):
        second_opinion(results, OpinionOptions())


def test_the_review_lists_the_disagreements_surest_first_page_by_page(case):
    from chipvlm.plugin.core.review import SCOPE_ALL, SORT_SECOND, ReviewFilter, ReviewSession

    _, results, classes = case
    second_opinion(results, OpinionOptions())
    rows = rows_of(results)
    differs = sorted((f for f, r in rows.items() if r["agrees"] == 0),
                     key=lambda f: (-rows[f]["second_confidence"], f))
    with ReviewSession(results) as session:
        flt = ReviewFilter(scope=SCOPE_ALL, second_differs=True, sort=SORT_SECOND)
        assert session.count(flt) == len(differs)
        seen, after = [], None
        while True:
            page = session.page(flt, after=after, limit=7)
            if not page:
                break
            seen += [chip.fid for chip in page]
            after = page[-1].sort_key(flt.sort)
        assert seen == differs
        everything = session.page(ReviewFilter(scope=SCOPE_ALL, sort=SORT_SECOND), limit=None)
        assert [c.fid for c in everything[:len(differs)]] == differs
        assert everything[0].second_class_id == ORCHARD and everything[0].agrees is False


def test_a_canceled_run_keeps_what_it_computed_and_the_rerun_computes_only_the_rest(tmp_path):
    raster, results, classes = make_case(str(tmp_path / "run"))
    cache_file = cache_path(results)

    def stored():
        if not os.path.exists(cache_file):
            return 0
        con = sqlite3.connect(cache_file)
        try:
            return con.execute("SELECT COUNT(*) FROM features").fetchone()[0]
        except sqlite3.Error:  # the table is not made yet
            return 0
        finally:
            con.close()

    # the analyst presses Cancel once the first objects' features are in the cache
    first = compute_features(results, objects(classes), FeatureOptions(raster, workers=1),
                             is_canceled=lambda: stored() >= 32)
    assert first.canceled and 0 < first.computed < len(classes)
    assert stored() == first.computed  # every object computed before the cancel is kept
    again = compute_features(results, objects(classes), FeatureOptions(raster, workers=1))
    assert not again.canceled
    assert (again.already_done, again.computed) == (first.computed, len(classes) - first.computed)
    (tmp_path / "whole").mkdir()
    whole = compute_features(str(tmp_path / "whole" / "results.sqlite"), objects(classes),
                             FeatureOptions(raster, workers=1))
    assert whole.computed == len(classes)
    resumed, fresh = FeatureCache(cache_file), FeatureCache(cache_path(str(tmp_path / "whole" / "results.sqlite")))
    try:
        a, b = resumed.vectors(list(classes)), fresh.vectors(list(classes))
    finally:
        resumed.close()
        fresh.close()
    assert a.keys() == b.keys() == set(classes)
    assert all(np.array_equal(a[f], b[f]) for f in classes)  # nothing lost or garbled by the cancel


def test_the_polygon_mask_takes_the_pixels_whose_centre_is_inside_holes_and_parts_included():
    from shapely.geometry import MultiPolygon, Polygon

    from chipvlm.plugin.core.chips.window import RasterGrid
    from chipvlm.plugin.core.learn.measures import polygon_mask

    grid = RasterGrid((1.0, 0.0, 0.0, 0.0, -1.0, 10.0), 10, 10, 10, 10)  # 1 m pixels, top at y = 10
    ring = Polygon([(1, 9), (7, 9), (7, 3), (1, 3)], [[(3, 7), (5, 7), (5, 5), (3, 5)]])
    shape = MultiPolygon([ring, Polygon([(8, 2), (9.6, 2), (9.6, 0.4), (8, 0.4)])])
    mask = polygon_mask(shape, 0, 0, 10, 10, grid)
    expected = np.zeros((10, 10), dtype=bool)
    expected[1:7, 1:7] = True  # rows 1-6 (y 9..3), columns 1-6 (x 1..7)
    expected[3:5, 3:5] = False  # the hole
    expected[8:10, 8:10] = True  # the second part: centres 8.5, 9.5
    assert np.array_equal(mask, expected)


def test_the_polygon_mask_agrees_with_shapely_on_windows_read_shrunk():
    from shapely.geometry import Point, Polygon

    from chipvlm.plugin.core.chips.window import RasterGrid
    from chipvlm.plugin.core.learn.measures import polygon_mask

    grid = RasterGrid((0.5, 0.0, 1000.0, 0.0, -0.5, 2000.0), 400, 400, 128, 128)
    rng = np.random.default_rng(3)
    for _ in range(40):
        x, y = rng.uniform(1010, 1150), rng.uniform(1860, 1990)
        w, h = rng.uniform(3, 40, size=2)
        polygon = Polygon([(x, y), (x + w, y + rng.uniform(-3, 3)), (x + w * rng.uniform(0.7, 1.2), y - h),
                           (x + rng.uniform(-3, 3), y - h * rng.uniform(0.8, 1.1))]).buffer(0)
        col_off, row_off, side, size = 20, 10, 300, 37  # each output pixel covers 300 / 37 raster pixels
        step = side / size
        expected = np.array([[polygon.contains(Point(grid.transform[2] + (col_off + (u + 0.5) * step) * 0.5,
                                                     grid.transform[5] - (row_off + (v + 0.5) * step) * 0.5))
                              for u in range(size)] for v in range(size)])
        if expected.any():  # a sliver with no centre inside gets one pixel by another rule
            assert np.array_equal(polygon_mask(polygon, col_off, row_off, side, size, grid), expected)
