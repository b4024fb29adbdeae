"""Messages on a QgsMessageBar shown whole and as typed.

QGIS's own pushMessage() shows title and text in a QTextBrowser one line high (42 px on QGIS 3.22):
a sentence longer than the bar is cut mid-line behind a scroll bar, and the text is rendered as
HTML. message_item() makes QGIS's own item (icon, level colour, close button, text()) but shows the
text in a plain-text label that wraps into as many lines as it needs.
"""
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel, QTextBrowser


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_item(title: str, text: str):
    """A message bar item of `title: text`, shown whole and as typed (add buttons to its layout)."""
    # the item's own text browser keeps the text (escaped: never rendered as markup), hidden
    item = QgsMessageBar.createMessage(_escaped(title), _escaped(text))
    label = QLabel(f"{title}: {text}" if title else text)
    label.setObjectName("chipvlmMessage")
    label.setTextFormat(Qt.TextFormat.PlainText)  # names, paths and model text shown as typed
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout = item.layout()
    browser = item.findChild(QTextBrowser)
    if layout is not None and browser is not None and layout.indexOf(browser) >= 0:
        position = layout.indexOf(browser)
        browser.hide()
        layout.insertWidget(position, label, 1)
    else:  # another QGIS lays its item out otherwise: the label beside what it shows
        if layout is not None:
            layout.addWidget(label, 1)
    return item


def push_message(bar, title: str, text: str, level, duration: int = 0):
    """Push `title: text` whole and as typed; returns the bar's item."""
    item = message_item(title, text)
    item.setLevel(level)
    item.setDuration(duration)
    bar.pushItem(item)
    return item
