"""The report's table and HTML from the core (no QGIS): columns, escaping, no matplotlib, CSV references."""
import pytest

from chipvlm.plugin.core.assess import report as report_module
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
    monkeypatch.setattr(report_module, "_figure", lambda: (None, None))
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
