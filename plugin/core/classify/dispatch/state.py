"""What the dispatcher schedules and keeps track of: RetryPolicy (how patient a run is with failing
endpoints), WorkItem (a batch of chips, its tries and the endpoint it should avoid, halved to
isolate a chip) and EndpointState (one endpoint's health and counters, shared by its workers).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from ...chips.index import ChipEntry
from ..clients.endpoints import EndpointConfig
from ..request.chip_payload import ChipImage
from ..request.schemas import SIMPLE, STRICT, WITH_REASON


@dataclass
class RetryPolicy:
    """How patient a run is with failing endpoints. Tests shrink these to keep to a few seconds."""

    pause_after: int = 3  # failures in a row before an endpoint is paused
    pause_base: float = 15.0  # first pause, doubled on each further pause
    pause_max: float = 300.0
    backoff_base: float = 0.5  # a worker's wait after a failed request, doubled per failure in a row
    backoff_max: float = 10.0
    max_batch_failures: int = 4  # server failures on one batch before it is split to find the culprit
    all_dead_after: float = 300.0  # no endpoint usable for this long: the run stops
    check_timeout: float = 10.0  # the endpoint check at the start of a run
    progress_interval: float = 0.5
    # requests kept waiting in each server's own queue beyond its concurrency, so a GPU slot starts
    # the next batch the moment it is free instead of waiting for us to read, encode and upload it
    # (Ollama, vLLM and llama.cpp queue them). None: as many as the endpoint's concurrency.
    queue_ahead: Optional[int] = None


@dataclass
class WorkItem:
    chips: List[ChipEntry]
    attempts: int = 0
    failures: int = 0  # server failures (timeouts, 5xx) on exactly this batch
    avoid: str = ""  # endpoint that just failed on it; others take it first
    avoid_until: float = 0.0
    images: Dict[int, ChipImage] = field(default_factory=dict)
    answer_refused: bool = False  # an answer for it (or the batch it was halved from) was refused and said
    shape: str = WITH_REASON  # the answer asked for (schemas.WITH_REASON or CLASS_ONLY)
    reasons_pass: bool = False  # chips already classified, asked again for their reasons (REASONS=review)

    @property
    def fids(self) -> List[int]:
        return [c.fid for c in self.chips]

    def halves(self) -> List[WorkItem]:
        middle = (len(self.chips) + 1) // 2
        return [
            WorkItem(part, attempts=self.attempts, answer_refused=self.answer_refused, shape=self.shape,
                     reasons_pass=self.reasons_pass,
                     images={c.fid: self.images[c.fid] for c in part if c.fid in self.images})
            for part in (self.chips[:middle], self.chips[middle:])
            if part
        ]


class EndpointState:
    """Health and counters of one endpoint during a run (shared by its workers)."""

    def __init__(self, config: EndpointConfig):
        self.config = config
        self.name = config.name
        self.schema_kind = STRICT
        self.consecutive_failures = 0
        self.pause_count = 0
        self.paused_until = 0.0
        self.disabled = ""  # why this endpoint is out of the run (a sentence naming it)
        self.outage = False  # the last failure was an outage and nothing has been answered since
        self.said: Set[str] = set()  # what was said once of this endpoint (first_time)
        # the server's own context size, where its check said it and the request cannot set it
        self.server_context: Optional[int] = None
        self.server_kind = ""  # what the endpoint check found (clients.KIND_*), given to its clients
        self.chips_done = 0
        self.requests = 0
        self.sent = 0  # requests whose body was built and handed to the network
        self.failures = 0
        self.last_error = ""
        self.lock = threading.Lock()
        self.logprobs_asked = bool(getattr(config, "logprobs", False))  # until the server refuses them

    def usable(self, now: Optional[float] = None) -> bool:
        return not self.disabled and (now or time.monotonic()) >= self.paused_until

    def answering(self) -> bool:
        """In the run and not down since its last answer: what keeps a run from counting as dead.

        A server that fails on a batch (a 500, an answer too large) or is busy still answers, even
        while paused; one whose requests find nobody (refused, or a gateway saying its Ollama is gone)
        does not, even in the moments between its pauses (the issue saw 75 s against a 20 s limit).
        """
        return not self.disabled and not self.outage

    def pause_left(self) -> float:
        return max(0.0, self.paused_until - time.monotonic())

    def unreachable_at_start(self, policy: RetryPolicy) -> None:
        """The check at the start found nobody there: paused as after an outage, tried again later."""
        with self.lock:
            self.paused_until = time.monotonic() + policy.pause_base
            self.pause_count = 1
            self.outage = True

    # -- what its requests change (each under the lock: the endpoint's workers share it) ------------
    def request_started(self) -> None:
        with self.lock:
            self.requests += 1

    def request_sent(self) -> None:
        """The request's body was built and handed to the network (a client's on_send)."""
        with self.lock:
            self.sent += 1

    def batch_done(self, chips: int) -> None:
        with self.lock:
            self.chips_done += chips

    def answered(self) -> bool:
        """A request got an answer: the failures in a row and the outage are over. True the first time
        an answer shows that the server refused the log-probabilities (they are no longer asked)."""
        with self.lock:
            self.consecutive_failures = 0
            self.pause_count = 0
            self.outage = False
            refused = self.logprobs_asked and not self.config.logprobs
            if refused:
                self.logprobs_asked = False
        return refused

    def request_failed(self, message: str) -> None:
        with self.lock:
            self.failures += 1
            self.last_error = message

    def went_down(self, policy: RetryPolicy) -> float:
        """An outage: paused at once; returns the pause, 0 when another worker of it already paused it."""
        with self.lock:
            self.outage = True
            self.consecutive_failures = max(self.consecutive_failures, 1)
            # workers of one endpoint fail together: the first pauses it, the others only wait
            return self._pause_locked(policy) if self.pause_left() <= 0 else 0.0

    def failed(self, policy: RetryPolicy) -> Tuple[int, float]:
        """One more failure in a row; returns how many in a row and the pause it led to (0: none)."""
        with self.lock:
            self.consecutive_failures += 1
            in_a_row = self.consecutive_failures
            paused_for = 0.0
            if in_a_row >= policy.pause_after:
                paused_for = self._pause_locked(policy)
                # one more failure after the pause pauses it again, longer
                self.consecutive_failures = policy.pause_after - 1
        return in_a_row, paused_for

    def _pause_locked(self, policy: RetryPolicy) -> float:
        paused_for = min(policy.pause_max, policy.pause_base * (2 ** self.pause_count))
        self.pause_count += 1
        self.paused_until = time.monotonic() + paused_for
        return paused_for

    def use_simple_schema(self) -> bool:
        """The strict schema was refused: the simple one from now on; True when this switched it."""
        with self.lock:
            switched = self.schema_kind == STRICT
            self.schema_kind = SIMPLE
        return switched

    def leave_out(self, sentence: str) -> bool:
        """Out of the run, for the reason ``sentence``; True the first time."""
        with self.lock:
            first = not self.disabled
            self.disabled = sentence
        return first

    def first_time(self, what: str) -> bool:
        """True the first time ``what`` ("truncation", "low_count") is seen on this endpoint in this run:
        what is said of it is said once."""
        with self.lock:
            first = what not in self.said
            self.said.add(what)
        return first


def backoff(policy: RetryPolicy, in_a_row: int) -> float:
    """A worker's wait after its endpoint failed ``in_a_row`` times in a row."""
    return min(policy.backoff_max, policy.backoff_base * (2 ** (in_a_row - 1)))


# how long queued-ahead requests give way to the first requests of the other endpoints
FIRST_WAVE_WAIT = 2.0
