"""The model's confidence per chip, from the log-probabilities of its answer (issue 12, part 1).

The core is checked on token streams written by hand (where each number can be worked out on paper);
the whole path through the fake servers, in both API shapes and both schema kinds, proves that the
confidence stored in results.sqlite and results.csv is the one the server gave.
"""
import csv
import json
import math
import re
import sqlite3

import pytest

from chipvlm.plugin.core.classify.answer.confidence import (
    Confidence,
    class_confidences,
    class_value_spans,
    ollama_entries,
    openai_entries,
)
from chipvlm.plugin.core.classify.clients.endpoints import API_OLLAMA, API_OPENAI, EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.results.merge import merge_results
from chipvlm.plugin.core.results.store import ResultsStore
from fakes.ollama import LOGPROBS_IGNORE, LOGPROBS_REFUSE, FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run

TOKEN = re.compile(r"\d|\s+|[A-Za-z_]+|.", re.S)
TWELVE = range(0, 13)


def stream(text, designed=None):
    """Gemma-like tokens of ``text``, each certain, except at the positions in ``designed``:
    position -> (probability of the token there, {alternative: probability})."""
    designed = designed or {}
    entries = []
    for match in TOKEN.finditer(text):
        p, alternatives = designed.get(match.start(), (1.0, {}))
        top = [{"token": match.group(), "logprob": math.log(p)}]
        top += [{"token": t, "logprob": math.log(q)} for t, q in alternatives.items()]
        entries.append({"token": match.group(), "logprob": math.log(p), "top_logprobs": top})
    return entries


def at(text, needle, offset=0):
    return text.index(needle) + offset


# -- the core, on streams worked out by hand -------------------------------------------------------
def test_a_single_digit_class_gets_its_share_among_the_schemes_classes():
    text = '{"7": {"class_id": 3, "reason": "x"}}'
    # 0.6 for 3, 0.3 for 2, 0.05 for "9" (no such class in 0..8) and 0.05 for a quote: both left out
    entries = stream(text, {at(text, "3,"): (0.6, {"2": 0.3, "9": 0.05, '"': 0.05})})
    assert class_confidences(text, entries, range(0, 9)) == {7: Confidence(pytest.approx(0.6 / 0.9), 2)}


def test_a_two_digit_class_is_the_product_of_its_two_digits():
    text = '[{"fid": 5, "class_id": 12, "reason": "x"}]'
    first, second = at(text, "12"), at(text, "12", 1)
    # "1" 0.8 (else "9" 0.2); then "2" 0.75 (else "0": class 10, 0.25)
    entries = stream(text, {first: (0.8, {"9": 0.2}), second: (0.75, {"0": 0.25})})
    scores = class_confidences(text, entries, TWELVE)
    assert scores[5].confidence == pytest.approx(0.8 * 0.75)
    assert scores[5].runner_up_class_id == 9  # 0.2 beats class 10's 0.8 * 0.25


def test_a_one_digit_class_that_begins_a_two_digit_one_needs_a_non_digit_after_it():
    text = '{"4": {"class_id": 1, "reason": "x"}}'
    digit, after = at(text, "1,"), at(text, "1,", 1)
    # "1" 0.9; after it "," 0.7 ends the number (class 1), "2" 0.3 would make it 12
    entries = stream(text, {digit: (0.9, {"3": 0.1}), after: (0.7, {"2": 0.3})})
    scores = class_confidences(text, entries, TWELVE)
    assert scores[4].confidence == pytest.approx(0.9 * 0.7)
    assert scores[4].runner_up_class_id == 12  # 0.27 against 3's 0.1
    # the same stream for a scheme without 12: the "2" after "1" is no class, so 1 has 0.63 of 0.73
    assert class_confidences(text, entries, range(0, 9))[4].confidence == pytest.approx(0.63 / 0.73)


