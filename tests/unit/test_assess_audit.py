"""The blind audit sample: size (Olofsson eq. 13), allocation, reproducible draw, reference decisions."""
import csv
import sqlite3

import pytest

from chipvlm.plugin.core.assess import sampling
from chipvlm.plugin.core.assess.audit import Audit, AuditError, draw_sample, write_sample_csv
from chipvlm.plugin.core.results.store import ResultsStore
from chipvlm.plugin.core.review import ReviewSession
from helpers.review_data import NAMES, make_run


def test_eq13_gives_the_papers_641_units():
    # Olofsson et al. 2014 section 5.1: W = 0.02, 0.015, 0.32, 0.645; U = 0.7, 0.6, 0.9, 0.95; S(O) = 0.01
    weights = {1: 0.02, 2: 0.015, 3: 0.32, 4: 0.645}
    expected = {1: 0.7, 2: 0.6, 3: 0.9, 4: 0.95}
    assert sampling.olofsson_sample_size(weights, expected, 0.01) == 641


def test_allocation_keeps_the_minimum_and_shares_the_rest_proportionally():
    sizes = sampling.allocate(641, {1: 200_000, 2: 150_000, 3: 3_200_000, 4: 6_450_000}, 75)
    assert sizes[1] == 75 and sizes[2] == 75
    assert sum(sizes.values()) == 641
    assert sizes[4] / sizes[3] == pytest.approx(6_450_000 / 3_200_000, rel=0.01)
    # a class smaller than the minimum is taken whole
    assert sampling.allocate(100, {1: 10, 2: 1000}, 50) == {1: 10, 2: 90}


def test_size_text_forms():
    assert sampling.parse_size("") == (sampling.SIZE_EQ13, None)
    assert sampling.parse_size("640") == (sampling.SIZE_TOTAL, 640)
    assert sampling.parse_size("1=75, 2:100") == (sampling.SIZE_PER_CLASS, {1: 75, 2: 100})
    with pytest.raises(sampling.SampleError):
        sampling.parse_size("lots")


def test_expected_users_accuracy_from_confidence_else_by_rarity():
    assert sampling.expected_users_accuracy(0.5, 0.9) == (0.9, "confidence")
    assert sampling.expected_users_accuracy(0.5, 0.999) == (0.95, "confidence")
    assert sampling.expected_users_accuracy(0.5, None) == (0.85, "default_common")
    assert sampling.expected_users_accuracy(0.05, None) == (0.7, "default_rare")


def predictions(count):
    # classes 2 (60%), 5 (30%), 7 (10%-ish), a few errors that are never sampled
    out = {}
    for fid in range(1, count + 1):
        out[fid] = ((2 if fid % 10 < 6 else 5 if fid % 10 < 9 else 7), False)
    out[count + 1] = (-1, True)
    return out


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), predictions(2000), chip_maker=None)


def test_draw_is_stratified_by_final_class_and_reproducible(run, tmp_path):
    with ReviewSession(run, reviewer="analyst") as session:
        session.set_review([1], 7)  # final class 7 now, not the model's 2
    design = draw_sample(run, size="", target_se=0.02, min_per_class=50, seed=7, drawn_by="tester")
    assert design.seed == 7 and design.drawn_by == "tester" and design.size_rule == sampling.SIZE_EQ13
    assert {s.class_id for s in design.strata} == {2, 5, 7}  # ERROR is not sampled
    assert design.population == 2000
    strata = {s.class_id: s for s in design.strata}
    assert strata[7].population == 201 and strata[7].expected_from == "default_common"
    assert all(s.sample_size >= 50 for s in design.strata)
    with Audit(run) as audit:
        first = audit.references()
    assert all(stratum == (7 if fid == 1 or fid % 10 == 9 else 2 if fid % 10 < 6 else 5)
               for fid, (stratum, _) in first.items())
    assert len(first) == design.sample_size
    again = draw_sample(run, target_se=0.02, seed=7)
    with Audit(run) as audit:
        assert audit.references() == first
    other = draw_sample(run, target_se=0.02, seed=8)
    with Audit(run) as audit:
        assert set(audit.references()) != set(first)
    assert again.sample_size == other.sample_size
    out = tmp_path / "sample.csv"
    assert write_sample_csv(run, out) == design.sample_size
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["fid", "stratum_class_id", "chip_path"]
    assert rows[0]["chip_path"].endswith(f"{int(rows[0]['fid']):06d}.png")


