"""The second opinion: a light classifier (scikit-learn's random forest) trained on the analyst's decisions.

Decisions are the reviewed classes (never -1 or 0); the audit sample's objects are left out unless
asked (`use_audit`: then their reference classes are decisions too, and the accuracy report is no
longer unbiased). Each object is described by its cached features (features.py), the model's class
(one column per class of the scheme) and the model's confidence. Classes are weighted by how rare
they are. The decisions are predicted by k-fold cross-validation (CV_ACCURACY, the same predictions
stored for them, so what the page says of them is honest) and every other object by the forest
trained on all decisions.

Written into results.sqlite: second_class_id, second_confidence, agrees (the second opinion's class
is the model's; NULL where the model gave no class, -1 or 0). With `apply_above`, an object without
a decision whose second opinion is at least that sure while the model is not (or gave no confidence)
takes the second opinion's class; model_class_id keeps the model's, and the next run puts it back
before deciding again. reviewed_* columns are never written: an analyst's decision stays.
"""
from __future__ import annotations

import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from ..classify.run.engine import results_csv_path
from ..dependencies import has_package
from ..errors import ChipVLMError, Message
from ..files import write_csv
from ..results.store import ResultsStore
from ..schemes import ERROR_CLASS, UNKNOWN_CLASS, Scheme
from .features import FeatureCache, cache_path

TABLE_COLUMNS = ("fid", "class_id", "second_class_id", "second_confidence", "agrees")
MIN_DECISIONS = 10
PREDICT_CHUNK = 20000
WRITE_CHUNK = 5000


class LearnError(ChipVLMError):
    pass


@dataclass
class OpinionOptions:
    apply_above: float = 0.0  # 0 = off
    review_disagreements: float = 0.0  # 0 = off; else disagreements at least this sure go to review
    use_audit: bool = False
    folds: int = 5
    trees: int = 200
    seed: int = 0
    workers: int = 0  # 0 = one per core (the forest's n_jobs)


@dataclass
class ClassScore:
    class_id: int
    name: str
    decisions: int
    model_right: int
    second_right: int


@dataclass
class OpinionSummary:
    objects: int = 0  # results rows
    with_features: int = 0
    decisions: int = 0
    audit_left_out: int = 0
    cv_accuracy: float = float("nan")
    model_accuracy: float = float("nan")
    disagreements: int = 0
    applied: int = 0
    sent_to_review: int = 0
    folds: int = 0
    per_class: List[ClassScore] = field(default_factory=list)
    corrections: List[Tuple[int, int, int, int]] = field(default_factory=list)  # model, analyst, n, second right
    changes: List[Tuple[int, int, int]] = field(default_factory=list)  # model, second, n (objects without decision)
    train_seconds: float = 0.0
    predict_seconds: float = 0.0
    results_csv: str = ""


def require_sklearn():
    if not has_package("sklearn"):
        raise LearnError(
            "The second opinion needs the Python package scikit-learn, which QGIS's Python does not have. Install "
            "it and restart QGIS: on Windows open the 'OSGeo4W Shell' and run 'python -m pip install scikit-learn'; "
            "on Debian or Ubuntu run 'sudo apt install python3-sklearn'; elsewhere run '{0} -m pip install "
            "scikit-learn'.", sys.executable)


# -- reading the results ---------------------------------------------------------------------------
@dataclass
class Rows:
    fids: np.ndarray
    model_class: np.ndarray  # the model's own class (model_class_id where the second opinion was applied)
    confidence: np.ndarray  # NaN where the server gave none
    reviewed: Dict[int, int]
    audit: Dict[int, Optional[int]]  # fid of the audit sample -> its reference class (None: not yet decided)


def read_rows(con: sqlite3.Connection) -> Rows:
    cursor = con.execute("SELECT fid, COALESCE(model_class_id, class_id), confidence, reviewed_class_id "
                         "FROM results ORDER BY fid")
    fids, classes, confidence, reviewed = [], [], [], {}
    for fid, model_class, conf, reviewed_id in cursor:
        fids.append(int(fid))
        classes.append(int(model_class))
        confidence.append(np.nan if conf is None else float(conf))
        if reviewed_id is not None:
            reviewed[int(fid)] = int(reviewed_id)
    audit: Dict[int, Optional[int]] = {}
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_sample'").fetchone():
        audit = {int(f): (None if c is None else int(c))
                 for f, c in con.execute("SELECT fid, reference_class_id FROM audit_sample")}
    return Rows(np.array(fids, dtype=np.int64), np.array(classes, dtype=np.int64),
                np.array(confidence, dtype=np.float64), reviewed, audit)


def decisions_of(rows: Rows, use_audit: bool, summary: OpinionSummary) -> Dict[int, int]:
    """fid -> the analyst's class: reviews, and with use_audit the audit's references (which win)."""
    decisions = {}
    for fid, class_id in rows.reviewed.items():
        if fid in rows.audit and not use_audit:
            summary.audit_left_out += 1
            continue
        decisions[fid] = class_id
    if use_audit:
        decisions.update({fid: c for fid, c in rows.audit.items() if c is not None})
    else:
        summary.audit_left_out += sum(1 for fid, c in rows.audit.items() if c is not None and fid not in rows.reviewed)
    return {fid: c for fid, c in decisions.items() if c not in (ERROR_CLASS, UNKNOWN_CLASS)}


