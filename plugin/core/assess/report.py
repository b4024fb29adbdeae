"""The accuracy report: OUTPUT_TABLE (CSV) and one self-contained HTML file (charts as base64 PNG).

Pure Python. Texts are English, marked with N_() so scripts/update_translations.py collects them into
the .ts; the Processing algorithm passes its tr() as `translate`, so the report is in the UI's
language. The charts are drawn by charts.py (matplotlib, when QGIS has it); without it the report
has the tables and a note.
"""
from __future__ import annotations

import html as _html
import math
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..files import write_csv, write_text
from . import intervals
from .charts import N_, area_chart_png, calibration_png, charts_available, heat_map_png
from .estimators import AccuracyAssessment, StrataAssessment
from .reference import ReferenceSample

# The documented columns, then (issue 17) whether the row's intervals mean anything: ci_unreliable 1/0,
# ci_unreliable_reason (intervals.py's codes, space-separated), recommended_sample_count (0: none).
TABLE_COLUMNS = (
    "class_id", "class_name", "mapped_area_ha", "mapped_count", "sample_count", "users_accuracy",
    "users_accuracy_ci", "producers_accuracy", "producers_accuracy_ci", "adjusted_area_ha", "adjusted_area_ci_ha",
    "ci_unreliable", "ci_unreliable_reason", "recommended_sample_count",
)
OVERALL_ROW = intervals.OVERALL
WEIGHTS_AREA = "area"
WEIGHTS_COUNT = "count"


@dataclass
class ReportData:
    assessment: AccuracyAssessment
    class_names: Dict[int, str]
    mapped_area_ha: Dict[int, float]
    mapped_count: Dict[int, int]
    weights: str  # WEIGHTS_AREA | WEIGHTS_COUNT
    reference: ReferenceSample
    layer_name: str = ""
    class_field: str = "class_id"
    not_in_layer: int = 0  # reference fids without a feature (or without a map class) in the layer
    stratum_changed: int = 0  # audit units whose map class in the layer is not the stratum they were drawn in
    calibration: Optional[List[Tuple[float, float, int, float]]] = None
    review_by_class: Optional[List[tuple]] = None
    review_by_model: Optional[List[tuple]] = None
    compare: Optional[Tuple[str, StrataAssessment]] = None
    compare_missing: int = 0
    created_at: str = ""
    extra_notes: List[str] = field(default_factory=list)

    @property
    def total_area_ha(self) -> float:
        return sum(self.mapped_area_ha.values())

    def name(self, class_id: int) -> str:
        return self.class_names.get(class_id, str(class_id))


def _clean(value: float) -> Optional[float]:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def table_rows(data: ReportData) -> List[dict]:
    """OUTPUT_TABLE's rows: one per class, then `overall` (overall accuracy in the user's columns).

    Adjusted areas are the estimated proportions times the total mapped area in hectares: with count
    weights they assume objects of one size (the report says so)."""
    a = data.assessment
    total_ha = data.total_area_ha
    marks = intervals.reliability(a)
    rows = []
    for e in a.per_class:
        rows.append({
            "class_id": e.class_id,
            "class_name": data.name(e.class_id),
            "mapped_area_ha": round(data.mapped_area_ha.get(e.class_id, 0.0), 4),
            "mapped_count": int(data.mapped_count.get(e.class_id, 0)),
            "sample_count": e.sample_count,
            "users_accuracy": _round(e.users_accuracy, 4),
            "users_accuracy_ci": _round(a.ci(e.users_se), 4),
            "producers_accuracy": _round(e.producers_accuracy, 4),
            "producers_accuracy_ci": _round(a.ci(e.producers_se), 4),
            "adjusted_area_ha": _round(total_ha * e.proportion, 4),
            "adjusted_area_ci_ha": _round(total_ha * a.ci(e.proportion_se), 4),
            **_marked(marks[e.class_id]),
        })
    rows.append({
        "class_id": OVERALL_ROW, "class_name": "",
        "mapped_area_ha": round(total_ha, 4), "mapped_count": int(sum(data.mapped_count.values())),
        "sample_count": a.sample_size,
        "users_accuracy": _round(a.overall, 4), "users_accuracy_ci": _round(a.overall_ci, 4),
        "producers_accuracy": None, "producers_accuracy_ci": None,
        "adjusted_area_ha": round(total_ha, 4), "adjusted_area_ci_ha": None,
        **_marked(marks[OVERALL_ROW]),
    })
    return rows


def _marked(mark: intervals.Reliability) -> dict:
    return {"ci_unreliable": int(mark.unreliable), "ci_unreliable_reason": " ".join(mark.reasons),
            "recommended_sample_count": mark.recommended}


