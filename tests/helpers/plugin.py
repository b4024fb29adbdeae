"""Loading the plugin in a test as QGIS loads it."""
from qgis.core import QgsApplication


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
    plugin = chipvlm.classFactory(iface)
    plugin.initProcessing()
    plugin.initGui()
    return plugin