def design_matrix(vectors: np.ndarray, model_class: np.ndarray, confidence: np.ndarray,
                  class_ids: List[int]) -> np.ndarray:
    """Features + one column per class of the scheme (the model's class) + the model's confidence."""
    one_hot = (model_class[:, None] == np.array(class_ids)[None, :]).astype(np.float32)
    return np.hstack([vectors, one_hot, confidence[:, None].astype(np.float32)])


# -- training ----------------------------------------------------------------------------------------
def threads_only():
    """scikit-learn's parallel work in threads: joblib's default starts Python processes from
    sys.executable, which inside the QGIS desktop or qgis_process is not a Python."""
    from joblib import parallel_backend

    return parallel_backend("threading")


def make_forest(options: OpinionOptions):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    forest = RandomForestClassifier(n_estimators=options.trees, class_weight="balanced", random_state=options.seed,
                                    n_jobs=options.workers or -1, min_samples_leaf=1)
    return make_pipeline(SimpleImputer(strategy="median"), forest)


def cross_validated(x: np.ndarray, y: np.ndarray, options: OpinionOptions) -> Tuple[np.ndarray, np.ndarray, int]:
    """Each decision predicted by a forest that did not see it: (class, probability, folds)."""
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

    smallest = min(Counter(y.tolist()).values())
    if smallest >= 2:
        folds = min(options.folds, smallest)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=options.seed)
    else:  # a class decided once cannot be in every fold
        folds = min(options.folds, len(y))
        splitter = KFold(n_splits=folds, shuffle=True, random_state=options.seed)
    proba = cross_val_predict(make_forest(options), x, y, cv=splitter, method="predict_proba")
    classes = np.unique(y)
    return classes[proba.argmax(axis=1)], proba.max(axis=1), folds


def scores(y, model_pred, cv_pred, names) -> Tuple[List[ClassScore], List[Tuple[int, int, int, int]]]:
    per_class = []
    for class_id in sorted(set(y.tolist())):
        mine = y == class_id
        per_class.append(ClassScore(int(class_id), names(class_id), int(mine.sum()),
                                    int((model_pred[mine] == class_id).sum()), int((cv_pred[mine] == class_id).sum())))
    confusions = Counter()
    corrected = Counter()
    for truth, model, second in zip(y.tolist(), model_pred.tolist(), cv_pred.tolist()):
        if truth != model:
            confusions[(model, truth)] += 1
            corrected[(model, truth)] += int(second == truth)
    corrections = [(m, t, n, corrected[(m, t)]) for (m, t), n in confusions.most_common()]
    return per_class, corrections


# -- the run -------------------------------------------------------------------------------------------
def second_opinion(results_path: str, options: OpinionOptions, table_path: str = "",
                   progress: Optional[Callable[[float, str], None]] = None,
                   is_canceled: Optional[Callable[[], bool]] = None) -> OpinionSummary:
    """Train on the decisions, give every object with features a second opinion, write it."""
    require_sklearn()
    progress = progress or (lambda fraction, text: None)
    is_canceled = is_canceled or (lambda: False)
    summary = OpinionSummary()
    with ResultsStore(results_path) as store:
        scheme = store.scheme()
        if scheme is None:
            raise LearnError("{0} does not record its class scheme; classify with chipvlm:classifychips first.",
                             results_path)
        rows = read_rows(store.connection)
        summary.objects = len(rows.fids)
        decisions = decisions_of(rows, options.use_audit, summary)
        cache = FeatureCache(cache_path(results_path))
        try:
            with threads_only():
                forest, class_ids, decided = _train(rows, decisions, cache, scheme, options, summary, progress,
                                                    results_path)
                if is_canceled():
                    return summary
                opinion = _predict(rows, cache, forest, class_ids, decided, summary, (progress, is_canceled))
        finally:
            cache.close()
        if is_canceled():
            return summary
        _write(store, rows, opinion, scheme, options, summary)
        summary.results_csv = store.export_csv(results_csv_path(results_path))
        if table_path:
            write_table(table_path, rows, opinion)
    return summary


def _train(rows, decisions, cache, scheme, options, summary, progress, results_path):
    class_ids = [c.id for c in scheme.classes]
    fids = sorted(decisions)
    vectors = cache.vectors(fids)
    decided = [f for f in fids if f in vectors]
    classes = Counter(decisions[f] for f in decided)
    summary.decisions = len(decided)
    if len(decided) < MIN_DECISIONS or len(classes) < 2:
        raise LearnError("The second opinion learns from the analyst's decisions: it needs at least {0} reviewed "
                         "objects of at least two classes (with features), and {1} has {2} of {3} class(es). "
                         "Review more objects in the review dock.",
                         MIN_DECISIONS, results_path, len(decided), len(classes))
    position = {int(f): i for i, f in enumerate(rows.fids.tolist())}
    at = np.array([position[f] for f in decided])
    x = design_matrix(np.vstack([vectors[f] for f in decided]), rows.model_class[at], rows.confidence[at], class_ids)
    y = np.array([decisions[f] for f in decided])
    progress(0.05, Message("Training on {0} decisions of {1} classes", len(decided), len(classes)))
    started = time.monotonic()
    cv_pred, cv_conf, summary.folds = cross_validated(x, y, options)
    forest = make_forest(options).fit(x, y)
    summary.train_seconds = time.monotonic() - started
    model_pred = rows.model_class[at]
    summary.cv_accuracy = float((cv_pred == y).mean())
    summary.model_accuracy = float((model_pred == y).mean())
    summary.per_class, summary.corrections = scores(y, model_pred, cv_pred, scheme.name_of)
    return forest, class_ids, dict(zip(decided, zip(cv_pred.tolist(), cv_conf.tolist())))


