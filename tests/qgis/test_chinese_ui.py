"""A Chinese analyst opens the review dock on a run, the classify dialog and the model endpoints dialog:
no English word shows in any widget text, tooltip, combo item, placeholder or window title.

The locale is zh_CN the way QGIS sets it (Settings > Options > General), the plugin installs its
translator when it loads. Names that stay as they are (ChipVLM, Ollama, JSON, num_ctx...), file paths and
the test's own data are allowed.
"""
import re

import pytest
from qgis.core import QgsProject, QgsSettings
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from chipvlm.plugin.core.schemes import load_scheme
from helpers.layers import write_layer
from helpers.locale import interface_language
from helpers.plugin import load_plugin
from helpers.review_data import grid_squares, make_run, standard_predictions

WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
# names that stay as they are in every language
ALLOWED = {
    "ChipVLM", "fid", "Ollama", "OpenAI", "API", "URL", "URLs", "JSON", "CSV", "PNG", "JPEG", "JPG", "GPU",
    "num_ctx", "ctx", "num", "Gemma", "gemma", "QGIS", "HTTP", "HTTPS", "http", "https", "localhost", "sqlite",
    "csv", "png", "gpkg", "tif", "run", "json", "results", "chips", "index", "yili", "Esc", "Ctrl", "Shift",
    "Enter", "Space", "Tab", "Del", "Backspace", "Home", "End", "PgUp", "PgDn", "Alt", "WebUI", "Open",
    "max_tokens", "max", "tokens", "token", "logprobs", "class_id", "class", "needs_review", "error", "reason",
    "vLLM", "llama", "cpp", "OLLAMA_NUM_PARALLEL", "Basic", "obj_id", "gpu", "UTC",
}
PATH = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]:)?[/\\][^\s,;:()“”\"'，。<]+")
# algorithm ids (chipvlm:drawsample), HTML tags, CRS ids and geometry types QGIS itself writes
# and commands to type, quoted ('ollama pull gemma3:27b')
NAMES = re.compile(r"chipvlm:\w+|<[^>]*>|EPSG:\d+|\b(?:Multi)?(?:Polygon|Point|LineString)\b|'[^']*'")


def english_words(text, own=()):
    text = NAMES.sub(" ", PATH.sub(" ", text or ""))
    return [w for w in WORD.findall(text) if w not in ALLOWED and w not in own]


def visible_texts(root):
    """(widget's class and name, text) of everything a user reads on `root` and its visible children."""
    out = []
    for widget in [root] + root.findChildren(QWidget):
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if qgis_made(widget, root):
            continue  # a QGIS widget's own parts: QGIS translates them (Browse, No Authentication...)
        where = f"{type(widget).__name__}:{widget.objectName()}"
        out.extend((f"{where}:{kind}", text) for kind, text in widget_texts(widget, root) if text)
    return [(where, text) for where, text in out if isinstance(text, str)]


def widget_texts(widget, root):
    """(kind, text) of what one widget shows: its title, tips, text, items, tabs and actions."""
    yield "title", widget.windowTitle() if widget.isWindow() or widget is root else ""
    yield "tooltip", widget.toolTip()
    yield "whatsthis", widget.whatsThis()
    if isinstance(widget, (QLabel, QAbstractButton)):
        yield "text", widget.text()
    if isinstance(widget, QGroupBox):
        yield "title", widget.title()
    if isinstance(widget, QLineEdit):
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        yield "placeholder", widget.placeholderText()
        yield "text", widget.toPlainText()
    yield from listed_texts(widget)
    for action in widget.actions():
        yield "action", action.text()
        yield "action tip", action.toolTip()


def listed_texts(widget):
    """A combo box's items (not a QgsFieldComboBox's or QgsMapLayerComboBox's: the user's fields and
    layers) and a tab widget's tabs."""
    if isinstance(widget, QComboBox) and not type(widget).__name__.startswith("Qgs"):
        for i in range(widget.count()):
            yield f"item {i}", widget.itemText(i)
            yield f"item tip {i}", widget.itemData(i, 3)  # Qt.ItemDataRole.ToolTipRole
    if isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield f"tab {i}", widget.tabText(i)
            yield f"tab tip {i}", widget.tabToolTip(i)


