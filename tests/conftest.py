"""Test setup shared by every test.

The repository is the plugin folder itself (metadata.txt at the top), so tests import it under the
name QGIS gives it once installed, ``chipvlm``, through a link made in a temporary folder.
"""
import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CHIPVLM_TESTING", "1")


def _plugin_link_dir() -> Path:
    """A folder holding ``chipvlm`` -> this repository (what QGIS_PLUGINPATH expects)."""
    tag = hashlib.sha1(str(ROOT).encode("utf-8")).hexdigest()[:8]  # hash() changes every run
    base = Path(tempfile.gettempdir()) / f"chipvlm-plugins-{os.getuid()}-{tag}"
    base.mkdir(parents=True, exist_ok=True)
    link = base / "chipvlm"
    if not link.exists():
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:
            pass
    return base


# tests/gateways/ runs against a real Open WebUI (make test-gateways), never in make test
collect_ignore = [] if os.environ.get("CHIPVLM_TEST_GATEWAYS") else ["gateways"]

PLUGIN_DIR = _plugin_link_dir()
for extra in (str(PLUGIN_DIR), str(TESTS), "/usr/share/qgis/python/plugins"):
    if extra not in sys.path:
        sys.path.insert(0, extra)


# -- leaving QGIS at the end of the session --------------------------------------------------------
# pytest-qgis calls exitQgis() while tearing down the last test, before pytest drops that test's
# fixture values. A QgsVectorLayer still held there is then destroyed after GDAL's drivers are gone
# and the process dies with SIGSEGV (exit 139) after every test passed: that is what turned CI red.
# So QGIS stays up until pytest has written its report, and the process then ends without running
# native destructors, with pytest's own exit status.
import pytest  # noqa: E402

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
