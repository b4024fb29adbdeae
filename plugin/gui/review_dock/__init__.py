"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

A package of small parts, each testable on its own: `dock` wires them into the QgsDockWidget
(`layout`, `run_panel`, `layer_link`, `decisions`, `write_panel`, `large_view`, `audit_view`: its
mixins; `model`, `tiles`, `images`, `map_link`, `keys`, `common`: the parts they use).
"""
from .dock import SETTINGS_LAST_RUN, ReviewDock

__all__ = ["SETTINGS_LAST_RUN", "ReviewDock"]
