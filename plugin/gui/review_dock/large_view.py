"""The large view of the review dock: the current chip as large as the dock allows, zoomable, with
the padding outside the raster hatched, or a live view of the object on the map.

`ChipPreview` paints the chip fitted into its widget times `zoom` (the chip's centre, where the
object is, stays in the middle), and hatches the chip pixels outside `imagery` (from the index
window and the raster's size: plugin/core/chips/padding.py) in the theme's colours, so padding
never passes for dark imagery. `LiveMap` is a map canvas of its own showing the project's layers
around the object, at the scale the analyst chose with +/- (or fitted to the object with context).
"""
import os
from typing import Optional, Tuple

from qgis.core import Qgis, QgsCoordinateTransform, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.gui import QgsHighlight, QgsMapCanvas
from qgis.PyQt.QtCore import QRect, QRectF, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPalette, QPixmap
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QSplitter, QStackedWidget, QWidget

from ...core.chips.padding import padded_chips
from ...i18n import tr
from .map_link import outline_only, zoom_out_to_minimum

MIN_ZOOM, MAX_ZOOM = 1.0, 8.0
ZOOM_STEP = 1.25
CONTEXT = 3.0  # the live map shows the object's box times this, until the analyst zooms
Box = Tuple[float, float, float, float]


def _dark(rgb: int) -> bool:
    return (rgb >> 16 & 0xFF) < 24 and (rgb >> 8 & 0xFF) < 24 and (rgb & 0xFF) < 24


def label_rect(image: QImage) -> QRect:
    """Where the chip's fid label is, in chip pixels: the cutter draws it white on a black box at the
    top left, with at least 2 px of box around the text (core/chips/render.py). Empty when there is
    none. Bounded by the largest label the cutter draws (a font of size/16 px, at least 12)."""
    if image.isNull() or image.width() < 8 or image.height() < 8:
        return QRect()
    font_px = max(12, round(image.width() / 16))
    most_w, most_h = min(image.width(), 7 * font_px), min(image.height(), 2 * font_px + 8)
    width = 0
    while width < most_w and _dark(image.pixel(width, 1)):
        width += 1
    height = 0
    while height < most_h and _dark(image.pixel(1, height)):
        height += 1
    return QRect(0, 0, width, height) if width >= 4 and height >= 4 else QRect()