def test_a_two_digit_class_against_its_own_first_digit():
    text = '{"8": {"class_id": 11, "reason": "x"}}'
    second = at(text, "11", 1)
    # "1" certain; then "1" 0.55 (class 11) against "," 0.45: the number ends after one digit (class 1)
    entries = stream(text, {second: (0.55, {",": 0.45})})
    assert class_confidences(text, entries, TWELVE) == {8: Confidence(pytest.approx(0.55), 1)}


def test_tokens_that_hold_several_characters_are_read_by_their_characters():
    text = '{"3": {"class_id": 12, "reason": "x"}}'
    start = text.index(": 12,")
    words = ['{"', "3", '":', ' {"', "class", "_id", '"', ": 12", ",", ' "', "reason", '":', ' "x', '"}}']
    assert "".join(words) == text
    entries = []
    for word in words:
        entry = {"token": word, "logprob": 0.0, "top_logprobs": [{"token": word, "logprob": 0.0}]}
        if word == ": 12":  # one token for the separator and both digits, against ": 7" and ":7"
            entry = {"token": word, "logprob": math.log(0.5), "top_logprobs": [
                {"token": ": 7", "logprob": math.log(0.3)}, {"token": ":7", "logprob": math.log(0.2)}]}
        entries.append(entry)
    assert start == text.index(": 12")
    scores = class_confidences(text, entries, TWELVE)
    assert scores[3] == Confidence(pytest.approx(0.5 / 0.8), 7)  # ":7" does not follow ": " and is left out


def test_both_schema_kinds_a_wrapped_array_fences_and_string_class_ids_are_found():
    strict = '{"1": {"reason": "a", "class_id": 2}, "2": {"class_id": 10, "reason": "b"}}'
    simple = '[{"class_id": 4, "fid": 9, "reason": "c"}]'
    wrapped = '{"results": [{"fid": 9, "class_id": 4, "reason": "c"}]}'
    fenced = '```json\n[{"fid": 9, "class_id": "4", "reason": "c"}]\n```'
    assert {f: strict[a:b] for f, (a, b) in class_value_spans(strict).items()} == {1: "2", 2: "10"}
    for text in (simple, wrapped, fenced):
        spans = class_value_spans(text)
        assert list(spans) == [9] and text[slice(*spans[9])] == "4"
    entries = stream(fenced, {at(fenced, '4"'): (0.7, {"5": 0.3})})
    assert class_confidences(fenced, entries, range(0, 9)) == {9: Confidence(pytest.approx(0.7), 5)}


def test_tokens_that_split_a_chinese_character_still_place_the_class():
    text = '{"6": {"class_id": 5, "reason": "耕地纹理"}}'
    entries = []
    for match in TOKEN.finditer(text):
        token = match.group()
        pieces = ["\ufffd", "\ufffd"] if ord(token[0]) > 0x7f else [token]
        for piece in pieces:
            p = 0.8 if match.start() == text.index("5,") else 1.0
            top = [{"token": piece, "logprob": math.log(p)}]
            if p < 1:
                top.append({"token": "6", "logprob": math.log(0.2)})
            entries.append({"token": piece, "logprob": math.log(p), "top_logprobs": top})
    # the reason comes before the class in this answer: the skeleton has to carry the offsets past it
    text2 = '{"6": {"reason": "耕地纹理", "class_id": 5}}'
    entries2 = []
    for match in TOKEN.finditer(text2):
        token = match.group()
        pieces = ["\ufffd", "\ufffd"] if ord(token[0]) > 0x7f else [token]
        for piece in pieces:
            p = 0.8 if match.start() == text2.index("5}") else 1.0
            top = [{"token": piece, "logprob": math.log(p)}]
            if p < 1:
                top.append({"token": "6", "logprob": math.log(0.2)})
            entries2.append({"token": piece, "logprob": math.log(p), "top_logprobs": top})
    assert class_confidences(text, entries, range(0, 9)) == {6: Confidence(pytest.approx(0.8), 6)}
    assert class_confidences(text2, entries2, range(0, 9)) == {6: Confidence(pytest.approx(0.8), 6)}


