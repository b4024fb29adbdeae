"""The QGIS plugin object: registers the Processing provider and the GUI."""
from qgis.core import Qgis, QgsApplication, QgsMessageLog

from .core.dependencies import install_hint, missing_packages

LOG_TAG = "ChipVLM"
MENU = "&ChipVLM"


class ChipVLMPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.missing = missing_packages()
        self.actions = []  # every menu entry, in the menu's order
        self.toolbar_actions = []
        from .i18n import install_translator

        self.translator = install_translator()
        self.review_dock = None
        self.classify_dialog = None
        self.endpoints_dialog = None
        self.cut_action = self.classify_action = self.review_action = None
        self.write_action = self.endpoints_action = None

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
                "its algorithms are the ones the Toolbox shows.", LOG_TAG, Qgis.MessageLevel.Warning)

    # -- GUI --------------------------------------------------------------------------------
    def initGui(self):
        self.initProcessing()
        if self.missing:
            message = install_hint(self.missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
            if self.iface is not None:
                from .gui.message_bar import push_message

                push_message(self.iface.messageBar(), "ChipVLM", message, Qgis.MessageLevel.Warning, 0)  # whole
            return
        self._init_menu()

    # -- Menu: the steps of the work, in their order --------------------------------------------------
    # Cutting and writing classes need no form of their own: their entries open the algorithm's
    # Processing dialog (added only when the provider has the algorithm).

    def _add_action(self, icon_name, text, tooltip, slot, object_name, toolbar=False):
        from qgis.PyQt.QtGui import QIcon

        from .compat import QAction
        from .core.resources import icon_path

        icon = QIcon(icon_path(icon_name)) if icon_name else QIcon()
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(object_name)
        action.setToolTip(tooltip)
        action.triggered.connect(slot)
        self.iface.addPluginToMenu(MENU, action)
        if toolbar:
            self.iface.addToolBarIcon(action)
            self.toolbar_actions.append(action)
        self.actions.append(action)
        return action

    def _init_menu(self):
        if self.iface is None or self.actions:
            return
        from .i18n import tr

        self.cut_action = self._algorithm_action("chipvlm:cutchips", tr("Cut chips…"), "ChipVLMCutAction")
        self.classify_action = self._add_action(
            "chipvlm.svg", tr("Classify chips…"),
            tr("Classify the chips of a run with a vision model, in the background"),
            self.show_classify_dialog, "ChipVLMClassifyAction")
        self.review_action = self._add_action(
            "review.svg", tr("Review results"), tr("Review the classes of a run and write them back to the layer"),
            self.show_review_dock, "ChipVLMReviewAction", toolbar=True)
        self.write_action = self._algorithm_action(
            "chipvlm:writeclasses", tr("Write classes…"), "ChipVLMWriteAction")
        self.endpoints_action = self._add_action(
            "", tr("Model endpoints…"), tr("Add, edit and test the model servers"),
            self.show_endpoints_dialog, "ChipVLMEndpointsAction")

    def _algorithm_action(self, algorithm_id, text, object_name):
        algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
        if algorithm is None:
            return None
        return self._add_action("", text, algorithm.shortDescription() or algorithm.displayName(),
                                lambda: self.show_algorithm_dialog(algorithm_id), object_name)

    def show_algorithm_dialog(self, algorithm_id):
        """The algorithm's own Processing dialog, not modal, as the Toolbox opens it; Cut chips with the
        imagery, the objects and their fid field already chosen where the project makes them obvious."""
        from processing import createAlgorithmDialog

        initial = {}
        if algorithm_id == "chipvlm:cutchips":
            from .gui.cut_defaults import cut_dialog_defaults

            initial = cut_dialog_defaults(self.iface)
        dialog = createAlgorithmDialog(algorithm_id, initial)
        if dialog is not None:
            dialog.show()
        return dialog

    # -- Review dock ------------------------------------------------------------------------------
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
            self.iface.removeDockWidget(self.review_dock)
            self.review_dock.deleteLater()
            self.review_dock = None
        from .i18n import remove_translator

        remove_translator(self.translator)
        self.translator = None

    # -- Classification dialogs -------------------------------------------------------------------
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
        from . import tasks

        tasks.cancel_all()  # a classification keeps its finished batches; a new run continues from there

    def unload(self):
        self._unload_classify()
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            if action in self.toolbar_actions:
                self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        self.toolbar_actions = []
        self.cut_action = self.classify_action = self.review_action = None
        self.write_action = self.endpoints_action = None
        self._unload_review()
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
