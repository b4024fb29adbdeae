"""Translations: every user-facing text of the plugin goes through tr(), one Qt context, one .qm per language.

The .ts/.qm files live in resources/i18n/ (chipvlm_zh_CN.ts ...); scripts/update_translations.py
collects the tr("...") texts (and the sentences of plugin/core's errors, see tr_error) into the .ts
and compiles the .qm. The language follows QGIS's own
(Settings > Options > General > User interface translation).
"""
import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .core.resources import resource_path

CONTEXT = "ChipVLM"


def tr(message: str) -> str:
    return QCoreApplication.translate(CONTEXT, message)


def tr_error(error: Exception) -> str:
    """An error's sentence in the interface's language.

    plugin/core cannot call tr(): its errors (ReviewError) carry the English `template` and the
    `values` that fill it, and the template is collected into the .ts like any tr() text.
    """
    template = getattr(error, "template", None)
    if not isinstance(template, str):
        return str(error)
    values = getattr(error, "values", ())
    if not values:
        return tr(template)
    return tr(template).format(*(_translated(v) for v in values))


def _translated(value):
    """A value of a template: a core sentence (or a list of them) in the interface's language too."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(_translated(v)) for v in value)
    if isinstance(getattr(value, "template", None), str):
        return tr_error(value)
    return value


def qgis_locale() -> str:
    """The locale of QGIS's interface as QGIS decides it: Settings > Options > General writes
    locale/overrideFlag=true and locale/userLocale (QGIS's own names: "zh-Hans", "pt_BR"); without the
    override QGIS follows the system ("zh" of zh_CN)."""
    return str(QgsApplication.locale() or "en")


# the region a Chinese script is written in, for a locale that names only the script (QGIS's zh-Hans)
_SCRIPT_REGIONS = {"hans": "CN", "hant": "TW"}


def locale_names(locale: str):
    """Our translation names to try for a QGIS or Qt locale name, best first: "zh-Hans" -> zh_CN, zh;
    "zh-TW" and "zh_Hant_HK" -> zh_TW... (our files use Qt's names: chipvlm_zh_CN.qm)."""
    parts = [p for p in str(locale or "").strip().replace("-", "_").split("_") if p]
    if not parts:
        return []
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    script = next((p.lower() for p in parts[1:] if len(p) == 4), "")
    if not region and script in _SCRIPT_REGIONS and language == "zh":
        region = _SCRIPT_REGIONS[script]
    return ([f"{language}_{region}"] if region else []) + [language]


def translation_file(locale: str):
    """The .qm for a locale, or None: its own (zh_CN), its language's (zh), else another region's of
    its language (a zh_TW interface gets zh_CN: Simplified Chinese over English)."""
    names = locale_names(locale)
    for name in names:
        path = resource_path("i18n", f"chipvlm_{name}.qm")
        if os.path.isfile(path):
            return path
    if not names:
        return None
    folder = os.path.dirname(resource_path("i18n", "chipvlm.qm"))
    same_language = sorted(f for f in os.listdir(folder) if f.startswith(f"chipvlm_{names[-1]}_") and f.endswith(".qm"))
    return os.path.join(folder, same_language[0]) if same_language else None


def install_translator(locale: str = ""):
    """Install the plugin's translator for QGIS's locale; returns it (to remove on unload) or None."""
    path = translation_file(locale or qgis_locale())
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
