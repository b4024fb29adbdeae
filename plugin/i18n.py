"""Translations: every user-facing text of the plugin goes through tr(), one Qt context, one .qm per language.

The .ts/.qm files live in resources/i18n/ (chipvlm_zh_CN.ts ...); scripts/update_translations.py
collects the tr("...") texts (and the sentences of plugin/core's errors, see tr_error) into the .ts
and compiles the .qm. The language follows QGIS's own
(Settings > Options > General > User interface translation).
"""
import os

from qgis.core import QgsApplication, QgsSettings
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
    """The locale of QGIS's interface, e.g. "zh_CN" or "en_US"."""
    value = QgsSettings().value("locale/userLocale", "")
    if not value:
        value = QgsApplication.locale()
    return str(value or "en")


def translation_file(locale: str):
    """The .qm for a locale ("zh_CN", else "zh"), or None."""
    for name in (locale, locale.split("_")[0]):
        path = resource_path("i18n", f"chipvlm_{name}.qm")
        if name and os.path.isfile(path):
            return path
    return None


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
