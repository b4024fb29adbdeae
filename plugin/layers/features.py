"""Values read from QGIS features, by the rules of plugin/core (the QGIS side of core.fids)."""
from typing import Optional

from ..core.fids import parse_fid


def is_null(value) -> bool:
    """NULL of a QGIS attribute (a null QVariant, or None)."""
    return value is None or (hasattr(value, "isNull") and value.isNull())


def attribute_fid(value, field: str) -> Optional[int]:
    """A fid field's value as a fid: None when it is empty (NULL), else core.fids.parse_fid's rule
    (FidError, naming the field, for 12.7, text or a number beyond 64 bits)."""
    if is_null(value):
        return None
    return parse_fid(value, field)