def qgis_made(widget, root):
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if type(parent).__name__.startswith("Qgs"):
            return True
        parent = parent.parentWidget()
    return False


def english_on(root, own=()):
    return [(where, text) for where, text in visible_texts(root) if english_words(text, own)]


@pytest.fixture()
def chinese_plugin(qgis_iface, qgis_new_project):
    with interface_language("zh-Hans"):  # what QGIS's Options write for 简体中文
        plugin = load_plugin(qgis_iface)
        assert plugin.translator is not None
        yield plugin
        plugin.unload()


def test_the_dock_and_the_dialogs_show_no_english_in_chinese(chinese_plugin, qgis_canvas, tmp_path):
    plugin = chinese_plugin
    fids = list(range(1, 13))
    run = make_run(str(tmp_path / "运行"), standard_predictions(fids), reviews={1: 3, 2: 1})
    layer = write_layer(str(tmp_path / "对象.gpkg"), grid_squares(len(fids)), crs="EPSG:26914")
    QgsProject.instance().addMapLayer(layer)
    qgis_canvas.setDestinationCrs(layer.crs())
    qgis_canvas.setExtent(layer.extent())
    own = {"HTTP", "after", "tries", "earlier"}  # the test run: an error reason, a reviewer
    # an English scheme keeps its English title in the scheme list
    own |= set(WORD.findall(f"{load_scheme('landcover_en').name} landcover_en"))

    for action in plugin.actions:
        assert not english_words(action.text()) and not english_words(action.toolTip()), action.text()

    plugin.review_action.trigger()
    dock = plugin.review_dock
    dock.resize(900, 760)
    assert dock.open_run(run, layer=layer)
    found = english_on(dock, own)
    # the painted tiles' tooltips (the list model's, not a widget's)
    found += [("tile tooltip", dock.model.tooltip(chip)) for chip in dock.model.rows
              if english_words(dock.model.tooltip(chip), own)]
    for scope in range(dock.scope_combo.count()):
        dock.scope_combo.setCurrentIndex(scope)
        found += english_on(dock, own)

    dock.endpoints_button.click()
    endpoints = plugin.endpoints_dialog
    assert endpoints is not None and endpoints.isVisible()
    found += english_on(endpoints, own)

    plugin.classify_action.trigger()
    classify = plugin.classify_dialog
    assert classify is not None and classify.isVisible()
    found += english_on(classify, own)
    assert not found, "\n".join(sorted({f"{where}: {text}" for where, text in found}))


def test_the_endpoint_test_says_what_went_wrong_in_chinese(chinese_plugin, tmp_path):
    import socket

    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
    from chipvlm.plugin.settings import ENDPOINTS_KEY, save_endpoints
    from fakes.ollama import FakeModelServer
    from helpers.events import wait_until

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    before = QgsSettings().value(ENDPOINTS_KEY, None)
    try:
        with FakeModelServer(language="zh") as fake:
            save_endpoints([EndpointConfig("gpu0", fake.url, model="gemma9:1b", timeout=5),
                            EndpointConfig("gpu1", f"http://127.0.0.1:{dead}", model="gemma3:27b", timeout=5)])
            chinese_plugin.endpoints_action.trigger()
            dialog = chinese_plugin.endpoints_dialog
            found = []
            for row in range(2):
                dialog.table.selectRow(row)
                QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
                assert wait_until(lambda row=row: dialog.rows[row].test_state not in ("", "testing"))
                assert dialog.result_label.text()
                found += english_on(dialog)
    finally:
        if before is None:
            QgsSettings().remove(ENDPOINTS_KEY)
        else:
            QgsSettings().setValue(ENDPOINTS_KEY, before)
    assert not found, "\n".join(sorted({f"{where}: {text}" for where, text in found}))
