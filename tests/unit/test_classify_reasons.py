"""REASONS (issue 19 point 1): the class first, a reason where an analyst will read it.

With REASONS=review (the default) the first pass asks the class alone; the chips that go to review
are then asked again, batched, for class and reason, and only the reason is kept. The fake model
server (tests/fakes/ollama.py) answers class ``fid % 8 + 1`` with a reason naming the fid, class 0
for the fids in ``fake.unsure``, and logs whether each request asked the class alone.
"""
import sqlite3

import pytest

from chipvlm.plugin.core.classify.answer.parse import InvalidAnswerError, parse_answer
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.request.prompts import load_template
from chipvlm.plugin.core.classify.request.schemas import CLASS_ONLY
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.schemes import load_scheme
from fakes.ollama import INVALID_JSON, FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run

FIDS = list(range(1, 41))
UNSURE = {3, 7, 12, 25, 38}  # the fake answers class 0 for them: they go to review


def classify(index, fake, log=None, is_canceled=None, **options):
    endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)
    options.setdefault("policy", fast_policy())
    return run_classification(ClassifyOptions(str(index), [endpoint], "yili8", **options),
                              log=log, is_canceled=is_canceled)


def rows_of(store):
    con = sqlite3.connect(str(store))
    try:
        return {fid: (cls, reason, review, conf) for fid, cls, reason, review, conf in con.execute(
            "SELECT fid, class_id, reason, needs_review, confidence FROM results")}
    finally:
        con.close()


@pytest.fixture
def unsure_fake():
    with FakeModelServer() as fake:
        fake.unsure = set(UNSURE)
        yield fake


