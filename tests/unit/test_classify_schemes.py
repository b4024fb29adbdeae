"""Class schemes: the shipped Yili 8 classes, an English example, and users' own JSON files."""
import json
import re

import pytest

from chipvlm.plugin.core.schemes import SchemeError, available_schemes, load_scheme


def test_yili8_has_the_field_reports_classes_with_boundaries():
    scheme = load_scheme("yili8")
    names = {c.id: c.name for c in scheme.classes}
    assert names == {-1: "识别失败", 0: "无法判断", 1: "建筑", 2: "耕地", 3: "道路", 4: "水体",
                     5: "林地/防护林", 6: "草地", 7: "裸地", 8: "果园/园地"}
    assert scheme.is_chinese and scheme.review_reason == "待复核"
    assert all(c.description for c in scheme.classes), "every class explains its boundary"
    assert -1 not in scheme.answerable_ids and 0 in scheme.answerable_ids


def test_an_english_example_scheme_ships_too():
    assert {"yili8", "landcover_en"} <= set(available_schemes())
    scheme = load_scheme("landcover_en")
    assert scheme.language == "en" and not scheme.is_chinese
    assert scheme.name_of(0) == "cannot tell"


def test_a_users_own_scheme_file_in_another_language_loads_without_code(tmp_path):
    path = tmp_path / "vergers.json"
    path.write_text(json.dumps({
        "id": "vergers", "name": "Vergers", "language": "fr",
        "classes": [{"id": -1, "name": "ERREUR"}, {"id": 0, "name": "indéterminé"},
                    {"id": 1, "name": "pommier", "description": "rangées régulières"},
                    {"id": 2, "name": "vigne"}],
    }, ensure_ascii=False), encoding="utf-8")
    scheme = load_scheme(str(path))
    assert scheme.id == "vergers" and scheme.answerable_ids == [0, 1, 2]
    assert scheme.review_reason == "to review"  # a default when the file gives none


@pytest.mark.parametrize("change, message", [
    (lambda d: d["classes"].pop(0), "class -1 (ERROR) is missing"),
    (lambda d: d["classes"].append({"id": 2, "name": "again"}), "appears twice"),
    (lambda d: d["classes"].append({"id": "3", "name": "text id"}), "ids must be integers"),
    (lambda d: d["classes"][2].pop("name"), "needs a non-empty 'name'"),
    (lambda d: d.pop("id"), "'id' must be a non-empty text"),
])
def test_a_broken_scheme_is_refused_with_a_clear_message(tmp_path, change, message):
    data = {"id": "x", "language": "en", "classes": [
        {"id": -1, "name": "ERROR"}, {"id": 0, "name": "unknown"}, {"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SchemeError, match=re.escape(message)) as raised:
        load_scheme(str(path))
    assert "broken.json" in str(raised.value)


def test_not_json_and_not_found_name_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(SchemeError, match="not valid JSON"):
        load_scheme(str(path))
    with pytest.raises(SchemeError, match="neither a shipped scheme"):
        load_scheme("no_such_scheme")
