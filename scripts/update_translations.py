"""Collect the plugin's tr("...") texts into resources/i18n/chipvlm_*.ts and compile the .qm files.

    python scripts/update_translations.py            # update every .ts, keep existing translations, compile
    python scripts/update_translations.py --check    # exit 1 when a .ts lacks a text or a translation

Texts are found in every module that imports tr from plugin/i18n.py (calls to tr("...") and
self.tr("...") with a literal), and in the errors of plugin/core (ReviewError("...", values), shown
translated by i18n.tr_error). New texts enter the .ts as unfinished; translate them (Qt Linguist or
an editor) and run the script again. Texts of plugin/core shown translated by a caller are marked
N_("..."). Compiling needs `lrelease` (Debian: qttools5-dev-tools).
"""
import argparse
import ast
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "plugin"
I18N = ROOT / "resources" / "i18n"
CONTEXT = "ChipVLM"
IMPORT_MARKERS = ("from ..i18n import", "from .i18n import", "from ...i18n import",
                  "from .base import ChipVLMAlgorithm")  # an algorithm's self.tr() is i18n.tr


# Errors of plugin/core (which cannot import Qt) carry an English template that tr_error() translates:
# ChipVLMError (plugin/core/errors.py) and every class derived from it, found in the sources.
CORE_ERROR_BASE = "ChipVLMError"
# Other texts of plugin/core are marked N_("...") (a function that returns its text): translated by
# whoever shows them (plugin/core/assess/report.py gets the algorithm's tr()).
MARKER = "N_"


def core_error_names():
    """Names of ChipVLMError and of every class of plugin/ that derives from it, directly or not."""
    bases = {}
    for path in PLUGIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                    for b in node.bases)
    names = {CORE_ERROR_BASE, "Message"}  # Message (plugin/core/errors.py): core sentences, not errors
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in names and parents & names:
                names.add(name)
                grew = True
    return tuple(sorted(names))


def _called_name(node):
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def collect_texts(problems=None):
    """(text, [(relative path, line)]) in order of first appearance.

    `problems` (a list) receives tr() calls whose text is built at run time (an f-string, a "+" or a
    .format() inside tr()): no .ts can hold their translation.
    """
    found = {}
    core_errors = core_error_names()
    for path in sorted(PLUGIN.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        uses_tr = any(marker in source for marker in IMPORT_MARKERS)
        if not uses_tr and "N_(" not in source and not any(f"{name}(" in source for name in core_errors):
            continue
        tree = ast.parse(source, filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _called_name(node)
            if not ((name == "tr" and uses_tr) or name == MARKER or name in core_errors):
                continue
            first = node.args[0]
            where = (path.relative_to(ROOT).as_posix(), node.lineno)
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, []).append(where)
            elif problems is not None and isinstance(first, (ast.JoinedStr, ast.BinOp, ast.Call)):
                problems.append(where)
    return sorted(found.items(), key=lambda item: (item[1][0][0], item[1][0][1]))


def read_ts(path):
    """text -> translation ('' when unfinished) of an existing .ts."""
    if not path.exists():
        return {}
    translations = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        element = message.find("translation")
        unfinished = element is not None and element.get("type") in ("unfinished", "obsolete")
        translations[source] = "" if element is None or unfinished else (element.text or "")
    return translations


def write_ts(path, language, texts, translations):
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    missing = []
    for text, locations in texts:
        message = ET.SubElement(context, "message")
        for filename, line in locations:
            ET.SubElement(message, "location", filename=f"../../{filename}", line=str(line))
        ET.SubElement(message, "source").text = text
        translated = translations.get(text, "")
        element = ET.SubElement(message, "translation")
        if translated:
            element.text = translated
        else:
            element.set("type", "unfinished")
            missing.append(text)
    ET.indent(root) if hasattr(ET, "indent") else None
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return missing


def lrelease():
    for candidate in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease", "lrelease-qt6", "/usr/lib/qt6/bin/lrelease"):
        found = shutil.which(candidate) or (candidate if os.path.isfile(candidate) else None)
        if found:
            return found
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every .ts is complete")
    args = parser.parse_args(argv)
    built = []
    texts = collect_texts(built)
    for filename, line in built:
        print(f"{filename}:{line}: tr() of a text built at run time: translate the template, then format it")
    problems = len(built)
    for ts_path in sorted(I18N.glob("chipvlm_*.ts")):
        language = ts_path.stem.split("_", 1)[1]
        translations = read_ts(ts_path)
        if args.check:
            missing = [text for text, _ in texts if not translations.get(text)]
        else:
            missing = write_ts(ts_path, language, texts, translations)
        for text in missing:
            print(f"{ts_path.name}: not translated: {text!r}")
        problems += len(missing)
        if not args.check:
            tool = lrelease()
            if tool is None:
                print("lrelease not found (apt-get install qttools5-dev-tools): the .qm is not updated")
                return 1
            subprocess.run([tool, "-silent", str(ts_path), "-qm", str(ts_path.with_suffix(".qm"))], check=True)
            print(f"{ts_path.name}: {len(texts)} texts, {len(missing)} not translated -> {ts_path.with_suffix('.qm').name}")
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
