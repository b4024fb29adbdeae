"""Run inside a QGIS desktop by `qgis --code scripts/desktop_check.py` (the desktop install test).

Once the main window is up, it records what a user would see of ChipVLM: whether the plugin is
loaded and from where, the entries of its menu, and the review dock opened from that menu; it saves
a picture of the main window, writes the findings as JSON and quits QGIS.
Paths come from CHIPVLM_DESKTOP_OUT (JSON) and CHIPVLM_DESKTOP_PNG (picture).
"""
import json
import os
import traceback

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QTimer

OUT = os.environ["CHIPVLM_DESKTOP_OUT"]
PNG = os.environ["CHIPVLM_DESKTOP_PNG"]
TRIES = 60  # half-second steps while waiting for the plugin to be loaded


def _write(found):
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(found, handle, indent=1)


def _quit():
    QgsApplication.instance().exit(0)


def _check(tries_left=TRIES):
    import qgis.utils
    from qgis.utils import iface

    found = {"qgis": Qgis.QGIS_VERSION, "active_plugins": list(qgis.utils.active_plugins)}
    try:
        plugin = qgis.utils.plugins.get("chipvlm")
        if plugin is None and tries_left > 0:
            QTimer.singleShot(500, lambda: _check(tries_left - 1))
            return
        found["loaded"] = plugin is not None
        if plugin is not None:
            found["plugin_file"] = __import__("chipvlm").__file__
            menus = [a.menu() for a in iface.pluginMenu().actions()
                     if a.menu() is not None and a.menu().title().replace("&", "") == "ChipVLM"]
            found["menu"] = [a.text() for a in menus[0].actions()] if menus else []
            plugin.review_action.trigger()
            QgsApplication.processEvents()
            found["dock_visible"] = bool(plugin.review_dock is not None and plugin.review_dock.isVisible())
            found["dock_title"] = plugin.review_dock.windowTitle() if plugin.review_dock is not None else ""
        QTimer.singleShot(1500, lambda: _finish(found))
    except Exception:  # reported to the test, which fails with it
        found["error"] = traceback.format_exc()
        _write(found)
        _quit()


def _finish(found):
    from qgis.utils import iface

    try:
        QgsApplication.processEvents()
        # the message bar's texts are reported; QGIS's own about the machine (3.44 cannot download the
        # Open Sans font without a network) are cleared from the picture
        bar = iface.messageBar()
        found["messages"] = [" ".join(w.text().split()) for w in bar.items()] if hasattr(bar, "items") else []
        bar.clearWidgets()
        QgsApplication.processEvents()
        found["screenshot"] = bool(iface.mainWindow().grab().save(PNG))
    except Exception:
        found["error"] = traceback.format_exc()
    _write(found)
    QTimer.singleShot(0, _quit)


QTimer.singleShot(1000, _check)
