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
        # -- review dock (issue 4) --
        from .i18n import install_translator

        self.translator = install_translator()
        self.review_dock = None
        self.review_action = None
        # -- end review dock --

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
        self._init_review_gui()

    # -- Review dock (issue 4) ----------------------------------------------------------------
    def _init_review_gui(self):
        if self.iface is None or self.review_action is not None:
            return
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        from .core.resources import icon_path
        from .i18n import tr

        self.review_action = QAction(QIcon(icon_path("review.svg")), tr("Review results"), self.iface.mainWindow())
        self.review_action.setObjectName("ChipVLMReviewAction")
        self.review_action.setToolTip(tr("Review the classes of a run and write them back to the layer"))
        self.review_action.triggered.connect(self.show_review_dock)
        self.iface.addPluginToMenu("&ChipVLM", self.review_action)
        self.iface.addToolBarIcon(self.review_action)

    def show_review_dock(self):
        if self.review_dock is None:
            from qgis.PyQt.QtCore import Qt

            from .gui.review_dock import ReviewDock

            self.review_dock = ReviewDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.review_dock.show()
        self.review_dock.raise_()
        return self.review_dock

    def _unload_review(self):
        if self.review_dock is not None:
            self.review_dock.dispose()
            remove = getattr(self.iface, "removeDockWidget", None)
            if remove is not None:
                remove(self.review_dock)
            self.review_dock.deleteLater()
            self.review_dock = None
        if self.review_action is not None:
            # pytest-qgis's iface has no removePluginMenu; QGIS's has both
            for remove, args in (("removePluginMenu", ("&ChipVLM", self.review_action)),
                                 ("removeToolBarIcon", (self.review_action,))):
                if self.iface is not None and hasattr(self.iface, remove):
                    getattr(self.iface, remove)(*args)
            self.review_action.deleteLater()
            self.review_action = None
        from .i18n import remove_translator

        remove_translator(self.translator)
        self.translator = None
    # -- end review dock --

    def unload(self):
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu("&ChipVLM", action)
                self.iface.removeToolBarIcon(action)
        self.actions = []
        self._unload_review()
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