def test_the_audit_order_interleaves_the_strata(run):
    draw_sample(run, size="2=30, 5=30, 7=30", seed=3)
    with Audit(run) as audit:
        strata = [audit.references()[item.fid][0] for item in audit.items()]
    assert strata != sorted(strata)
    assert len(set(strata[:15])) == 3


def test_reference_decisions_are_apart_from_reviews_with_who_and_when_and_undo(run):
    draw_sample(run, size="2=20, 5=20, 7=10", seed=1)
    with Audit(run, reviewer="auditor") as audit:
        items = audit.items()
        assert audit.progress().decided == 0 and audit.progress().total == 50
        audit.set_reference([items[0].fid], 5)
        audit.set_reference([items[1].fid, items[2].fid], 2)
        assert audit.progress().decided == 3
        assert [i.fid for i in audit.items(undecided_only=True)][:1] == [items[3].fid]
        assert audit.undo() == [items[1].fid, items[2].fid]
        assert audit.progress().decided == 1
        assert audit.references()[items[0].fid][1] == 5
        with pytest.raises(AuditError):
            audit.set_reference([items[0].fid], -1)
        with pytest.raises(AuditError):
            audit.set_reference([999_999], 2)
    with ResultsStore(run) as store:
        row = store.connection.execute(
            "SELECT reference_class_id, reference_class_name, referenced_by, referenced_at FROM audit_sample "
            "WHERE fid = ?", (items[0].fid,)).fetchone()
        assert (row[0], row[1], row[2]) == (5, NAMES[5], "auditor") and row[3]
        assert store.get(items[0].fid)["reviewed_class_id"] is None  # the review is untouched


def test_a_second_draw_over_decided_references_is_refused_unless_replace(run):
    draw_sample(run, size="2=20, 5=20, 7=10", seed=1)
    with Audit(run) as audit:
        fid = audit.items()[0].fid
        audit.set_reference([fid], 2)
    with pytest.raises(AuditError) as refused:
        draw_sample(run, size="2=20, 5=20, 7=10", seed=2)
    assert "REPLACE" in str(refused.value)
    with Audit(run) as audit:
        assert audit.references()[fid][1] == 2  # nothing changed
    draw_sample(run, size="2=20, 5=20, 7=10", seed=2, replace=True)
    with Audit(run) as audit:
        assert audit.progress().decided == 0
    con = sqlite3.connect(run)
    kept = con.execute("SELECT value FROM meta WHERE key LIKE 'audit_replaced_%'").fetchone()[0]
    con.close()
    assert f'"fid": {fid}' in kept


def test_a_per_class_size_naming_an_absent_class_is_refused(run):
    with pytest.raises(sampling.SampleError):
        draw_sample(run, size="2=20, 4=10")


def test_undo_takes_back_only_ones_own_decision_and_keeps_a_later_one_of_another_auditor(run):
    draw_sample(run, size="2=10, 5=10, 7=5", seed=1)
    with Audit(run, reviewer="ann") as ann, Audit(run, reviewer="bob") as bob:
        first, second = [item.fid for item in ann.items()[:2]]
        ann.set_reference([first, second], 2)
        bob.set_reference([second], 5)  # bob decides one of ann's chips again, later
        bob_only = ann.items()[2].fid
        bob.set_reference([bob_only], 7)
        assert ann.undo() == [first]  # ann's action, not bob's later one; bob's chip keeps bob's class
        assert ann.last_undo_skipped == [(second, "bob")]
        refs = ann.references()
        assert (refs[first][1], refs[second][1], refs[bob_only][1]) == (None, 5, 7)
        assert ann.undo() == [] and not ann.can_undo()
        assert bob.undo() == [bob_only]


def test_next_undecided_goes_on_after_the_current_chip_and_wraps(run):
    draw_sample(run, size="2=3, 5=2, 7=1", seed=1)
    with Audit(run) as audit:
        items = audit.items()
        assert audit.next_undecided().fid == items[0].fid
        audit.set_reference([items[1].fid], 2)
        assert audit.next_undecided(after_position=items[0].position).fid == items[2].fid
        assert audit.next_undecided(after_position=items[-1].position).fid == items[0].fid  # wraps
        audit.set_reference([item.fid for item in items], 5)
        assert audit.next_undecided() is None and audit.progress().remaining == 0
