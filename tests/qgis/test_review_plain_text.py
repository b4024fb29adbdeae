"""Model-supplied text (reasons, class names) is shown as plain text in the dock (issue 7 point 17).

A reason is whatever the model server answered: markup in it must be shown as typed, never rendered
(an <img src=...> would make Qt load a file or follow a link just by hovering a chip).
"""
import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QTextDocument

from chipvlm.plugin.core.results.store import ResultsStore
from helpers.review_data import make_run, standard_predictions

HOSTILE = '<b>bold</b><img src="file:///etc/passwd"> & <a href="http://evil">x</a>'


def shown(text: str) -> str:
    """What Qt shows for a tooltip or a label in AutoText: rich text when it looks like it, else as is."""
    might_be_rich = getattr(Qt, "mightBeRichText", None)
    if might_be_rich is None:  # PyQt6 keeps it in QtGui
        from qgis.PyQt.QtGui import Qt as GuiQt

        might_be_rich = GuiQt.mightBeRichText
    if not might_be_rich(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


@pytest.fixture()
def hostile_run(tmp_path):
    run = make_run(str(tmp_path / "run"), standard_predictions(range(1, 13)), chip_maker=None)
    with ResultsStore(run) as store, store.transaction() as con:
        con.execute("UPDATE results SET reason = ? WHERE fid = 2", (HOSTILE,))
    return run


def test_a_reason_with_markup_is_shown_as_typed_in_tooltip_and_info(review_dock, hostile_run):
    dock = review_dock()
    assert dock.open_run(hostile_run)
    assert dock.current_chip().fid == 2
    tooltip = dock.model.data(dock.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE in shown(tooltip)
    assert dock.info_label.textFormat() == Qt.TextFormat.RichText  # our own markup, the reason escaped
    document = QTextDocument()
    document.setHtml(dock.info_label.text())
    assert HOSTILE in document.toPlainText()
    assert "<img" not in dock.info_label.text()


def test_status_lines_are_plain_text(review_dock, hostile_run):
    dock = review_dock()
    assert dock.open_run(hostile_run)
    for label in (dock.status_label, dock.counter_label, dock.preview):
        assert label.textFormat() == Qt.TextFormat.PlainText, label


def test_the_message_bar_shows_a_layer_name_with_markup_as_typed(review_dock, hostile_run, tmp_path, qgis_iface,
                                                                  monkeypatch):
    from qgis.core import QgsProject
    from qgis.gui import QgsMessageBar
    from qgis.PyQt.QtWidgets import QLabel, QTextBrowser

    from helpers.layers import write_layer
    from helpers.review_data import grid_squares

    bar = QgsMessageBar()  # QGIS's own bar renders its text as HTML
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    layer = write_layer(str(tmp_path / "objects.gpkg"), grid_squares(12), crs="EPSG:26914")
    layer.setName('<img src="file:///etc/passwd">fields')
    QgsProject.instance().addMapLayer(layer)
    dock = review_dock()
    assert dock.open_run(hostile_run, layer=layer)
    dock.write_button.click()
    item = bar.currentItem()
    shown_text = " ".join([w.toPlainText() for w in item.findChildren(QTextBrowser)]
                          + [w.text() for w in item.findChildren(QLabel) if w.textFormat() == Qt.TextFormat.PlainText])
    assert "12 features of '<img src=\"file:///etc/passwd\">fields' got their class" in shown_text
