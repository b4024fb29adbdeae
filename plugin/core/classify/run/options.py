"""ClassifyOptions: everything a classification run is given, in one typed object.

The Classify dialog, chipvlm:classifychips and scripts build one alike (cutting has CutOptions);
ClassifyTask and run_classification take it whole. What a caller does while the run goes (progress,
cancel, log) is not an option: run_classification takes those beside it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import List, Optional, Union

from ... import defaults
from ...schemes import Scheme
from ..clients.endpoints import EndpointConfig
from ..dispatch.state import RetryPolicy

# REASONS: when the model writes a reason (docs/internals.md, "The reasons pass")
REASONS_REVIEW = "review"  # the class first; reasons asked again, batched, for the chips that go to review
REASONS_ALL = "all"  # class and reason in every answer
REASONS_NONE = "none"  # classes only, no reason at all
REASONS_CHOICES = (REASONS_REVIEW, REASONS_ALL, REASONS_NONE)


@dataclass
class ClassifyOptions:
    index_path: str  # chips_index.csv
    endpoints: List[EndpointConfig]  # with their API keys filled in (on QGIS's main thread)
    scheme: Union[str, Scheme] = defaults.SCHEME  # a shipped scheme's id, a .json path, or a Scheme
    store_path: Optional[str] = None  # results.sqlite; None: beside the index
    batch_size: int = defaults.BATCH_SIZE  # chips per request
    limit: int = 0  # only the first N chips still to do; 0 = all
    retry_errors: bool = True  # chips that ended as -1 in an earlier run are tried again
    # a result whose confidence is under it needs review (earlier results of the file too); 0 = off
    review_below: float = 0.0
    references: int = 0  # reference examples per class shown before every batch; 0 = none
    reference_results: Optional[str] = None  # where to take them; None: this run's results file
    policy: RetryPolicy = field(default_factory=RetryPolicy)  # tests shrink its waits; None: the default
    check: bool = True  # check the endpoints before anything is written
    export_csv: bool = True  # results.csv beside results.sqlite at the end
    reasons: str = REASONS_REVIEW  # one of REASONS_CHOICES

    def __post_init__(self) -> None:
        # what the widgets and Processing give (numbers as floats, paths as Path or "") made plain
        self.index_path = os.fspath(self.index_path)
        self.endpoints = list(self.endpoints)
        self.store_path = os.fspath(self.store_path) if self.store_path else None
        self.batch_size = int(self.batch_size)
        self.limit = max(0, int(self.limit or 0))
        self.retry_errors = bool(self.retry_errors)
        self.review_below = float(self.review_below or 0.0)
        self.references = max(0, int(self.references or 0))
        self.reference_results = os.fspath(self.reference_results) if self.reference_results else None
        self.policy = self.policy or RetryPolicy()
        if self.reasons not in REASONS_CHOICES:
            raise ValueError(f"REASONS is one of {REASONS_CHOICES}, not {self.reasons!r}")

    def with_model(self, model: str) -> "ClassifyOptions":
        """The same run with every endpoint asking for ``model`` (unchanged when it is empty)."""
        model = (model or "").strip()
        if not model:
            return self
        return replace(self, endpoints=[e.with_model(model) for e in self.endpoints])
