"""The plugin speaks the language QGIS is set to, named as QGIS names it (issue 17 point 4): choosing
简体中文 in Settings > Options > General writes locale/overrideFlag=true and locale/userLocale=zh-Hans
(QGIS's own translation is qgis_zh-Hans.qm), not Qt's zh_CN.
"""
import os

import pytest
from qgis.PyQt.QtCore import QLocale

from helpers.locale import interface_language
from helpers.plugin import load_plugin
from helpers.training import classify_rows, make_cut_run, review


@pytest.mark.parametrize("locale", ["zh-Hans", "zh_CN", "zh-CN", "zh-Hant", "zh_TW", "zh-TW", "zh_Hant_HK"])
def test_a_chinese_qgis_gets_the_chinese_plugin(qgis_iface, qgis_new_project, locale):
    with interface_language(locale):
        plugin = load_plugin(qgis_iface)
        try:
            assert plugin.translator is not None, locale
            assert plugin.review_action.text() == "复核结果"
        finally:
            plugin.unload()


@pytest.mark.parametrize("locale", ["en_US", "pt_BR", "de"])
def test_a_language_without_our_translation_stays_english(qgis_iface, qgis_new_project, locale):
    with interface_language(locale):
        plugin = load_plugin(qgis_iface)
        try:
            assert plugin.translator is None
            assert plugin.review_action.text() == "Review results"
        finally:
            plugin.unload()


def test_without_the_override_qgis_follows_the_system_and_so_does_the_plugin(qgis_iface, qgis_new_project):
    if QLocale().name().startswith("zh"):
        pytest.skip("the system itself is Chinese here")
    with interface_language("zh-Hans", override=False):  # chosen once, then the box unticked
        plugin = load_plugin(qgis_iface)
        try:
            assert plugin.translator is None and plugin.review_action.text() == "Review results"
        finally:
            plugin.unload()


def test_the_training_export_log_and_readme_are_chinese_in_a_chinese_qgis(qgis_iface, qgis_new_project, tmp_path):
    import processing

    from helpers.feedback import RecordingFeedback

    _, index, _ = make_cut_run(str(tmp_path / "cut"), count=6)
    results = classify_rows(index, {fid: 4 for fid in range(1, 7)})
    review(results, {1: 2, 2: 2, 3: 5})
    feedback = RecordingFeedback()
    with interface_language("zh-Hans"):
        plugin = load_plugin(qgis_iface)
        try:
            processing.run("chipvlm:exporttrainingset", {"RESULTS": results, "FORMAT": "csv",
                                                         "OUTPUT_FOLDER": str(tmp_path / "set")}, feedback=feedback)
        finally:
            plugin.unload()
    log = " ".join(feedback.infos)
    assert "已导出 3 张切片" in log and "个未复核" in log, log
    readme = open(os.path.join(tmp_path, "set", "README.txt"), encoding="utf-8").read()
    assert readme.startswith("ChipVLM 训练集") and "标签来源" in readme and "随机种子 1" in readme, readme
