"""The engine as a user drives it: resume, limits, reviews kept, cancel, progress, several endpoints."""
import csv
import os
import sqlite3
import threading
import time

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import ClassificationError, run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.results.store import ResultRow, ResultsStore
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run, older_plugin_scheme


def endpoint(fake, name="gpu0", **kwargs):
    return EndpointConfig(name, fake.url, model="gemma3:27b", timeout=5, **kwargs)


def classify(index, endpoints, progress=None, is_canceled=None, log=None, **options):
    options.setdefault("policy", fast_policy())
    return run_classification(ClassifyOptions(str(index), endpoints, "yili8", **options), progress=progress,
                              is_canceled=is_canceled, log=log)


def test_errors_are_not_done_a_rerun_retries_them_and_skips_real_classes(tmp_path):
    index = make_run(tmp_path, range(1, 21))
    with ResultsStore(tmp_path / "results.sqlite") as store:
        store.record_results([
            ResultRow(fid=1, chip_path="x", class_id=-1, class_name="ERROR", reason="timeout", needs_review=True),
            ResultRow(fid=2, chip_path="x", class_id=-1, class_name="ERROR", reason="timeout", needs_review=True),
            ResultRow(fid=3, chip_path="x", class_id=4, class_name="水体", reason="3号水面"),
        ])
    with FakeModelServer() as fake:
        summary = classify(index, [endpoint(fake)], retry_errors=False)
        assert summary.to_do == 17 and summary.already_done == 1
        assert not {1, 2, 3} & {f for r in fake.records for f in r.fids}
        summary = classify(index, [endpoint(fake)])
        assert summary.to_do == 2
        assert {f for r in fake.records[-1:] for f in r.fids} == {1, 2}
    rows = assert_no_mixup(tmp_path / "results.sqlite", range(1, 21), fake)
    assert rows[3][:2] == (4, "3号水面"), "a done chip is kept as it was"


def test_limit_classifies_that_many_and_the_next_run_the_rest(tmp_path):
    index = make_run(tmp_path, range(1, 31))
    with FakeModelServer() as fake:
        first = classify(index, [endpoint(fake)], limit=12, batch_size=5)
        assert (first.to_do, first.classified) == (12, 12)
        second = classify(index, [endpoint(fake)], batch_size=5)
        assert (second.to_do, second.already_done) == (18, 12)
    assert_no_mixup(tmp_path / "results.sqlite", range(1, 31), fake)


def test_a_rerun_never_touches_an_analysts_review(tmp_path):
    index = make_run(tmp_path, range(1, 11))
    with ResultsStore(tmp_path / "results.sqlite") as store:
        store.record_results([ResultRow(fid=4, chip_path="x", class_id=-1, class_name="ERROR", reason="e",
                                        needs_review=True)])
        with store.transaction() as con:
            con.execute("UPDATE results SET reviewed_class_id=7, reviewed_class_name='裸地', reviewer='li', "
                        "reviewed_at='2026-09-01T08:00:00+00:00' WHERE fid=4")
    with FakeModelServer() as fake:
        classify(index, [endpoint(fake)])
    with ResultsStore(tmp_path / "results.sqlite") as store:
        row = store.get(4)
    assert (row["class_id"], row["reviewed_class_id"], row["reviewer"]) == (fake.expected_class(4), 7, "li")


def test_cancel_stops_within_a_second_and_keeps_finished_batches(tmp_path):
    index = make_run(tmp_path, range(1, 41))
    seen = []
    with FakeModelServer(delay=0.6) as fake:
        def canceled():
            return bool(seen) and seen[-1].done >= 5
        started = time.monotonic()
        summary = classify(index, [endpoint(fake)], batch_size=5, progress=seen.append, is_canceled=canceled)
        took = time.monotonic() - started
    assert summary.canceled and 5 <= summary.classified < 40
    assert took < 0.6 * 2 + 1.0, "stopped within a second of the cancel"
    with ResultsStore(tmp_path / "results.sqlite") as store:
        assert store.counts()["errors"] == 0 and len(store.done_fids()) == summary.classified
    with FakeModelServer() as again:
        classify(index, [endpoint(again)], batch_size=5)
    assert_no_mixup(tmp_path / "results.sqlite", range(1, 41), again)


