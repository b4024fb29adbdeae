"""The QGIS plugin object: registers the Processing provider and the GUI."""
from qgis.core import Qgis, QgsApplication, QgsMessageLog

from .core.dependencies import install_hint, missing_packages

LOG_TAG = "ChipVLM"


class ChipVLMPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.missing = missing_packages()
        self.actions = []

    # -- Processing -------------------------------------------------------------------------
    def initProcessing(self):
        if self.missing:
            return
        if self.provider is not None:
            return
        from .processing.provider import ChipVLMProvider

        self.provider = ChipVLMProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    # -- GUI --------------------------------------------------------------------------------
    def initGui(self):
        self.initProcessing()
        if self.missing:
            message = install_hint(self.missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Warning)
            if self.iface is not None:
                self.iface.messageBar().pushMessage("ChipVLM", message, Qgis.Warning, 0)
            return

    def unload(self):
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu("&ChipVLM", action)
                self.iface.removeToolBarIcon(action)
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
