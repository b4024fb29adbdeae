"""What differs between the QGIS versions ChipVLM runs on (3.22 .. 3.44 on Qt5, QGIS 4 on Qt6).

Every version difference lives here and nowhere else (tests/qgis/test_qt6_readiness.py reads the
sources and fails on an unscoped enum, a Qt5-only name or a QVariant field type elsewhere). Names that
only one version has are looked up by string, or imported inside ``try/except ImportError``.
"""
from qgis.core import Qgis, QgsField, QgsFieldProxyModel, QgsFields, QgsMapLayerProxyModel
from qgis.PyQt.QtCore import QMetaType, QVariant

try:  # Qt6 (QGIS 4) moved QAction to QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt5 (QGIS 3)
    from qgis.PyQt.QtWidgets import QAction

__all__ = ["QAction", "INTEGER_FIELD_TYPES", "TEXT_FIELD_TYPES", "field_type", "integer_field_filter", "new_field",
           "vector_layer_filter", "writable_field_origins"]

QGIS_VERSION = Qgis.QGIS_VERSION_INT

# QgsField.type() values, compared as ints: QMetaType.Type and QVariant.Type number them alike.
INTEGER_FIELD_TYPES = tuple(int(t) for t in (QMetaType.Type.Int, QMetaType.Type.UInt, QMetaType.Type.LongLong,
                                             QMetaType.Type.ULongLong))
TEXT_FIELD_TYPES = (int(QMetaType.Type.QString),)


def type_value(kind) -> int:
    """A field type or enum member as an int, whether a sip enum (QGIS 3) or a Python enum (QGIS 4)."""
    return int(getattr(kind, "value", kind))


def field_type(meta_type):
    """The type argument of QgsField(): QMetaType.Type from QGIS 3.38 on (QGIS 4 accepts nothing else),
    QVariant.Type before (3.22 rejects QMetaType.Type)."""
    if QGIS_VERSION >= 33800:
        return meta_type
    legacy = getattr(QVariant, "Type")  # noqa: B009  (Qt5 only: by name, so that Qt6 never looks)
    return legacy(type_value(meta_type))


def new_field(name: str, meta_type) -> QgsField:
    return QgsField(name, field_type(meta_type))


def vector_layer_filter():
    """The vector-layer filter of QgsMapLayerComboBox: Qgis.LayerFilter from 3.34 on, earlier
    QgsMapLayerProxyModel.Filter."""
    filters = getattr(Qgis, "LayerFilter", None)
    if filters is None:
        filters = getattr(QgsMapLayerProxyModel, "Filter")  # noqa: B009  (before 3.34)
    return filters.VectorLayer


def integer_field_filter():
    """Integer fields only, for a QgsFieldComboBox: Qgis.FieldFilter where QGIS has it, earlier
    QgsFieldProxyModel.Filter."""
    filters = getattr(Qgis, "FieldFilter", None)
    if filters is None or not hasattr(filters, "LongLong"):
        filters = getattr(QgsFieldProxyModel, "Filter")  # noqa: B009  (the enum's name before it moved)
    return filters.Int | filters.LongLong


def writable_field_origins():
    """(provider, edit buffer) field origins: Qgis.FieldOrigin from 3.38 on, earlier QgsFields.FieldOrigin."""
    origin = getattr(Qgis, "FieldOrigin", None)
    if origin is not None:
        return type_value(origin.Provider), type_value(origin.Edit)
    origin = getattr(QgsFields, "FieldOrigin")  # noqa: B009  (before 3.38)
    return type_value(origin.OriginProvider), type_value(origin.OriginEdit)
