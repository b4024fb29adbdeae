"""Test setup shared by every test.

The repository is the plugin folder itself (metadata.txt at the top), so tests import it under the
name QGIS gives it once installed, ``chipvlm``, through the link scripts/qgis_env.py makes in build/.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


sys.path.insert(0, str(ROOT / "scripts"))
from qgis_env import expose_package  # noqa: E402

# tests/gateways/ runs against a real Open WebUI (make test-gateways), never in make test
collect_ignore = [] if os.environ.get("CHIPVLM_TEST_GATEWAYS") else ["gateways"]

PLUGIN_DIR = expose_package()
for extra in (str(PLUGIN_DIR), str(TESTS), "/usr/share/qgis/python/plugins"):
    if extra not in sys.path:
        sys.path.insert(0, extra)
