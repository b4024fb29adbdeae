"""The review keys as a table: which key does what, readable and testable without a widget.

`key_action` maps a key press to one of the actions below (and its class for SET_CLASS); the dock
binds each action to its method. Arrows move between chips only outside the grid: inside, the grid
moves its own current chip (a row up or down, too).
"""
from typing import Collection, Optional, Tuple

from qgis.PyQt.QtCore import Qt

from .common import enum_int

SET_CLASS = "set_class"  # 0-9: that class
CONFIRM = "confirm"  # accept the model's class
NEXT_UNREVIEWED = "next_unreviewed"
FORGET = "forget"  # forget the decision: back to the model's class
UNDO = "undo"
FORWARD = "forward"  # next chip
BACK = "back"  # previous chip
ZOOM_IN = "zoom_in"  # the large view: into the chip's centre, or the live map's scale
ZOOM_OUT = "zoom_out"
TOGGLE_MAP = "toggle_map"  # the large view: the chip or a live map of the object

KEYS = {
    CONFIRM: (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter),
    NEXT_UNREVIEWED: (Qt.Key.Key_N, Qt.Key.Key_Tab),
    FORGET: (Qt.Key.Key_Delete, Qt.Key.Key_Backspace),
    ZOOM_IN: (Qt.Key.Key_Plus, Qt.Key.Key_Equal),  # = is + without Shift on most layouts
    ZOOM_OUT: (Qt.Key.Key_Minus, Qt.Key.Key_Underscore),
    TOGGLE_MAP: (Qt.Key.Key_M,),
}
MOVES = {
    FORWARD: (Qt.Key.Key_Right, Qt.Key.Key_Down),
    BACK: (Qt.Key.Key_Left, Qt.Key.Key_Up),
}
_BY_KEY = {enum_int(key): action for action, keys in KEYS.items() for key in keys}
_MOVE_BY_KEY = {enum_int(key): action for action, keys in MOVES.items() for key in keys}
_CONTROL = enum_int(Qt.KeyboardModifier.ControlModifier)
_SHIFT = enum_int(Qt.KeyboardModifier.ShiftModifier)
_OTHER_MODIFIERS = enum_int(Qt.KeyboardModifier.AltModifier) | enum_int(Qt.KeyboardModifier.MetaModifier)
_KEY_0, _KEY_9, _KEY_Z = enum_int(Qt.Key.Key_0), enum_int(Qt.Key.Key_9), enum_int(Qt.Key.Key_Z)


def key_action(key, modifiers, class_ids: Collection[int], in_grid: bool) -> Optional[Tuple[str, Optional[int]]]:
    """(action, class id or None) for a key press, None for a key the review leaves alone.

    `class_ids`: the classes an analyst may choose (a number key of another class does nothing);
    `in_grid`: the key went to the chip grid.
    """
    key, modifiers = enum_int(key), enum_int(modifiers)
    if modifiers & _CONTROL:  # Ctrl+Z is ours (not QGIS's undo); Ctrl+Shift+Z and the rest are not
        return (UNDO, None) if key == _KEY_Z and not modifiers & _SHIFT else None
    if modifiers & _OTHER_MODIFIERS:
        return None
    if _KEY_0 <= key <= _KEY_9:
        class_id = key - _KEY_0
        return (SET_CLASS, class_id) if class_id in class_ids else None
    if key in _BY_KEY:
        return _BY_KEY[key], None
    if not in_grid and key in _MOVE_BY_KEY:
        return _MOVE_BY_KEY[key], None
    return None
