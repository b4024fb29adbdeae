"""What workers hand to the run's main thread through its queue (workers never touch the results
store): a request to keep in the requests table (a results.store.RequestRow), the rows of a finished
batch, a sentence for the log.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from ...results.store import ResultRow


@dataclass
class RowsDone:
    """A batch's rows, committed at once: classes, or error rows of chips given up on."""

    endpoint: Optional[str]  # None: chips that were never sent (their file could not be read)
    rows: List[ResultRow]
    # rows of the reasons pass (REASONS=review): chips already classified, asked again for their reason;
    # their error rows (class -1) mean only that no reason came, never that the chip's class is lost
    reasons_pass: bool = False


@dataclass
class Said:
    """A sentence for the run's log (a core Message)."""

    text: str
