"""The second opinion's page (OUTPUT_HTML): how often the model and the second opinion are right on the
analyst's decisions, per class, and which of the model's confusions the second opinion corrects.

Texts are English, marked N_(); the algorithm passes its tr() as `translate` (as the accuracy report).
"""
from __future__ import annotations

from typing import Callable

from ..assess.report import N_, STYLE, _table, _text
from ..files import write_text
from .opinion import OpinionSummary

# bars start from the left of a grey track of the full width, so 0% shows as an empty track and bars of
# one column compare by length; the class columns of the pair tables are text, aligned left
BAR_STYLE = (".track{display:inline-block;width:120px;height:0.8em;background:#e4e4e4;vertical-align:middle}"
             ".bar{display:block;height:100%;background:#4a7fb5}.bar.model{background:#c96}"
             ".pct{display:inline-block;min-width:3.2em;text-align:right}td.bars,th.bars{text-align:left}"
             "table.pairs td:nth-child(2),table.pairs th:nth-child(2){text-align:left}")


def _share(right: int, total: int) -> str:
    return f"{right / total:.0%}" if total else "–"


def _bar(right: int, total: int, kind: str = "") -> str:
    width = int(round(120 * right / total)) if total else 0
    return (f'<span class="track"><span class="bar {kind}" style="width:{width}px"></span></span> '
            f'<span class="pct">{_share(right, total)}</span>')


def build_html(summary: OpinionSummary, names: Callable[[int], str],
               translate: Callable[[str], str] = lambda text: text, results: str = "") -> str:
    tx = translate

    def label(class_id: int) -> str:
        return f"{class_id} {names(class_id)}"

    parts = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{_text(tx(N_('Second opinion')))}</title>"
             f"<style>{STYLE}{BAR_STYLE}</style></head><body>",
             f"<h1>{_text(tx(N_('Second opinion')))}</h1>",
             "<p class=\"big\">" + _text(tx(N_(
                 "On the analyst's {0} decisions the model is right {1}, the second opinion {2} ({3}-fold "
                 "cross-validation: each decision judged by a classifier that did not learn from it).")).format(
                 summary.decisions, f"{summary.model_accuracy:.1%}", f"{summary.cv_accuracy:.1%}", summary.folds))
             + "</p>"]
    notes = [tx(N_("Results: {0}; {1} objects, {2} with features.")).format(results, summary.objects,
                                                                           summary.with_features),
             tx(N_("The second opinion differs from the model on {0} objects.")).format(summary.disagreements)]
    if summary.audit_left_out:
        notes.append(tx(N_("{0} decisions of the audit sample were left out, so the accuracy report stays "
                           "unbiased.")).format(summary.audit_left_out))
    if summary.applied:
        notes.append(tx(N_("{0} objects took the second opinion's class (APPLY_ABOVE); model_class_id keeps the "
                           "model's.")).format(summary.applied))
    if summary.sent_to_review:
        notes.append(tx(N_("{0} disagreements were sent to review.")).format(summary.sent_to_review))
    parts.append("<ul class=\"note\">" + "".join(f"<li>{_text(n)}</li>" for n in notes) + "</ul>")

    parts.append(f"<h2>{_text(tx(N_('Right on the decisions, per class')))}</h2>")
    headers = [tx(N_("Class (analyst)")), tx(N_("Decisions")), tx(N_("Model")), tx(N_("Second opinion"))]
    head = "".join(f'<th class="{"bars" if i > 1 else ""}">{_text(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        f"<tr><td>{_text(label(s.class_id))}</td><td>{s.decisions}</td>"
        f"<td class=\"bars\">{_bar(s.model_right, s.decisions, 'model')}</td>"
        f"<td class=\"bars\">{_bar(s.second_right, s.decisions)}</td></tr>" for s in summary.per_class)
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    parts.append(f"<h2>{_text(tx(N_('Confusions of the model the second opinion corrects')))}</h2>")
    if summary.corrections:
        parts.append(_table([tx(N_("Model said")), tx(N_("Analyst decided")), tx(N_("Decisions")),
                             tx(N_("Second opinion right"))],
                            [[label(m), label(t), str(n), f"{c} ({_share(c, n)})"]
                             for m, t, n, c in summary.corrections[:30]], "pairs"))
    else:
        parts.append("<p class=\"note\">" + _text(tx(N_("The model agrees with every decision."))) + "</p>")

    parts.append(f"<h2>{_text(tx(N_('What the second opinion says of the other objects')))}</h2>")
    if summary.changes:
        parts.append("<p class=\"note\">" + _text(tx(N_(
            "Objects without a decision where the second opinion differs from the model, by pair of classes."))) + "</p>")
        parts.append(_table([tx(N_("Model said")), tx(N_("Second opinion")), tx(N_("Objects"))],
                            [[label(m), label(s), str(n)] for m, s, n in summary.changes[:30]], "pairs"))
    else:
        parts.append("<p class=\"note\">" + _text(tx(N_(
            "The second opinion agrees with the model on every object without a decision."))) + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: str, text: str) -> str:
    return write_text(path, text)
