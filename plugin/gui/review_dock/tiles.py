"""What the review dock paints: a tile of the grid (the review's and the audit's) and a class button
(the large view: large_view.py)."""
from dataclasses import dataclass
from typing import Optional, Tuple

from qgis.PyQt.QtCore import QRectF, QSize, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont, QPainter, QPen
from qgis.PyQt.QtWidgets import QPushButton, QStyle, QStyledItemDelegate

from .common import (
    CAPTION_ROLE,
    CHIP_ROLE,
    PREDICTED_COLOR,
    STATUS_COLORS,
    THUMB,
    enum_int,
    percent,
    second_opinion_mark,
)

_LEFT_MIDDLE = int(enum_int(Qt.AlignmentFlag.AlignLeft) | enum_int(Qt.AlignmentFlag.AlignVCenter))
_CENTRE = int(enum_int(Qt.AlignmentFlag.AlignCenter))


@dataclass
class Tile:
    """What a tile shows: the thumbnail framed in `color`, `badge` in its top right corner, `corner`
    (a figure) in its lower left, `second` (text and colour: the second opinion) in its lower right,
    then the `title` line and a `caption`."""

    color: QColor
    title: str
    badge: Optional[str] = None
    corner: Optional[str] = None
    caption: Optional[str] = None
    focus_frame: bool = False
    second: Optional[Tuple[str, QColor]] = None


def _label_box(painter, image_rect, text: str, fill: QColor, right: bool,
               beside: Optional[QRectF] = None) -> QRectF:
    """A small figure on the thumbnail's lower edge, white on `fill`, at its left or right end (a line
    higher when it would cover the box `beside`); returns where it went."""
    width = painter.fontMetrics().horizontalAdvance(text) + 8
    left = image_rect.right() - 3 - width if right else image_rect.left() + 3
    box = QRectF(left, image_rect.bottom() - 20, width, 17)
    if beside is not None and box.intersects(beside.adjusted(-2, 0, 2, 0)):
        box.translate(0, -19)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawRoundedRect(box, 3, 3)
    painter.setPen(QColor("white"))
    painter.drawText(box, _CENTRE, text)
    return box


def paint_tile(painter, option, pixmap, tile: Tile) -> None:
    """Paint one tile of a grid (the thumbnail grey while it loads).

    It paints only what it is given: the blind audit gives no model class and no confidence."""
    color, title, badge, corner, caption = tile.color, tile.title, tile.badge, tile.corner, tile.caption
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    rect = option.rect.adjusted(2, 2, -2, -2)
    palette = option.palette
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    if selected:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.highlight())
        painter.drawRoundedRect(QRectF(rect), 5, 5)
    image_rect = rect.adjusted(5, 5, -5, 0)
    image_rect.setHeight(THUMB)
    if pixmap is not None and not pixmap.isNull():
        scaled = pixmap.size().scaled(image_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
        image_rect.setRect(image_rect.x() + (image_rect.width() - scaled.width()) // 2,
                           image_rect.y() + (image_rect.height() - scaled.height()) // 2,
                           scaled.width(), scaled.height())
        painter.drawPixmap(image_rect, pixmap)
    else:  # still loading in the background
        painter.fillRect(image_rect, QColor("#e4e4e4"))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(color, 3))
    painter.drawRect(image_rect.adjusted(1, 1, -1, -1))
    font = QFont(option.font)
    font.setBold(True)
    painter.setFont(font)
    if badge is not None:  # where the analyst's eye goes
        box = QRectF(image_rect.right() - 24, image_rect.top() + 3, 21, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(box, _CENTRE, badge)
    corner_box = None
    if corner is not None:
        corner_box = _label_box(painter, image_rect, corner, QColor(0, 0, 0, 150), right=False)
    if tile.second is not None:  # beside the model's confidence: the second opinion's class and confidence
        _label_box(painter, image_rect, *tile.second, right=True, beside=corner_box)
    text_color = palette.highlightedText().color() if selected else palette.text().color()
    line = QRectF(rect.left() + 4, image_rect.bottom() + 4, rect.width() - 8, 17)
    painter.setPen(text_color)
    painter.drawText(line, _LEFT_MIDDLE,
                     painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, int(line.width())))
    if caption is not None:
        font.setBold(False)
        font.setPointSizeF(max(font.pointSizeF() - 1, 6))
        painter.setFont(font)
        line = QRectF(line.left(), line.bottom(), line.width(), 15)
        painter.setPen(text_color if selected else QColor("#666666"))
        painter.drawText(line, _LEFT_MIDDLE,
                         painter.fontMetrics().elidedText(caption, Qt.TextElideMode.ElideRight, int(line.width())))
    if tile.focus_frame and option.state & QStyle.StateFlag.State_HasFocus:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.highlight().color(), 2, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(QRectF(rect), 5, 5)
    painter.restore()


class TileDelegate(QStyledItemDelegate):
    """A grid tile: paint_tile with what tile() makes of the row's item (CHIP_ROLE)."""

    height = THUMB + 44  # the thumbnail and two lines of text

    def sizeHint(self, option, index) -> QSize:
        return QSize(THUMB + 14, self.height)

    def paint(self, painter, option, index):
        item = index.data(CHIP_ROLE)
        if item is None:
            return super().paint(painter, option, index)
        paint_tile(painter, option, index.data(Qt.ItemDataRole.DecorationRole), self.tile(item, index))

    def tile(self, item, index) -> Tile:
        """What the tile of this row shows."""
        raise NotImplementedError


class ChipDelegate(TileDelegate):
    """A chip tile: the thumbnail framed in the colour of its review status, the final class id as a
    badge, the model's confidence and beside it the second opinion's class and confidence, the fid
    and the class, and the caption."""

    def tile(self, chip, index) -> Tile:
        return Tile(color=STATUS_COLORS.get(chip.status, QColor("#607d8b")),
                    title=f"{chip.fid} · {chip.final_class_name}", badge=str(chip.final_class_id),
                    # how sure the model was, where "least sure first" sorts by
                    corner=None if chip.confidence is None else percent(chip.confidence),
                    caption=str(index.data(CAPTION_ROLE) or ""), focus_frame=True,
                    second=second_opinion_mark(chip))


class ClassButton(QPushButton):
    """A class to choose, its number key in front. The model's class is framed (what Space accepts),
    the analyst's is checked. The frame is painted over the native button, so marking another class
    changes no size and re-lays nothing out on each chip."""

    def __init__(self, text: str, parent=None):
        super().__init__(text, parent)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("QPushButton { text-align: left; padding: 2px 6px; }")
        self.setProperty("predicted", False)

    def set_predicted(self, predicted: bool) -> None:
        if bool(self.property("predicted")) != predicted:
            self.setProperty("predicted", predicted)
            self.update()

    def paintEvent(self, event):
        super().paintEvent(event)
        if self.property("predicted"):
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(PREDICTED_COLOR, 2.5))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 3, 3)
            painter.end()
