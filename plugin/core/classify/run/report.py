"""What a classification run reports: Progress while it goes, RunSummary when it ends.

The algorithm's log, the task's progress bar and message bar and scripts read these; engine.py
fills them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ...errors import Message


@dataclass
class Progress:
    total: int  # chips this run set out to classify
    done: int  # of them, finished (a class or an error)
    classified: int
    errors: int
    needs_review: int
    elapsed_s: float
    chips_per_minute: float
    eta_s: Optional[float]
    per_endpoint: Dict[str, int]
    paused: List[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0

    def text(self) -> str:
        parts = [f"{self.done}/{self.total} chips", f"{self.chips_per_minute:.1f} chips/min"]
        if self.eta_s is not None and self.done < self.total:
            parts.append(f"about {format_duration(self.eta_s)} left")
        line = ", ".join(parts)
        if self.per_endpoint:
            line += "; " + ", ".join(f"{name}: {count}" for name, count in self.per_endpoint.items())
        if self.paused:
            line += "; paused: " + ", ".join(self.paused)
        return line


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
