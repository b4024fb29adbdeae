"""Sample size and stratified random selection for the blind audit (pure Python, no file access).

Size (Olofsson et al. 2014, eq. 13, stratified random sampling, finite population ignored):

    n = ( sum_i W_i S_i / S(O) )^2,   S_i = sqrt(U_i (1 - U_i))

W_i the share of stratum i, U_i its expected user's accuracy, S(O) the standard error of overall
accuracy aimed at (TARGET_SE). The results file knows objects, not areas, so W_i is the stratum's
share of objects: with area weights in the report the achieved standard error differs somewhat.

Allocation: every stratum gets at least `min_per_class` units (or all of a smaller stratum), the rest
of n is shared in proportion to the strata's sizes (the paper's example gives its rare change
classes a fixed 75 and shares the rest proportionally). A stratum never gets more than it holds.

Selection: within a stratum, fids are ordered by SHA-256 of "<seed>:<fid>" and the first n_h taken:
the same seed on the same results draws the same sample on any machine and Python version (no
dependence on `random`'s algorithm), and adding results to another stratum does not change this
one's sample. The analyst's order interleaves the strata (SHA-256 of "<seed>:order:<fid>"), so the
position of a chip does not betray the model's class.
"""
from __future__ import annotations

import hashlib
import math
import re
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ..errors import ChipVLMError

DEFAULT_TARGET_SE = 0.01
DEFAULT_MIN_PER_CLASS = 50
# Expected user's accuracy when the model gives no confidence: 0.85 for a common class, 0.7 for a
# rare one (under RARE_SHARE of the objects). Olofsson's example expects less of its rare classes
# (0.7 for the change classes) than of the common ones; a VLM is likewise weaker where it saw less.
DEFAULT_UA_COMMON = 0.85
DEFAULT_UA_RARE = 0.70
RARE_SHARE = 0.10
# The mean confidence of a class is used when the model gave one, kept inside [0.5, 0.95]: models
# are overconfident, and U = 0.99 would make S_i nearly 0 and the sample too small to tell anything.
CONFIDENCE_UA_RANGE = (0.5, 0.95)

SIZE_EQ13 = "olofsson_eq13"
SIZE_TOTAL = "total"
SIZE_PER_CLASS = "per_class"


class SampleError(ChipVLMError):
    """A sample that cannot be drawn as asked; the message says why."""


def parse_size(text: Union[str, int, None]) -> Tuple[str, Union[None, int, Dict[int, int]]]:
    """SIZE as typed: empty or 0 -> (eq. 13, None); "640" -> (total, 640); "1=75, 2=100" -> (per class)."""
    if text is None:
        return SIZE_EQ13, None
    value = str(text).strip()
    if value in ("", "0"):
        return SIZE_EQ13, None
    if re.fullmatch(r"\d+", value):
        return SIZE_TOTAL, int(value)
    sizes: Dict[int, int] = {}
    for part in re.split(r"[,;\s]+", value):
        if not part:
            continue
        match = re.fullmatch(r"(-?\d+)\s*[=:]\s*(\d+)", part)
        if match is None:
            raise SampleError(
                "The sample size '{0}' is neither a number nor a list of class=size (e.g. 1=75, 2=100).", value)
        sizes[int(match.group(1))] = int(match.group(2))
    return SIZE_PER_CLASS, sizes


def expected_users_accuracy(share: float, mean_confidence: Optional[float]) -> Tuple[float, str]:
    """(U_i, where it came from): the class's mean confidence when known, else the default by rarity."""
    if mean_confidence is not None and not math.isnan(mean_confidence):
        low, high = CONFIDENCE_UA_RANGE
        return min(max(float(mean_confidence), low), high), "confidence"
    if share < RARE_SHARE:
        return DEFAULT_UA_RARE, "default_rare"
    return DEFAULT_UA_COMMON, "default_common"


def olofsson_sample_size(weights: Mapping[int, float], expected: Mapping[int, float], target_se: float) -> int:
    """Eq. 13: the total sample size for a target standard error of overall accuracy (rounded up)."""
    if not 0 < target_se < 1:
        raise SampleError("The target standard error must be between 0 and 1 (e.g. 0.01), not {0}.", target_se)
    total = sum(weights.values())
    spread = sum(w / total * math.sqrt(expected[c] * (1 - expected[c])) for c, w in weights.items())
    return int(math.ceil(round((spread / target_se) ** 2, 9)))