class ChipPreview(QLabel):
    """The current chip, as large as the dock allows; +/- zoom into its centre."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pixmap: Optional[QPixmap] = None
        self._imagery: Optional[Box] = None
        self._label = QRect()
        self.zoom = MIN_ZOOM
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 160)
        # Ignored: neither a chip nor a long path of a missing one may resize the dock
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("QLabel { background: #202020; color: #c0c0c0; }")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a chip path is shown as it is
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_chip_pixmap(self, pixmap: Optional[QPixmap], imagery: Optional[Box] = None) -> None:
        """Show a chip; `imagery`: the chip pixels that show the raster (None: all of them)."""
        self._pixmap = pixmap
        self._imagery = imagery
        # the fid label stays readable over the hatching of padding (read only for chips with padding)
        self._label = label_rect(pixmap.toImage()) if pixmap is not None and imagery is not None else QRect()
        if pixmap is None:
            self.clear()
            self.setText(tr("No chip selected"))
        else:
            self.setPixmap(pixmap)  # painted by paintEvent, scaled; pixmap() says what is shown
        self.update()

    def set_missing(self, path: str) -> None:
        """No image for this chip: say so, and where it was looked for (a moved or deleted run)."""
        self._pixmap = None
        self._imagery = None
        self.clear()
        if os.path.isfile(path):
            self.setText(tr("The chip image cannot be read:") + "\n" + path)
        else:
            self.setText(tr("Chip image not found:") + "\n" + (path or tr("(no path recorded)")))

    def zoom_by(self, factor: float) -> float:
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        self.update()
        return self.zoom

    def chip_rect(self) -> QRectF:
        """Where the whole chip is drawn (beyond the widget when zoomed in)."""
        if self._pixmap is None or self._pixmap.isNull():
            return QRectF()
        width, height = self._pixmap.width(), self._pixmap.height()
        scale = min(self.width() / width, self.height() / height) * self.zoom
        return QRectF((self.width() - width * scale) / 2, (self.height() - height * scale) / 2,
                      width * scale, height * scale)

    def padding_path(self) -> QPainterPath:
        """The part of the drawn chip outside the raster (empty when the chip is all imagery)."""
        path = QPainterPath()
        if self._imagery is None or self._pixmap is None:
            return path
        target = self.chip_rect()
        scale = target.width() / self._pixmap.width()
        x0, y0, x1, y1 = self._imagery
        inside = QRectF(target.x() + x0 * scale, target.y() + y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale)
        path.addRect(target)
        hole = QPainterPath()
        hole.addRect(inside)
        if not self._label.isEmpty():
            label, box = self._label, QPainterPath()
            box.addRect(QRectF(target.x() + label.x() * scale, target.y() + label.y() * scale,
                               label.width() * scale, label.height() * scale))
            hole = hole.united(box)
        return path.subtracted(hole)

    def paintEvent(self, event):
        if self._pixmap is None or self._pixmap.isNull():
            return super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202020"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.zoom < 3)
        painter.drawPixmap(self.chip_rect(), self._pixmap, QRectF(self._pixmap.rect()))
        padding = self.padding_path()
        if not padding.isEmpty():  # not imagery: the theme's window colour, hatched
            palette = self.palette()
            painter.fillPath(padding, palette.color(QPalette.ColorRole.Window))
            painter.fillPath(padding, QBrush(palette.color(QPalette.ColorRole.Mid), Qt.BrushStyle.BDiagPattern))
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)


class LiveMap(QgsMapCanvas):
    """The object on a map of its own: the main canvas's layers, CRS and look, around the object."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("chipvlmLiveMap")
        self.highlight: Optional[QgsHighlight] = None
        self.chosen_scale: Optional[float] = None  # set by +/-; None: fit each object with context
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def follow(self, main_canvas, layer: Optional[QgsVectorLayer], feature_id: Optional[int]) -> bool:
        """Show this feature of the layer; False when there is nothing to show."""
        self._clear_highlight()
        if main_canvas is not None:
            self.setLayers(main_canvas.layers())
            self.setDestinationCrs(main_canvas.mapSettings().destinationCrs())
            self.setCanvasColor(main_canvas.canvasColor())
        if layer is None or feature_id is None:
            self.refresh()
            return False
        feature = layer.getFeature(feature_id)
        if not feature.isValid() or not feature.hasGeometry():
            self.refresh()
            return False
        box = feature.geometry().boundingBox()
        destination = self.mapSettings().destinationCrs()
        if layer.crs().isValid() and destination.isValid() and layer.crs() != destination:
            try:
                box = QgsCoordinateTransform(layer.crs(), destination, QgsProject.instance()).transformBoundingBox(box)
            except Exception:  # outside the canvas CRS's domain
                self.refresh()
                return False
        if self.chosen_scale is None:
            extent = QgsRectangle(box)
            if extent.width() == 0 and extent.height() == 0:  # a point: some ground around it
                extent.grow(50.0)
            extent.scale(CONTEXT)
            self.setExtent(extent)
            zoom_out_to_minimum(self)
        else:
            self.setCenter(box.center())
            self.zoomScale(self.chosen_scale)
        self.highlight = QgsHighlight(self, feature.geometry(), layer)
        outline_only(self.highlight)
        self.highlight.show()
        self.refresh()
        return True

    def set_labels(self, on: bool) -> None:
        """Labels on or off (off in the blind audit: a layer labelled with its classes would tell them)."""
        settings = self.mapSettings()
        if settings.testFlag(Qgis.MapSettingsFlag.DrawLabeling) != on:
            settings.setFlag(Qgis.MapSettingsFlag.DrawLabeling, on)
            self.setMapSettingsFlags(settings.flags())

    def zoom_by(self, factor: float) -> float:
        self.zoomByFactor(1.0 / factor)
        self.chosen_scale = self.scale()
        return self.chosen_scale

    def _clear_highlight(self) -> None:
        if self.highlight is not None:
            self.highlight.hide()
            if self.highlight.scene() is not None:
                self.scene().removeItem(self.highlight)
            self.highlight = None