def _round(value, digits):
    value = _clean(value)
    return None if value is None else round(float(value), digits)


def write_table(path: str, rows: Sequence[dict]) -> str:
    """The table as CSV, UTF-8 with BOM (Excel on a Chinese Windows), written whole then renamed."""
    return write_csv(path, TABLE_COLUMNS, ([row.get(c) for c in TABLE_COLUMNS] for row in rows))


# -- HTML --------------------------------------------------------------------------------------
def html_text(value) -> str:
    return _html.escape(str(value), quote=False)


def _num(value, digits=3) -> str:
    value = _clean(value)
    return "–" if value is None else f"{value:.{digits}f}"


def _ha(value) -> str:
    value = _clean(value)
    if value is None:
        return "–"
    return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:,.2f}"


UNRELIABLE_MARK = "⚠"


def _pm(value, ci, fmt=_num, high: float = math.inf, unreliable: bool = False) -> str:
    """"estimate ± half-width"; the interval cut to [0, high] where it runs past them, shown after it;
    UNRELIABLE_MARK after an interval that means nothing (see intervals.py)."""
    if _clean(value) is None:
        return "–"
    if _clean(ci) is None:
        text = fmt(value)
    else:
        text = f"{fmt(value)} ± {fmt(ci)}"
        low, up, cut = intervals.clipped(value, ci, 0.0, high)
        if cut:
            text += f" [{fmt(low)}–{fmt(up)}]"
    return f"{text} {UNRELIABLE_MARK}" if unreliable else text


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    head = "".join(f"<th>{html_text(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_text(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _image(png: Optional[str], alt: str) -> str:
    if not png:
        return ""
    return f'<p><img alt="{_html.escape(alt)}" src="data:image/png;base64,{png}"></p>'


STYLE = """
body{font-family:"Segoe UI","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}
th{background:#eee}td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:90%}
.big{font-size:140%}img{max-width:100%}
"""


def build_html(data: ReportData, translate: Callable[[str], str] = lambda text: text) -> str:
    """The whole report as one HTML string (UTF-8), in the language `translate` gives."""
    tx = translate
    a = data.assessment
    marks = intervals.reliability(a)
    overall = _pm(a.overall, a.overall_ci, high=1.0, unreliable=marks[OVERALL_ROW].unreliable)
    parts = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html_text(tx(N_('Accuracy report')))}"
             f"</title><style>{STYLE}</style></head><body>",
             f"<h1>{html_text(tx(N_('Accuracy report')))}</h1>",
             "<p class=\"big\">" + html_text(tx(N_("Overall accuracy {0} ({1} confidence interval)")).format(
                 overall, f"{a.confidence:.0%}")) + "</p>",
             _notes_html(_design_notes(data, tx))]
    parts += _class_table_html(data, marks, tx)
    parts += _reliability_html(data, marks, tx)
    parts += _matrices_html(data, tx)
    parts += _charts_html(data, tx)
    parts += _calibration_html(data, tx)
    parts += _review_html(data, tx)
    parts += _compare_html(data, tx)
    parts.append("</body></html>")
    return "\n".join(parts)


def _notes_html(notes: Sequence[str]) -> str:
    return "<ul class=\"note\">" + "".join(f"<li>{html_text(t)}</li>" for t in notes) + "</ul>"


def _note(text: str) -> str:
    return "<p class=\"note\">" + html_text(text) + "</p>"


def _design_notes(data: ReportData, tx) -> List[str]:
    a = data.assessment
    design = [
        tx(N_("Map: layer '{0}', classes from field '{1}'; created {2}.")).format(
            data.layer_name, data.class_field, data.created_at),
        tx(N_("Reference: {0} ({1} sample units with a reference class).")).format(data.reference.source,
                                                                                  a.sample_size),
        tx(N_("Design assumed: stratified random sampling with the map classes as strata; every object in a "
              "stratum counts equally (Olofsson et al. 2014, Remote Sensing of Environment 148: 42-57). "
              "Kappa is not reported.")),
        tx(N_("Strata weighted by mapped area (ellipsoidal, hectares).")) if data.weights == WEIGHTS_AREA else
        tx(N_("Strata weighted by the number of objects; the adjusted areas assume objects of one size.")),
        tx(N_("Confidence intervals: estimate ± {0} × standard error.")).format(f"{a.z:.3f}"),
    ]
    d = data.reference.design
    if d is not None:
        design.append(tx(N_("Audit sample drawn {0} by {1}: seed {2}, {3} units from {4} results.")).format(
            d.drawn_at, d.drawn_by, d.seed, d.sample_size, d.population))
    counted = (
        (data.reference.undecided, N_("{0} sampled chips have no reference decision yet: the estimates use the "
                                      "others, which biases them if the undecided ones differ.")),
        (data.reference.cannot_tell, N_("{0} sample units were marked 'cannot tell' and are left out.")),
        (data.not_in_layer, N_("{0} reference fids have no feature with a class in the layer and are left out.")),
        (data.stratum_changed, N_("{0} audit units have another class in the layer than the stratum they were "
                                  "drawn from (reviews since the draw?): the layer's class is used.")),
    )
    design += [tx(template).format(count) for count, template in counted if count]
    if a.unsampled:
        design.append(tx(N_("Mapped classes without any sample unit, left out of the estimates: {0}.")).format(
            ", ".join(f"{c} {data.name(c)}" for c in a.unsampled)))
    return design + list(data.extra_notes)


