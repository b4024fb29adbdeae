"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

A package of small parts, each testable on its own: `dock` wires them into the QgsDockWidget.
"""
from .dock import SETTINGS_LAST_RUN, ReviewDock

__all__ = ["SETTINGS_LAST_RUN", "ReviewDock"]
