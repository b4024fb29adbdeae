"""Every Qt and QGIS name the plugin reaches through a class, found by reading its source (AST).

Run as a script by the Qt6 readiness test inside a venv that has PyQt6 and no QGIS:

    python tests/helpers/qt_refs.py qt6 plugin/     -> JSON list of problems under PyQt6

and imported by the QGIS test (``qgis_problems``), which resolves the QGIS names under the QGIS that
runs the suite (3.22 on the host, 3.40 / 3.44 in the matrix chroots).

A reference is an attribute chain whose first name was imported from ``qgis.PyQt.*`` (Qt) or from
``qgis.core`` / ``qgis.gui`` (QGIS): ``Qt.AlignmentFlag.AlignLeft``, ``QMessageBox.question``,
``QgsProcessingParameterNumber.Type.Integer``. Each must resolve, and an enum member must be reached
through its own enum type (scoped form): ``Qt.AlignLeft`` resolves on PyQt5 but not on PyQt6.

Only ``plugin/compat.py`` may hold what differs between versions; there imports inside
``try: ... except ImportError:`` may fail, since one of the branches is the one that runs.
This file imports neither qgis nor PyQt at module level: it runs under PyQt6 without QGIS.
"""
import ast
import importlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

COMPAT = "compat.py"
QT_PREFIX = "qgis.PyQt."
QGIS_MODULES = ("qgis.core", "qgis.gui")

QVARIANT_TYPES = re.compile(r"\bQVariant\s*\.\s*(Int|UInt|LongLong|ULongLong|Double|String|Bool|Date|DateTime|"
                            r"Time|ByteArray|StringList|List|Map|Invalid|Type)\b")
# Written text that Qt6 removed, whatever resolves (comments are not code: they are skipped).
BANNED_TEXT = (
    (re.compile(r"\.exec_\s*\("), "exec_() is gone in PyQt6: call exec()"),
    (re.compile(r"\bQRegExp\b"), "QRegExp is gone in Qt6: use QRegularExpression"),
    (re.compile(r"\bQDesktopWidget\b"), "QDesktopWidget is gone in Qt6: use QScreen"),
    (re.compile(r"\bqApp\b"), "qApp is gone in PyQt6: use QApplication.instance()"),
    (re.compile(r"activated\s*\[\s*str\s*\]"), "activated[str] is gone in Qt6: use textActivated"),
    (re.compile(r"[Mm]etrics\w*\s*\([^()]*\)\s*\.width\s*\("),
     "QFontMetrics.width() is gone in Qt6: use horizontalAdvance()"),
    (QVARIANT_TYPES, "QVariant field types are gone in QGIS 4: use QMetaType.Type (through plugin/compat.py)"),
)


@dataclass(frozen=True)
class Reference:
    path: str
    line: int
    module: str  # "qgis.PyQt.QtCore", "qgis.core", ...
    chain: Tuple[str, ...]  # ("Qt", "AlignmentFlag", "AlignLeft")

    @property
    def text(self) -> str:
        return ".".join(self.chain)

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    module: str
    name: str
    guarded: bool  # inside try/except ImportError of plugin/compat.py


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        names = []
        if handler.type is None:
            names.append("ImportError")
        elif isinstance(handler.type, ast.Tuple):
            names += [getattr(e, "id", "") for e in handler.type.elts]
        else:
            names.append(getattr(handler.type, "id", ""))
        if {"ImportError", "ModuleNotFoundError", "Exception"} & set(names):
            return True
    return False


def _guarded_lines(tree: ast.AST) -> set:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and _catches_import_error(node):
            for inner in node.body + [line for handler in node.handlers for line in handler.body]:
                for sub in ast.walk(inner):
                    if hasattr(sub, "lineno"):
                        lines.add(sub.lineno)
    return lines


def _chain(node: ast.Attribute) -> Optional[Tuple[str, ...]]:
    parts = []
    current = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(current.id)
    return tuple(reversed(parts))


def _qt_imports(tree, rel: str, guarded) -> Tuple[Dict[str, Tuple[str, Optional[str]]], List[Import]]:
    """Local name -> (module, attribute or None), and the imports of Qt and QGIS modules."""
    names: Dict[str, Tuple[str, Optional[str]]] = {}
    imports: List[Import] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
            continue
        module = node.module
        if module.startswith(QT_PREFIX) or module in QGIS_MODULES:
            for alias in node.names:
                names[alias.asname or alias.name] = (module, alias.name)
                imports.append(Import(rel, node.lineno, module, alias.name, node.lineno in guarded))
        elif module == "qgis.PyQt":
            for alias in node.names:  # from qgis.PyQt import QtCore
                names[alias.asname or alias.name] = (f"{QT_PREFIX}{alias.name}", None)
                imports.append(Import(rel, node.lineno, f"{QT_PREFIX}{alias.name}", "", node.lineno in guarded))
    return names, imports