def _class_table_html(data: ReportData, marks, tx) -> List[str]:
    a = data.assessment
    total = data.total_area_ha
    headers = [tx(N_("Class")), tx(N_("Mapped area (ha)")), tx(N_("Objects")), tx(N_("Sample units")),
               tx(N_("User's accuracy")), tx(N_("Producer's accuracy")), tx(N_("Error-adjusted area (ha)"))]
    rows = []
    for e in a.per_class:
        bad = marks[e.class_id].unreliable
        rows.append([f"{e.class_id} {data.name(e.class_id)}", _ha(data.mapped_area_ha.get(e.class_id, 0.0)),
                     str(data.mapped_count.get(e.class_id, 0)), str(e.sample_count),
                     _pm(e.users_accuracy, a.ci(e.users_se), high=1.0, unreliable=bad),
                     _pm(e.producers_accuracy, a.ci(e.producers_se), high=1.0, unreliable=bad),
                     _pm(total * e.proportion, total * a.ci(e.proportion_se), _ha, unreliable=bad)])
    rows.append([tx(N_("Overall")), _ha(total), str(sum(data.mapped_count.values())), str(a.sample_size),
                 _pm(a.overall, a.overall_ci, high=1.0, unreliable=marks[OVERALL_ROW].unreliable), "", _ha(total)])
    return [f"<h2>{html_text(tx(N_('Accuracy and area per class')))}</h2>", html_table(headers, rows),
            _note(tx(N_("An interval that runs past 0 (or 1 for an accuracy) is shown cut to them in brackets.")))]


REASON_TEXTS = {
    intervals.ALL_CORRECT: N_("every sample unit right"),
    intervals.ALL_WRONG: N_("every sample unit wrong"),
    intervals.FEW_UNITS: N_("under 10 sample units"),
}


def _reliability_html(data: ReportData, marks, tx) -> List[str]:
    """Which intervals mean nothing, why, and the sample that would give them meaning."""
    bad = intervals.unreliable_classes(marks)
    if not bad:
        return []
    a = data.assessment
    items = []
    for c in bad:
        mark = marks[c]
        why = ", ".join(tx(REASON_TEXTS[r]) for r in mark.reasons)
        line = tx(N_("{0}: {1} of {2} units right ({3}).")).format(
            f"{c} {data.name(c)}", a.counts[a.classes.index(c)][a.classes.index(c)],
            a.estimate(c).sample_count, why)
        if mark.recommended:
            line += " " + tx(N_("About {0} units would give its user's accuracy to ± {1}.")).format(
                mark.recommended, f"{intervals.TARGET_HALF_WIDTH:.2f}")
        items.append(line)
    parts = [f"<h2>{html_text(tx(N_('Intervals that mean nothing')))}</h2>",
             _note(tx(N_("{0} The estimates are those of the paper; their intervals are not: with a stratum all right, "
                         "all wrong or under 10 units the variance estimate is zero or unstable, so '± 0.000' or an "
                         "interval past 0 tells nothing. The overall interval sums these strata and is marked "
                         "too.")).format(UNRELIABLE_MARK)),
             _notes_html(items)]
    if any(marks[c].recommended for c in bad):
        parts.append(_note(tx(N_("Recommended: draw the audit sample again (Draw audit sample, REPLACE) with SIZE "
                                 "'{0}', and decide the new units.")).format(intervals.sample_size_text(a, marks))))
    return parts