def test_tokens_written_as_byte_escapes_are_read_from_their_bytes():
    text = '{"6": {"reason": "耕地", "class_id": 5}}'
    entries = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if ord(token[0]) > 0x7f:  # one character in two tokens, each named by its bytes (as vLLM does)
            data = token.encode("utf-8")
            for piece in (data[:2], data[2:]):
                name = "bytes:" + "".join(f"\\x{b:02x}" for b in piece)
                entries.append({"token": name, "logprob": 0.0, "bytes": list(piece), "top_logprobs": []})
            continue
        p = 0.7 if match.start() == text.index("5}") else 1.0
        top = [{"token": "3", "logprob": math.log(0.3)}] if p < 1 else []
        entries.append({"token": token, "logprob": math.log(p), "bytes": list(token.encode()), "top_logprobs": top})
    assert "bytes:" in "".join(e["token"] for e in entries)
    assert class_confidences(text, entries, range(0, 9)) == {6: Confidence(pytest.approx(0.7), 3)}


@pytest.mark.parametrize("seed", range(5))
def test_however_the_text_around_the_classes_is_cut_into_tokens_the_confidence_is_the_same(seed):
    import random

    fake = FakeModelServer(classes=12, language="en")
    fids = list(range(1, 25))
    text = fake.answer_text(fids, "object", "ok")
    entries = fake.logprob_entries(text, fids, 10, "ollama")
    expected = {fid: Confidence(pytest.approx(fake.expected_confidence(fid), abs=1e-9), fake.expected_runner_up(fid))
                for fid in fids}
    assert class_confidences(text, entries, TWELVE) == expected
    # merge neighbouring certain tokens at random, as a tokenizer with longer pieces would cut the text
    rnd = random.Random(seed)
    merged = []
    for entry in entries:
        certain = entry["logprob"] == 0.0 and not any(
            alt["logprob"] > -20 and alt["token"] != entry["token"] for alt in entry["top_logprobs"])
        previous = merged[-1] if merged else None
        if previous is not None and certain and previous["certain"] and rnd.random() < 0.6:
            token = previous["token"] + entry["token"]
            merged[-1] = {"token": token, "logprob": 0.0, "certain": True,
                          "top_logprobs": [{"token": token, "logprob": 0.0}]}
        else:
            merged.append(dict(entry, certain=certain))
    assert len(merged) < len(entries) * 0.8
    assert "".join(e["token"] for e in merged) == text
    assert class_confidences(text, merged, TWELVE) == expected


def test_a_stream_with_thinking_before_the_answer_is_read_from_the_answer():
    text = '{"2": {"class_id": 3, "reason": "x"}}'
    thinking = stream("the class_id: 7 looks right\n")
    entries = thinking + stream(text, {at(text, "3,"): (0.9, {"4": 0.1})})
    assert class_confidences(text, entries, range(0, 9)) == {2: Confidence(pytest.approx(0.9), 4)}


@pytest.mark.parametrize("entries", [
    None,
    [],
    [{"token": 3, "logprob": 0.0}],  # not a string
    [{"token": "{", "logprob": "high"}],  # not a number
    "logprobs",
])
def test_entries_that_are_not_what_servers_document_give_no_confidence(entries):
    assert class_confidences('{"1": {"class_id": 2, "reason": "x"}}', entries, range(0, 9)) == {}


def test_a_malformed_entry_in_a_stream_that_spells_the_answer_gives_no_confidence_for_it():
    text = '[{"fid": 1, "class_id": 2, "reason": "x"}, {"fid": 3, "class_id": 4, "reason": "y"}]'
    entries = stream(text, {at(text, "2,"): (0.9, {"5": 0.1}), at(text, "4,"): (0.8, {"5": 0.2})})
    where = [n for n, e in enumerate(entries) if e["token"] == "2"][0]
    entries[where] = dict(entries[where], logprob="high")
    assert class_confidences(text, entries, range(0, 9)) == {3: Confidence(pytest.approx(0.8), 5)}
    entries[0] = ["{"]  # not an entry at all: nothing of this stream is trusted
    assert class_confidences(text, entries, range(0, 9)) == {}


