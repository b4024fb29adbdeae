"""QGIS entry point of the ChipVLM plugin."""


def classFactory(iface):  # noqa: N802 (name fixed by QGIS)
    from .plugin.plugin import ChipVLMPlugin

    return ChipVLMPlugin(iface)
