"""The accuracy report: OUTPUT_TABLE (CSV) and one self-contained HTML file (charts as base64 PNG).

Pure Python. Texts are English, marked with N_() so scripts/update_translations.py collects them into
the .ts; the Processing algorithm passes its tr() as `translate`, so the report is in the UI's
language. matplotlib draws the charts when it can be imported (QGIS ships it on Windows, macOS and
Debian); without it the report has the tables and a note. Only matplotlib's Agg canvas is used, never
pyplot: no window, no change of the backend QGIS or another plugin chose.
"""
from __future__ import annotations

import base64
import html as _html
import io
import math
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..files import write_csv, write_text
from .estimators import AccuracyAssessment, StrataAssessment
from .reference import ReferenceSample

TABLE_COLUMNS = (
    "class_id", "class_name", "mapped_area_ha", "mapped_count", "sample_count", "users_accuracy",
    "users_accuracy_ci", "producers_accuracy", "producers_accuracy_ci", "adjusted_area_ha", "adjusted_area_ci_ha",
)
OVERALL_ROW = "overall"
WEIGHTS_AREA = "area"
WEIGHTS_COUNT = "count"


def N_(text: str) -> str:
    """Marks a text for translation (collected by scripts/update_translations.py); returns it as is."""
    return text


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
        })
    rows.append({
        "class_id": OVERALL_ROW, "class_name": "",
        "mapped_area_ha": round(total_ha, 4), "mapped_count": int(sum(data.mapped_count.values())),
        "sample_count": a.sample_size,
        "users_accuracy": _round(a.overall, 4), "users_accuracy_ci": _round(a.overall_ci, 4),
        "producers_accuracy": None, "producers_accuracy_ci": None,
        "adjusted_area_ha": round(total_ha, 4), "adjusted_area_ci_ha": None,
    })
    return rows


def _round(value, digits):
    value = _clean(value)
    return None if value is None else round(float(value), digits)


def write_table(path: str, rows: Sequence[dict]) -> str:
    """The table as CSV, UTF-8 with BOM (Excel on a Chinese Windows), written whole then renamed."""
    return write_csv(path, TABLE_COLUMNS, ([row.get(c) for c in TABLE_COLUMNS] for row in rows))


# -- charts ------------------------------------------------------------------------------------
def _figure():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except Exception:  # not installed, or broken: the tables alone
        return None, None
    figure = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot(1, 1, 1)


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Arial Unicode MS")


def _fonts():
    """CJK class names and labels: matplotlib >= 3.6 falls back, glyph by glyph, along font.family;
    only installed families are named (an absent one costs a warning per chart)."""
    try:
        from matplotlib import font_manager

        installed = {font.name for font in font_manager.fontManager.ttflist}
    except Exception:
        installed = set()
    return {"font.family": ["DejaVu Sans"] + [name for name in CJK_FONTS if name in installed]}


def charts_available() -> bool:
    return _figure()[0] is not None


def heat_map_png(data: ReportData, tx) -> Optional[str]:
    import matplotlib

    a = data.assessment
    with matplotlib.rc_context(_fonts()):
        figure, axes = _figure()
        if figure is None:
            return None
        labels = [f"{c} {data.name(c)}" for c in a.classes]
        image = axes.imshow([[p for p in row] for row in a.proportions], cmap="YlOrRd")
        figure.colorbar(image, ax=axes, label=tx(N_("Estimated area proportion")))
        darkest = max(max(row) for row in a.proportions) or 1.0
        for i, row in enumerate(a.counts):
            for j, count in enumerate(row):
                if count:
                    dark = a.proportions[i][j] > 0.6 * darkest
                    axes.text(j, i, str(count), ha="center", va="center", fontsize=8,
                              color="white" if dark else "black")
        axes.set_xticks(range(len(labels)))
        axes.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
        axes.set_yticks(range(len(labels)))
        axes.set_yticklabels(labels, fontsize=8)
        axes.set_xlabel(tx(N_("Reference class")))
        axes.set_ylabel(tx(N_("Map class")))
        axes.set_title(tx(N_("Error matrix (colour: area proportion, numbers: sample units)")), fontsize=9)
        return _png(figure)


def area_chart_png(data: ReportData, tx) -> Optional[str]:
    import matplotlib

    a = data.assessment
    with matplotlib.rc_context(_fonts()):
        figure, axes = _figure()
        if figure is None:
            return None
        total = data.total_area_ha
        xs = list(range(len(a.classes)))
        mapped = [data.mapped_area_ha.get(c, 0.0) for c in a.classes]
        adjusted = [total * e.proportion for e in a.per_class]
        errors = [0.0 if math.isnan(e.proportion_se) else total * a.ci(e.proportion_se) for e in a.per_class]
        axes.bar([x - 0.2 for x in xs], mapped, width=0.4, label=tx(N_("Mapped area")), color="#9ab")
        axes.bar([x + 0.2 for x in xs], adjusted, width=0.4, yerr=errors, capsize=3,
                 label=tx(N_("Error-adjusted area")), color="#d84")
        axes.set_xticks(xs)
        axes.set_xticklabels([f"{c} {data.name(c)}" for c in a.classes], rotation=45, ha="right", fontsize=8)
        axes.set_ylabel(tx(N_("Area (ha)")))
        axes.legend(fontsize=8)
        axes.set_title(tx(N_("Mapped and error-adjusted area ({0} confidence interval)")).format(
            f"{a.confidence:.0%}"), fontsize=9)
        return _png(figure)


