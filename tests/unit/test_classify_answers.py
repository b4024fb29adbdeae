"""Accepting a batch answer only when it is exactly right (field report 4.2) and cleaning reasons (4.4)."""
import json

import pytest

from chipvlm.plugin.core.classify.answer.parse import InvalidAnswerError, clean_reason, parse_answer
from chipvlm.plugin.core.schemes import load_scheme

YILI = load_scheme("yili8")
EN = load_scheme("landcover_en")
FIDS = [181, 182, 183]


def as_object(entries):
    return json.dumps({str(f): {"class_id": c, "reason": r} for f, c, r in entries}, ensure_ascii=False)


def as_array(entries):
    return json.dumps([{"fid": f, "class_id": c, "reason": r} for f, c, r in entries], ensure_ascii=False)


GOOD = [(181, 1, "屋顶轮廓清晰"), (182, 2, "条带状耕作纹理"), (183, 0, "影像模糊")]


@pytest.mark.parametrize("shape", [as_object, as_array])
def test_a_complete_answer_is_accepted_in_either_shape(shape):
    answers = parse_answer(shape(GOOD), FIDS, YILI)
    assert {f: (a.class_id, a.reason) for f, a in answers.items()} == {f: (c, r) for f, c, r in GOOD}
    assert not answers[181].needs_review and answers[183].needs_review  # class 0 is reviewed


def test_order_does_not_matter_but_identity_does():
    answers = parse_answer(as_array(list(reversed(GOOD))), FIDS, YILI)
    assert answers[181].class_id == 1 and answers[183].class_id == 0


@pytest.mark.parametrize("text, why", [
    # the field report's case: right length, one fid twice, another missing
    (as_array([(181, 1, "a建筑"), (181, 2, "b耕地"), (183, 3, "c道路")]), "appears twice"),
    ('{"181": {"class_id": 1, "reason": "甲"}, "181": {"class_id": 2, "reason": "乙"}, '
     '"183": {"class_id": 3, "reason": "丙"}}', "appears twice"),
    (as_array(GOOD[:2]), "missing"),
    (as_array(GOOD + [(999, 1, "陌生")]), "not in this batch"),
    (as_array([(181, 9, "x"), GOOD[1], GOOD[2]]), "does not allow"),
    (as_array([(181, -1, "x"), GOOD[1], GOOD[2]]), "does not allow"),
    (as_array([(181, None, "x"), GOOD[1], GOOD[2]]), "no class_id"),
    (as_array([(181, True, "x"), GOOD[1], GOOD[2]]), "not an integer"),
    ('[{"fid": 181, "class_id": 1', "not valid JSON"),
    ("", "empty"),
    ('"just text"', "neither a JSON object nor a JSON array"),
])
def test_an_answer_that_could_mix_up_fids_is_refused_as_a_whole(text, why):
    with pytest.raises(InvalidAnswerError, match=why):
        parse_answer(text, FIDS, YILI)


def test_code_fences_and_a_wrapping_key_are_tolerated():
    fenced = "```json\n" + as_array(GOOD) + "\n```"
    assert set(parse_answer(fenced, FIDS, YILI)) == set(FIDS)
    wrapped = json.dumps({"results": json.loads(as_array(GOOD))})
    assert set(parse_answer(wrapped, FIDS, YILI)) == set(FIDS)


def test_numeric_strings_are_read_as_numbers():
    text = json.dumps([{"fid": "181", "class_id": "1", "reason": "房屋"}, {"fid": 182, "class_id": 2, "reason": "田"},
                       {"fid": 183, "class_id": 3, "reason": "路"}], ensure_ascii=False)
    assert parse_answer(text, FIDS, YILI)[181].class_id == 1


@pytest.mark.parametrize("raw, cleaned", [
    ("reasons: 屋顶轮廓清晰 en", "屋顶轮廓清晰"),
    ("reason：条带状耕作纹理,有灌溉渠", "条带状耕作纹理,有灌溉渠"),
    ("判断依据: 成行种植的果树 (orchard)", "成行种植的果树"),
    ("有3栋房屋", "有3栋房屋"),
    ("en", ""),
    ("reasons:", ""),
    ("   ", ""),
    ("building with shadow", ""),
])
def test_chinese_reasons_keep_only_the_chinese_text(raw, cleaned):
    assert clean_reason(raw, YILI) == cleaned


def test_an_empty_reason_becomes_the_review_reason_and_needs_review():
    text = as_array([(181, 1, "reasons: en"), (182, 2, "田块"), (183, 3, "")])
    answers = parse_answer(text, FIDS, YILI)
    assert answers[181].reason == "待复核" and answers[181].needs_review
    assert answers[183].reason == "待复核" and answers[183].needs_review
    assert answers[182].reason == "田块" and not answers[182].needs_review


@pytest.mark.parametrize("raw, cleaned", [
    ("reason: regular tillage stripes", "regular tillage stripes"),
    ("en", ""),
    ("Reasons: en", ""),
    ("n/a", ""),
    ("  sharp roof outline, shadow.  ", "sharp roof outline, shadow."),
])
def test_english_reasons_drop_labels_and_junk(raw, cleaned):
    assert clean_reason(raw, EN) == cleaned


def test_a_very_long_reason_is_cut():
    assert len(clean_reason("屋" * 1000, YILI)) <= 201
