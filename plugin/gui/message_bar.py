"""Messages on a QgsMessageBar shown whole and as typed.

QGIS's own pushMessage() puts title and text into a QTextBrowser one line high (42 px on QGIS 3.22):
a sentence longer than the bar is cut mid-line behind a scroll bar, and the text is rendered as
HTML. push_message() pushes a plain-text label instead that wraps into as many lines as it needs.
"""
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel


def push_message(bar, title: str, text: str, level, duration: int = 0):
    """Push `title: text` as plain, wrapped text; returns the bar's item (None from a bar that only
    takes text, as pytest-qgis's stand-in for QGIS's bar)."""
    if not hasattr(bar, "pushWidget"):
        bar.pushMessage(title, text, level, duration)
        return None
    label = QLabel(f"{title}: {text}" if title else text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names, paths and model text shown as typed
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("chipvlmMessage")
    return bar.pushWidget(label, level, duration)