def calibration_png(bins: Sequence[Tuple[float, float, int, float]], tx) -> Optional[str]:
    import matplotlib

    with matplotlib.rc_context(_fonts()):
        figure, axes = _figure()
        if figure is None or not bins:
            return None
        centres = [(low + high) / 2 for low, high, _, _ in bins]
        axes.plot([0, 1], [0, 1], color="#aaa", linestyle="--", label=tx(N_("Perfect calibration")))
        axes.plot(centres, [share for _, _, _, share in bins], marker="o", color="#d84",
                  label=tx(N_("Share correct in the audit")))
        for x, (_, _, n, share) in zip(centres, bins):
            axes.annotate(str(n), (x, share), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1.05)
        axes.set_xlabel(tx(N_("Model confidence")))
        axes.set_ylabel(tx(N_("Share of audited chips the model got right")))
        axes.legend(fontsize=8, loc="upper left")
        return _png(figure)


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


def _pm(value, ci, fmt=_num) -> str:
    if _clean(value) is None:
        return "–"
    return f"{fmt(value)} ± {fmt(ci)}" if _clean(ci) is not None else fmt(value)


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
    total = data.total_area_ha
    parts = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html_text(tx(N_('Accuracy report')))}"
             f"</title><style>{STYLE}</style></head><body>"]
    parts.append(f"<h1>{html_text(tx(N_('Accuracy report')))}</h1>")
    parts.append("<p class=\"big\">" + html_text(tx(N_("Overall accuracy {0} ± {1} ({2} confidence interval)")).format(
        _num(a.overall), _num(a.overall_ci), f"{a.confidence:.0%}")) + "</p>")

    source = data.reference.source
    design = [
        tx(N_("Map: layer '{0}', classes from field '{1}'; created {2}.")).format(
            data.layer_name, data.class_field, data.created_at),
        tx(N_("Reference: {0} ({1} sample units with a reference class).")).format(source, a.sample_size),
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
    if data.reference.undecided:
        design.append(tx(N_("{0} sampled chips have no reference decision yet: the estimates use the others, "
                            "which biases them if the undecided ones differ.")).format(data.reference.undecided))
    if data.reference.cannot_tell:
        design.append(tx(N_("{0} sample units were marked 'cannot tell' and are left out.")).format(
            data.reference.cannot_tell))
    if data.not_in_layer:
        design.append(tx(N_("{0} reference fids have no feature with a class in the layer and are left out.")).format(
            data.not_in_layer))
    if data.stratum_changed:
        design.append(tx(N_("{0} audit units have another class in the layer than the stratum they were drawn "
                            "from (reviews since the draw?): the layer's class is used.")).format(data.stratum_changed))
    if a.unsampled:
        design.append(tx(N_("Mapped classes without any sample unit, left out of the estimates: {0}.")).format(
            ", ".join(f"{c} {data.name(c)}" for c in a.unsampled)))
    design.extend(data.extra_notes)
    parts.append("<ul class=\"note\">" + "".join(f"<li>{html_text(t)}</li>" for t in design) + "</ul>")

    parts.append(f"<h2>{html_text(tx(N_('Accuracy and area per class')))}</h2>")
    headers = [tx(N_("Class")), tx(N_("Mapped area (ha)")), tx(N_("Objects")), tx(N_("Sample units")),
               tx(N_("User's accuracy")), tx(N_("Producer's accuracy")), tx(N_("Error-adjusted area (ha)"))]
    rows = []
    for e in a.per_class:
        rows.append([f"{e.class_id} {data.name(e.class_id)}", _ha(data.mapped_area_ha.get(e.class_id, 0.0)),
                     str(data.mapped_count.get(e.class_id, 0)), str(e.sample_count),
                     _pm(e.users_accuracy, a.ci(e.users_se)), _pm(e.producers_accuracy, a.ci(e.producers_se)),
                     _pm(total * e.proportion, total * a.ci(e.proportion_se), _ha)])
    rows.append([tx(N_("Overall")), _ha(total), str(sum(data.mapped_count.values())), str(a.sample_size),
                 _pm(a.overall, a.overall_ci), "", _ha(total)])
    parts.append(html_table(headers, rows))

    names = [f"{c} {data.name(c)}" for c in a.classes]
    parts.append(f"<h2>{html_text(tx(N_('Error matrix in sample counts')))}</h2>")
    parts.append("<p class=\"note\">" + html_text(tx(N_("Rows: map class; columns: reference class."))) + "</p>")
    parts.append(html_table([""] + names + [tx(N_("Total"))],
                        [[names[i]] + [str(n) for n in row] + [str(sum(row))] for i, row in enumerate(a.counts)]))
    parts.append(f"<h2>{html_text(tx(N_('Error matrix in estimated area proportions')))}</h2>")
    parts.append(html_table([""] + names + [tx(N_("Total"))],
                        [[names[i]] + [f"{p:.4f}" for p in row] + [f"{sum(row):.4f}"]
                         for i, row in enumerate(a.proportions)]
                        + [[tx(N_("Total"))] + [f"{e.proportion:.4f}" for e in a.per_class] + ["1.0000"]]))

    if charts_available():
        parts.append(_image(heat_map_png(data, tx), tx(N_("Error matrix"))))
        parts.append(f"<h2>{html_text(tx(N_('Mapped and error-adjusted area')))}</h2>")
        parts.append(_image(area_chart_png(data, tx), tx(N_("Mapped and error-adjusted area"))))
    else:
        parts.append("<p class=\"note\">" + html_text(tx(N_(
            "matplotlib is not installed with this QGIS: the report has its tables but no charts."))) + "</p>")

    parts.append(f"<h2>{html_text(tx(N_('Model confidence against the audit')))}</h2>")
    if data.calibration:
        parts.append("<p class=\"note\">" + html_text(tx(N_(
            "Share of audited chips whose model class was right, per band of the model's confidence (the "
            "number is the chips in the band). Results under REVIEW_BELOW go to review: this shows what a "
            "threshold would catch."))) + "</p>")
        parts.append(_image(calibration_png(data.calibration, tx) if charts_available() else None,
                            tx(N_("Calibration"))))
        parts.append(html_table([tx(N_("Confidence")), tx(N_("Audited chips")), tx(N_("Share correct"))],
                            [[f"{low:.1f}–{high:.1f}", str(n), f"{share:.2f}"] for low, high, n, share in
                             data.calibration]))
    else:
        parts.append("<p class=\"note\">" + html_text(tx(N_(
            "No audited chip has a model confidence (the server gave none, or the reference is a CSV)."))) + "</p>")

    if data.review_by_class is not None and not data.review_by_class:
        parts.append(f"<h2>{html_text(tx(N_('How often the analyst changed the model')))}</h2>")
        parts.append("<p class=\"note\">" + html_text(tx(N_("No result of this run has been reviewed yet."))) + "</p>")
    elif data.review_by_class is not None:
        parts.append(f"<h2>{html_text(tx(N_('How often the analyst changed the model')))}</h2>")
        parts.append("<p class=\"note\">" + html_text(tx(N_(
            "From every review decision of the results file (the audit's reference decisions are apart)."))) + "</p>")
        headers = [tx(N_("Model class")), tx(N_("Reviewed")), tx(N_("Changed")), tx(N_("Share changed"))]
        parts.append(html_table(headers, [[f"{c} {name or data.name(c)}", str(n), str(ch or 0),
                                       f"{(ch or 0) / n:.0%}" if n else "–"]
                                      for c, name, n, ch in data.review_by_class]))
        headers = [tx(N_("Endpoint")), tx(N_("Model")), tx(N_("Reviewed")), tx(N_("Changed")), tx(N_("Share changed"))]
        parts.append(html_table(headers, [[endpoint, model, str(n), str(ch or 0), f"{(ch or 0) / n:.0%}" if n else "–"]
                                      for endpoint, model, n, ch in (data.review_by_model or [])]))

    if data.compare is not None:
        name, b = data.compare
        parts.append(f"<h2>{html_text(tx(N_('Two runs on the same audit sample')))}</h2>")
        parts.append("<p class=\"note\">" + html_text(tx(N_(
            "The second run ({0}) is assessed on the same reference units, over the strata the sample was "
            "drawn from (Stehman 2014 estimators, as its classes are not the strata).")).format(name)) + "</p>")
        if data.compare_missing:
            parts.append("<p class=\"note\">" + html_text(tx(N_(
                "{0} reference units have no result in the second run and are left out of its column.")).format(
                data.compare_missing)) + "</p>")
        headers = [tx(N_("Class")), tx(N_("User's accuracy, this map")), tx(N_("User's accuracy, second run")),
                   tx(N_("Producer's accuracy, this map")), tx(N_("Producer's accuracy, second run"))]
        rows = [[tx(N_("Overall")), _pm(a.overall, a.overall_ci), _pm(b.overall.value, b.ci(b.overall.se)), "", ""]]
        for e in a.per_class:
            ub, pb = b.users.get(e.class_id), b.producers.get(e.class_id)
            rows.append([f"{e.class_id} {data.name(e.class_id)}", _pm(e.users_accuracy, a.ci(e.users_se)),
                         _pm(ub.value, b.ci(ub.se)) if ub else "–", _pm(e.producers_accuracy, a.ci(e.producers_se)),
                         _pm(pb.value, b.ci(pb.se)) if pb else "–"])
        parts.append(html_table(headers, rows))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: str, text: str) -> str:
    return write_text(path, text)
