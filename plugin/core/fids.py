"""The one rule for a fid: a whole number that fits a signed 64-bit integer, or it is refused.

Every reader of fids (chips_index.csv, the cutter's fid field, results CSVs, the write-back) calls
parse_fid(), so a fid of 12.7 or 10^20 is refused with the same sentence everywhere instead of
becoming 12 in one place, nothing in another and an OverflowError in SQLite in a third.

Accepted: an int; an integral float (a QGIS double field, 12.0) up to 2^53, where floats stop being
exact; text of digits with an optional sign, optionally followed by ".0..." (a CSV re-saved by a
spreadsheet). Refused: bool, empty, 12.7, 1e3, NaN, anything outside [-2^63, 2^63 - 1].
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence

from .errors import ChipVLMError

FID_MIN = -(2 ** 63)
FID_MAX = 2 ** 63 - 1  # SQLite's INTEGER and OGR's Integer64
_FLOAT_EXACT = 2 ** 53
_DIGITS = re.compile(r"[+-]?\d+(?:\.0*)?")
_MAX_TEXT = 40  # longer than any 64-bit number: refused before int() sees it (4,300-digit limit)


class FidError(ChipVLMError, ValueError):
    """A value that is not a usable fid; str() names the value and why."""


def fits_int64(number: int) -> bool:
    return FID_MIN <= number <= FID_MAX


def parse_fid(value, what: str = "fid") -> int:
    """``value`` as a fid, or FidError (a ValueError) with a sentence naming it."""
    if isinstance(value, bool) or value is None:
        raise FidError("{0} {1!r} is not a whole number.", what, value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or not value.is_integer() or abs(value) > _FLOAT_EXACT:
            raise FidError("{0} {1!r} is not a whole number.", what, value)
        number = int(value)
    else:
        text = str(value).strip()
        if len(text) > _MAX_TEXT or not _DIGITS.fullmatch(text):
            shown = text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "..."
            if len(text) > _MAX_TEXT and _DIGITS.fullmatch(text):
                raise FidError("{0} {1} is outside the range of 64-bit integers.", what, shown)
            raise FidError("{0} {1!r} is not a whole number.", what, shown)
        number = int(text.split(".", 1)[0])
    if not fits_int64(number):
        raise FidError("{0} {1} is outside the range of 64-bit integers.", what, number)
    return number


def parse_fid_texts(texts: Sequence[str]) -> Optional[List[int]]:
    """Many fids read as text (a CSV column) by parse_fid's rule, at C speed; None when one is not a
    plain fid of digits (then read them one by one with parse_fid, for its sentence).

    Only what parse_fid takes exactly as int() does is taken here: ASCII digits, 1 to 18 of them
    (under 2^63 whatever they are), nothing else (no sign, no ".0", no space, no "_").
    """
    if not texts:
        return []
    if max(map(len, texts)) > BULK_DIGITS or min(map(len, texts)) == 0:
        return None
    joined = "".join(texts)
    if not (joined.isascii() and joined.isdigit()):
        return None
    return list(map(int, texts))


BULK_DIGITS = 18  # 10^18 - 1 < 2^63 - 1
