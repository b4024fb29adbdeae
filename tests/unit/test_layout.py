"""The folders show the flow: core/ is QGIS-free, gui/ is only reached from plugin.py.

Read from the sources (ast), so a lazy import inside a function counts as much as one at the top.
"""
import ast

from conftest import ROOT

PLUGIN = ROOT / "plugin"


def imported_modules(path):
    """Absolute dotted names (relative to plugin/) of every module a file imports."""
    package = path.relative_to(PLUGIN).parent.parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[:len(package) - node.level + 1])
            target = base + (node.module.split(".") if node.module else [])
            names = [target + [alias.name] for alias in node.names] if not node.module else [target]
            found.extend(".".join(parts) for parts in names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chipvlm.plugin."):
            found.append(node.module[len("chipvlm.plugin."):])
        elif isinstance(node, ast.Import):
            found.extend(a.name[len("chipvlm.plugin."):] for a in node.names if a.name.startswith("chipvlm.plugin."))
    return found


def test_nothing_outside_gui_imports_gui_but_plugin_py():
    offenders = []
    for path in PLUGIN.rglob("*.py"):
        relative = path.relative_to(PLUGIN)
        if relative.parts[0] == "gui" or relative == relative.__class__("plugin.py"):
            continue
        for module in imported_modules(path):
            if module == "gui" or module.startswith("gui."):
                offenders.append(f"{relative} imports {module}")
    assert not offenders, offenders


def test_the_scan_sees_relative_and_lazy_imports(tmp_path):
    # the rule above would pass on a scan that found nothing: prove it finds what plugin.py imports
    found = imported_modules(PLUGIN / "plugin.py")
    assert "gui.review_dock" in found and "gui.classify_dialog" in found
    assert "layers.write_back" in imported_modules(PLUGIN / "processing" / "write_classes.py")


def test_the_four_steps_have_their_folders():
    for folder in ("core/chips", "core/classify", "core/review", "layers", "processing", "gui"):
        assert (PLUGIN / folder / "__init__.py").is_file(), folder