def _predict(rows, cache, forest, class_ids, decided, summary, hooks):
    """fid -> (second class, confidence) for every object with features."""
    progress, is_canceled = hooks
    started = time.monotonic()
    opinion: Dict[int, Tuple[int, float]] = {}
    classes = forest.classes_
    fids = rows.fids.tolist()
    changes = Counter()
    for start in range(0, len(fids), PREDICT_CHUNK):
        if is_canceled():
            break
        part = fids[start:start + PREDICT_CHUNK]
        vectors = cache.vectors([f for f in part if f not in decided])
        todo = [f for f in part if f in vectors]
        if todo:
            at = np.searchsorted(rows.fids, todo)
            x = design_matrix(np.vstack([vectors[f] for f in todo]), rows.model_class[at], rows.confidence[at],
                              class_ids)
            proba = forest.predict_proba(x)
            for fid, model, best, sure in zip(todo, rows.model_class[at].tolist(), proba.argmax(axis=1).tolist(),
                                              proba.max(axis=1).tolist()):
                opinion[fid] = (int(classes[best]), float(sure))
                if model not in (ERROR_CLASS, UNKNOWN_CLASS) and int(classes[best]) != model:
                    changes[(model, int(classes[best]))] += 1
        opinion.update({f: decided[f] for f in part if f in decided})
        progress(0.3 + 0.6 * min(1.0, (start + PREDICT_CHUNK) / max(1, len(fids))),
                 Message("Second opinion: {0}/{1} objects", min(len(fids), start + PREDICT_CHUNK), len(fids)))
    summary.with_features = len(opinion)
    summary.changes = [(m, s, n) for (m, s), n in changes.most_common()]
    summary.predict_seconds = time.monotonic() - started
    return opinion


def agreement(model_class: int, second: Optional[int]) -> Optional[int]:
    if second is None or model_class in (ERROR_CLASS, UNKNOWN_CLASS):
        return None
    return int(second == model_class)


def _write(store: ResultsStore, rows: Rows, opinion, scheme: Scheme, options: OpinionOptions,
           summary: OpinionSummary) -> None:
    """The second opinion of every object, APPLY_ABOVE and REVIEW_DISAGREEMENTS, in chunks of rows (one
    transaction each: the review dock is never locked out for long)."""
    params = []
    for fid, model, conf in zip(rows.fids.tolist(), rows.model_class.tolist(), rows.confidence.tolist()):
        second, sure = opinion.get(fid, (None, None))
        agrees = agreement(model, second)
        summary.disagreements += agrees == 0
        apply = (options.apply_above > 0 and second is not None and fid not in rows.reviewed
                 and model != ERROR_CLASS and second != model and sure >= options.apply_above
                 and (np.isnan(conf) or conf < options.apply_above))
        summary.applied += bool(apply)
        final = second if apply else model
        params.append({"fid": fid, "second": second, "sure": sure, "agrees": agrees, "class_id": final,
                       "class_name": scheme.name_of(final), "model_class_id": model if apply else None})
    sql = ("UPDATE results SET second_class_id = :second, second_confidence = :sure, agrees = :agrees, "
           "class_name = CASE WHEN class_id = :class_id AND model_class_id IS NULL THEN class_name ELSE :class_name END, "
           "class_id = :class_id, model_class_id = :model_class_id WHERE fid = :fid")
    for start in range(0, len(params), WRITE_CHUNK):
        with store.transaction() as con:
            con.executemany(sql, params[start:start + WRITE_CHUNK])
    if options.review_disagreements > 0:
        with store.transaction() as con:
            summary.sent_to_review = con.execute(
                "UPDATE results SET needs_review = 1 WHERE needs_review = 0 AND agrees = 0 "
                "AND reviewed_class_id IS NULL AND second_confidence >= ?", (float(options.review_disagreements),)
            ).rowcount


def write_table(path: str, rows: Rows, opinion) -> str:
    """OUTPUT_TABLE: fid, the model's class, the second opinion's class and confidence, agrees."""
    def lines():
        for fid, model in zip(rows.fids.tolist(), rows.model_class.tolist()):
            if fid in opinion:
                second, sure = opinion[fid]
                agrees = agreement(model, second)
                yield [fid, model, second, f"{sure:.4f}", "" if agrees is None else agrees]

    return write_csv(path, TABLE_COLUMNS, lines())
