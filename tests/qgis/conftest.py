"""Fixtures for tests that run inside QGIS (pytest-qgis starts the QgsApplication)."""
import pytest
from qgis.core import QgsApplication


@pytest.fixture(scope="session")
def chipvlm_provider(qgis_app, qgis_processing):
    """The ChipVLM Processing provider, registered once, as the plugin does in initProcessing()."""
    from chipvlm.plugin.processing.provider import ChipVLMProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("chipvlm")
    if provider is None:
        provider = ChipVLMProvider()
        registry.addProvider(provider)
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
