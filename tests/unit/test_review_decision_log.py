"""The one decision log behind review decisions and audit references (core/review/decision_log.py).

The review's and the audit's own tests cover deciding and undoing; these cover what only the log's
record step decides: an action naming a fid its table lacks is refused whole, so undo never meets
half an action.
"""
import sqlite3

import pytest

from chipvlm.plugin.core.assess.audit import Audit, AuditError, draw_sample
from chipvlm.plugin.core.review import ReviewError, ReviewSession
from helpers.review_data import make_run


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), {fid: (2 if fid % 2 else 5, False) for fid in range(1, 41)},
                    chip_maker=None)


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_review_naming_a_missing_fid_stores_none_of_its_chips(run):
    with ReviewSession(run, reviewer="ann") as session:
        with pytest.raises(ReviewError, match="999999"):
            session.set_review([1, 2, 999_999], 5)
        assert not session.can_undo()
    assert rows(run, "SELECT COUNT(*) FROM review_log") == [(0,)]
    assert rows(run, "SELECT COUNT(*) FROM results WHERE reviewed_class_id IS NOT NULL") == [(0,)]


def test_a_reference_naming_a_fid_outside_the_sample_stores_none_of_its_chips(run):
    draw_sample(run, size="2=5, 5=5", seed=1)
    with Audit(run, reviewer="ann") as audit:
        first, second = [item.fid for item in audit.items()[:2]]
        audit.set_reference([first], 2)
        with pytest.raises(AuditError, match="999999"):
            audit.set_reference([second, 999_999], 5)
        assert audit.undo() == [first]  # the refused action left nothing to undo before this one
        assert not audit.can_undo()
    assert rows(run, "SELECT COUNT(*) FROM audit_sample WHERE reference_class_id IS NOT NULL") == [(0,)]
    assert rows(run, "SELECT COUNT(*) FROM audit_log WHERE undone = 0") == [(0,)]
