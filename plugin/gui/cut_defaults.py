"""What *Cut chips…* fills in before the analyst looks: the imagery, the objects and their fid field.

QGIS's own Processing dialog already puts the active layer into every parameter of its kind
(ParametersPanel hands iface.activeLayer() to the widgets). The active layer is one layer, though:
the raster or the polygons. For the other one this takes the topmost layer of that kind in the
layer tree (what the analyst sees on top), and for the fid field the one field that obviously
numbers the objects; when nothing is obvious the parameter is left as QGIS would leave it.
"""
from typing import Dict, Iterable, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsRasterLayer, QgsVectorLayer, QgsWkbTypes

# field names that number objects, in the order they are preferred (SAM tools, GIS exports)
FID_NAMES = ("fid", "obj_id", "object_id", "objectid", "segment_id", "id")


def _is_polygons(layer: QgsMapLayer) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry


def _is_imagery(layer: QgsMapLayer) -> bool:
    return isinstance(layer, QgsRasterLayer) and layer.providerType() == "gdal"


def _layers_on_top_first(project: QgsProject) -> Iterable[QgsMapLayer]:
    """The project's layers in the layer tree's order, top first (visible ones before hidden ones)."""
    nodes = project.layerTreeRoot().findLayers()
    ordered = sorted(nodes, key=lambda node: not node.isVisible())  # stable: keeps the tree order
    return [node.layer() for node in ordered if node.layer() is not None]


def _pick(active: Optional[QgsMapLayer], layers: Iterable[QgsMapLayer], wanted) -> Optional[QgsMapLayer]:
    if active is not None and wanted(active):
        return active
    return next((layer for layer in layers if wanted(layer)), None)


def obvious_fid_field(layer: QgsVectorLayer) -> str:
    """An integer field that obviously numbers the objects ('' when none does: the feature id is used).

    The provider's own key (a GeoPackage's fid column) is the feature id itself, which an empty field
    already means: it is not offered."""
    keys = set(layer.primaryKeyAttributes())
    integers = [f.name() for n, f in enumerate(layer.fields())
                if n not in keys and f.isNumeric() and "int" in f.typeName().lower()]
    by_name = {name.lower(): name for name in integers}
    for wanted in FID_NAMES:
        if wanted in by_name:
            return by_name[wanted]
    return integers[0] if len(integers) == 1 else ""


def cut_dialog_defaults(iface, project: Optional[QgsProject] = None) -> Dict[str, object]:
    """Initial parameters of chipvlm:cutchips for the current project: INPUT, RASTER, FID_FIELD."""
    project = project or QgsProject.instance()
    active = iface.activeLayer() if iface is not None else None
    layers = _layers_on_top_first(project)
    found: Dict[str, object] = {}
    raster = _pick(active, layers, _is_imagery)
    if raster is not None:
        found["RASTER"] = raster
    objects = _pick(active, layers, _is_polygons)
    if objects is not None:
        found["INPUT"] = objects
        field = obvious_fid_field(objects)
        if field:
            found["FID_FIELD"] = field
    return found
