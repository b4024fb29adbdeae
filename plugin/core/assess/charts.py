"""The accuracy report's charts, as base64 PNG for its HTML (report.py): error matrix, areas, calibration.

matplotlib draws them when it can be imported (QGIS ships it on Windows, macOS and Debian); without
it charts_available() is False and the report has its tables and a note. Only matplotlib's Agg canvas
is used, never pyplot: no window, no change of the backend QGIS or another plugin chose. Texts are
English, marked with N_() (collected by scripts/update_translations.py) and shown through `tx`, the
caller's translate function. `data` is report.ReportData.
"""
from __future__ import annotations

import base64
import io
import math
from typing import Optional, Sequence, Tuple

from . import intervals


def N_(text: str) -> str:
    """Marks a text for translation (collected by scripts/update_translations.py); returns it as is."""
    return text


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


def heat_map_png(data, tx) -> Optional[str]:
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


def area_chart_png(data, tx) -> Optional[str]:
    """Mapped and error-adjusted area per class; interval whiskers stop at zero (an area is never negative)
    and the title says so when one did; classes whose interval means nothing are hatched and starred."""
    import matplotlib

    a = data.assessment
    marks = intervals.reliability(a)
    with matplotlib.rc_context(_fonts()):
        figure, axes = _figure()
        if figure is None:
            return None
        total = data.total_area_ha
        xs = list(range(len(a.classes)))
        mapped = [data.mapped_area_ha.get(c, 0.0) for c in a.classes]
        adjusted = [total * e.proportion for e in a.per_class]
        errors = [0.0 if math.isnan(e.proportion_se) else total * a.ci(e.proportion_se) for e in a.per_class]
        lower = [min(err, value) for err, value in zip(errors, adjusted)]  # clipped at zero
        clipped = any(low < err for low, err in zip(lower, errors))
        axes.bar([x - 0.2 for x in xs], mapped, width=0.4, label=tx(N_("Mapped area")), color="#9ab")
        bars = axes.bar([x + 0.2 for x in xs], adjusted, width=0.4, yerr=[lower, errors], capsize=3,
                        label=tx(N_("Error-adjusted area")), color="#d84")
        axes.legend(fontsize=8)  # before the hatching: the legend's swatch stays plain
        for bar, e in zip(bars, a.per_class):
            if marks[e.class_id].unreliable:
                bar.set_hatch("//")
        axes.set_ylim(bottom=0)
        axes.set_xticks(xs)
        axes.set_xticklabels([f"{c} {data.name(c)}" + (" *" if marks[c].unreliable else "") for c in a.classes],
                             rotation=45, ha="right", fontsize=8)
        axes.set_ylabel(tx(N_("Area (ha)")))
        title = tx(N_("Mapped and error-adjusted area ({0} confidence interval)")).format(f"{a.confidence:.0%}")
        if clipped:
            title += "\n" + tx(N_("Intervals are cut at zero: an area is never negative."))
        if intervals.unreliable_classes(marks):
            title += "\n" + tx(N_("* hatched: interval unreliable (see the table)"))
        axes.set_title(title, fontsize=9)
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