def allocate(total: int, populations: Mapping[int, int], min_per_class: int) -> Dict[int, int]:
    """n_h per stratum: at least min(min_per_class, N_h), the rest of `total` in proportion to N_h."""
    fixed: Dict[int, int] = {}
    while True:
        free = [c for c in populations if c not in fixed and populations[c] > 0]
        rest = total - sum(fixed.values())
        pool = sum(populations[c] for c in free)
        changed = False
        for c in free:
            share = rest * populations[c] / pool if pool else 0
            floor = min(min_per_class, populations[c])
            if share < floor:
                fixed[c] = floor
                changed = True
            elif share > populations[c]:
                fixed[c] = populations[c]
                changed = True
        if not changed:
            break
    sizes = dict(fixed)
    free = [c for c in populations if c not in fixed and populations[c] > 0]
    rest = max(total - sum(fixed.values()), 0)
    pool = sum(populations[c] for c in free)
    if free and pool:
        exact = {c: rest * populations[c] / pool for c in free}
        sizes.update({c: int(math.floor(v)) for c, v in exact.items()})
        # largest remainders get the units that rounding down left over
        left = rest - sum(sizes[c] for c in free)
        for c in sorted(free, key=lambda c: (-(exact[c] - math.floor(exact[c])), c))[:left]:
            sizes[c] += 1
    for c in populations:
        sizes.setdefault(c, 0)
    return sizes


def _key(seed: int, *parts) -> bytes:
    return hashlib.sha256(":".join(str(p) for p in (seed,) + parts).encode("ascii")).digest()


def select(fids_by_stratum: Mapping[int, Iterable[int]], sizes: Mapping[int, int], seed: int
           ) -> List[Tuple[int, int]]:
    """(fid, stratum) of the sample, in the order the analyst sees them."""
    chosen = []
    for stratum, fids in fids_by_stratum.items():
        ordered = sorted((int(f) for f in fids), key=lambda fid: _key(seed, fid))
        chosen.extend((fid, int(stratum)) for fid in ordered[: int(sizes.get(stratum, 0))])
    return sorted(chosen, key=lambda item: _key(seed, "order", item[0]))


def plan_sizes(
    populations: Mapping[int, int],
    mean_confidence: Mapping[int, Optional[float]],
    size: Union[str, int, None] = None,
    target_se: float = DEFAULT_TARGET_SE,
    min_per_class: int = DEFAULT_MIN_PER_CLASS,
) -> Tuple[str, Dict[int, int], Dict[int, Tuple[float, str]]]:
    """(size rule, n_h per stratum, (U_h, its origin) per stratum) for the strata's populations."""
    if min_per_class < 0:
        raise SampleError("The minimum per class cannot be negative ({0}).", min_per_class)
    population = sum(populations.values())
    if population == 0:
        raise SampleError("There is nothing to sample: the results have no classified object.")
    expected = {c: expected_users_accuracy(n / population, mean_confidence.get(c)) for c, n in populations.items()}
    rule, value = parse_size(size)
    if rule == SIZE_PER_CLASS:
        unknown = sorted(set(value) - set(populations))
        if unknown:
            raise SampleError("Class {0} of the sample size has no result to sample (classes: {1}).",
                              unknown[0], ", ".join(str(c) for c in sorted(populations)))
        sizes = {c: min(value.get(c, min_per_class), n) for c, n in populations.items()}
    else:
        total = value if rule == SIZE_TOTAL else olofsson_sample_size(
            populations, {c: u for c, (u, _) in expected.items()}, target_se)
        sizes = allocate(min(total, population), populations, min_per_class)
    return rule, sizes, expected


def sample_size_of(sizes: Mapping[int, int]) -> int:
    return int(sum(sizes.values()))


__all__: Sequence[str] = (
    "SampleError", "parse_size", "expected_users_accuracy", "olofsson_sample_size", "allocate", "select",
    "plan_sizes", "sample_size_of",
)
