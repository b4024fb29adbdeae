"""Values read from QGIS features, by the rules of plugin/core (the QGIS side of core.fids)."""
from typing import Optional

from ..core.fids import FID_MAX, FID_MIN, parse_fid


def is_null(value) -> bool:
    """NULL of a QGIS attribute (a null QVariant, or None)."""
    return value is None or (hasattr(value, "isNull") and value.isNull())


def attribute_fid(value, field: str) -> Optional[int]:
    """A fid field's value as a fid: None when it is empty (NULL), else core.fids.parse_fid's rule
    (FidError, naming the field, for 12.7, text or a number beyond 64 bits)."""
    if type(value) is int and FID_MIN <= value <= FID_MAX:  # an integer field, 200,000 times a write: parse_fid's
        return value  # first rule without its calls (a bool is not an int here, as there)
    if is_null(value):
        return None
    return parse_fid(value, field)
