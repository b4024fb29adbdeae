"""plugin/core must import with qgis and Qt made unimportable: it runs headless and is tested in seconds."""
import subprocess
import sys
import textwrap

from conftest import PLUGIN_DIR, ROOT


def test_core_imports_without_qgis_or_qt():
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys

        class Block:
            BLOCKED = ("qgis", "PyQt5", "PyQt6", "PySide2", "PySide6", "sip")
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in self.BLOCKED:
                    raise ImportError(f"blocked: {{name}}")
                return None

        sys.meta_path.insert(0, Block())
        sys.path.insert(0, {str(PLUGIN_DIR)!r})
        import chipvlm.plugin.core as core
        names = []
        for info in pkgutil.walk_packages(core.__path__, "chipvlm.plugin.core."):
            importlib.import_module(info.name)
            names.append(info.name)
        assert not [m for m in sys.modules if m.split(".")[0] in Block.BLOCKED]
        print(len(names))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 6  # every module of chips/ at least


def test_no_core_source_mentions_qgis_or_qt_imports():
    offenders = []
    for path in (ROOT / "plugin" / "core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(
                    word in stripped.split()[1] for word in ("qgis", "PyQt", "PySide")):
                offenders.append(f"{path}: {stripped}")
    assert not offenders, offenders
