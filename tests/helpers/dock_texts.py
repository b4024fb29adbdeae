"""What a user can read in the review dock: every visible text and tooltip, and the grid's."""
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

from chipvlm.plugin.gui.review_dock.tiles import ClassButton


def shown_texts(dock):
    """Every text and tooltip a user can see in the dock, but the class buttons (which name every class
    alike), and every caption and tooltip of the grid's tiles."""
    texts = [dock.windowTitle()]
    for widget in dock.findChildren(QWidget):
        if not widget.isVisibleTo(dock) or isinstance(widget, ClassButton):
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            texts.append(widget.text())
        if isinstance(widget, QComboBox):
            texts.append(widget.currentText())
            texts.append(str(widget.currentData(Qt.ItemDataRole.ToolTipRole) or ""))
    grid = dock.view.model()
    for row in range(grid.rowCount()):
        index = grid.index(row, 0)
        texts.append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        texts.append(str(index.data(Qt.ItemDataRole.ToolTipRole) or ""))
    return texts
