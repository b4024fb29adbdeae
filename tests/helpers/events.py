"""Waiting in a GUI test the way QGIS's own event loop would."""
import time

from qgis.core import QgsApplication
from qgis.PyQt.QtTest import QTest


def wait_until(condition, timeout=15.0):
    """Process events until condition() holds; False at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        QgsApplication.processEvents()
        QTest.qWait(10)
    return condition()
