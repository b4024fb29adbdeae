"""The core's tests run without QGIS: `make test` runs this folder with the pytest-qgis plugin off."""
import sys


def test_no_qgis_application_is_started_for_unit_tests():
    assert "pytest_qgis" not in sys.modules, "run tests/unit with -p no:pytest_qgis (make test does)"
    assert "qgis.core" not in sys.modules, "a unit test (or conftest.py) imported QGIS"
