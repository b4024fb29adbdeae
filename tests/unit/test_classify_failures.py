"""Every way a model server failed us in the field report (and Ollama's tracker), one test each.

Each test runs the real engine against fake servers over HTTP and ends with assert_no_mixup: every
fid of the index exactly once, each classified fid with its own class and its own reason, and errors
(-1) only where the fake made a chip impossible.
"""
import json
import sqlite3
import time

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import AllEndpointsFailedError, run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.ollama import (
    BAD_CLASS,
    BUSY,
    DROP_CONNECTION,
    DROP_FID,
    DUPLICATE_FID,
    ERROR_CLASS,
    GARBAGE_REASON,
    INVALID_JSON,
    SERVER_ERROR,
    STALL,
    STRANGER_FID,
    FakeModelServer,
)
from fakes.runs import assert_no_mixup, fast_policy, make_run

FIDS = list(range(1, 41))
BATCHES = [set(FIDS[i:i + 10]) for i in range(0, 40, 10)]


@pytest.fixture
def run(tmp_path):
    index = make_run(tmp_path / "run", FIDS)

    def classify(*fakes, batch_size=10, timeout=5.0, concurrency=1, model="gemma3:27b", is_canceled=None,
                 **options):
        endpoints = [EndpointConfig(f"gpu{n}", fake.url, model=model, concurrency=concurrency, timeout=timeout)
                     for n, fake in enumerate(fakes)]
        messages = []
        options.setdefault("policy", fast_policy())
        summary = run_classification(ClassifyOptions(str(index), endpoints, "yili8", batch_size=batch_size,
                                                     **options), is_canceled=is_canceled, log=messages.append)
        summary.messages = messages
        return summary

    classify.store = tmp_path / "run" / "results.sqlite"
    classify.index = index
    return classify


def requests_log(store_path):
    con = sqlite3.connect(str(store_path))
    try:
        return [dict(zip(("status", "fids", "schema_kind", "error", "raw"), row)) for row in con.execute(
            "SELECT status, fids, schema_kind, error, raw_response FROM requests ORDER BY id")]
    finally:
        con.close()


def sent_batches(fake):
    return [set(r.fids) for r in fake.records]


def test_a_duplicated_fid_is_caught_and_the_batch_split_until_it_passes(run):
    with FakeModelServer() as fake:
        fake.add_rule(DUPLICATE_FID, times=2, min_batch=2)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40 and summary.errors == 0
    invalid = [r for r in requests_log(run.store) if r["status"] == "invalid"]
    assert len(invalid) == 2 and all("appears twice" in r["error"] for r in invalid)
    assert any(len(b) == 5 for b in sent_batches(fake)), "the bad batch was split in halves"


def test_a_batch_split_and_retried_after_a_duplicate_fid_leaves_one_line_in_the_log(run):
    # issue 20: the batch 1-10, then its halves 1-5 and 1-3, each answered with a fid twice
    with FakeModelServer() as fake:
        fake.add_rule(DUPLICATE_FID, times=3, fids={3}, min_batch=2)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40 and summary.errors == 0
    assert [r["status"] for r in requests_log(run.store)].count("invalid") == 3
    said = [m for m in summary.messages if "refused" in m]
    assert len(said) == 1, summary.messages
    assert said[0].startswith("gpu0: the answer for fid(s) 1, 2, 3") and "appears twice" in said[0]
    assert "split in halves and asked again" in said[0]


def test_a_chip_that_always_makes_a_fid_disappear_ends_alone_as_an_error(run):
    with FakeModelServer() as fake:
        fake.add_rule(DROP_FID, fids={13})
        summary = run(fake)
    rows = assert_no_mixup(run.store, FIDS, fake, allow_errors={13})
    assert rows[13][0] == -1 and "missing" in rows[13][1]
    assert summary.classified == 39 and summary.errors == 1
    sizes = sorted(len(b) for b in sent_batches(fake) if 13 in b)
    assert sizes == [1, 3, 5, 10], "split in halves around the bad chip: 11-20, 11-15, 11-13, 13"


def test_a_stranger_fid_in_the_answer_is_refused(run):
    with FakeModelServer() as fake:
        fake.add_rule(STRANGER_FID, times=3)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40
    assert sum("not in this batch" in (r["error"] or "") for r in requests_log(run.store)) == 3


@pytest.mark.parametrize("behavior", [BAD_CLASS, ERROR_CLASS])
def test_a_class_outside_the_scheme_or_minus_one_is_refused(run, behavior):
    with FakeModelServer() as fake:
        fake.add_rule(behavior, fids={21})
        run(fake)
    rows = assert_no_mixup(run.store, FIDS, fake, allow_errors={21})
    assert rows[21][0] == -1 and "does not allow" in rows[21][1]


def test_garbage_reasons_become_the_review_reason(run):
    with FakeModelServer() as fake:
        fake.add_rule(GARBAGE_REASON)
        summary = run(fake, reasons="all")  # a reason in every answer
    rows = assert_no_mixup(run.store, FIDS, fake)
    assert all(reason == "待复核" and review == 1 for _, reason, review in rows.values())
    assert summary.needs_review == 40
    raw = [r["raw"] for r in requests_log(run.store) if r["status"] == "ok"]
    assert any("reasons:" in text for text in raw), "the model's raw answer is kept in the requests log"


def test_invalid_json_is_retried_in_halves(run):
    with FakeModelServer() as fake:
        fake.add_rule(INVALID_JSON, times=2)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40
    assert sum(r["status"] == "invalid" for r in requests_log(run.store)) == 2


