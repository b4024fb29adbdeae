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
        from .i18n import install_translator

        self.translator = install_translator()
        self.review_dock = None
        self.review_action = None
        self.classify_dialog = None
        self.endpoints_dialog = None
        self.classify_action = None
        self.endpoints_action = None

    # -- Processing -------------------------------------------------------------------------
    def initProcessing(self):
        if self.missing:
            return
        if self.provider is not None:
            return
        from .processing.provider import ChipVLMProvider

        provider = ChipVLMProvider()
        # QGIS refuses a second provider with our id and deletes it: keep only one that was added
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider
        else:
            QgsMessageLog.logMessage(
                "A Processing provider with the id 'chipvlm' is already registered (another copy of ChipVLM?); "
                "its algorithms are the ones the Toolbox shows.", LOG_TAG, Qgis.Warning)

    # -- GUI --------------------------------------------------------------------------------
    def initGui(self):
        self.initProcessing()
        if self.missing:
            message = install_hint(self.missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Warning)
            if self.iface is not None:
                self.iface.messageBar().pushMessage("ChipVLM", message, Qgis.Warning, 0)
            return
        self._init_classify_gui()
        self._init_review_gui()

    # -- Review dock ------------------------------------------------------------------------------
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
            self.review_dock.endpointsRequested.connect(self.show_endpoints_dialog)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.review_dock.show()
        self.review_dock.raise_()
        return self.review_dock

    def review_run(self, path):
        """Open a run's results in the review dock (the Review button of a finished classification)."""
        dock = self.show_review_dock()
        dock.open_run(path)
        return dock

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

    # -- Classification dialogs -------------------------------------------------------------------
    def _init_classify_gui(self):
        if self.iface is None or self.classify_action is not None:
            return
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        from .core.resources import icon_path
        from .i18n import tr

        self.classify_action = QAction(QIcon(icon_path("chipvlm.svg")), tr("Classify chips…"), self.iface.mainWindow())
        self.classify_action.setObjectName("ChipVLMClassifyAction")
        self.classify_action.setToolTip(tr("Classify the chips of a run with a vision model, in the background"))
        self.classify_action.triggered.connect(self.show_classify_dialog)
        self.endpoints_action = QAction(tr("Model endpoints…"), self.iface.mainWindow())
        self.endpoints_action.setObjectName("ChipVLMEndpointsAction")
        self.endpoints_action.setToolTip(tr("Add, edit and test the model servers"))
        self.endpoints_action.triggered.connect(self.show_endpoints_dialog)
        for action in (self.classify_action, self.endpoints_action):
            self.iface.addPluginToMenu("&ChipVLM", action)
            self.actions.append(action)

    def show_classify_dialog(self):
        if self.classify_dialog is None:
            from .gui.classify_dialog import ClassifyDialog

            self.classify_dialog = ClassifyDialog(self.iface, self.iface.mainWindow(), on_review=self.review_run)
            self.classify_dialog.finished.connect(self._forget_classify_dialog)
        self.classify_dialog.show()
        self.classify_dialog.raise_()
        self.classify_dialog.activateWindow()
        return self.classify_dialog

    def show_endpoints_dialog(self):
        if self.endpoints_dialog is None:
            from .gui.endpoints_dialog import EndpointsDialog

            self.endpoints_dialog = EndpointsDialog(self.iface.mainWindow())
            self.endpoints_dialog.finished.connect(self._forget_endpoints_dialog)
        self.endpoints_dialog.show()
        self.endpoints_dialog.raise_()
        self.endpoints_dialog.activateWindow()
        return self.endpoints_dialog

    def _forget_classify_dialog(self, *_args):
        if self.classify_dialog is not None:
            self.classify_dialog.deleteLater()
            self.classify_dialog = None

    def _forget_endpoints_dialog(self, *_args):
        if self.endpoints_dialog is not None:
            self.endpoints_dialog.deleteLater()
            self.endpoints_dialog = None

    def _unload_classify(self):
        for dialog in (self.classify_dialog, self.endpoints_dialog):
            if dialog is not None:
                dialog.reject()  # finished -> _forget_*: deleted and forgotten
        self.classify_dialog = self.endpoints_dialog = None
        import sys

        task_module = sys.modules.get(__package__ + ".gui.classify_task")
        if task_module is not None:
            task_module.cancel_running()  # finished batches are kept; a new run continues from there
        self.classify_action = self.endpoints_action = None

    def unload(self):
        self._unload_classify()
        for action in self.actions:
            if self.iface is not None:
                # pytest-qgis's iface has no removePluginMenu; QGIS's has both
                if hasattr(self.iface, "removePluginMenu"):
                    self.iface.removePluginMenu("&ChipVLM", action)
                self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        self._unload_review()
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
