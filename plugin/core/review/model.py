"""What a review lists and shows: scopes, sorts, statuses, the filter, one chip's review, the counts."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..schemes import ERROR_CLASS
from .files import ReviewError

# Review scopes: which results the dock lists before the other filters apply.
SCOPE_NEEDS_REVIEW = "needs_review"
SCOPE_ALL = "all"
SCOPE_ERRORS = "errors"
SCOPES = (SCOPE_NEEDS_REVIEW, SCOPE_ALL, SCOPE_ERRORS)

SORT_FID = "fid"
SORT_CLASS = "class"
SORT_CONFIDENCE = "confidence"  # least sure first; results without a confidence last
SORT_SECOND = "second"  # where the second opinion differs, surest first; then every other result by fid
SORTS = (SORT_FID, SORT_CLASS, SORT_CONFIDENCE, SORT_SECOND)

# Review status of a result, also written into the layer's review field.
STATUS_REVIEWED = "reviewed"  # an analyst decided the class
STATUS_TO_REVIEW = "to_review"  # the model could not tell, or gave no reason: waiting for an analyst
STATUS_ERROR = "error"  # not classified (class -1) and not reviewed
STATUS_MODEL = "model"  # the model's class, no review needed
STATUSES = (STATUS_REVIEWED, STATUS_TO_REVIEW, STATUS_ERROR, STATUS_MODEL)

FINAL_CLASS_SQL = "COALESCE(reviewed_class_id, class_id)"
# the confidence sort key: a result without one (the server gave no log-probabilities) after all others
NO_CONFIDENCE = 2.0
CONFIDENCE_SQL = f"COALESCE(confidence, {NO_CONFIDENCE})"
# the second-opinion sort key: a disagreement sorts by minus its sureness, anything else after them
NO_DISAGREEMENT = 1.0
SECOND_SQL = f"(CASE WHEN agrees = 0 THEN -COALESCE(second_confidence, 0) ELSE {NO_DISAGREEMENT} END)"

CHIP_COLUMNS = (
    "fid, chip_path, class_id, class_name, reason, needs_review, "
    "reviewed_class_id, reviewed_class_name, reviewed_at, reviewer, confidence, runner_up_class_id, "
    "second_class_id, second_confidence, agrees, model_class_id"
)


def parse_fids(text: str) -> List[int]:
    """Fids typed by a user: "12", "12, 40-45 7" -> [12, 40, 41, 42, 43, 44, 45, 7]."""
    fids: List[int] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", token)
        if match is None:
            raise ReviewError("'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45.", token)
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if end < start:
            start, end = end, start
        if end - start > 1_000_000:
            raise ReviewError("The fid range '{0}' is too large.", token)
        fids.extend(range(start, end + 1))
    return fids


@dataclass(frozen=True)
class ReviewFilter:
    """Which results to list, and in which order. The default lists what needs review, by fid."""

    scope: str = SCOPE_NEEDS_REVIEW
    class_id: Optional[int] = None  # the final class (reviewed, else predicted)
    reviewed: Optional[bool] = None  # True: reviewed only, False: not reviewed only
    fids: Optional[frozenset] = None  # only these fids (typed, or selected on the map)
    sort: str = SORT_FID
    confidence_below: Optional[float] = None  # only results the model was less sure of (NULL: never)
    second_differs: Optional[bool] = None  # True: only where the second opinion differs; False: where it agrees

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {self.scope!r}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {self.sort!r}")
        if self.fids is not None and not isinstance(self.fids, frozenset):
            object.__setattr__(self, "fids", frozenset(int(f) for f in self.fids))


@dataclass(frozen=True)
class ChipReview:
    """One result as the dock shows it."""

    fid: int
    chip_path: str
    class_id: int
    class_name: str
    reason: str
    needs_review: bool
    reviewed_class_id: Optional[int] = None
    reviewed_class_name: Optional[str] = None
    reviewed_at: Optional[str] = None
    reviewer: Optional[str] = None
    confidence: Optional[float] = None  # the model's probability of its class; None: the server gave none
    runner_up_class_id: Optional[int] = None
    second_class_id: Optional[int] = None  # chipvlm:secondopinion's class (None before it ran)
    second_confidence: Optional[float] = None
    agrees: Optional[bool] = None
    # the model's own class where APPLY_ABOVE replaced class_id with the second opinion's (else None)
    model_class_id: Optional[int] = None

    @classmethod
    def from_row(cls, row: Sequence) -> "ChipReview":
        return cls(
            fid=int(row[0]),
            chip_path=row[1] or "",
            class_id=int(row[2]),
            class_name=row[3] or "",
            reason=row[4] or "",
            needs_review=bool(row[5]),
            reviewed_class_id=row[6],
            reviewed_class_name=row[7],
            reviewed_at=row[8],
            reviewer=row[9],
            confidence=row[10] if len(row) > 10 else None,
            runner_up_class_id=row[11] if len(row) > 11 else None,
            second_class_id=row[12] if len(row) > 12 else None,
            second_confidence=row[13] if len(row) > 13 else None,
            agrees=None if len(row) <= 14 or row[14] is None else bool(row[14]),
            model_class_id=row[15] if len(row) > 15 else None,
        )

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_class_id is not None

    @property
    def final_class_id(self) -> int:
        return self.class_id if self.reviewed_class_id is None else int(self.reviewed_class_id)

    @property
    def final_class_name(self) -> str:
        return self.class_name if self.reviewed_class_id is None else (self.reviewed_class_name or "")

    @property
    def has_second_opinion(self) -> bool:
        return self.second_class_id is not None

    @property
    def second_applied(self) -> bool:
        """The second opinion's class replaced the model's (APPLY_ABOVE): class_id is no longer the model's."""
        return self.model_class_id is not None

    @property
    def second_differs(self) -> bool:
        return self.agrees is False

    @property
    def status(self) -> str:
        return review_status(self.class_id, self.needs_review, self.reviewed_class_id)

    def sort_key(self, sort: str) -> Tuple[float, ...]:
        if sort == SORT_CONFIDENCE:
            return (NO_CONFIDENCE if self.confidence is None else float(self.confidence), self.fid)
        if sort == SORT_SECOND:
            differs = self.agrees is False
            return (-float(self.second_confidence or 0) if differs else NO_DISAGREEMENT, self.fid)
        return (self.fid,) if sort == SORT_FID else (self.final_class_id, self.fid)


@dataclass(frozen=True)
class FinalClass:
    """What the layer gets for one fid."""

    fid: int
    class_id: int
    class_name: str
    status: str


@dataclass(frozen=True)
class ReviewCounts:
    total: int  # results in the file
    needs_review: int  # results the model flagged
    reviewed_of_needing: int  # of those, decided by an analyst
    reviewed: int  # every result an analyst decided, flagged or not
    errors: int  # results of class -1 (an analyst may have decided them since)

    @property
    def remaining(self) -> int:
        return self.needs_review - self.reviewed_of_needing


def review_status(class_id: int, needs_review: bool, reviewed_class_id: Optional[int]) -> str:
    if reviewed_class_id is not None:
        return STATUS_REVIEWED
    if class_id == ERROR_CLASS:
        return STATUS_ERROR
    if needs_review:
        return STATUS_TO_REVIEW
    return STATUS_MODEL


