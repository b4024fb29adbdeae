"""Loading the plugin in a test as QGIS loads it."""
from qgis.core import QgsApplication


def complete_iface(iface):
    """pytest-qgis's iface lacks removePluginMenu, removeDockWidget and browserModel, which QGIS's has:
    add them, recording what the plugin put in its menu, so the plugin's code stays QGIS's (no hasattr).
    pytest-qgis 3+ (QGIS 3.34+) answers any unknown attribute with a MagicMock: only what the class
    itself defines counts as there."""
    def lacks(name):
        return name not in vars(iface) and not hasattr(type(iface), name)

    if lacks("plugin_menus"):
        iface.plugin_menus = {}
        original_add = iface.addPluginToMenu

        def add(name, action):
            iface.plugin_menus.setdefault(name, []).append(action)
            original_add(name, action)

        def remove(name, action):
            iface.plugin_menus.get(name, []).remove(action)

        iface.addPluginToMenu = add
        iface.removePluginMenu = remove
    if lacks("removeDockWidget"):
        iface.removeDockWidget = lambda dock: dock.hide()
    if lacks("browserModel"):  # Processing's algorithm dialogs ask for it
        from qgis.gui import QgsBrowserGuiModel

        model = QgsBrowserGuiModel()
        iface.browserModel = lambda: model
    return iface


def load_plugin(iface):
    """classFactory, initProcessing, initGui, as QGIS does; returns the plugin (call unload() after).

    A provider registered by the chipvlm_provider fixture is removed first, so that the plugin
    registers its own and its unload() is what is tested.
    """
    import chipvlm

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("chipvlm")
    if existing is not None:
        registry.removeProvider(existing)
    plugin = chipvlm.classFactory(complete_iface(iface))
    plugin.initProcessing()
    plugin.initGui()
    return plugin
