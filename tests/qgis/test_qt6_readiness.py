"""QGIS 4 (Qt6) readiness, proven without a QGIS 4 build: every Qt name the plugin reaches through a
class resolves under PyQt6 in scoped form, nothing Qt6 removed is written, and every QGIS enum is
scoped on the QGIS running the suite (3.22 here, 3.40 and 3.44 in `make test-matrix`).

PyQt6 comes from PyPI into a venv of its own, build/qt6-venv-<python> (made here when missing, or by
`make qt6-venv`; reused afterwards). The sources are read by tests/helpers/qt_refs.py (AST).
"""
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

HELPER = ROOT / "tests" / "helpers" / "qt_refs.py"
REQUIREMENTS = ROOT / "requirements-qt6.txt"
PLUGIN = ROOT / "plugin"


def qt6_venv() -> Path:
    """The PyQt6 venv for this Python (the matrix chroots see the same worktree with another Python)."""
    tag = hashlib.sha1(sys.version.encode("utf-8")).hexdigest()[:8]
    return ROOT / "build" / f"qt6-venv-{sys.implementation.cache_tag}-{tag}"


@pytest.fixture(scope="module")
def qt6_python():
    venv = qt6_venv()
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == wanted):
        venv.parent.mkdir(parents=True, exist_ok=True)
        made = subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make a venv for PyQt6 ({made.stderr.strip()[-300:]}): Qt6 readiness not checked")
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            capture_output=True, text=True, timeout=280)
        if installed.returncode != 0:
            pytest.skip(f"PyQt6 cannot be installed from PyPI here ({installed.stderr.strip()[-300:]}): "
                        "Qt6 readiness not checked")
        stamp.write_text(wanted, encoding="utf-8")
    return python


def scan_qt6(python: Path, root: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(python), str(HELPER), "qt6", str(root)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_every_qt_name_of_the_plugin_resolves_under_pyqt6_in_scoped_form(qt6_python):
    found = scan_qt6(qt6_python, PLUGIN)
    assert found["problems"] == []
    assert found["count"]["qt"] > 100  # the scan saw the plugin's Qt references (122 when written)


def test_every_qgis_enum_of_the_plugin_is_scoped_on_this_qgis():
    sys.path.insert(0, str(HELPER.parent))
    import qt_refs

    assert qt_refs.qgis_problems(PLUGIN) == []
    assert qt_refs.count(PLUGIN)["qgis"] > 40


def test_the_scan_reports_what_qt6_or_qgis_4_would_reject(qt6_python, tmp_path):
    """The scan itself: an unscoped enum, exec_(), QVariant field types and the removed Qt5 names are
    each reported with their line, a version difference outside compat.py too."""
    package = tmp_path / "plugin"
    package.mkdir()
    (package / "bad.py").write_text(textwrap.dedent("""\
        from qgis.core import QgsField
        from qgis.PyQt import QtCore
        from qgis.PyQt.QtCore import Qt, QVariant
        from qgis.PyQt.QtWidgets import QAction, QMessageBox

        def run(dialog, label, combo):
            label.setAlignment(Qt.AlignLeft)
            label.setAlignment(QtCore.Qt.AlignRight)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # fine
            dialog.exec_()
            field = QgsField("n", QVariant.Int)
            if QMessageBox.question(dialog, "t", "q") == QMessageBox.Yes:
                combo.activated[str].connect(print)
            width = label.fontMetrics().width("abc")
            return field, width, QAction, qApp  # noqa
        """), encoding="utf-8")
    problems = "\n".join(scan_qt6(qt6_python, package)["problems"])
    assert "bad.py:7: Qt.AlignLeft: Qt has no attribute AlignLeft" in problems
    assert "bad.py:8: Qt.AlignRight: Qt has no attribute AlignRight" in problems
    assert "bad.py:9" not in problems
    assert "bad.py:10: exec_() is gone" in problems
    assert "bad.py:11: QVariant field types" in problems
    assert "bad.py:12: QMessageBox.Yes: QMessageBox has no attribute Yes" in problems
    assert "bad.py:13: activated[str] is gone" in problems
    assert "bad.py:14: QFontMetrics.width() is gone" in problems
    assert "bad.py:15: qApp is gone" in problems
    assert "bad.py:4: PyQt6.QtWidgets has no QAction (put the version difference in plugin/compat.py)" in problems
