"""Accuracy and area from a stratified random sample whose strata are the map classes.

The estimators of Olofsson et al. (2014), "Good practices for estimating area and assessing accuracy
of land change", Remote Sensing of Environment 148: 42-57 (equations 2-5 and 9-12; they are those of
Olofsson et al. 2013 and Card 1982). Notation: i = map class (row, stratum), j = reference class
(column), n_ij = sample units, n_i. = units drawn in stratum i, W_i = the stratum's share of the
mapped total (area, or number of objects), A = the mapped total.

  p_ij = W_i n_ij / n_i.                                   estimated area proportion of cell ij
  overall accuracy    O = sum_j p_jj                       V(O) = sum_i W_i^2 U_i (1-U_i) / (n_i. - 1)
  user's accuracy     U_i = n_ii / n_i.                    V(U_i) = U_i (1-U_i) / (n_i. - 1)
  producer's accuracy P_j = p_jj / p_.j                    V(P_j): Olofsson 2014 eq. 7 (below)
  area proportion     p_.k = sum_i W_i n_ik / n_i.         V(p_.k) = sum_i W_i^2 f (1-f) / (n_i. - 1),
                                                            f = n_ik / n_i.
  error-adjusted area A_k = A p_.k, its standard error A SE(p_.k)

A confidence interval is the estimate +- z SE with z the normal quantile of the confidence level
(1.960 for 0.95, see z_value). No finite-population correction, as in the paper. Kappa is not computed: the paper
advises against it.

A stratum with mapped area but no sample unit cannot be estimated: it is left out, the weights of the
others are renormalised and `AccuracyAssessment.unsampled` names it (the report says so). A stratum
of one unit has no variance estimate (n_i. - 1 = 0): its standard errors are NaN.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..errors import ChipVLMError

NAN = float("nan")


class AssessError(ChipVLMError):
    """An accuracy assessment that cannot be computed; the message says why."""


def z_value(confidence: float) -> float:
    """The two-sided normal quantile of a confidence level, to three decimals as printed in the
    tables the paper used (0.95 -> 1.960, 0.90 -> 1.645, 0.99 -> 2.576): with the unrounded 1.95996
    the paper's 16,282 ha would come out as 16,281."""
    if not 0.0 < confidence < 1.0:
        raise AssessError("The confidence level must be between 0 and 1 (e.g. 0.95), not {0}.", confidence)
    return round(NormalDist().inv_cdf(0.5 + confidence / 2.0), 3)


@dataclass
class ClassEstimate:
    class_id: int
    mapped_area: float  # in the unit of the areas given (the report uses hectares)
    mapped_count: Optional[int]
    sample_count: int  # units drawn in this stratum (n_i.)
    users_accuracy: float
    users_se: float
    producers_accuracy: float
    producers_se: float
    proportion: float  # estimated area proportion of the class (p_.k)
    proportion_se: float
    adjusted_area: float
    adjusted_area_se: float


@dataclass
class AccuracyAssessment:
    classes: List[int]  # order of rows and columns
    counts: List[List[int]]  # error matrix in sample counts: rows map, columns reference
    proportions: List[List[float]]  # error matrix in estimated area proportions
    overall: float
    overall_se: float
    confidence: float
    z: float
    total_area: float
    per_class: List[ClassEstimate]
    sample_size: int
    unsampled: List[int] = field(default_factory=list)  # mapped classes without a sample unit

    def ci(self, se: float) -> float:
        """Half-width of the confidence interval of an estimate with this standard error."""
        return self.z * se

    @property
    def overall_ci(self) -> float:
        return self.ci(self.overall_se)

    def estimate(self, class_id: int) -> ClassEstimate:
        for item in self.per_class:
            if item.class_id == class_id:
                return item
        raise KeyError(class_id)


def error_matrix(pairs: Iterable[Tuple[int, int]], classes: Optional[Sequence[int]] = None):
    """(classes, counts) from (map class, reference class) pairs; classes default to all seen, sorted."""
    pairs = [(int(m), int(r)) for m, r in pairs]
    if classes is None:
        classes = sorted({c for pair in pairs for c in pair})
    classes = list(classes)
    position = {c: k for k, c in enumerate(classes)}
    counts = [[0] * len(classes) for _ in classes]
    for mapped, reference in pairs:
        if mapped not in position or reference not in position:
            raise AssessError("Class {0} is not among the classes of the assessment.",
                              mapped if mapped not in position else reference)
        counts[position[mapped]][position[reference]] += 1
    return classes, counts


