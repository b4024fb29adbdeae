"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

A package of small parts, each a widget or object of its own that talks through signals: `dock`
composes them into the QgsDockWidget (`run_panel.RunBar`, `layer_link.LayerLink`, `filters.FilterBar`,
`counter.Counter`, `large_view.ChipArea` with the `LargeView` and `panel.DecisionPanel`, `grid.ChipGrid`
over `model` or `audit_view`, `decisions.Reviewer`); `write_panel` writes classes back; `tiles`,
`images`, `map_link`, `keys`, `common` are what they use.
"""
from .dock import SETTINGS_LAST_RUN, ReviewDock

__all__ = ["SETTINGS_LAST_RUN", "ReviewDock"]
