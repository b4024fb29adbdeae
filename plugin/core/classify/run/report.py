"""What a classification run reports: Progress while it goes, RunSummary when it ends.

The algorithm's log, the task's progress bar and message bar and scripts read these; engine.py
fills them. RunBar is where the progress bar of the whole run stands, over the first pass and the
reasons pass (REASONS=review).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ...errors import Message

STAGE_CLASSES = "classes"  # the first pass: every chip to do, asked its class
STAGE_REASONS = "reasons"  # the reasons pass (REASONS=review): the chips that go to review, asked their reason


@dataclass
class Progress:
    """One report of a running classification. ``total``, ``done``, the rate and the time left are
    those of the pass under way (``stage``); ``classified``, ``errors`` and ``needs_review`` count the
    run's first pass; ``percent`` is the whole run's (RunBar)."""

    total: int  # chips this pass set out to do (first pass: to classify; reasons pass: to ask again)
    done: int  # of them, finished (a class, a reason or an error)
    classified: int
    errors: int
    needs_review: int
    elapsed_s: float
    chips_per_minute: float
    eta_s: Optional[float]
    per_endpoint: Dict[str, int]
    paused: List[str] = field(default_factory=list)
    stage: str = STAGE_CLASSES
    run_percent: Optional[float] = None  # where the whole run's bar stands (None: done/total of the pass)

    @property
    def percent(self) -> float:
        if self.run_percent is not None:
            return self.run_percent
        return 100.0 * self.done / self.total if self.total else 100.0

    def text(self) -> str:
        count = f"{self.done}/{self.total} chips"
        if self.stage == STAGE_REASONS:
            count = "reasons: " + count
        parts = [count, f"{self.chips_per_minute:.1f} chips/min"]
        if self.eta_s is not None and self.done < self.total:
            parts.append(f"about {format_duration(self.eta_s)} left")
        line = ", ".join(parts)
        if self.per_endpoint:
            line += "; " + ", ".join(f"{name}: {count}" for name, count in self.per_endpoint.items())
        if self.paused:
            line += "; paused: " + ", ".join(self.paused)
        return line


class RunBar:
    """Where the progress bar of a run stands, 0 to 100, over the first pass and the reasons pass.

    Each chip finished, in either pass, moves the bar by its share of what is left of the bar, what
    is left being the chips still to do as best known at that moment: the first pass's chips not
    finished plus the reasons pass's chips, estimated during the first pass from the share of its
    chips that went to review so far, counted exactly once the reasons pass starts.

    Why this scheme: counting the reasons pass's chips into the total as they become known makes the
    percentage drop each time a chip goes to review (and a clamp to keep it monotone makes the bar stand
    still until the count catches up); giving each pass a fixed share of the bar needs the review share
    before the first pass has seen it. Moving by the share of what is left never goes back, moves with
    every chip finished, and reaches 100 with the last chip of the run only: when the estimate was
    wrong, only the speed of the bar changes, never its direction.
    """

    def __init__(self):
        self.percent = 0.0
        self.done = 0

    def advance(self, done: int, left: float) -> float:
        """The bar once ``done`` chips of the run are finished (a running count) and ``left`` are (thought
        to be) still to do."""
        finished, self.done = done - self.done, max(done, self.done)
        if finished > 0:
            if left <= 0:
                self.percent = 100.0
            else:
                self.percent += (100.0 - self.percent) * finished / (finished + left)
        return self.percent

    def complete(self) -> float:
        """The run has ended with nothing left to do."""
        self.percent = 100.0
        return self.percent


@dataclass
class RunSummary:
    store_path: str
    results_csv: str
    index_path: str
    chips_in_index: int  # rows with status ok
    skipped_in_index: Dict[str, int]  # other statuses
    already_done: int
    to_do: int
    classified: int = 0  # this run
    errors: int = 0  # this run
    needs_review: int = 0  # this run
    canceled: bool = False
    stopped_reason: str = ""
    per_endpoint: Dict[str, int] = field(default_factory=dict)
    warnings: List[str] = field(default_factory=list)
    totals: Dict[str, int] = field(default_factory=dict)  # of the whole results file
    elapsed_s: float = 0.0
    # the reasons pass (REASONS=review): chips asked again, reasons stored, of them given with another class
    reasons_asked: int = 0
    reasons_added: int = 0
    reasons_other_class: int = 0

    @property
    def finished(self) -> bool:
        return not self.canceled and not self.stopped_reason and self.classified + self.errors >= self.to_do

    def text(self) -> str:
        totals = self.totals or {}
        line = (
            f"{self.classified} chips classified, {self.errors} errors, {self.needs_review} to review in this "
            f"run ({self.elapsed_s:.0f} s)."
        )
        if totals:
            line += (
                f" Results file: {totals.get('classified', 0)} classified, {totals.get('errors', 0)} errors, "
                f"{totals.get('needs_review', 0)} needing review."
            )
        if self.canceled:
            line += " Canceled: run again to continue where it stopped."
        if self.stopped_reason:
            line += " Stopped: " + self.stopped_reason
        return line


def eta_seconds(remaining: int, done: int, elapsed_s: float, expected_rate: Optional[float] = None,
                prior_chips: int = 0) -> Optional[float]:
    """Seconds left for ``remaining`` chips, from the rate this run measures (``done`` chips in
    ``elapsed_s``), None when there is no rate yet.

    With the rate the endpoint Test measured (``expected_rate``, chips per second) the run starts
    from it, as if ``prior_chips`` had already been done at that rate, and follows its own rate more
    with every chip: the first minutes (a model loading, the first wave of batches all in flight)
    no longer make the time left jump between nothing and hours.
    """
    prior = float(prior_chips) if expected_rate and expected_rate > 0 else 0.0
    chips = done + prior
    seconds = max(0.0, elapsed_s) + (prior / expected_rate if prior else 0.0)
    if chips <= 0 or seconds <= 0:
        return None
    return remaining / (chips / seconds)


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return Message("{0} s", seconds)
    if seconds < 5400:
        return Message("{0} min", round(seconds / 60))
    return Message("{0} h {1} min", seconds // 3600, round(seconds % 3600 / 60))
