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
    complete_message_bar(iface.messageBar())
    return iface


def complete_message_bar(bar):
    """pytest-qgis's message bar records only pushMessage() (and 2.1's has no pushItem or pushWidget at
    all), while the plugin pushes whole items, as QGIS's bar takes them: record those too, as the text
    the analyst reads, so tests see every message whatever pytest-qgis's version."""
    if getattr(bar, "_chipvlm_records_items", False) or not hasattr(type(bar), "get_messages"):
        return bar  # done already, or QGIS's own bar (a test's), which holds its items itself
    from qgis.core import Qgis
    from qgis.PyQt.QtWidgets import QLabel

    original_item = getattr(type(bar), "pushItem", None)
    original_widget = getattr(type(bar), "pushWidget", None)

    def record(item, level):
        label = item.findChild(QLabel, "chipvlmMessage")
        text = label.text() if label is not None else f"{item.title()}:{item.text()}"
        bar.messages.setdefault(level, []).append(text)

    def push_item(item):
        record(item, item.level())
        if original_item is not None:
            original_item(bar, item)

    def push_widget(widget, level=Qgis.MessageLevel.Info, duration=0):
        record(widget, level)
        if original_widget is not None:
            original_widget(bar, widget, level, duration)

    bar.pushItem = push_item
    bar.pushWidget = push_widget
    bar._chipvlm_records_items = True
    return bar


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