def test_nan_and_minus_infinity_are_no_probability():
    text = '{"1": {"class_id": 2, "reason": "x"}}'
    entries = stream(text)
    where = [n for n, e in enumerate(entries) if e["token"] == "2"][0]
    entries[where]["top_logprobs"] = [{"token": "2", "logprob": math.log(0.8)}, {"token": "3", "logprob": float("nan")},
                                      {"token": "4", "logprob": float("-inf")}, {"token": "5", "logprob": math.log(0.2)}]
    entries[where]["logprob"] = math.log(0.8)
    body = json.loads(json.dumps(entries))  # as a server's JSON would carry them (NaN, -Infinity)
    assert class_confidences(text, body, range(0, 9)) == {1: Confidence(pytest.approx(0.8), 5)}
    body[where]["logprob"] = float("nan")
    assert class_confidences(text, body, range(0, 9)) == {}


def test_a_stream_of_another_text_gives_no_confidence():
    text = '{"1": {"class_id": 2, "reason": "x"}}'
    assert class_confidences(text, stream(text.replace("2", "3")), range(0, 9)) == {}
    # a stream that stops before the class value covers no fid
    assert class_confidences(text, stream(text[:10]), range(0, 9)) == {}


def test_the_two_answer_shapes_give_the_same_entries():
    entries = stream('{"1": {"class_id": 2, "reason": "x"}}')
    assert ollama_entries({"message": {"content": "x"}, "logprobs": entries}) is entries
    assert openai_entries({"choices": [{"message": {}, "logprobs": {"content": entries}}]}) is entries
    assert ollama_entries({"message": {}}) is None
    assert openai_entries({"choices": [{"message": {}, "logprobs": None}]}) is None
    assert openai_entries({"choices": []}) is None


# -- through the fake servers and the engine ----------------------------------------------------------
def twelve_class_scheme(tmp_path):
    classes = [{"id": -1, "name": "ERROR", "description": "not done"},
               {"id": 0, "name": "unknown", "description": "cannot tell"}]
    classes += [{"id": n, "name": f"class {n}", "description": f"the {n}th kind of land"} for n in range(1, 13)]
    path = tmp_path / "twelve.json"
    path.write_text(json.dumps({"id": "twelve", "name": "Twelve", "language": "en", "review_reason": "review",
                                "classes": classes}), encoding="utf-8")
    return str(path)