def _variance_share(share: float, n: int) -> float:
    return share * (1.0 - share) / (n - 1) if n > 1 else NAN


def assess(
    classes: Sequence[int],
    counts: Sequence[Sequence[int]],
    mapped_areas: Mapping[int, float],
    confidence: float = 0.95,
    mapped_counts: Optional[Mapping[int, int]] = None,
) -> AccuracyAssessment:
    """Olofsson et al. (2014) estimates from an error matrix (rows map, columns reference, in sample
    counts) and the mapped area (or object count) of each map class.

    `mapped_areas` may name classes that are missing from `classes`: they become rows and columns.
    """
    classes = [int(c) for c in classes]
    extra = [int(c) for c in mapped_areas if int(c) not in classes]
    size = len(classes) + len(extra)
    matrix = [list(map(int, row)) + [0] * len(extra) for row in counts] + [[0] * size for _ in extra]
    classes = classes + sorted(extra)
    if len(matrix) != len(classes) or any(len(row) != len(classes) for row in matrix):
        raise AssessError("The error matrix must have one row and one column per class ({0}).", len(classes))
    z = z_value(confidence)
    area = {c: float(mapped_areas.get(c, 0.0) or 0.0) for c in classes}
    for c, value in area.items():
        if value < 0 or math.isnan(value):
            raise AssessError("The mapped area of class {0} is not a positive number: {1}.", c, value)
    n_row = [sum(row) for row in matrix]
    sample_size = sum(n_row)
    if sample_size == 0:
        raise AssessError("The reference sample is empty: no sample unit has a reference class.")
    unsampled = [c for k, c in enumerate(classes) if area[c] > 0 and n_row[k] == 0]
    sampled_area = sum(area[c] for k, c in enumerate(classes) if n_row[k] > 0)
    if sampled_area <= 0:
        raise AssessError("No sampled class has a mapped area: the map and the reference do not overlap.")
    total_area = sum(area.values())
    weight = [area[c] / sampled_area if n_row[k] > 0 else 0.0 for k, c in enumerate(classes)]
    size = len(classes)
    share = [[matrix[i][j] / n_row[i] if n_row[i] else 0.0 for j in range(size)] for i in range(size)]
    proportions = [[weight[i] * share[i][j] for j in range(size)] for i in range(size)]
    column = [sum(proportions[i][j] for i in range(size)) for j in range(size)]

    overall = sum(proportions[k][k] for k in range(size))
    overall_var = sum(weight[i] ** 2 * _variance_share(share[i][i], n_row[i]) for i in range(size) if n_row[i])

    # Producer's accuracy uses estimated totals N_i. = mapped area of the stratum (eq. 7 of the paper).
    mapped = [weight[i] * sampled_area for i in range(size)]
    per_class = []
    for k, c in enumerate(classes):
        users = share[k][k] if n_row[k] else NAN
        users_var = _variance_share(users, n_row[k]) if n_row[k] else NAN
        estimated_total = sum(mapped[i] * share[i][k] for i in range(size))  # N_.k
        if estimated_total > 0:
            producers = proportions[k][k] / column[k]
            others = sum(
                mapped[i] ** 2 * _variance_share(share[i][k], n_row[i])
                for i in range(size) if i != k and n_row[i]
            )
            own = mapped[k] ** 2 * (1 - producers) ** 2 * users_var if n_row[k] else 0.0
            producers_var = (own + producers ** 2 * others) / estimated_total ** 2
        else:
            producers, producers_var = NAN, NAN
        proportion_var = sum(weight[i] ** 2 * _variance_share(share[i][k], n_row[i]) for i in range(size)
                             if n_row[i])
        per_class.append(ClassEstimate(
            class_id=c,
            mapped_area=area[c],
            mapped_count=None if mapped_counts is None else int(mapped_counts.get(c, 0)),
            sample_count=n_row[k],
            users_accuracy=users,
            users_se=math.sqrt(users_var) if not math.isnan(users_var) else NAN,
            producers_accuracy=producers,
            producers_se=math.sqrt(producers_var) if not math.isnan(producers_var) else NAN,
            proportion=column[k],
            proportion_se=math.sqrt(proportion_var) if not math.isnan(proportion_var) else NAN,
            adjusted_area=sampled_area * column[k],
            adjusted_area_se=sampled_area * math.sqrt(proportion_var) if not math.isnan(proportion_var) else NAN,
        ))
    return AccuracyAssessment(
        classes=classes,
        counts=matrix,
        proportions=proportions,
        overall=overall,
        overall_se=math.sqrt(overall_var) if not math.isnan(overall_var) else NAN,
        confidence=confidence,
        z=z,
        total_area=total_area,
        per_class=per_class,
        sample_size=sample_size,
        unsampled=unsampled,
    )


