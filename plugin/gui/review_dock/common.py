"""What the parts of the review dock share: sizes, colours, item roles, and plain-text helpers."""
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from ...core.review import STATUS_ERROR, STATUS_MODEL, STATUS_REVIEWED, STATUS_TO_REVIEW
from ...i18n import tr

THUMB = 112  # thumbnail side in the grid, pixels

STATUS_COLORS = {
    STATUS_REVIEWED: QColor("#2e7d32"),
    STATUS_TO_REVIEW: QColor("#f9a825"),
    STATUS_ERROR: QColor("#c62828"),
    STATUS_MODEL: QColor("#607d8b"),
}
PREDICTED_COLOR = QColor("#1e88e5")
# the second opinion on a tile and in the info box: where it differs from the model, and where its
# class was applied instead of the model's (APPLY_ABOVE); where it agrees it is not coloured
SECOND_DIFFERS_COLOR = QColor("#8e24aa")
SECOND_APPLIED_COLOR = QColor("#00796b")
SECOND_AGREES_COLOR = QColor(0, 0, 0, 150)

FID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
CHIP_ROLE = int(Qt.ItemDataRole.UserRole) + 2
CAPTION_ROLE = int(Qt.ItemDataRole.UserRole) + 3  # the tile's second line


def enum_int(enum_value) -> int:
    """An enum member or flag as an int, under PyQt5 and PyQt6 alike."""
    return int(getattr(enum_value, "value", enum_value))


def status_text(status: str) -> str:
    return {
        STATUS_REVIEWED: tr("reviewed"),
        STATUS_TO_REVIEW: tr("to review"),
        STATUS_ERROR: tr("error"),
        STATUS_MODEL: tr("model"),
    }.get(status, status)


def percent(confidence: float) -> str:
    return f"{round(100 * float(confidence))}%"


def confidence_text(chip, class_name) -> str:
    """How sure the model was of its class, and of which other class it thought ('' when unknown)."""
    if chip.confidence is None:
        return ""
    if chip.runner_up_class_id is None:
        return tr("Confidence {0}").format(percent(chip.confidence))
    return tr("Confidence {0}, next: {1} {2}").format(
        percent(chip.confidence), chip.runner_up_class_id, class_name(chip.runner_up_class_id))


def model_class(chip, class_name):
    """(id, name) of the model's own class: class_id, unless the second opinion's class replaced it."""
    if chip.second_applied:
        return chip.model_class_id, class_name(chip.model_class_id)
    return chip.class_id, chip.class_name


def second_opinion_text(chip, class_name) -> str:
    """The second opinion beside the model's class ('' when chipvlm:secondopinion has not run)."""
    if not chip.has_second_opinion:
        return ""
    second = f"{chip.second_class_id} {class_name(chip.second_class_id)}"
    if chip.second_confidence is not None:
        second += f" ({percent(chip.second_confidence)})"
    if chip.second_applied:
        return tr("Second opinion applied: {0}, the model said {1} {2}").format(
            second, chip.model_class_id, class_name(chip.model_class_id))
    if chip.second_differs:
        return tr("Second opinion differs: {0}").format(second)
    if chip.agrees:
        return tr("Second opinion agrees: {0}").format(second)
    return tr("Second opinion: {0}").format(second)  # the model could not tell (class 0 or -1)


def second_opinion_mark(chip):
    """A tile's second-opinion box: (text, colour), None without a second opinion. "≠" marks a
    disagreement, "✓" a class taken from the second opinion, "=" an agreement."""
    if not chip.has_second_opinion:
        return None
    sure = "" if chip.second_confidence is None else " " + percent(chip.second_confidence)
    if chip.second_applied:
        return f"✓{chip.second_class_id}{sure}", SECOND_APPLIED_COLOR
    if chip.second_differs:
        return f"≠{chip.second_class_id}{sure}", SECOND_DIFFERS_COLOR
    return f"={chip.second_class_id}{sure}", SECOND_AGREES_COLOR


def second_opinion_color(chip) -> str:
    """The colour of the second opinion's line in the info box ('' for an agreement: plain text)."""
    if chip.second_applied:
        return SECOND_APPLIED_COLOR.name()
    return SECOND_DIFFERS_COLOR.name() if chip.second_differs else ""


def html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` exactly as typed: Qt renders a tooltip that looks like markup as rich
    text, so text from the model (a reason) goes in escaped, inside markup of our own."""
    return "<p style='white-space:pre-wrap'>" + html_text(text).replace("\n", "<br>") + "</p>"


def utc_text(stamp: str) -> str:
    """A stored UTC time ("2026-01-01T08:05:00+00:00") as the dock shows it: "2026-01-01 08:05:00 UTC"."""
    if not stamp:
        return "?"
    text = stamp.replace("T", " ")[:19]
    return tr("{0} UTC").format(text)


def tile_caption(chip, class_name=str) -> str:
    """A tile's second line: the model's reason until an analyst decided, then who decided (a reviewed
    chip no longer waits: it must not keep the scheme's "to review" reason as its caption); where the
    second opinion's class was applied, what the model had said."""
    if chip.is_reviewed:
        return tr("reviewed by {0}").format(chip.reviewer or "?")
    if chip.second_applied:
        return tr("second opinion applied, model said {0} {1}").format(chip.model_class_id,
                                                                     class_name(chip.model_class_id))
    return chip.reason or ""


def chip_info_html(chip, class_name) -> str:
    """The info box of a result: fid and status, the model's class, the second opinion (when there is
    one), the analyst's decision with who and when, the confidence, then the model's reason (rich text: what came from the model is escaped).

    The box has a fixed height: what varies in length (the reason) comes last, so a long one (or a
    language whose lines wrap sooner) never pushes the decision and its date out of sight."""
    color = STATUS_COLORS.get(chip.status, STATUS_COLORS[STATUS_MODEL]).name()
    lines = [
        f"<b>fid {chip.fid}</b> · <span style='color:{color}'>{status_text(chip.status)}</span> · "
        + tr("Model: {0} {1}").format(*(html_text(str(part)) for part in model_class(chip, class_name))),
    ]
    second = second_opinion_text(chip, class_name)
    if second:  # beside the model's class, coloured where it differs
        second_color = second_opinion_color(chip)
        second = html_text(second)
        lines.append(f"<span style='color:{second_color}'><b>{second}</b></span>" if second_color else second)
    if chip.is_reviewed:
        lines.append(tr("Reviewed: <b>{0} {1}</b> by {2}, {3}").format(
            chip.reviewed_class_id, html_text(chip.reviewed_class_name or ""), html_text(chip.reviewer or "?"),
            utc_text(chip.reviewed_at or "")))
    sure = confidence_text(chip, class_name)
    if sure:
        lines.append(html_text(sure))
    if chip.reason:
        lines.append(f"<i>{html_text(chip.reason)}</i>")
    return "<br>".join(lines)
