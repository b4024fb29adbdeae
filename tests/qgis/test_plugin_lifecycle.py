"""QGIS loads the plugin, registers one provider, unloads cleanly, and explains missing packages."""
import configparser
import json
import os
import subprocess
import sys

import pytest
from qgis.core import Qgis, QgsApplication

from conftest import ROOT
from helpers.plugin import complete_iface, load_plugin


def test_metadata_declares_what_the_plugin_manager_needs():
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    assert general["name"] == "ChipVLM"
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    # plugins.qgis.org decides QGIS 4 compatibility from the maximum; QGIS dropped supportsQt6
    assert general["qgisMaximumVersion"] == "4.99"
    assert "supportsQt6" not in general
    assert "对象" in general["about"] and "chip" in general["about"]
    assert os.path.exists(ROOT / general["icon"])


def test_load_unload_and_reload_leave_exactly_one_provider(qgis_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    plugin = load_plugin(qgis_iface)
    assert registry.providerById("chipvlm") is not None
    assert registry.algorithmById("chipvlm:cutchips") is not None
    plugin.unload()
    assert registry.providerById("chipvlm") is None
    again = load_plugin(qgis_iface)
    again.initProcessing()  # QGIS may call it twice
    assert [p.id() for p in registry.providers()].count("chipvlm") == 1
    again.unload()
    assert registry.providerById("chipvlm") is None


def test_missing_rasterio_is_explained_in_the_message_bar(qgis_iface, monkeypatch):
    registry = QgsApplication.processingRegistry()
    monkeypatch.setitem(sys.modules, "rasterio", None)  # as on a QGIS install without rasterio
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    before = len(warnings)
    plugin = load_plugin(qgis_iface)
    assert plugin.missing == ["rasterio"]
    assert registry.providerById("chipvlm") is None
    new = warnings[before:]
    assert len(new) == 1 and "rasterio" in new[0] and "pip install rasterio" in new[0]
    plugin.unload()


def test_qgis_process_runs_cutchips_on_a_real_raster(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from helpers.layers import write_layer
    from helpers.real_data import raster_bounds, read_index_rows, real_raster
    from qgis_env import prepare, qgis_process_command

    raster = real_raster("RGB.byte.tif")
    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    wkt = f"POLYGON(({cx} {cy},{cx+9000} {cy},{cx+9000} {cy+6000},{cx} {cy}))"
    layer_path = str(tmp_path / "objects.gpkg")
    write_layer(layer_path, [wkt, wkt.replace(str(cx), str(cx - 20000))], crs=crs.to_string())
    env = dict(os.environ, **prepare(tmp_path / "build"))
    out = tmp_path / "run"
    done = subprocess.run(
        qgis_process_command() + ["run", "chipvlm:cutchips", "--json", "--", f"INPUT={layer_path}",
                                  f"RASTER={raster}", "CHIP_SIZE=128", f"OUTPUT_FOLDER={out}"],
        capture_output=True, text=True, env=env, timeout=180)
    if done.returncode != 0:
        pytest.fail(f"qgis_process failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout[done.stdout.index("{"):])
    assert result["results"]["CHIP_COUNT"] == 2
    assert result["results"]["INDEX"] == str(out / "chips_index.csv")
    assert [r["status"] for r in read_index_rows(str(out))] == ["ok", "ok"]


def test_qgis_process_progress_dots_are_not_interrupted_by_progress_texts(tmp_path):
    """qgis_process prints its own progress dots on one line: a running count ran into them."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from helpers.layers import write_layer
    from helpers.real_data import raster_bounds, real_raster
    from qgis_env import prepare, qgis_process_command

    raster = real_raster("RGB.byte.tif")
    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    wkts = [f"POLYGON(({cx + d} {cy},{cx + d + 900} {cy},{cx + d + 900} {cy + 600},{cx + d} {cy}))"
            for d in range(-6000, 6000, 1000)]
    layer_path = str(tmp_path / "objects.gpkg")
    write_layer(layer_path, wkts, crs=crs.to_string())
    env = dict(os.environ, **prepare(tmp_path / "build"))
    done = subprocess.run(
        qgis_process_command() + ["run", "chipvlm:cutchips", "--", f"INPUT={layer_path}", f"RASTER={raster}",
                                  "CHIP_SIZE=64", "WORKERS=1", f"OUTPUT_FOLDER={tmp_path / 'run'}"],
        capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    dots = [line for line in done.stdout.splitlines() if "..." in line]
    assert dots and not [line for line in dots if "chips" in line], dots


def test_the_toolbox_lists_the_algorithms_in_the_order_of_the_work_with_their_own_icons(chipvlm_provider):
    algorithms = {a.id(): a for a in chipvlm_provider.algorithms()}
    assert set(algorithms) == {"chipvlm:cutchips", "chipvlm:classifychips", "chipvlm:writeclasses",
                               "chipvlm:mergeresults", "chipvlm:drawsample", "chipvlm:accuracyreport",
                               "chipvlm:exporttrainingset", "chipvlm:secondopinion"}
    # the Toolbox sorts groups by name: the step number in front keeps the order of the work
    steps = ["chipvlm:cutchips", "chipvlm:classifychips", "chipvlm:writeclasses", "chipvlm:drawsample",
             "chipvlm:accuracyreport", "chipvlm:exporttrainingset"]
    groups = [algorithms[a].group() for a in steps]
    assert groups == ["1 Cut", "2 Classify", "3 Review and write", "4 Audit", "5 Assess", "6 Learn"]
    assert algorithms["chipvlm:secondopinion"].group() == "6 Learn"
    assert algorithms["chipvlm:mergeresults"].group() == "2 Classify"
    assert len({a.groupId() for a in algorithms.values()}) == 6
    icons = {a.svgIconPath() for a in algorithms.values()}
    assert len(icons) == 8 and all(os.path.isfile(path) for path in icons)
    assert all(not a.icon().isNull() for a in algorithms.values())
    assert all(a.helpUrl().startswith("file://") and a.helpUrl().endswith("README.md") for a in algorithms.values())
    assert all(type(a.createInstance()) is type(a) and a.createInstance().name() == a.name()
               for a in algorithms.values())


def test_a_provider_already_registered_under_our_id_does_not_break_load_or_unload(qgis_iface, chipvlm_provider):
    import chipvlm

    registry = QgsApplication.processingRegistry()
    assert registry.providerById("chipvlm") is chipvlm_provider  # e.g. left by another copy of the plugin
    plugin = chipvlm.classFactory(complete_iface(qgis_iface))
    plugin.initProcessing()  # QGIS refuses (and deletes) a second provider with the same id
    assert plugin.provider is None
    plugin.initGui()
    plugin.unload()
    assert registry.providerById("chipvlm") is chipvlm_provider, "someone else's provider is left alone"


def test_the_menu_lists_the_steps_in_the_order_of_the_work_and_opens_the_algorithm_dialogs(
        qgis_iface, qgis_new_project):
    from qgis.PyQt.QtWidgets import QApplication

    plugin = load_plugin(qgis_iface)
    try:
        menu = qgis_iface.plugin_menus["&ChipVLM"]
        assert [action.objectName() for action in menu] == [
            "ChipVLMCutAction", "ChipVLMClassifyAction", "ChipVLMReviewAction", "ChipVLMWriteAction",
            "ChipVLMEndpointsAction"]
        assert [action.text() for action in menu][:4] == [
            "Cut chips…", "Classify chips…", "Review results", "Write classes…"]
        before = set(QApplication.topLevelWidgets())
        plugin.cut_action.trigger()
        opened = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
        assert len(opened) == 1 and opened[0].algorithm().id() == "chipvlm:cutchips"
        opened[0].close()
        dialog = plugin.show_algorithm_dialog("chipvlm:writeclasses")
        assert dialog.isVisible() and dialog.algorithm().id() == "chipvlm:writeclasses"
        dialog.close()
    finally:
        plugin.unload()
    assert qgis_iface.plugin_menus["&ChipVLM"] == []
