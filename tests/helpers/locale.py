"""QGIS's interface language, set as Settings > Options > General writes it."""
from contextlib import contextmanager

from qgis.core import QgsSettings

KEYS = ("locale/overrideFlag", "locale/userLocale")


@contextmanager
def interface_language(locale, override=True):
    """QGIS's Options write locale/overrideFlag (the "Override system locale" box) and
    locale/userLocale in QGIS's own names ("zh-Hans" for 简体中文); the old values come back after."""
    settings = QgsSettings()
    before = {key: settings.value(key, None) for key in KEYS}
    settings.setValue("locale/overrideFlag", bool(override))
    settings.setValue("locale/userLocale", locale)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)