def test_progress_reports_counts_rate_eta_and_endpoints(tmp_path):
    index = make_run(tmp_path, range(1, 31))
    reports = []
    with FakeModelServer(delay=0.05) as fake:
        classify(index, [endpoint(fake, "gpu0")], batch_size=5, progress=reports.append)
    last = reports[-1]
    assert (last.total, last.done, last.classified, last.errors) == (30, 30, 30, 0)
    assert last.per_endpoint == {"gpu0": 30} and last.chips_per_minute > 0
    assert any(r.eta_s is not None and 0 < r.done < 30 for r in reports)
    assert "30/30 chips" in last.text() and "gpu0: 30" in last.text()


def test_a_fast_endpoint_takes_more_work_and_each_keeps_its_concurrency(tmp_path):
    index = make_run(tmp_path, range(1, 121))
    # neither fake limits itself, so max_active is what we sent at once
    with FakeModelServer(delay=0.02) as fast, FakeModelServer(delay=0.4) as slow:
        summary = classify(index, [endpoint(fast, "fast"), endpoint(slow, "slow", concurrency=2)], batch_size=5,
                           policy=fast_policy(queue_ahead=0))
    assert summary.per_endpoint["fast"] > 2 * summary.per_endpoint["slow"] > 0
    assert slow.max_active == 2 and fast.max_active == 1


def test_requests_queued_ahead_stay_within_twice_the_concurrency(tmp_path):
    index = make_run(tmp_path, range(1, 61))
    with FakeModelServer(delay=0.1) as fake:
        classify(index, [endpoint(fake, "gpu0", concurrency=2)], batch_size=5)
    assert fake.max_active == 4, "2 running and 2 waiting in the server's queue, never more"


def test_results_csv_is_exported_with_bom_and_every_row(tmp_path):
    index = make_run(tmp_path, range(1, 8))
    with FakeModelServer() as fake:
        summary = classify(index, [endpoint(fake)])
    assert summary.results_csv == str(tmp_path / "results.csv")
    assert open(summary.results_csv, "rb").read(3) == b"\xef\xbb\xbf"
    with open(summary.results_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["fid"]) for r in rows] == list(range(1, 8)) and rows[0]["class_name"] == "耕地"


def test_meta_records_scheme_index_and_model_and_another_scheme_is_refused(tmp_path):
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer() as fake:
        classify(index, [endpoint(fake)])
        with ResultsStore(tmp_path / "results.sqlite") as store:
            assert store.scheme().id == "yili8" and store.get_meta("model") == "gemma3:27b"
            assert store.get_meta("index_path") == str(index) and store.get_meta("created_at")
        with pytest.raises(ClassificationError, match="scheme 'yili8'"):
            run_classification(ClassifyOptions(str(index), [endpoint(fake)], "landcover_en",
                                               policy=fast_policy()))


def test_missing_chip_files_become_error_rows_and_the_rest_is_classified(tmp_path):
    index = make_run(tmp_path, range(1, 11))
    moved = tmp_path / "elsewhere.png"
    os.replace(tmp_path / "chips" / "000004.png", moved)
    with FakeModelServer() as fake:
        summary = classify(index, [endpoint(fake)])
        rows = assert_no_mixup(tmp_path / "results.sqlite", range(1, 11), fake, allow_errors={4})
        assert "chip file not found for fid 4" in rows[4][1] and summary.errors == 1
        os.replace(moved, tmp_path / "chips" / "000004.png")
        summary = classify(index, [endpoint(fake)])
        assert summary.to_do == 1
    assert_no_mixup(tmp_path / "results.sqlite", range(1, 11), fake)


def test_features_without_a_chip_are_not_sent(tmp_path):
    index = make_run(tmp_path, range(1, 7), statuses={2: "outside", 5: "empty_geometry"})
    with FakeModelServer() as fake:
        summary = classify(index, [endpoint(fake)])
    assert summary.skipped_in_index == {"outside": 1, "empty_geometry": 1}
    assert_no_mixup(tmp_path / "results.sqlite", [1, 3, 4, 6], fake)


