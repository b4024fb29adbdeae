"""The analyst runs "Classify chips" (chipvlm:classifychips) against servers whose answers mislead
(issue 17 points 2 and 3): a prompt token count that only covers what the server's prefix cache did not
hold, and an answer that breaks the JSON reader. Every server is a fake Ollama (tests/fakes/ollama.py)
answering class ``fid % 8 + 1``.
"""
import re
import sqlite3
import time

from fakes.ollama import COUNT_UNCACHED, DEEP_JSON, FakeModelServer
from fakes.runs import assert_no_mixup, make_run
from helpers.feedback import RecordingFeedback

MODEL = "gemma3:27b"


def classify(run_algorithm, index, url, **parameters):
    values = {"INDEX": str(index), "ENDPOINTS": url, "MODEL": MODEL}
    values.update(parameters)
    return run_algorithm("chipvlm:classifychips", values, RecordingFeedback())


def request_statuses(store_path):
    con = sqlite3.connect(str(store_path))
    try:
        return [(status, error or "") for status, error in con.execute("SELECT status, error FROM requests")]
    finally:
        con.close()


def said(feedback, words):
    return [text for text in feedback.infos + feedback.warnings if words in text]


def test_a_second_run_on_a_server_that_counts_only_uncached_tokens_classifies_every_chip(run_algorithm, tmp_path):
    """Ollama 0.30.x and llama-server count only the prompt tokens their prefix cache did not hold: the
    same chips asked again cost a token or two. Before issue 17 every batch of the second run was taken
    for a cut prompt and all 30 chips became -1."""
    index = make_run(tmp_path / "run", range(1, 31))
    with FakeModelServer(prompt_count=COUNT_UNCACHED) as fake:
        first, _ = classify(run_algorithm, index, fake.url, OUTPUT=str(tmp_path / "first.sqlite"))
        second, feedback = classify(run_algorithm, index, fake.url, OUTPUT=str(tmp_path / "second.sqlite"))
    assert (first["CLASSIFIED"], first["ERRORS"]) == (30, 0)
    assert (second["CLASSIFIED"], second["ERRORS"]) == (30, 0), "cached prompts are no cut prompts"
    assert_no_mixup(second["OUTPUT"], range(1, 31), fake)
    assert len(fake.records) == 6, "no batch was split or asked again"
    assert {status for status, _ in request_statuses(second["OUTPUT"])} == {"ok"}
    low = said(feedback, "prompt cache did not hold")
    assert len(low) == 1, "the low count is said once per endpoint and run"
    assert low[0].startswith(fake.url.split("//")[1])
    counted, estimate = map(int, re.search(r"counted (\d+) prompt tokens for a request of about (\d+)", low[0]).groups())
    assert counted < 0.8 * estimate, "the figure said is the cached server's low count against our estimate"


def test_an_answer_that_breaks_the_json_reader_is_an_invalid_answer_and_the_run_ends_in_seconds(
        run_algorithm, tmp_path):
    """200,000 nested brackets raise RecursionError in the reader: before issue 17 that was an
    unexpected error, retried with backoff and avoidance (20 chips unfinished after 6 minutes)."""
    index = make_run(tmp_path / "run", range(1, 21))
    with FakeModelServer() as fake:
        fake.add_rule(DEEP_JSON, fids={7})
        started = time.monotonic()
        result, feedback = classify(run_algorithm, index, fake.url)
        elapsed = time.monotonic() - started
    assert (result["CLASSIFIED"], result["ERRORS"]) == (19, 1)
    rows = assert_no_mixup(result["OUTPUT"], range(1, 21), fake, allow_errors={7})
    assert rows[7][0] == -1
    broken = [r for r in fake.records if r.behavior == DEEP_JSON]
    assert [len(r.fids) for r in broken] == [10, 5, 3, 2, 1], "split at once, each part asked once"
    statuses = request_statuses(result["OUTPUT"])
    assert [s for s, _ in statuses].count("invalid") == 5 and "internal_error" not in {s for s, _ in statuses}
    assert all("RecursionError" in error for status, error in statuses if status == "invalid")
    assert not said(feedback, "Unexpected error") and not said(feedback, "paused")
    assert elapsed < 10, f"the run took {elapsed:.1f} s"
