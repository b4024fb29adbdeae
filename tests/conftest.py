"""Test setup shared by every test.

The repository is the plugin folder itself (metadata.txt at the top), so tests import it under the
name QGIS gives it once installed, ``chipvlm``, through a link made in a temporary folder.
"""
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
    tag = str(abs(hash(str(ROOT))) % 10**8)
    base = Path(tempfile.gettempdir()) / f"chipvlm-plugins-{os.getuid()}-{tag}"
    base.mkdir(parents=True, exist_ok=True)
    link = base / "chipvlm"
    if not link.exists():
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:
            pass
    return base


PLUGIN_DIR = _plugin_link_dir()
for extra in (str(PLUGIN_DIR), str(TESTS), "/usr/share/qgis/python/plugins"):
    if extra not in sys.path:
        sys.path.insert(0, extra)