def test_a_server_answering_500_to_the_strict_schema_falls_back_to_the_simple_one(run):
    with FakeModelServer(rejects_strict_schema=True) as fake:
        summary = run(fake, concurrency=2)
    assert_no_mixup(run.store, FIDS, fake)
    log = requests_log(run.store)
    refused = [r["schema_kind"] for r in log if r["status"] == "http_error"]
    # only the requests already on their way when the first 500 came back (2 slots + 2 queued ahead)
    assert refused == ["strict"] * len(refused) and 1 <= len(refused) <= 4
    assert all(r["schema_kind"] == "simple" for r in log if r["status"] == "ok")
    assert sum("simple schema" in m for m in summary.messages) == 1
    simple = [sorted(r.fids) for r in fake.records if r.schema_type == "array"]
    assert sorted(simple) == sorted(map(sorted, BATCHES)), "500 to a schema is no reason to split"


def test_an_endpoint_without_the_model_is_left_out_and_the_other_does_the_work(run):
    with FakeModelServer(model="gemma3:27b") as good, FakeModelServer(model="other") as wrong:
        summary = run(wrong, good)
    assert_no_mixup(run.store, FIDS, good)
    assert summary.per_endpoint == {"gpu0": 0, "gpu1": 40}
    assert any("ollama pull gemma3:27b" in m for m in summary.messages)


def test_a_run_whose_only_endpoint_lacks_the_model_stops_before_recording_anything(run):
    with FakeModelServer(model="other") as wrong:
        with pytest.raises(AllEndpointsFailedError, match="ollama pull gemma3:27b"):
            run(wrong)
    con = sqlite3.connect(str(run.store))
    assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0


def test_a_busy_server_503_is_retried_without_splitting(run):
    with FakeModelServer() as fake:
        fake.add_rule(BUSY, times=3)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40
    assert all(b in BATCHES for b in sent_batches(fake)), "busy is not the batch's fault: never split"
    assert sum(r["status"] == "http_error" for r in requests_log(run.store)) == 3


def test_a_dropped_connection_is_retried_without_splitting(run):
    with FakeModelServer() as fake:
        fake.add_rule(DROP_CONNECTION, times=3)
        summary = run(fake)
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40 and all(b in BATCHES for b in sent_batches(fake))
    assert sum(r["status"] == "transport_error" for r in requests_log(run.store)) == 3


def test_a_stalled_endpoint_times_out_and_the_other_one_takes_its_batches(run):
    with FakeModelServer(stall_seconds=5) as stuck, FakeModelServer(delay=0.02) as fine:
        stuck.add_rule(STALL)
        started = time.monotonic()
        summary = run(stuck, fine, timeout=0.4)
        took = time.monotonic() - started
    assert_no_mixup(run.store, FIDS, fine)
    assert summary.per_endpoint["gpu1"] == 40 and took < 4
    assert any(r["status"] == "transport_error" and "no answer within" in r["error"] for r in requests_log(run.store))


def test_a_chip_that_crashes_the_server_is_isolated_and_the_rest_classified(run):
    with FakeModelServer() as fake:
        fake.add_rule(SERVER_ERROR, fids={17})
        summary = run(fake, policy=fast_policy(pause_after=100))
    rows = assert_no_mixup(run.store, FIDS, fake, allow_errors={17})
    assert "server failed" in rows[17][1] and summary.errors == 1


def test_an_endpoint_dying_mid_run_leaves_its_work_to_the_other(run):
    with FakeModelServer(delay=0.05) as dying, FakeModelServer(delay=0.05) as fine:
        dying.die_after(1)
        summary = run(dying, fine, batch_size=5)
    assert_no_mixup(run.store, FIDS, fine)
    assert summary.classified == 40 and summary.per_endpoint["gpu0"] <= 5
    assert any("paused" in m for m in summary.messages)


def test_when_every_endpoint_dies_the_run_stops_and_a_rerun_finishes_the_job(run):
    with FakeModelServer(delay=0.02) as dying:
        dying.die_after(2)
        with pytest.raises(AllEndpointsFailedError, match="run again when an endpoint answers") as stopped:
            run(dying)
    assert stopped.value.summary.classified == 20
    con = sqlite3.connect(str(run.store))
    assert con.execute("SELECT COUNT(*), SUM(class_id = -1) FROM results").fetchone() == (20, 0), \
        "finished batches kept, nothing recorded for the rest"
    con.close()
    with FakeModelServer() as again:
        summary = run(again)
    assert summary.to_do == 20 and summary.already_done == 20
    assert_no_mixup(run.store, FIDS, again)
    assert {f for b in sent_batches(again) for f in b} == set(FIDS[20:]), "done chips are not asked again"


def test_openai_compatible_endpoints_go_through_the_same_checks(run, tmp_path):
    with FakeModelServer(api_key="k") as fake:
        fake.add_rule(DUPLICATE_FID, times=1, min_batch=2)
        endpoint = EndpointConfig("webui", fake.url + "/api", api="openai", model="gemma3:27b", api_key="k")
        summary = run_classification(ClassifyOptions(str(run.index), [endpoint], "yili8",
                                                     policy=fast_policy()))
    assert_no_mixup(run.store, FIDS, fake)
    assert summary.classified == 40
    assert all(r.path == "/api/chat/completions" for r in fake.records)
    with open(run.store, "rb") as handle:
        assert b"Bearer k" not in handle.read(), "the key never reaches the results file"
    assert json.loads(requests_log(run.store)[0]["fids"])