def test_one_server_listed_twice_is_used_once_and_reported(tmp_path):
    index = make_run(tmp_path, range(1, 21))
    messages = []
    with FakeModelServer() as fake:
        twice = [endpoint(fake, "gpu0"), EndpointConfig("gpu1", fake.url.replace("127.0.0.1", "localhost") + "/",
                                                        model="gemma3:27b")]
        summary = classify(index, twice, log=messages.append)
    assert summary.per_endpoint == {"gpu0": 20}
    assert any("same server" in m and "gpu1" in m for m in messages)


def test_nothing_left_to_do_returns_at_once(tmp_path):
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer() as fake:
        classify(index, [endpoint(fake)])
        requests_before = len(fake.records)
        summary = classify(index, [endpoint(fake)])
    assert summary.to_do == 0 and summary.finished and len(fake.records) == requests_before


def test_the_store_can_be_read_while_a_run_writes(tmp_path):
    index = make_run(tmp_path, range(1, 61))
    counts = []
    outcome = {}

    def run(fake):
        try:
            outcome["summary"] = classify(index, [endpoint(fake)], batch_size=5)
        except BaseException as exc:  # the test must see it, not lose it in the thread
            outcome["error"] = exc

    with FakeModelServer(delay=0.03) as fake:
        thread = threading.Thread(target=run, args=(fake,))
        thread.start()
        while thread.is_alive():
            if os.path.exists(tmp_path / "results.sqlite"):
                con = sqlite3.connect(str(tmp_path / "results.sqlite"), timeout=5)
                try:
                    counts.append(con.execute("SELECT COUNT(*) FROM results").fetchone()[0])
                except sqlite3.OperationalError as exc:  # the file exists a moment before its tables
                    assert "no such table" in str(exc)
                finally:
                    con.close()
            time.sleep(0.02)
        thread.join()
    assert "error" not in outcome, outcome
    assert outcome["summary"].finished and outcome["summary"].classified == 60
    assert counts == sorted(counts) and counts[-1] <= 60 and any(0 < c < 60 for c in counts)


def test_no_more_batches_are_read_and_checked_at_once_than_there_are_cores(tmp_path, monkeypatch):
    """At the start every request slot wants a batch at once: they take turns by core, so the first
    batches are ready first instead of all of them late (the chip check is CPU work)."""
    from chipvlm.plugin.core.classify.dispatch import dispatcher

    monkeypatch.setattr(dispatcher.os, "cpu_count", lambda: 1)
    real = dispatcher.encode_chip
    inside, most, lock = [0], [0], threading.Lock()

    def counted(path, fid):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.002)  # gives another batch's thread the time to come in, if it may
            return real(path, fid)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(dispatcher, "encode_chip", counted)
    index = make_run(tmp_path, list(range(1, 81)))
    with FakeModelServer(delay=0.05) as one, FakeModelServer(delay=0.05) as two:
        summary = classify(index, [endpoint(one, concurrency=4), endpoint(two, "gpu1", concurrency=4)],
                           batch_size=5)
    assert summary.classified == 80
    assert most[0] == 1


def test_a_results_file_of_an_older_plugin_goes_on_after_the_upgrade(tmp_path):
    """An older plugin called class -1 "ERROR": a rerun after the upgrade carries on (make demo met it)."""
    index = make_run(tmp_path, list(range(1, 21)))
    with FakeModelServer() as fake:
        first = classify(index, [endpoint(fake)], limit=10)
        older_plugin_scheme(tmp_path / "results.sqlite")
        second = classify(index, [endpoint(fake)])
    assert first.classified == 10 and second.classified == 10
    with ResultsStore(tmp_path / "results.sqlite") as store:
        assert store.scheme().name_of(-1) != "ERROR"  # the run stored today's scheme


def test_a_results_file_of_another_scheme_with_the_same_id_is_refused_naming_the_class(tmp_path):
    import sqlite3

    index = make_run(tmp_path, [1, 2])
    with FakeModelServer() as fake:
        classify(index, [endpoint(fake)], limit=1)
        con = sqlite3.connect(str(tmp_path / "results.sqlite"))
        with con:
            text = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone()[0]
            con.execute("UPDATE meta SET value = ? WHERE key = 'scheme'", (text.replace('"id": 7', '"id": 9', 1),))
        con.close()
        with pytest.raises(ClassificationError, match="class 7 is only in one") as caught:
            classify(index, [endpoint(fake)])
    assert "'yili8', not 'yili8'" not in str(caught.value)