@dataclass
class RatioEstimate:
    value: float
    se: float


@dataclass
class StrataAssessment:
    """Accuracy of a map whose classes are not the sampling strata (a second run on the same sample)."""

    classes: List[int]
    overall: RatioEstimate
    users: Dict[int, RatioEstimate]
    producers: Dict[int, RatioEstimate]
    proportions: Dict[int, RatioEstimate]
    confidence: float
    z: float
    sample_size: int

    def ci(self, se: float) -> float:
        return self.z * se


def _mean_var_cov(xs: Sequence[float], ys: Sequence[float]) -> Tuple[float, float, float, float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    if n < 2:
        return mx, my, NAN, NAN, NAN
    vx = sum((x - mx) ** 2 for x in xs) / (n - 1)
    vy = sum((y - my) ** 2 for y in ys) / (n - 1)
    cxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (n - 1)
    return mx, my, vx, vy, cxy


def assess_by_strata(
    units: Sequence[Tuple[int, int, int]],
    stratum_sizes: Mapping[int, float],
    confidence: float = 0.95,
) -> StrataAssessment:
    """Stehman (2014) estimators for stratified random sampling when the map classes are not the
    strata: `units` are (stratum, map class, reference class), `stratum_sizes` the area (or count) of
    each stratum. Every estimate is a ratio R = sum_h W_h mean(y_h) / sum_h W_h mean(x_h) with
    V(R) = 1/X^2 sum_h W_h^2 (s2_yh + R^2 s2_xh - 2 R s_xyh) / n_h (no finite-population correction).
    With strata = map classes it gives Olofsson's estimates (tested)."""
    z = z_value(confidence)
    by_stratum: Dict[int, List[Tuple[int, int]]] = {}
    for stratum, mapped, reference in units:
        by_stratum.setdefault(int(stratum), []).append((int(mapped), int(reference)))
    sampled = {h: float(stratum_sizes.get(h, 0.0)) for h in by_stratum}
    total = sum(sampled.values())
    if not by_stratum or total <= 0:
        raise AssessError("The reference sample is empty: no sample unit has a reference class.")
    weight = {h: size / total for h, size in sampled.items()}
    classes = sorted({c for values in by_stratum.values() for pair in values for c in pair})

    def ratio(y_of, x_of) -> RatioEstimate:
        parts = []
        for h, values in by_stratum.items():
            ys = [float(y_of(m, r)) for m, r in values]
            xs = [float(x_of(m, r)) for m, r in values]
            parts.append((weight[h], len(values)) + _mean_var_cov(xs, ys))
        big_x = sum(w * mx for w, _, mx, _, _, _, _ in parts)
        big_y = sum(w * my for w, _, _, my, _, _, _ in parts)
        if big_x <= 0:
            return RatioEstimate(NAN, NAN)
        r = big_y / big_x
        var = sum(w ** 2 * (vy + r * r * vx - 2 * r * cxy) / n for w, n, _, _, vx, vy, cxy in parts) / big_x ** 2
        return RatioEstimate(r, math.sqrt(var) if var >= 0 else NAN)

    one = lambda m, r: 1  # noqa: E731
    return StrataAssessment(
        classes=classes,
        overall=ratio(lambda m, r: m == r, one),
        users={k: ratio(lambda m, r, k=k: m == k and r == k, lambda m, r, k=k: m == k) for k in classes},
        producers={k: ratio(lambda m, r, k=k: m == k and r == k, lambda m, r, k=k: r == k) for k in classes},
        proportions={k: ratio(lambda m, r, k=k: r == k, one) for k in classes},
        confidence=confidence,
        z=z,
        sample_size=len(units),
    )