def test_review_asks_classes_first_and_reasons_only_for_the_chips_that_go_to_review(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    messages = []
    summary = classify(index, unsure_fake, log=messages.append)
    first = [r for r in unsure_fake.records if r.class_only]
    second = [r for r in unsure_fake.records if not r.class_only]
    assert sorted(f for r in first for f in r.fids) == FIDS, "every chip once in the class-only pass"
    assert sorted(f for r in second for f in r.fids) == sorted(UNSURE), "reasons asked only for review"
    assert all(r.answer_limit < 24 * 10 * 2 for r in first), "a class-only answer is bounded as one"
    rows = assert_no_mixup(tmp_path / "results.sqlite", FIDS, unsure_fake)  # every review chip has a reason
    assert {fid for fid, (_, _, review) in rows.items() if review} == UNSURE
    assert all(rows[f][1] == unsure_fake.expected_reason(f) for f in UNSURE)
    assert all(rows[f][1] == "" for f in FIDS if f not in UNSURE), "no reason written where nobody reads it"
    assert (summary.reasons_asked, summary.reasons_added, summary.reasons_other_class) == (5, 5, 0)
    assert any(m.startswith("Reasons pass: asking class and reason again for the 5 chips") for m in messages)
    assert any(m.startswith("Reasons pass: 5 reasons stored, 0 of them") for m in messages)


def test_review_gives_the_classes_and_confidences_of_all(tmp_path, unsure_fake):
    """The same seeds, both modes: no class changes, the same chips in review, the same confidence."""
    results = {}
    for reasons in ("all", "review"):
        index = make_run(tmp_path / reasons, FIDS)
        classify(index, unsure_fake, reasons=reasons, review_below=0.6)
        results[reasons] = rows_of(tmp_path / reasons / "results.sqlite")
    for fid in FIDS:
        cls_all, reason_all, review_all, conf_all = results["all"][fid]
        cls_review, reason_review, review_review, conf_review = results["review"][fid]
        assert (cls_review, review_review) == (cls_all, review_all), fid
        assert conf_review == pytest.approx(conf_all), fid
        if review_all:
            assert reason_review == reason_all, f"fid {fid}: a chip to review has the same reason"
    assert {f for f, row in results["review"].items() if row[2]} > UNSURE, "REVIEW_BELOW flagged some too"


def test_none_never_asks_for_a_reason(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    summary = classify(index, unsure_fake, reasons="none")
    assert unsure_fake.records and all(r.class_only for r in unsure_fake.records)
    rows = rows_of(tmp_path / "results.sqlite")
    assert all(reason == "" for _, reason, _, _ in rows.values())
    assert {fid for fid, row in rows.items() if row[2]} == UNSURE, "class 0 still goes to review"
    assert summary.reasons_asked == 0


def test_a_run_stopped_between_the_passes_asks_the_reasons_when_run_again(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    stop = []

    def log(message):
        if message.startswith("Reasons pass: asking"):
            unsure_fake.delay = 2.0  # the reasons requests are still in flight when the user cancels
            stop.append(True)

    summary = classify(index, unsure_fake, log=log, is_canceled=lambda: bool(stop))
    assert summary.canceled and summary.reasons_added == 0
    rows = rows_of(tmp_path / "results.sqlite")
    assert sorted(rows) == FIDS and all(rows[f][1] == "" for f in UNSURE), "classes kept, reasons lacking"
    unsure_fake.delay = 0.0
    before = len(unsure_fake.records)
    again = classify(index, unsure_fake)
    assert again.to_do == 0 and again.reasons_asked == len(UNSURE), "nothing classified again"
    assert sorted(f for r in unsure_fake.records[before:] for f in r.fids) == sorted(UNSURE)
    assert not any(r.class_only for r in unsure_fake.records[before:])
    assert_no_mixup(tmp_path / "results.sqlite", FIDS, unsure_fake)
    third = classify(index, unsure_fake)
    assert third.reasons_asked == 0 and len(unsure_fake.records) == before + 1, "nothing lacks a reason"


def test_a_reasons_pass_that_gives_another_class_keeps_the_first_in_review_and_names_it(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    unsure_fake.other_class_with_reason = {7: 5}
    summary = classify(index, unsure_fake)
    rows = rows_of(tmp_path / "results.sqlite")
    scheme = load_scheme("yili8")
    cls, reason, review, _ = rows[7]
    assert (cls, review) == (0, 1), "the first pass's class stays, in review"
    assert reason == load_template(scheme).second_class_note(5, scheme.name_of(5), unsure_fake.expected_reason(7))
    assert reason.startswith(f"补问时判为 5 {scheme.name_of(5)}:")
    assert summary.reasons_other_class == 1


def test_a_reasons_pass_that_fails_costs_no_class(tmp_path, unsure_fake):
    """A reasons batch the server keeps failing on: the chips keep their class and their review, and
    lack a reason (asked again by the next run), never -1."""
    index = make_run(tmp_path, FIDS)
    classify(index, unsure_fake, reasons="none")
    unsure_fake.add_rule(INVALID_JSON, fids=UNSURE)
    summary = classify(index, unsure_fake)
    rows = rows_of(tmp_path / "results.sqlite")
    assert all(rows[f][0] == 0 and rows[f][2] == 1 and rows[f][1] == "" for f in UNSURE)
    assert summary.reasons_asked == len(UNSURE) and summary.reasons_added == 0
    assert summary.totals["errors"] == 0


# -- the class-only answer ----------------------------------------------------------------------------
def test_a_class_only_answer_is_checked_as_strictly_as_one_with_reasons():
    scheme = load_scheme("yili8")
    answers = parse_answer('{"11":3,"12":0}', [11, 12], scheme, CLASS_ONLY)
    assert {f: (a.class_id, a.reason, a.needs_review) for f, a in answers.items()} == {11: (3, "", False),
                                                                                      12: (0, "", True)}
    simple = parse_answer('[{"fid":11,"class_id":3},{"fid":12,"class_id":4}]', [11, 12], scheme, CLASS_ONLY)
    assert [simple[f].class_id for f in (11, 12)] == [3, 4]
    for text, why in (('{"11":3,"11":4}', "twice"), ('{"11":3}', "missing"), ('{"11":3,"12":3,"13":1}', "not in"),
                      ('{"11":3,"12":-1}', "does not allow"), ('{"11":{"class_id":3},"12":1}', "not a class_id"),
                      ('[{"fid":11,"class_id":3},{"fid":11,"class_id":3}]', "twice")):
        with pytest.raises(InvalidAnswerError, match=why):
            parse_answer(text, [11, 12], scheme, CLASS_ONLY)
