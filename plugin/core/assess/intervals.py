"""When an interval of the accuracy report means nothing, and the sample that would give it meaning.

The estimators (estimators.py) stay those of Olofsson et al. (2014): their variance of a stratum's
share is U (1 - U) / (n - 1). It is zero when the stratum's sample is all right (U = 1) or all wrong
(U = 0), so "0.000 ± 0.000" claims a certainty that 5 units cannot give, and the normal
approximation behind "estimate ± z SE" needs more than a handful of units (it also runs past 0 and
1). A class whose stratum is all right, all wrong or has under MIN_UNITS units therefore gets its
intervals (user's, producer's, adjusted area) marked unreliable; so does the overall interval when
one of the strata it sums is. The estimates themselves are not changed.

The sample that would give the interval meaning: enough units that the user's accuracy is known to
within ± TARGET_HALF_WIDTH, n = z^2 U (1 - U) / d^2 + 1 (the paper's variance solved for n), with U
the observed accuracy kept inside sampling.CONFIDENCE_UA_RANGE (an all-right sample of 5 says little
more than "high": 1.0 would ask for a single unit, 0.0 likewise), and never fewer than
sampling.DEFAULT_MIN_PER_CLASS, the floor the audit draws with (the paper's 50 per class).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Mapping

from .estimators import AccuracyAssessment, ClassEstimate
from .sampling import CONFIDENCE_UA_RANGE, DEFAULT_MIN_PER_CLASS

MIN_UNITS = 10  # fewer units in a stratum: its intervals are marked unreliable
TARGET_HALF_WIDTH = 0.10  # of a class's user's accuracy, for the recommended sample

ALL_CORRECT = "all_correct"
ALL_WRONG = "all_wrong"
FEW_UNITS = "under_10_units"
UNRELIABLE_STRATA = "unreliable_strata"  # the overall row: one of its strata is unreliable
OVERALL = "overall"  # the key (and the table's row) of the overall interval


@dataclass(frozen=True)
class Reliability:
    reasons: tuple  # codes above; empty when the interval can be read as one
    recommended: int  # units this stratum would need (0: more would not help, or the overall row)

    @property
    def unreliable(self) -> bool:
        return bool(self.reasons)


def class_reasons(estimate: ClassEstimate, correct: int) -> tuple:
    """Why a stratum's intervals mean nothing: all right, all wrong, under MIN_UNITS units."""
    n = estimate.sample_count
    if n == 0:
        return ()
    reasons = []
    if correct == n:
        reasons.append(ALL_CORRECT)
    elif correct == 0:
        reasons.append(ALL_WRONG)
    if n < MIN_UNITS:
        reasons.append(FEW_UNITS)
    return tuple(reasons)


def recommended_units(users_accuracy: float, z: float) -> int:
    """Units that know a stratum's user's accuracy to ± TARGET_HALF_WIDTH (never under the audit's floor)."""
    low, high = CONFIDENCE_UA_RANGE
    u = users_accuracy if not math.isnan(users_accuracy) else low
    u = min(max(u, low), high)
    needed = math.ceil(z * z * u * (1.0 - u) / TARGET_HALF_WIDTH ** 2 - 1e-9) + 1
    return max(DEFAULT_MIN_PER_CLASS, needed)


def reliability(assessment: AccuracyAssessment) -> Dict[object, Reliability]:
    """class id -> its intervals' reliability, and "overall" -> the overall interval's."""
    out: Dict[object, Reliability] = {}
    for k, estimate in enumerate(assessment.per_class):
        reasons = class_reasons(estimate, assessment.counts[k][k])
        needed = recommended_units(estimate.users_accuracy, assessment.z) if reasons else 0
        # a stratum that already has as many units is all right (or wrong) with no error to measure: no more to draw
        out[estimate.class_id] = Reliability(reasons, needed if needed > estimate.sample_count else 0)
    overall = (UNRELIABLE_STRATA,) if any(r.unreliable for r in out.values()) else ()
    if assessment.sample_size < MIN_UNITS:
        overall += (FEW_UNITS,)
    out[OVERALL] = Reliability(overall, 0)
    return out


def unreliable_classes(marks: Mapping[object, Reliability]) -> List[int]:
    return [c for c, mark in marks.items() if c != OVERALL and mark.unreliable]


def sample_size_text(assessment: AccuracyAssessment, marks: Mapping[object, Reliability]) -> str:
    """Draw audit sample's SIZE for a sample that gives every marked class a readable interval: each
    class its recommended units, the others the units they have (e.g. "1=50, 2=75, 5=97")."""
    parts = []
    for estimate in assessment.per_class:
        mark = marks.get(estimate.class_id)
        units = max(mark.recommended if mark is not None else 0, estimate.sample_count)
        if units:
            parts.append(f"{estimate.class_id}={units}")
    return ", ".join(parts)


def clipped(estimate: float, half_width: float, low: float = 0.0, high: float = math.inf):
    """(lower, upper) of estimate ± half_width kept inside [low, high], and whether it was cut."""
    lower, upper = estimate - half_width, estimate + half_width
    return max(lower, low), min(upper, high), lower < low or upper > high
