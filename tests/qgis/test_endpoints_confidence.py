"""The endpoint option that asks for the model's confidence: on by default, saved with the endpoint."""
import json

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialogButtonBox

from chipvlm.plugin.core.classify.endpoints import EndpointConfig
from chipvlm.plugin.settings import ENDPOINTS_KEY, load_endpoints, save_endpoints


@pytest.fixture(autouse=True)
def no_saved_endpoints():
    QgsSettings().remove(ENDPOINTS_KEY)
    yield
    QgsSettings().remove(ENDPOINTS_KEY)


@pytest.fixture()
def open_dialog(qgis_new_project):
    from chipvlm.plugin.gui.endpoints_dialog import EndpointsDialog

    dialogs = []

    def make():
        dialog = EndpointsDialog()
        dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()


def test_confidence_is_asked_for_by_default_and_switching_it_off_is_saved(open_dialog):
    dialog = open_dialog()
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.logprobs_check.isChecked(), "on by default"
    dialog.logprobs_check.setChecked(False)
    QTest.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert [e.logprobs for e in load_endpoints()] == [False]
    again = open_dialog()
    assert not again.logprobs_check.isChecked()


def test_endpoints_saved_before_the_option_existed_ask_for_confidence():
    save_endpoints([EndpointConfig("gpu0", "http://localhost:11434")])
    items = json.loads(QgsSettings().value(ENDPOINTS_KEY))
    for item in items:
        del item["logprobs"]  # as an older version of the plugin saved them
    QgsSettings().setValue(ENDPOINTS_KEY, json.dumps(items))
    assert [e.logprobs for e in load_endpoints()] == [True]