class LargeView(QStackedWidget):
    """The chip, or (toggled with M) the live map; the map is made the first time it is asked for."""

    def __init__(self, preview: ChipPreview, parent=None):
        super().__init__(parent)
        self.preview = preview
        self.live_map: Optional[LiveMap] = None
        self.addWidget(preview)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    @property
    def showing_map(self) -> bool:
        return self.live_map is not None and self.currentWidget() is self.live_map

    def show_map(self, on: bool) -> None:
        if on and self.live_map is None:
            self.live_map = LiveMap(self)
            self.addWidget(self.live_map)
        self.setCurrentWidget(self.live_map if on else self.preview)

    def zoom_by(self, factor: float) -> float:
        return self.live_map.zoom_by(factor) if self.showing_map else self.preview.zoom_by(factor)

    def follow(self, main_canvas, layer: Optional[QgsVectorLayer], feature_id: Optional[int], labels: bool) -> bool:
        """The live map on this feature (labels off in the blind audit); False when there is nothing to show."""
        self.live_map.set_labels(labels)
        return self.live_map.follow(main_canvas, layer, feature_id)

    def sizeHint(self) -> QSize:
        return self.preview.sizeHint()


class PaddedChips:
    """The chip pixels of each fid that show the raster (None: all of them), from the run's index
    windows and the raster's size, read the first time a chip asks."""

    def __init__(self):
        self._folder = ""
        self._raster = ""
        self._boxes: Optional[dict] = None

    def reset(self, folder: str = "", raster: str = "") -> None:
        self._folder, self._raster, self._boxes = folder, raster, None

    def box(self, fid: int) -> Optional[Box]:
        if self._boxes is None:
            self._boxes = padded_chips(self._folder, self._raster) if self._raster and self._folder else {}
        return self._boxes.get(int(fid))


class ChipArea(QSplitter):
    """The large view and the decision panel: beside each other or one under the other, whichever
    leaves the larger chip (a side dock on a tall screen: under it, the chip takes the whole width)."""

    orientationChanged = pyqtSignal(bool)  # True: side by side (the dock is wide)

    def __init__(self, large_view: LargeView, panel: QWidget, parent=None):
        # vertical (the chip above the panel) until the dock is wide enough for both side by side: so
        # the dock's minimum width is that of the panel, never chip plus panel
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setChildrenCollapsible(False)
        self.large_view = large_view
        self.panel = panel
        self.addWidget(large_view)
        self.addWidget(panel)
        # every pixel the dock gains goes to the large view
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)

    def fit(self) -> None:
        """Choose the orientation for the size the area has now (the dock calls it once it is resized:
        from the area's own resizeEvent, the dock's layout would be changed while it is being applied)."""
        wide = self._side_by_side_is_larger()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.orientation() != orientation:
            self.setOrientation(orientation)
            self.orientationChanged.emit(wide)
        self._chip_takes_the_rest()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._chip_takes_the_rest()

    def _chip_takes_the_rest(self) -> None:
        """Under the chip, a compact panel (of a limited height) gets that height, the chip the rest."""
        limit = self.panel.maximumHeight()
        if self.orientation() == Qt.Orientation.Vertical and limit < self.height() and self.sizes()[1] > limit:
            self.setSizes([self.height() - limit, limit])

    def _side_by_side_is_larger(self) -> bool:
        side = self.panel.minimumSizeHint()
        width, height = self.width(), self.height()
        if width < self.large_view.preview.minimumWidth() + side.width() + 8:
            return False
        beside = min(width - side.width(), height)
        under = min(width, height - side.height())
        return beside >= under
