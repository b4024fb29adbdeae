"""Prompts put each image next to its fid and spell out the classes; schemas pin the batch's fids."""
import pytest

from chipvlm.plugin.core.classify.request.prompts import PromptError, load_template, parse_template
from chipvlm.plugin.core.classify.request.schemas import (
    ANSWER_SHAPES,
    CLASS_ONLY,
    SIMPLE,
    STRICT,
    WITH_REASON,
    answer_schema,
    answer_token_limit,
)
from chipvlm.plugin.core.schemes import load_scheme

YILI = load_scheme("yili8")


@pytest.mark.parametrize("kind", [STRICT, SIMPLE])
def test_the_chinese_prompt_lists_images_in_order_with_classes_and_format(kind):
    template = load_template(YILI)
    assert template.source.endswith("batch_zh.txt")
    prompt = template.render([181, 182, 190], YILI, kind)
    text = prompt.text
    assert list(prompt.lines) == ["第 1 张影像: fid=181", "第 2 张影像: fid=182", "第 3 张影像: fid=190"]
    for c in YILI.classes:
        if c.id == -1:
            assert "ERROR" not in text  # the model is never offered -1
        else:
            assert f"{c.id}: {c.name} —— {c.description}" in prompt.constant
    assert "[181, 182, 190]" in prompt.batch and "$" not in text
    assert ("JSON 对象" in text) == (kind == STRICT) and ("JSON 数组" in text) == (kind == SIMPLE)


@pytest.mark.parametrize("scheme_id", ["yili8", "landcover_en"])
@pytest.mark.parametrize("kind", [STRICT, SIMPLE])
@pytest.mark.parametrize("shape", ANSWER_SHAPES)
def test_the_constant_part_is_byte_for_byte_the_same_for_every_batch(scheme_id, kind, shape):
    scheme = load_scheme(scheme_id)
    template = load_template(scheme)
    one = template.render([181, 182, 190], scheme, kind, shape)
    other = template.render([7, 123456], scheme, kind, shape)
    assert template.cacheable and one.constant == other.constant and one.batch != other.batch
    for fid in ("181", "182", "190", "123456"):
        assert fid not in one.constant.replace("<fid>", "")  # nothing of a batch before the batch's part
    assert "3" in one.batch and "[181, 182, 190]" in one.batch and one.shape == shape
    # the reason is asked for only where the shape has one
    assert ("reason" in one.constant) == (shape == WITH_REASON)


def test_a_template_of_the_older_form_still_works_with_nothing_constant():
    older = ("[prompt]\n$count chips, fids $fids:\n$images\n$classes\n$output_format\n"
             "[image_line]\nImage $n: fid=$fid\n[strict]\nobject, $count keys\n[simple]\narray")
    template = parse_template(older, "mine.txt")
    prompt = template.render([5, 6], YILI, STRICT)
    assert not template.cacheable and prompt.constant == ""
    assert prompt.batch.startswith("2 chips, fids [5, 6]:\nImage 1: fid=5\nImage 2: fid=6") and "2 keys" in prompt.batch


def test_an_english_scheme_gets_the_english_template():
    scheme = load_scheme("landcover_en")
    prompt = load_template(scheme).render([7], scheme, SIMPLE)
    assert prompt.lines == ("Image 1: fid=7",) and "3: road - " in prompt.constant


def test_a_template_missing_a_section_is_refused():
    with pytest.raises(PromptError, match=r"\[strict\]"):
        parse_template("[prompt]\n$images\n[image_line]\nfid=$fid\n[simple]\narray", "mine.txt")


def test_the_strict_schema_has_one_required_key_per_fid_and_nothing_else():
    schema = answer_schema(STRICT, [181, 182], YILI.answerable_ids)
    assert schema["type"] == "object" and schema["required"] == ["181", "182"]
    assert schema["additionalProperties"] is False
    item = schema["properties"]["181"]
    assert item["properties"]["class_id"]["enum"] == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert item["required"] == ["class_id", "reason"]


def test_the_simple_schema_is_a_plain_array():
    schema = answer_schema(SIMPLE, [181, 182], YILI.answerable_ids)
    assert schema["type"] == "array"
    assert schema["items"]["required"] == ["fid", "class_id", "reason"]
    assert "enum" not in str(schema)  # as simple as the field report's working version


def test_the_class_only_schemas_answer_a_class_per_fid_and_no_reason():
    strict = answer_schema(STRICT, [181, 182], YILI.answerable_ids, CLASS_ONLY)
    assert strict["required"] == ["181", "182"] and strict["additionalProperties"] is False
    assert strict["properties"]["181"] == {"type": "integer", "enum": [0, 1, 2, 3, 4, 5, 6, 7, 8]}
    simple = answer_schema(SIMPLE, [181, 182], YILI.answerable_ids, CLASS_ONLY)
    assert simple["items"]["required"] == ["fid", "class_id"] and "reason" not in str(simple)


def test_the_answer_is_bounded_by_the_batch_size_and_its_shape():
    assert answer_token_limit(10) < 2048  # today's fixed num_predict
    assert answer_token_limit(20) > answer_token_limit(10) > answer_token_limit(1)
    assert answer_token_limit(10, CLASS_ONLY) * 2 < answer_token_limit(10, WITH_REASON)
    assert answer_token_limit(10, ceiling=300) == 300  # the endpoint's num_predict stays a ceiling
    with pytest.raises(ValueError):
        answer_token_limit(10, "essay")
