"""Fixtures for tests that run inside QGIS (pytest-qgis starts the QgsApplication).

Only this folder needs QGIS: `make test` runs tests/unit without the pytest-qgis plugin, so the core's
tests never start a QgsApplication.
"""
import os
import sys

import pytest
from qgis.core import QgsApplication

_KEEP_ALIVE = []


# -- leaving QGIS at the end of the session --------------------------------------------------------
# pytest-qgis calls exitQgis() while tearing down the last test, before pytest drops that test's
# fixture values. A QgsVectorLayer still held there is then destroyed after GDAL's drivers are gone
# and the process dies with SIGSEGV (exit 139) after every test passed: that is what turned CI red.
# So QGIS stays up until pytest has written its report, and the process then ends without running
# native destructors, with pytest's own exit status.
_EXIT_STATUS = {"status": None}


@pytest.fixture(autouse=True, scope="session")
def qgis_app():
    """Overrides pytest-qgis's fixture of the same name: the application, never exited mid-session."""
    import pytest_qgis.pytest_qgis as plugin

    yield plugin._APP


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    status = _EXIT_STATUS["status"]
    if status is None:
        return
    import shutil

    import pytest_qgis.pytest_qgis as plugin

    config_path = getattr(plugin, "_QGIS_CONFIG_PATH", None)
    if config_path and config_path.exists():
        shutil.rmtree(config_path, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


@pytest.fixture(autouse=True)
def _qgis_iface_as_qgis_has_it(qgis_iface):
    """pytest-qgis's iface completed with what QGIS's has and the plugin uses (helpers/plugin.py)."""
    from helpers.plugin import complete_iface

    complete_iface(qgis_iface)


@pytest.fixture()
def chinese():
    """The plugin's zh_CN translator installed for one test (helpers/chinese.py finds English)."""
    from chipvlm.plugin.i18n import install_translator, remove_translator

    translator = install_translator("zh_CN")
    assert translator is not None
    yield
    remove_translator(translator)


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


@pytest.fixture()
def classify_dialog(qgis_iface, qgis_new_project):
    """A factory of Classify chips dialogs (fast retry policy); every one is closed after the test."""
    from chipvlm.plugin.gui.classify_dialog import ClassifyDialog
    from fakes.runs import fast_policy

    dialogs = []

    def make():
        dialog = ClassifyDialog(qgis_iface, policy=fast_policy())
        dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()


@pytest.fixture()
def clean_classify_settings():
    """Saved endpoints and the Classify dialog's settings removed before and after the test; every
    classification task it started is cancelled and must be gone within 10 s."""
    from qgis.core import QgsSettings

    from chipvlm.plugin.gui.classify_task import running_tasks
    from chipvlm.plugin.settings import ENDPOINTS_KEY, PREFIX
    from helpers.events import wait_until

    def clean():
        settings = QgsSettings()
        settings.remove(ENDPOINTS_KEY)
        settings.remove(PREFIX + "classify")

    clean()
    yield
    for task in running_tasks():
        task.cancel()
    assert wait_until(lambda: not running_tasks(), 10), "a classification task outlived its test"
    clean()
