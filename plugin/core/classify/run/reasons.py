"""The reasons pass of REASONS=review (a step of ClassificationRun, engine.py): which chips it asks,
and what of its answers is kept.

The first pass asks the class alone. The chips that go to review (class 0, a confidence under
REVIEW_BELOW, flagged for any other reason) and have no reason yet, and are not reviewed by an
analyst, are then asked again, batched, for class and reason. Only the reason is kept: the first
pass's class stays (at temperature 0 a schema that puts class_id before the reason decides the class
before any reason token, so REASONS=all would have given the same); when the reasons pass gives
another class all the same, the chip stays in review and the reason names that class (the
template's [second_class_note]). What lacks a reason is read from the results file, so a run
stopped between the passes, or a rerun, asks only for what still lacks one.
"""
from __future__ import annotations

from typing import Dict, Iterable, Tuple

from ...chips.index import ChipIndex
from ...results.store import ResultRow, ResultsStore
from ...schemes import ERROR_CLASS
from ..request.prompts import PromptTemplate


def reasons_lacking(store: ResultsStore, index: ChipIndex, review_below: float) -> Dict[int, int]:
    """fid -> class of the chips of ``index`` that go to review without a reason and whose chip file
    is there, in index order (REVIEW_BELOW's flags set first)."""
    if review_below > 0:
        store.flag_confidence_below(review_below)
    lacking = store.lacking_reasons()
    return {e.fid: lacking[e.fid] for e in index.entries if e.fid in lacking and e.found}


def reasons_kept(rows: Iterable[ResultRow], first_classes: Dict[int, int],
                 template: PromptTemplate) -> Tuple[Dict[int, str], int]:
    """(fid -> reason to store, how many came with another class) from a reasons batch's rows. An
    error row (class -1) brought no reason: nothing is stored for it, a new run asks again."""
    reasons: Dict[int, str] = {}
    other = 0
    for row in rows:
        if row.class_id == ERROR_CLASS:
            continue
        first = first_classes.get(row.fid)
        if first is not None and row.class_id != first:
            reasons[row.fid] = template.second_class_note(row.class_id, row.class_name, row.reason)
            other += 1
        else:
            reasons[row.fid] = row.reason
    return reasons, other
