"""Prompts put each image next to its fid and spell out the classes; schemas pin the batch's fids."""
import pytest

from chipvlm.plugin.core.classify.request.prompts import PromptError, load_template, parse_template
from chipvlm.plugin.core.classify.request.schemas import SIMPLE, STRICT, answer_schema
from chipvlm.plugin.core.schemes import load_scheme

YILI = load_scheme("yili8")


@pytest.mark.parametrize("kind", [STRICT, SIMPLE])
def test_the_chinese_prompt_lists_images_in_order_with_classes_and_format(kind):
    template = load_template(YILI)
    assert template.source.endswith("batch_zh.txt")
    text = template.render([181, 182, 190], YILI, kind)
    lines = [line for line in text.splitlines() if "fid=" in line]
    assert lines == ["第 1 张影像: fid=181", "第 2 张影像: fid=182", "第 3 张影像: fid=190"]
    for c in YILI.classes:
        if c.id == -1:
            assert "ERROR" not in text  # the model is never offered -1
        else:
            assert f"{c.id}: {c.name} —— {c.description}" in text
    assert "[181, 182, 190]" in text and "$" not in text
    assert ("JSON 对象" in text) == (kind == STRICT) and ("JSON 数组" in text) == (kind == SIMPLE)


def test_an_english_scheme_gets_the_english_template():
    scheme = load_scheme("landcover_en")
    text = load_template(scheme).render([7], scheme, SIMPLE)
    assert "Image 1: fid=7" in text and "3: road - " in text


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
