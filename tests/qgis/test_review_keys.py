"""The review keys as a table, checked without a widget (plugin/gui/review_dock/keys.py)."""
import pytest
from qgis.PyQt.QtCore import Qt

from chipvlm.plugin.gui.review_dock import keys
from chipvlm.plugin.gui.review_dock.keys import key_action

CLASSES = {0, 1, 2, 3, 4, 5, 6, 7, 8}  # yili8 without ERROR
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize("key, action", [
    (Qt.Key.Key_3, (keys.SET_CLASS, 3)),
    (Qt.Key.Key_0, (keys.SET_CLASS, 0)),
    (Qt.Key.Key_Space, (keys.CONFIRM, None)),
    (Qt.Key.Key_Return, (keys.CONFIRM, None)),
    (Qt.Key.Key_Enter, (keys.CONFIRM, None)),
    (Qt.Key.Key_N, (keys.NEXT_UNREVIEWED, None)),
    (Qt.Key.Key_Tab, (keys.NEXT_UNREVIEWED, None)),
    (Qt.Key.Key_Delete, (keys.FORGET, None)),
    (Qt.Key.Key_Backspace, (keys.FORGET, None)),
    (Qt.Key.Key_Plus, (keys.ZOOM_IN, None)),
    (Qt.Key.Key_Equal, (keys.ZOOM_IN, None)),
    (Qt.Key.Key_Minus, (keys.ZOOM_OUT, None)),
    (Qt.Key.Key_M, (keys.TOGGLE_MAP, None)),
])
def test_each_review_key_has_its_action(key, action):
    assert key_action(key, NONE, CLASSES, in_grid=True) == action
    assert key_action(key, NONE, CLASSES, in_grid=False) == action


def test_a_number_key_of_no_class_does_nothing():
    assert key_action(Qt.Key.Key_9, NONE, CLASSES, in_grid=True) is None


def test_ctrl_z_undoes_and_other_modified_keys_are_left_to_qgis():
    assert key_action(Qt.Key.Key_Z, CTRL, CLASSES, in_grid=True) == (keys.UNDO, None)
    assert key_action(Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier, CLASSES, in_grid=True) is None
    assert key_action(Qt.Key.Key_1, CTRL, CLASSES, in_grid=True) is None
    assert key_action(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier, CLASSES, in_grid=True) is None
    assert key_action(Qt.Key.Key_Z, NONE, CLASSES, in_grid=True) is None


def test_arrows_move_outside_the_grid_only():
    assert key_action(Qt.Key.Key_Right, NONE, CLASSES, in_grid=False) == (keys.FORWARD, None)
    assert key_action(Qt.Key.Key_Down, NONE, CLASSES, in_grid=False) == (keys.FORWARD, None)
    assert key_action(Qt.Key.Key_Left, NONE, CLASSES, in_grid=False) == (keys.BACK, None)
    assert key_action(Qt.Key.Key_Right, NONE, CLASSES, in_grid=True) is None  # the grid moves itself


def test_plus_typed_with_shift_still_zooms():
    assert key_action(Qt.Key.Key_Plus, Qt.KeyboardModifier.ShiftModifier, CLASSES, in_grid=True) == (keys.ZOOM_IN, None)
