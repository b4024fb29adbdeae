"""Olofsson et al. (2014) estimators, checked against the paper's worked example (section 5).

The error matrix (Table 8, sample counts, rows map, columns reference) is the one the R package
mapaccuracy (Hugo Costa, man/olofsson.Rd, "Example of table 8 in olofsson et al. (2014)") rebuilds
from the paper; its row totals 75, 75, 165, 325 and diagonal give the paper's user's accuracies.
Classes: 1 deforestation, 2 forest gain, 3 stable forest, 4 stable non-forest; pixels of 0.09 ha.
"""
import math

import pytest

from chipvlm.plugin.core.assess.estimators import AssessError, assess, error_matrix, z_value

OLOFSSON_COUNTS = [
    [66, 0, 5, 4],
    [0, 55, 8, 12],
    [1, 0, 153, 11],
    [2, 1, 9, 313],
]
OLOFSSON_PIXELS = {1: 200_000, 2: 150_000, 3: 3_200_000, 4: 6_450_000}
PIXEL_HA = 0.09


def olofsson():
    areas = {c: pixels * PIXEL_HA for c, pixels in OLOFSSON_PIXELS.items()}
    return assess([1, 2, 3, 4], OLOFSSON_COUNTS, areas, confidence=0.95)


def test_users_and_overall_accuracy_of_the_paper_to_its_printed_precision():
    result = olofsson()
    printed = {1: (0.88, 0.07), 2: (0.73, 0.10), 3: (0.93, 0.04), 4: (0.96, 0.02)}
    for class_id, (value, ci) in printed.items():
        estimate = result.estimate(class_id)
        assert round(estimate.users_accuracy, 2) == value
        assert round(result.ci(estimate.users_se), 2) == ci
    assert round(result.overall, 2) == 0.95
    assert round(result.overall_ci, 2) == 0.02
    assert result.sample_size == 640


def test_producers_accuracy_follows_the_papers_equation():
    # The paper prints 0.75 +- 0.21, 0.85 +- 0.23, 0.93 +- 0.03, 0.96 +- 0.01; its own equation 7
    # gives 0.25 and 0.02 for the second and fourth intervals (the issue says: follow the equation).
    result = olofsson()
    expected = {1: (0.75, 0.21), 2: (0.85, 0.25), 3: (0.93, 0.03), 4: (0.96, 0.02)}
    for class_id, (value, ci) in expected.items():
        estimate = result.estimate(class_id)
        assert round(estimate.producers_accuracy, 2) == value
        assert round(result.ci(estimate.producers_se), 2) == ci


def test_error_adjusted_areas_of_the_paper_in_hectares():
    result = olofsson()
    printed = {1: (21_158, 6_158), 2: (11_686, 3_756), 3: (285_770, 15_510), 4: (581_386, 16_282)}
    for class_id, (value, ci) in printed.items():
        estimate = result.estimate(class_id)
        assert round(estimate.adjusted_area) == value
        assert round(result.ci(estimate.adjusted_area_se)) == ci
        assert estimate.mapped_area == pytest.approx(OLOFSSON_PIXELS[class_id] * PIXEL_HA)
    assert sum(e.adjusted_area for e in result.per_class) == pytest.approx(result.total_area)


def test_area_proportion_matrix_of_table_9():
    result = olofsson()
    # Table 9, first row and diagonal (the paper prints four decimals)
    assert [round(p, 4) for p in result.proportions[0]] == [0.0176, 0.0, 0.0013, 0.0011]
    assert [round(result.proportions[k][k], 4) for k in range(4)] == [0.0176, 0.0110, 0.2967, 0.6212]
    assert sum(map(sum, result.proportions)) == pytest.approx(1.0)


def test_weights_by_count_give_the_same_estimates_for_equal_objects():
    by_pixels = assess([1, 2, 3, 4], OLOFSSON_COUNTS, OLOFSSON_PIXELS)
    by_area = olofsson()
    assert by_pixels.overall == pytest.approx(by_area.overall)
    assert by_pixels.estimate(1).producers_se == pytest.approx(by_area.estimate(1).producers_se)


def test_error_matrix_from_pairs():
    pairs = [(m + 1, r + 1) for m, row in enumerate(OLOFSSON_COUNTS) for r, n in enumerate(row) for _ in range(n)]
    classes, counts = error_matrix(pairs)
    assert classes == [1, 2, 3, 4]
    assert counts == OLOFSSON_COUNTS


def test_a_mapped_class_without_sample_units_is_left_out_and_named():
    areas = {**OLOFSSON_PIXELS, 9: 1000}
    result = assess([1, 2, 3, 4], OLOFSSON_COUNTS, areas)
    assert result.unsampled == [9]
    assert math.isnan(result.estimate(9).users_accuracy)
    assert result.estimate(9).adjusted_area == 0.0
    assert round(result.overall, 2) == 0.95


def test_a_stratum_of_one_unit_has_no_interval_and_a_bad_confidence_is_refused():
    result = assess([1, 2], [[1, 0], [3, 7]], {1: 10, 2: 90})
    assert result.estimate(1).users_accuracy == 1.0
    assert math.isnan(result.estimate(1).users_se)
    with pytest.raises(AssessError):
        z_value(1.5)
    with pytest.raises(AssessError):
        assess([1, 2], [[0, 0], [0, 0]], {1: 10, 2: 90})
    assert (z_value(0.95), z_value(0.90), z_value(0.99)) == (1.960, 1.645, 2.576)


def test_stehman_estimators_with_strata_equal_to_map_classes_give_olofssons():
    from chipvlm.plugin.core.assess.estimators import assess_by_strata

    units = [(m + 1, m + 1, r + 1) for m, row in enumerate(OLOFSSON_COUNTS) for r, n in enumerate(row)
             for _ in range(n)]
    general = assess_by_strata(units, OLOFSSON_PIXELS)
    paper = olofsson()
    assert general.overall.value == pytest.approx(paper.overall)
    assert general.overall.se == pytest.approx(paper.overall_se)
    for k in (1, 2, 3, 4):
        estimate = paper.estimate(k)
        assert general.users[k].value == pytest.approx(estimate.users_accuracy)
        assert general.users[k].se == pytest.approx(estimate.users_se)
        assert general.producers[k].value == pytest.approx(estimate.producers_accuracy)
        assert general.producers[k].se == pytest.approx(estimate.producers_se, rel=1e-3)
        assert general.proportions[k].se == pytest.approx(estimate.proportion_se)


def test_a_second_map_on_the_same_sample_is_assessed_over_the_first_maps_strata():
    from chipvlm.plugin.core.assess.estimators import assess_by_strata

    # run B gets every unit right that run A got right, and also A's errors in stratum 4
    units = []
    for m, row in enumerate(OLOFSSON_COUNTS):
        for r, n in enumerate(row):
            mapped_b = r + 1 if m == 3 else m + 1
            units += [(m + 1, mapped_b, r + 1)] * n
    better = assess_by_strata(units, OLOFSSON_PIXELS)
    assert better.overall.value > olofsson().overall
    assert better.users[4].value == 1.0