def stored(store_path):
    con = sqlite3.connect(str(store_path))
    try:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT fid, class_id, confidence, runner_up_class_id, needs_review, reason FROM results")}
    finally:
        con.close()


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
@pytest.mark.parametrize("kind", ["strict", "simple"])
@pytest.mark.parametrize("classes", [8, 12])
def test_the_stored_confidence_is_the_one_the_server_gave(tmp_path, api, kind, classes):
    fids = range(1, 25)  # with 12 classes: every class from 1 to 12, so 1, 10, 11, 12 all come up
    index = make_run(tmp_path, fids)
    scheme = "yili8" if classes == 8 else twelve_class_scheme(tmp_path)
    language = "zh" if classes == 8 else "en"
    with FakeModelServer(classes=classes, rejects_strict_schema=(kind == "simple"), language=language) as fake:
        url = fake.url + ("/v1" if api == API_OPENAI else "")
        endpoint = EndpointConfig("gpu0", url, api=api, model="gemma3:27b", timeout=5)
        summary = run_classification(ClassifyOptions(str(index), [endpoint], scheme, batch_size=6,
                                                     policy=fast_policy()))
        asked = [r for r in fake.records if r.schema_type == ("array" if kind == "simple" else "object")]
    assert summary.classified == len(fids)
    assert asked and all(r.logprobs and r.top_logprobs == 10 for r in fake.records)
    assert_no_mixup(tmp_path / "results.sqlite", fids, fake)
    rows = stored(tmp_path / "results.sqlite")
    for fid in fids:
        class_id, confidence, runner_up, _, _ = rows[fid]
        assert confidence == pytest.approx(fake.expected_confidence(fid), abs=1e-9), f"fid {fid}"
        assert runner_up == fake.expected_runner_up(fid), f"fid {fid} (class {class_id})"
    with open(tmp_path / "results.csv", encoding="utf-8-sig", newline="") as handle:
        exported = {int(r["fid"]): r for r in csv.DictReader(handle)}
    for fid in fids:
        assert float(exported[fid]["confidence"]) == pytest.approx(fake.expected_confidence(fid), abs=1e-9)
        assert int(exported[fid]["runner_up_class_id"]) == fake.expected_runner_up(fid)


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_the_requests_log_keeps_the_answer_without_its_token_list(tmp_path, api):
    index = make_run(tmp_path, range(1, 5))
    with FakeModelServer() as fake:
        url = fake.url + ("/v1" if api == API_OPENAI else "")
        run_classification(ClassifyOptions(str(index),
                                           [EndpointConfig("gpu0", url, api=api, model="gemma3:27b", timeout=5)],
                                           "yili8", policy=fast_policy()))
    with ResultsStore(tmp_path / "results.sqlite") as store:
        raw = store.requests()[0]["raw_response"]
    kept = json.loads(raw)
    content = kept["message"]["content"] if api == API_OLLAMA else kept["choices"][0]["message"]["content"]
    assert json.loads(content)["1"] == fake.expected_class(1)  # REASONS=review: the class alone first
    assert "top_logprobs" not in raw
    assert "token entries, not kept" in raw


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_a_server_that_ignores_logprobs_costs_nothing(tmp_path, api):
    fids = range(1, 13)
    index = make_run(tmp_path, fids)
    with FakeModelServer(logprobs=LOGPROBS_IGNORE) as fake:
        url = fake.url + ("/v1" if api == API_OPENAI else "")
        endpoint = EndpointConfig("gpu0", url, api=api, model="gemma3:27b", timeout=5)
        summary = run_classification(ClassifyOptions(str(index), [endpoint], "yili8", batch_size=4,
                                                     policy=fast_policy()))
    assert summary.classified == 12 and len(fake.records) == 3
    assert_no_mixup(tmp_path / "results.sqlite", fids, fake)
    assert {row[1:3] for row in stored(tmp_path / "results.sqlite").values()} == {(None, None)}


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_a_server_that_refuses_logprobs_is_asked_without_them_once_and_from_then_on(tmp_path, api):
    fids = range(1, 13)
    index = make_run(tmp_path, fids)
    with FakeModelServer(logprobs=LOGPROBS_REFUSE) as fake:
        url = fake.url + ("/v1" if api == API_OPENAI else "")
        endpoint = EndpointConfig("gpu0", url, api=api, model="gemma3:27b", timeout=5)
        # one worker, so "from then on" is the next request of the same endpoint
        summary = run_classification(ClassifyOptions(str(index), [endpoint], "yili8", batch_size=4,
                                                     policy=fast_policy(queue_ahead=0)))
    assert summary.classified == 12 and summary.errors == 0
    assert [r.logprobs for r in fake.records] == [True, False, False, False]
    told = [w for w in summary.warnings if "log-probabilities" in w]
    assert len(told) == 1 and told[0].startswith("gpu0 does not accept")
    assert_no_mixup(tmp_path / "results.sqlite", fids, fake)
    assert {row[1:3] for row in stored(tmp_path / "results.sqlite").values()} == {(None, None)}
    assert endpoint.logprobs is True, "the saved endpoint is not changed by one run"