def _matrices_html(data: ReportData, tx) -> List[str]:
    a = data.assessment
    names = [f"{c} {data.name(c)}" for c in a.classes]
    return [
        f"<h2>{html_text(tx(N_('Error matrix in sample counts')))}</h2>",
        _note(tx(N_("Rows: map class; columns: reference class."))),
        html_table([""] + names + [tx(N_("Total"))],
               [[names[i]] + [str(n) for n in row] + [str(sum(row))] for i, row in enumerate(a.counts)]),
        f"<h2>{html_text(tx(N_('Error matrix in estimated area proportions')))}</h2>",
        html_table([""] + names + [tx(N_("Total"))],
               [[names[i]] + [f"{p:.4f}" for p in row] + [f"{sum(row):.4f}"] for i, row in enumerate(a.proportions)]
               + [[tx(N_("Total"))] + [f"{e.proportion:.4f}" for e in a.per_class] + ["1.0000"]]),
    ]


def _charts_html(data: ReportData, tx) -> List[str]:
    if not charts_available():
        return [_note(tx(N_("matplotlib is not installed with this QGIS: the report has its tables but no charts.")))]
    return [_image(heat_map_png(data, tx), tx(N_("Error matrix"))),
            f"<h2>{html_text(tx(N_('Mapped and error-adjusted area')))}</h2>",
            _image(area_chart_png(data, tx), tx(N_("Mapped and error-adjusted area")))]


def _calibration_html(data: ReportData, tx) -> List[str]:
    parts = [f"<h2>{html_text(tx(N_('Model confidence against the audit')))}</h2>"]
    if not data.calibration:
        return parts + [_note(tx(N_(
            "No audited chip has a model confidence (the server gave none, or the reference is a CSV).")))]
    return parts + [
        _note(tx(N_("Share of audited chips whose model class was right, per band of the model's confidence (the "
                    "number is the chips in the band). Results under REVIEW_BELOW go to review: this shows what a "
                    "threshold would catch."))),
        _image(calibration_png(data.calibration, tx) if charts_available() else None, tx(N_("Calibration"))),
        html_table([tx(N_("Confidence")), tx(N_("Audited chips")), tx(N_("Share correct"))],
               [[f"{low:.1f}–{high:.1f}", str(n), f"{share:.2f}"] for low, high, n, share in data.calibration]),
    ]


def _changed_rows(rows):
    return [list(head) + [str(n), str(ch or 0), f"{(ch or 0) / n:.0%}" if n else "–"] for *head, n, ch in rows]


def _review_html(data: ReportData, tx) -> List[str]:
    if data.review_by_class is None:
        return []
    parts = [f"<h2>{html_text(tx(N_('How often the analyst changed the model')))}</h2>"]
    if not data.review_by_class:
        return parts + [_note(tx(N_("No result of this run has been reviewed yet.")))]
    by_class = [(f"{c} {name or data.name(c)}", n, ch) for c, name, n, ch in data.review_by_class]
    return parts + [
        _note(tx(N_("From every review decision of the results file (the audit's reference decisions are apart)."))),
        html_table([tx(N_("Model class")), tx(N_("Reviewed")), tx(N_("Changed")), tx(N_("Share changed"))],
               _changed_rows(by_class)),
        html_table([tx(N_("Endpoint")), tx(N_("Model")), tx(N_("Reviewed")), tx(N_("Changed")), tx(N_("Share changed"))],
               _changed_rows(data.review_by_model or [])),
    ]


def _compare_html(data: ReportData, tx) -> List[str]:
    if data.compare is None:
        return []
    a = data.assessment
    name, b = data.compare
    parts = [f"<h2>{html_text(tx(N_('Two runs on the same audit sample')))}</h2>",
             _note(tx(N_("The second run ({0}) is assessed on the same reference units, over the strata the sample "
                         "was drawn from (Stehman 2014 estimators, as its classes are not the strata).")).format(name))]
    if data.compare_missing:
        parts.append(_note(tx(N_("{0} reference units have no result in the second run and are left out of its "
                                 "column.")).format(data.compare_missing)))
    headers = [tx(N_("Class")), tx(N_("User's accuracy, this map")), tx(N_("User's accuracy, second run")),
               tx(N_("Producer's accuracy, this map")), tx(N_("Producer's accuracy, second run"))]
    rows = [[tx(N_("Overall")), _pm(a.overall, a.overall_ci), _pm(b.overall.value, b.ci(b.overall.se)), "", ""]]
    for e in a.per_class:
        ub, pb = b.users.get(e.class_id), b.producers.get(e.class_id)
        rows.append([f"{e.class_id} {data.name(e.class_id)}", _pm(e.users_accuracy, a.ci(e.users_se)),
                     _pm(ub.value, b.ci(ub.se)) if ub else "–", _pm(e.producers_accuracy, a.ci(e.producers_se)),
                     _pm(pb.value, b.ci(pb.se)) if pb else "–"])
    return parts + [html_table(headers, rows)]


def write_html(path: str, text: str) -> str:
    return write_text(path, text)