def _references(tree, rel: str, names) -> List[Reference]:
    """Every outermost attribute chain that starts at an imported Qt or QGIS name."""
    references: List[Reference] = []
    inner = {id(node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        chain = _chain(node)
        if not chain or chain[0] not in names:
            continue
        module, attribute = names[chain[0]]
        if attribute is None:  # QtCore.Qt.AlignLeft: the module alias is not part of the chain
            if len(chain) < 2:
                continue
            chain = chain[1:]
        references.append(Reference(rel, node.lineno, module, chain))
    return references


def _banned(source: str, rel: str, is_compat: bool, guarded) -> List[Tuple[str, int, str]]:
    banned = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        for pattern, why in BANNED_TEXT:
            if is_compat and (number in guarded or pattern is QVARIANT_TYPES):
                continue  # the one place that handles the versions
            if pattern.search(code):
                banned.append((rel, number, why))
    return banned


def scan_file(path: Path, root: Path) -> Tuple[List[Reference], List[Import], List[Tuple[str, int, str]]]:
    """References, imports and banned text of one source file."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    rel = str(path.relative_to(root.parent))
    is_compat = path.name == COMPAT
    guarded = _guarded_lines(tree) if is_compat else set()
    names, imports = _qt_imports(tree, rel, guarded)
    return _references(tree, rel, names), imports, _banned(source, rel, is_compat, guarded)


def scan(root: Path) -> Tuple[List[Reference], List[Import], List[Tuple[str, int, str]]]:
    references, imports, banned = [], [], []
    for path in sorted(root.rglob("*.py")):
        r, i, b = scan_file(path, root)
        references += r
        imports += i
        banned += b
    return references, imports, banned


def _is_enum_member(value) -> bool:
    import enum

    if isinstance(value, enum.Enum):
        return True
    return type(type(value)).__name__ == "enumtype"  # sip's enums (PyQt5, QGIS 3)


def resolve(base, chain: Tuple[str, ...]) -> Tuple[bool, str]:
    """(resolved in scoped form, why not)."""
    objects = [base]
    for index, name in enumerate(chain[1:], 1):
        try:
            objects.append(getattr(objects[-1], name))
        except AttributeError:
            return False, f"{'.'.join(chain[:index])} has no attribute {name}"
    value = objects[-1]
    if len(objects) >= 2 and _is_enum_member(value) and objects[-2] is not type(value):
        return False, (f"enum member reached without its type: write "
                       f"{'.'.join(chain[:-1])}.{type(value).__name__}.{chain[-1]}")
    return True, ""


def problems(root: Path, module_map, wanted) -> List[str]:
    """Every reference and import under ``root`` whose module ``wanted(module)`` selects, resolved
    after ``module_map(module)`` gives the module to import ("qgis.PyQt.QtCore" -> "PyQt6.QtCore")."""
    references, imports, banned = scan(root)
    found = [f"{path}:{line}: {why}" for path, line, why in banned]
    modules = {}
    alternatives: Dict[Tuple[str, str], bool] = {}  # guarded (path, name) -> one of its imports works
    for item in imports:
        if not wanted(item.module):
            continue
        target = module_map(item.module)
        try:
            modules[item.module] = module = importlib.import_module(target)
        except ImportError as error:
            if not item.guarded:
                found.append(f"{item.path}:{item.line}: cannot import {target}: {error}")
            continue
        if item.guarded:
            key = (item.path, item.name)
            alternatives[key] = alternatives.get(key, False) or hasattr(module, item.name)
            continue
        if item.name and not hasattr(module, item.name):
            found.append(f"{item.path}:{item.line}: {target} has no {item.name}"
                         + (" (put the version difference in plugin/compat.py)" if not item.path.endswith(COMPAT)
                            else ""))
    found += [f"{path}: no import of {name} works" for (path, name), ok in alternatives.items() if not ok]
    for ref in references:
        if not wanted(ref.module) or ref.module not in modules:
            continue
        base = getattr(modules[ref.module], ref.chain[0], None)
        if base is None:
            continue  # reported with the import
        ok, why = resolve(base, ref.chain)
        if not ok:
            found.append(f"{ref.where()}: {ref.text}: {why}")
    return sorted(set(found))


def qt6_problems(root: Path) -> List[str]:
    return problems(root, lambda m: "PyQt6." + m[len(QT_PREFIX):], lambda m: m.startswith(QT_PREFIX))


def qgis_problems(root: Path) -> List[str]:
    return problems(root, lambda m: m, lambda m: True)


def count(root: Path) -> Dict[str, int]:
    references, imports, _ = scan(root)
    return {"qt": sum(r.module.startswith(QT_PREFIX) for r in references),
            "qgis": sum(not r.module.startswith(QT_PREFIX) for r in references)}


def main(argv: List[str]) -> int:
    mode, root = argv[1], Path(argv[2]).resolve()
    found = qt6_problems(root) if mode == "qt6" else qgis_problems(root)
    print(json.dumps({"problems": found, "count": count(root)}))
    return 0


def iter_chains(root: Path) -> Iterator[str]:
    for ref in scan(root)[0]:
        yield f"{ref.where()} {ref.text}"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