def test_an_endpoint_with_logprobs_off_does_not_ask(tmp_path):
    index = make_run(tmp_path, range(1, 5))
    with FakeModelServer() as fake:
        endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5, logprobs=False)
        run_classification(ClassifyOptions(str(index), [endpoint], "yili8", policy=fast_policy()))
    assert [r.logprobs for r in fake.records] == [False]
    assert {row[1:3] for row in stored(tmp_path / "results.sqlite").values()} == {(None, None)}


def test_split_chinese_characters_in_the_stream_still_give_the_servers_confidence(tmp_path):
    fids = range(1, 9)
    index = make_run(tmp_path, fids)
    with FakeModelServer(broken_utf8=True) as fake:
        run_classification(ClassifyOptions(str(index),
                                           [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)],
                                           "yili8", policy=fast_policy()))
    rows = stored(tmp_path / "results.sqlite")
    assert {fid: rows[fid][1] for fid in fids} == {fid: pytest.approx(fake.expected_confidence(fid)) for fid in fids}


def test_review_below_flags_the_unsure_results_and_keeps_their_reasons(tmp_path):
    fids = range(1, 21)
    index = make_run(tmp_path, fids)
    with FakeModelServer() as fake:
        summary = run_classification(ClassifyOptions(str(index),
                                                     [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)],
                                                     "yili8", policy=fast_policy(), review_below=0.7))
    unsure = {fid for fid in fids if fake.expected_confidence(fid) < 0.7}
    assert unsure and unsure != set(fids)
    rows = stored(tmp_path / "results.sqlite")
    assert {fid for fid, row in rows.items() if row[3] == 1} == unsure
    # REASONS=review: the reasons pass asks the unsure ones (and only them) for their reason
    assert all(rows[fid][4] == (fake.expected_reason(fid) if fid in unsure else "") for fid in fids)
    assert summary.needs_review == len(unsure)


def test_review_below_on_a_finished_run_flags_its_earlier_results(tmp_path):
    fids = range(1, 21)
    index = make_run(tmp_path, fids)
    with FakeModelServer() as fake:
        endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)
        run_classification(ClassifyOptions(str(index), [endpoint], "yili8", policy=fast_policy()))
        assert not any(row[3] for row in stored(tmp_path / "results.sqlite").values())
        summary = run_classification(ClassifyOptions(str(index), [endpoint], "yili8", policy=fast_policy(),
                                                     review_below=0.7))
        unsure = {fid for fid in fids if fake.expected_confidence(fid) < 0.7}
        # no chip is classified again; only the newly flagged ones are asked their reason (REASONS=review)
        assert summary.to_do == 0 and summary.reasons_asked == len(unsure)
        assert [sorted(r.fids) for r in fake.records[2:]] == [sorted(unsure)]
        assert not any(r.class_only for r in fake.records[2:])
    rows = stored(tmp_path / "results.sqlite")
    assert {fid for fid, row in rows.items() if row[3] == 1} == unsure
    assert summary.totals["needs_review"] == len(unsure)
    assert all(rows[fid][4] == (fake.expected_reason(fid) if fid in unsure else "") for fid in fids)


def test_confidence_survives_a_merge_from_results_csv(tmp_path):
    run = tmp_path / "run"
    index = make_run(run, range(1, 7))
    with FakeModelServer() as fake:
        run_classification(ClassifyOptions(str(index),
                                           [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)],
                                           "yili8", policy=fast_policy()))
    merge_results([str(run / "results.csv")], str(tmp_path / "merged.sqlite"))
    rows = stored(tmp_path / "merged.sqlite")
    assert {fid: rows[fid][1:3] for fid in rows} == {
        fid: (pytest.approx(fake.expected_confidence(fid)), fake.expected_runner_up(fid)) for fid in range(1, 7)}
    con = sqlite3.connect(str(tmp_path / "merged.sqlite"))
    assert {r[0] for r in con.execute("SELECT typeof(confidence) FROM results")} == {"real"}
    con.close()
