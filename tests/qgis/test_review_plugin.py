"""The plugin's "Review results" action, the dock it opens, and the Chinese interface."""
import sys
import xml.etree.ElementTree as ET
from contextlib import ExitStack

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from conftest import ROOT
from helpers.locale import interface_language
from helpers.plugin import load_plugin

TS = ROOT / "resources" / "i18n" / "chipvlm_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "chipvlm_zh_CN.qm"


@pytest.fixture()
def qgis_locale():
    """Set QGIS's interface language for one test, as Settings > Options > General does."""
    with ExitStack() as stack:
        yield lambda value: stack.enter_context(interface_language(value))


def test_review_action_opens_the_dock_and_unload_removes_both(qgis_iface, qgis_new_project, qgis_locale):
    qgis_locale("en_US")
    plugin = load_plugin(qgis_iface)
    try:
        assert plugin.review_action is not None
        assert plugin.review_action.text() == "Review results"
        assert not plugin.review_action.icon().isNull()
        plugin.review_action.trigger()
        dock = plugin.review_dock
        assert dock is not None and not dock.isHidden()  # QGIS's main window is not shown in tests
        plugin.review_action.trigger()  # a second click shows the same dock
        assert plugin.review_dock is dock
    finally:
        plugin.unload()
    assert plugin.review_dock is None and plugin.review_action is None
    assert plugin.translator is None


def test_the_dock_opens_the_model_endpoints_dialog(qgis_iface, qgis_new_project, qgis_locale):
    qgis_locale("en_US")
    plugin = load_plugin(qgis_iface)
    try:
        plugin.review_action.trigger()
        assert plugin.endpoints_dialog is None
        plugin.review_dock.endpoints_button.click()
        dialog = plugin.endpoints_dialog
        assert dialog is not None and dialog.isVisible()
        plugin.review_dock.endpoints_button.click()  # a second click brings back the same dialog
        assert plugin.endpoints_dialog is dialog
    finally:
        plugin.unload()
    assert plugin.endpoints_dialog is None


def test_the_interface_follows_qgis_locale_into_chinese(qgis_iface, qgis_new_project, qgis_locale, tmp_path):
    qgis_locale("zh-Hans")  # what QGIS's Options write for 简体中文 (its own file is qgis_zh-Hans.qm)
    plugin = load_plugin(qgis_iface)
    try:
        assert plugin.translator is not None
        assert plugin.review_action.text() == "复核结果"
        plugin.review_action.trigger()
        dock = plugin.review_dock
        assert dock.write_button.text() == "写入图层"
        assert dock.counter_label.text() == "未打开运行结果"
        assert dock.scope_combo.itemText(0) == "需复核"
        # the review's own errors (written in plugin/core, which has no Qt) come translated too
        assert not dock.open_run(str(tmp_path))
        assert dock.status_label.text() == f"文件夹 {tmp_path} 中没有 results.sqlite:请先识别其切片,或直接打开结果文件。"
    finally:
        plugin.unload()
    # unloaded: the translator is gone with the plugin
    assert QCoreApplication.translate("ChipVLM", "Review results") == "Review results"


def test_every_text_is_translated_and_the_qm_matches_the_ts():
    sys.path.insert(0, str(ROOT / "scripts"))
    import update_translations

    assert update_translations.main(["--check"]) == 0, "run scripts/update_translations.py and translate"
    translator = QTranslator()
    assert translator.load(str(QM))
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 50
    QCoreApplication.installTranslator(translator)
    try:
        for message in messages:
            source = message.findtext("source")
            # through QCoreApplication, as tr() does: it passes non-ASCII sources (…, ·) as UTF-8
            assert QCoreApplication.translate("ChipVLM", source) == message.findtext("translation"), source
    finally:
        QCoreApplication.removeTranslator(translator)
