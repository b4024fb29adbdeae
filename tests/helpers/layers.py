"""Small vector layers written to disk for tests (GeoPackage or shapefile)."""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant


def write_layer(path, geometries_wkt, crs="EPSG:4326", fids=None, fid_field="obj_id",
                geometry_type=QgsWkbTypes.MultiPolygon):
    """Write features (WKT or None for a null geometry) to `path`; returns the loaded layer."""
    fields = QgsFields()
    fields.append(QgsField(fid_field, QVariant.Int))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "ESRI Shapefile" if path.endswith(".shp") else "GPKG"
    options.fileEncoding = "UTF-8"
    writer = QgsVectorFileWriter.create(
        path, fields, geometry_type, QgsCoordinateReferenceSystem(crs) if crs else QgsCoordinateReferenceSystem(),
        QgsCoordinateTransformContext(), options)
    assert writer.hasError() == QgsVectorFileWriter.NoError, writer.errorMessage()
    for i, wkt in enumerate(geometries_wkt):
        feature = QgsFeature(fields)
        feature.setAttribute(0, fids[i] if fids else i + 1)
        if wkt is not None:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        writer.addFeature(feature)
    del writer
    layer = QgsVectorLayer(path, os.path.basename(path), "ogr")
    assert layer.isValid(), path
    return layer
