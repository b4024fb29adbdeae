"""The map side of the review: the current chip's feature highlighted and the canvas panned to it,
and the project layer a run was cut from (run.json)."""
import os
from typing import Optional

from qgis.core import QgsCoordinateTransform, QgsProject, QgsVectorLayer
from qgis.gui import QgsHighlight
from qgis.PyQt.QtGui import QColor

HIGHLIGHT_COLOR = "#ff00ff"
MIN_VISIBLE_PIXELS = 12  # an object smaller than this on the canvas is zoomed to, not only panned to
CONTEXT = 3.0  # zoomed to, the object's box takes a third of the canvas
# zoomed to a small object, the map shows at least this much ground (1:1500: a 5 m object on 5 m
# imagery is a few pixels of a field-sized view, not 1:352, where the imagery is a blur of pixels)
MIN_SCALE = 1500.0


def outline_only(highlight: QgsHighlight) -> None:
    """The object's outline in magenta, nothing over its inside: the analyst judges what is inside."""
    highlight.setColor(QColor(HIGHLIGHT_COLOR))
    highlight.setFillColor(QColor(0, 0, 0, 0))
    highlight.setWidth(3)


def zoom_out_to_minimum(canvas) -> None:
    """Never closer than MIN_SCALE: a small object keeps the ground around it in view."""
    if 0 < canvas.scale() < MIN_SCALE:
        canvas.zoomScale(MIN_SCALE)


class MapLink:
    """One highlight on the canvas at a time. The canvas is panned to a feature not centred already,
    and zoomed to it with its context when it is larger than the canvas or too small to see."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.highlight: Optional[QgsHighlight] = None

    def clear(self) -> None:
        if self.highlight is not None:
            self.highlight.hide()
            if self.canvas is not None and self.highlight.scene() is not None:
                self.canvas.scene().removeItem(self.highlight)
            self.highlight = None

    def show(self, layer: QgsVectorLayer, feature_id: int) -> None:
        """Highlight this feature of the layer and bring it into view."""
        self.clear()
        if self.canvas is None:
            return
        feature = layer.getFeature(feature_id)
        if not feature.isValid() or not feature.hasGeometry():
            return
        geometry = feature.geometry()
        self.highlight = QgsHighlight(self.canvas, geometry, layer)
        outline_only(self.highlight)
        self.highlight.show()
        box = geometry.boundingBox()
        destination = self.canvas.mapSettings().destinationCrs()
        if layer.crs().isValid() and destination.isValid() and layer.crs() != destination:
            transform = QgsCoordinateTransform(layer.crs(), destination, QgsProject.instance())
            try:
                box = transform.transformBoundingBox(box)
            except Exception:  # a feature outside the canvas CRS's domain: highlight without panning
                return
        extent = self.canvas.extent()
        pixels = max(box.width(), box.height()) / max(self.canvas.mapUnitsPerPixel(), 1e-12)
        too_small = 0 < pixels < MIN_VISIBLE_PIXELS  # a point has no size to see: it is only centred
        if too_small or box.width() > extent.width() or box.height() > extent.height():
            # to the object with its context: a third of the canvas, whatever the scale was
            box.scale(CONTEXT)
            self.canvas.setExtent(box)
            zoom_out_to_minimum(self.canvas)
        elif box.center() != extent.center():
            self.canvas.setCenter(box.center())
        else:
            return  # already centred: the highlight alone changed, no need to render the map again
        self.canvas.refresh()


def recorded_layer(info: dict) -> Optional[QgsVectorLayer]:
    """The project's layer a run was cut from: by its source, else by its name (a moved file)."""
    layers = [layer for layer in QgsProject.instance().mapLayers().values()
              if isinstance(layer, QgsVectorLayer) and layer.isValid()]
    source = str(info.get("layer_source") or "")
    if source:
        for layer in layers:
            if layer.source() == source:
                return layer
        path = source_path(source)
        for layer in layers:
            if source_path(layer.source()) == path:
                return layer
    name = str(info.get("layer_name") or "")
    named = [layer for layer in layers if name and layer.name() == name]
    return named[0] if named else None


def source_path(source: str) -> str:
    """The file of a layer source ("/data/a.gpkg|layername=a" -> the normalised path)."""
    path = source.split("|", 1)[0]
    return os.path.normcase(os.path.abspath(path)) if path else ""
