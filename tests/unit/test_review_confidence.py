"""Reviewing by the model's confidence: least sure first, and only the results below a value."""
import os

import pytest

from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from chipvlm.plugin.core.review import (
    SCOPE_ALL,
    SCOPE_NEEDS_REVIEW,
    SORT_CONFIDENCE,
    ReviewFilter,
    ReviewSession,
)
from chipvlm.plugin.core.schemes import load_scheme

# fid -> (class, needs review, confidence, runner-up)
RESULTS = {
    1: (1, False, 0.93, 2),
    2: (2, True, 0.41, 6),
    3: (-1, True, None, None),  # an error: no answer, no confidence
    4: (3, False, 0.41, 1),  # as unsure as fid 2: the fid decides between them
    5: (2, False, None, None),  # a server without log-probabilities
    6: (5, True, 0.55, 8),
    7: (6, False, 0.99, 5),
    8: (4, False, 0.41, 7),
    9: (0, True, 0.62, 7),
    10: (7, False, 0.70, 2),
}
LEAST_SURE_FIRST = [2, 4, 8, 6, 9, 10, 1, 7, 3, 5]


@pytest.fixture
def session(tmp_path):
    path = os.path.join(tmp_path, "results.sqlite")
    scheme = load_scheme("yili8")
    with ResultsStore(path) as store:
        store.set_scheme(scheme)
        store.record_results(
            ResultRow(fid=fid, chip_path=f"chips/{fid:06d}.png", class_id=cls, class_name=scheme.name_of(cls),
                      reason="形状规则", needs_review=needs, confidence=conf, runner_up_class_id=runner)
            for fid, (cls, needs, conf, runner) in RESULTS.items()
        )
    with ReviewSession(path, reviewer="analyst") as review:
        yield review


def fids(chips):
    return [c.fid for c in chips]


def test_least_sure_first_puts_results_without_a_confidence_last(session):
    chips = session.page(ReviewFilter(scope=SCOPE_ALL, sort=SORT_CONFIDENCE), limit=None)
    assert fids(chips) == LEAST_SURE_FIRST
    assert [(c.confidence, c.runner_up_class_id) for c in chips[:2]] == [(0.41, 6), (0.41, 1)]
    assert chips[-1].confidence is None and chips[-1].runner_up_class_id is None


def test_keyset_pages_by_confidence_cover_every_result_once_even_across_ties(session):
    flt = ReviewFilter(scope=SCOPE_ALL, sort=SORT_CONFIDENCE)
    for size in (1, 2, 3):
        seen, after = [], None
        while True:
            page = session.page(flt, after=after, limit=size)
            if not page:
                break
            seen.extend(page)
            after = page[-1].sort_key(flt.sort)
        assert fids(seen) == LEAST_SURE_FIRST, f"pages of {size}"
    assert fids(session.page(flt, after=session.chip(4).sort_key(SORT_CONFIDENCE),
                             until=session.chip(9).sort_key(SORT_CONFIDENCE))) == [8, 6, 9]


def test_below_a_confidence_composes_with_the_scope_and_the_sort(session):
    below = ReviewFilter(scope=SCOPE_ALL, confidence_below=0.6)
    assert fids(session.page(below)) == [2, 4, 6, 8]
    assert session.count(below) == 4
    assert fids(session.page(ReviewFilter(scope=SCOPE_NEEDS_REVIEW, confidence_below=0.6))) == [2, 6]
    assert fids(session.page(ReviewFilter(scope=SCOPE_ALL, confidence_below=0.65, sort=SORT_CONFIDENCE))) == [
        2, 4, 8, 6, 9]
    # an unknown confidence is not "below" anything: those results are left out, not let in
    assert 3 not in fids(session.page(ReviewFilter(scope=SCOPE_ALL, confidence_below=1.0)))


def test_the_next_unreviewed_follows_the_confidence_order(session):
    flt = ReviewFilter(scope=SCOPE_ALL, sort=SORT_CONFIDENCE)
    assert session.next_unreviewed(flt).fid == 2
    session.set_review([2, 4], 3)
    assert session.next_unreviewed(flt).fid == 8
    assert session.next_unreviewed(flt, after=session.chip(10).sort_key(SORT_CONFIDENCE)).fid == 1
    session.set_review([1, 3, 5, 6, 7, 8, 9, 10], 3)
    assert session.next_unreviewed(flt) is None


def test_the_confidence_order_reads_an_index_not_a_sort_of_the_whole_table(session):
    for scope in (SCOPE_ALL, SCOPE_NEEDS_REVIEW):
        flt = ReviewFilter(scope=scope, sort=SORT_CONFIDENCE)
        clauses, params = session._where(flt)
        session._bound(flt, (0.41, 2), clauses, params)
        sql = (f"SELECT fid FROM results WHERE {' AND '.join(clauses)} "
               f"ORDER BY {session._order(flt)} LIMIT 200")
        plan = " ".join(row[-1] for row in session._con.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "confidence" in plan and "TEMP B-TREE" not in plan, plan
