"""The report's table and HTML from the core (no QGIS): columns, escaping, no matplotlib, CSV references."""
import pytest

from chipvlm.plugin.core.assess import charts
from chipvlm.plugin.core.assess.estimators import AssessError, assess
from chipvlm.plugin.core.assess.reference import ReferenceSample, reference_from_csv
from chipvlm.plugin.core.assess.report import TABLE_COLUMNS, ReportData, build_html, table_rows


def data(names=None):
    result = assess([1, 2], [[8, 2], [1, 9]], {1: 30.0, 2: 70.0}, mapped_counts={1: 30, 2: 70})
    return ReportData(assessment=result, class_names=names or {1: "耕地", 2: "草地"},
                      mapped_area_ha={1: 30.0, 2: 70.0}, mapped_count={1: 30, 2: 70}, weights="area",
                      reference=ReferenceSample(classes={}, source="ref.csv", kind="csv"), layer_name="map")


def test_table_rows_have_the_fixed_columns_and_an_overall_row():
    rows = table_rows(data())
    assert all(tuple(row) == TABLE_COLUMNS for row in rows)
    assert [row["class_id"] for row in rows] == [1, 2, "overall"]
    assert rows[0]["users_accuracy"] == 0.8 and rows[-1]["users_accuracy"] == pytest.approx(0.3 * 0.8 + 0.7 * 0.9)


def test_class_names_with_markup_are_shown_as_typed():
    text = build_html(data({1: "<script>alert(1)</script>", 2: "a & b"}))
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "a &amp; b" in text


def test_without_matplotlib_the_report_has_its_tables_and_says_so(monkeypatch):
    monkeypatch.setattr(charts, "_figure", lambda: (None, None))
    text = build_html(data())
    assert "data:image/png" not in text
    assert "matplotlib is not installed" in text
    assert "<td>1 耕地</td>" in text


def test_a_reference_csv_with_semicolons_and_bom_is_read(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("\ufefffid;class_id\n1;2\n2;0\n3;5\n", encoding="utf-8")
    sample = reference_from_csv(path)
    assert sample.classes == {1: 2, 3: 5} and sample.cannot_tell == 1


@pytest.mark.parametrize("body, words", [
    ("fid,class_id\n1,2\n1,3\n", "fid 1 is there twice"),
    ("fid,class_id\n1,-1\n", "-1 (ERROR) is not a reference class"),
    ("fid,class_id\nx,2\n", "Line 2"),
    ("fid,class_id\n1,2.5\n", "is not a whole number"),
    ("id,class\n1,2\n", "needs the columns fid and class_id"),
])
def test_a_bad_reference_csv_is_refused_naming_the_line(tmp_path, body, words):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(AssessError) as raised:
        reference_from_csv(path)
    assert words in str(raised.value)


def degenerate():
    """Class 1: 0 of 5 right; class 2: 40 of 40 right; class 3: 34 of 45 right (an ordinary stratum), one
    of its units is class 1: the adjusted area of class 1 is 12.2 ± 24.0 ha."""
    counts = [[0, 3, 2], [0, 40, 0], [1, 10, 34]]
    areas = {1: 50.0, 2: 400.0, 3: 550.0}
    result = assess([1, 2, 3], counts, areas, mapped_counts={1: 50, 2: 400, 3: 550})
    return ReportData(assessment=result, class_names={1: "水体", 2: "耕地", 3: "林地"}, mapped_area_ha=areas,
                      mapped_count={1: 50, 2: 400, 3: 550}, weights="area",
                      reference=ReferenceSample(classes={}, source="ref.csv", kind="csv"), layer_name="map")


def test_intervals_of_all_wrong_all_right_or_small_strata_are_marked_and_a_sample_recommended():
    rows = {row["class_id"]: row for row in table_rows(degenerate())}
    assert TABLE_COLUMNS[:11] == (
        "class_id", "class_name", "mapped_area_ha", "mapped_count", "sample_count", "users_accuracy",
        "users_accuracy_ci", "producers_accuracy", "producers_accuracy_ci", "adjusted_area_ha",
        "adjusted_area_ci_ha")  # the documented columns first, unchanged
    # the paper's estimates stay: 0 of 5 is 0.000 ± 0.000
    assert (rows[1]["users_accuracy"], rows[1]["users_accuracy_ci"]) == (0.0, 0.0)
    assert (rows[1]["ci_unreliable"], rows[1]["ci_unreliable_reason"]) == (1, "all_wrong under_10_units")
    assert rows[1]["recommended_sample_count"] == 98  # U kept at 0.5: ceil(1.96^2 * 0.25 / 0.1^2) + 1
    assert (rows[2]["ci_unreliable"], rows[2]["ci_unreliable_reason"]) == (1, "all_correct")
    assert rows[2]["recommended_sample_count"] == 50  # U kept at 0.95 needs 20; the audit's floor is 50
    assert (rows[3]["ci_unreliable"], rows[3]["ci_unreliable_reason"], rows[3]["recommended_sample_count"]) == (
        0, "", 0)
    assert (rows["overall"]["ci_unreliable"], rows["overall"]["ci_unreliable_reason"]) == (1, "unreliable_strata")


def test_the_html_marks_unreliable_intervals_cuts_them_at_zero_and_recommends_a_size():
    text = build_html(degenerate())
    assert "0.000 ± 0.000 ⚠" in text  # user's accuracy of 水体
    assert "Intervals that mean nothing" in text
    assert "1 水体: 0 of 5 units right (every sample unit wrong, under 10 sample units)." in text
    assert "2 耕地: 40 of 40 units right (every sample unit right)." in text
    assert "SIZE '1=98, 2=50, 3=45'" in text
    assert "12.22 ± 23.96 [0.00–36.18] ⚠" in text  # the adjusted area of 水体 runs below zero: cut at zero


def test_a_sound_sample_has_no_marks():
    rows = table_rows(data())
    assert [row["ci_unreliable"] for row in rows] == [0, 0, 0]
    assert "Intervals that mean nothing" not in build_html(data())


def test_the_area_chart_cuts_whiskers_at_zero_and_says_so():
    pytest.importorskip("matplotlib")
    texts = []
    chart = charts.area_chart_png(degenerate(), lambda text: texts.append(text) or text)
    assert chart
    assert "Intervals are cut at zero: an area is never negative." in texts
    assert "* hatched: interval unreliable (see the table)" in texts
