"""Fixtures for tests that run inside QGIS (pytest-qgis starts the QgsApplication)."""
import pytest
from qgis.core import QgsApplication

_KEEP_ALIVE = []


@pytest.fixture()
def chipvlm_provider(qgis_app, qgis_processing):
    """The ChipVLM Processing provider, registered as the plugin does in initProcessing().

    Checked before every test: the plugin lifecycle tests unload the plugin, which removes it.
    """
    from chipvlm.plugin.processing.provider import ChipVLMProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("chipvlm")
    if provider is None:
        provider = ChipVLMProvider()
        registry.addProvider(provider)
        _KEEP_ALIVE.append(provider)  # sip would otherwise let Python collect the wrapper
    return provider


@pytest.fixture()
def run_algorithm(chipvlm_provider):
    """processing.run with a feedback that records what the algorithm told the user."""
    import processing

    from helpers.feedback import RecordingFeedback

    def run(algorithm_id, parameters, feedback=None):
        feedback = feedback or RecordingFeedback()
        result = processing.run(algorithm_id, parameters, feedback=feedback)
        return result, feedback

    return run


# -- review dock (issue 4) ----------------------------------------------------------------------
@pytest.fixture()
def review_dock(qgis_iface, qgis_new_project):
    """A factory of review docks shown as QGIS shows them; every one is closed after the test."""
    from qgis.core import QgsSettings

    from chipvlm.plugin.gui.review_dock import SETTINGS_LAST_RUN, ReviewDock

    docks = []

    def make():
        dock = ReviewDock(qgis_iface)
        dock.resize(900, 760)
        dock.show()
        docks.append(dock)
        return dock

    yield make
    for dock in docks:
        dock.close()
        dock.dispose()
        dock.deleteLater()
    QgsSettings().remove(SETTINGS_LAST_RUN)
