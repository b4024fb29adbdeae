"""A name with a leading underscore is its module's own: no other module imports it or reaches it
through the module (``from .x import _y``, ``x._y``). What another module needs gets a public name.

Read from the sources (ast), so a lazy import inside a function counts as much as one at the top.
"""
import ast

from conftest import ROOT

PLUGIN = ROOT / "plugin"

def private(name):
    return name.startswith("_") and not name.startswith("__")


def ours(node):
    return node.level > 0 or (node.module or "").startswith("chipvlm")


def private_uses(source):
    """``module.name`` of every private name of the plugin's modules that the source imports or
    reaches through a module it imported."""
    tree = ast.parse(source)
    found = []
    modules = set()  # names an import of ours binds (a module, with ``from . import transport``)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and ours(node):
            module = (node.module or "").rsplit(".", 1)[-1]
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{module}.{alias.name}")
                modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            if private(node.attr):
                found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_imports_a_private_name_of_another():
    uses = [
        f"{path.relative_to(PLUGIN).as_posix()}: {use}"
        for path in sorted(PLUGIN.rglob("*.py"))
        for use in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert uses == [], "give these names a public one"


def test_the_scan_sees_every_way_of_reaching_a_private_name():
    source = (
        "from .failures import RequestFailedError, _error_text\n"
        "from . import transport\n"
        "import os\n"
        "from chipvlm.plugin.core import files\n"
        "def f():\n"
        "    from ..answer.parse import _FENCE\n"
        "    return transport._local, files._tmp, os._exit, transport.request, self._own\n"
    )
    # os._exit is Python's, self._own the class's own: neither is another module of ours
    assert private_uses(source) == ["failures._error_text", "parse._FENCE", "transport._local", "files._tmp"]
