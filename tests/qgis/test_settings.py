"""Settings: one typed table of keys and defaults (plugin/settings.py), read and parsed in one place."""
import re
from pathlib import Path

import pytest
from qgis.core import QgsSettings

from chipvlm.plugin import settings

PLUGIN = Path(__file__).resolve().parents[2] / "plugin"


@pytest.fixture()
def clean():
    keys = [s.full_key for s in settings.SETTINGS]
    old = {key: QgsSettings().value(key, None) for key in keys}
    yield
    for key, value in old.items():
        if value is None:
            QgsSettings().remove(key)
        else:
            QgsSettings().setValue(key, value)


def test_every_key_is_in_the_table_once_under_the_prefix():
    keys = [s.full_key for s in settings.SETTINGS]
    assert len(keys) == len(set(keys))
    assert all(key.startswith("chipvlm/") for key in keys)
    assert settings.ENDPOINTS.full_key == settings.ENDPOINTS_KEY


def test_no_module_reads_or_writes_our_settings_but_settings_py():
    offenders = []
    for path in PLUGIN.rglob("*.py"):
        if path.name == "settings.py" and path.parent == PLUGIN:
            continue
        text = path.read_text(encoding="utf-8")
        # QgsSettings().value(...) of a chipvlm/ key, or a key string of our own outside the table
        for line in text.splitlines():
            if re.search(r"QgsSettings\(\)\.(value|setValue)\(", line) and "locale/userLocale" not in line:
                offenders.append(f"{path.relative_to(PLUGIN)}: {line.strip()}")
            if re.search(r"[\"'](chipvlm/)?(classify|review)/[a-z_]+[\"']", line):
                offenders.append(f"{path.relative_to(PLUGIN)}: {line.strip()}")
    assert not offenders, offenders


@pytest.mark.parametrize("setting, stored, expected", [
    (settings.CLASSIFY_BATCH_SIZE, "abc", 10),
    (settings.CLASSIFY_BATCH_SIZE, "500", 10),  # beyond the dialog's range: the default, not 100
    (settings.CLASSIFY_BATCH_SIZE, "25", 25),
    (settings.CLASSIFY_REVIEW_BELOW, "nan", 0.0),
    (settings.CLASSIFY_REVIEW_BELOW, "0.4", 0.4),
    (settings.CLASSIFY_RETRY_ERRORS, "false", False),
    (settings.CLASSIFY_RETRY_ERRORS, "maybe", True),
    (settings.CLASSIFY_UNCHECKED, "not json", []),
    (settings.CLASSIFY_UNCHECKED, '["gpu2"]', ["gpu2"]),
    (settings.CLASSIFY_SCHEME, None, ""),  # none chosen yet: the dialog takes the interface language's
])
def test_a_stored_value_is_parsed_by_its_type_or_reads_as_the_default(clean, setting, stored, expected):
    if stored is None:
        QgsSettings().remove(setting.full_key)
    else:
        QgsSettings().setValue(setting.full_key, stored)
    value = setting.read()
    assert value == expected and type(value) is type(expected)


def test_a_written_value_reads_back_with_its_type(clean):
    settings.CLASSIFY_LIMIT.write(250)
    settings.CLASSIFY_RETRY_ERRORS.write(False)
    settings.CLASSIFY_UNCHECKED.write(["甲", "gpu2"])
    assert settings.CLASSIFY_LIMIT.read() == 250
    assert settings.CLASSIFY_RETRY_ERRORS.read() is False
    assert settings.CLASSIFY_UNCHECKED.read() == ["甲", "gpu2"]
