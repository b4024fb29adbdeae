"""results.sqlite: the schema of docs/internals.md, resume rules, reviews that survive reruns, export."""
import csv
import sqlite3
import threading

from chipvlm.plugin.core.results.store import RESULT_COLUMNS, RequestRow, ResultRow, ResultsStore
from chipvlm.plugin.core.schemes import load_scheme


def row(fid, class_id, reason="屋顶清晰", name=None, needs_review=False):
    return ResultRow(fid=fid, chip_path=f"/run/chips/{fid:06d}.png", class_id=class_id,
                     class_name=name or str(class_id), reason=reason, needs_review=needs_review,
                     model="gemma3", endpoint="gpu0", attempts=1, elapsed_ms=120)


def test_store_has_the_documented_tables_and_wal(tmp_path):
    path = tmp_path / "results.sqlite"
    with ResultsStore(path) as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con = sqlite3.connect(path)
    columns = [r[1] for r in con.execute("PRAGMA table_info(results)")]
    assert tuple(columns) == RESULT_COLUMNS
    request_columns = [r[1] for r in con.execute("PRAGMA table_info(requests)")]
    assert request_columns == ["id", "started_at", "endpoint", "model", "fids", "status", "http_status",
                               "error", "raw_response", "schema_kind", "elapsed_ms", "prompt_tokens",
                               "eval_tokens"]
    assert [r[1] for r in con.execute("PRAGMA table_info(meta)")] == ["key", "value"]


def test_only_real_classes_count_as_done(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        store.record_results([row(1, 2), row(2, -1, "", "ERROR", True), row(3, 0, needs_review=True)])
        assert store.done_fids() == {1, 3}
        assert store.error_fids() == {2}
        assert store.counts() == {"total": 3, "classified": 2, "errors": 1, "needs_review": 2,
                                  "reviewed": 0}


def test_rerun_keeps_reviews_and_never_replaces_a_class_with_an_error(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        store.record_results([row(1, 2), row(2, -1, "", "ERROR", True)])
        with store.transaction() as con:
            con.execute("UPDATE results SET reviewed_class_id=5, reviewed_class_name='林地/防护林', "
                        "reviewed_at='2026-01-01T00:00:00+00:00', reviewer='ana' WHERE fid=1")
        store.record_results([row(1, 3), row(2, 4)])
        first = store.get(1)
        assert (first["class_id"], first["reviewed_class_id"], first["reviewer"]) == (3, 5, "ana")
        assert first["attempts"] == 2
        assert store.get(2)["class_id"] == 4
        store.record_results([row(2, -1, "", "ERROR", True)])
        assert store.get(2)["class_id"] == 4


def test_meta_scheme_and_requests_log(tmp_path):
    scheme = load_scheme("yili8")
    with ResultsStore(tmp_path / "r.sqlite") as store:
        assert store.scheme() is None
        store.set_scheme(scheme)
        store.set_meta("model", "gemma3:27b")
        store.set_meta("model", "gemma4:31b")
        assert store.get_meta("model") == "gemma4:31b"
        assert store.get_meta("missing", "x") == "x"
        assert store.scheme().to_dict() == scheme.to_dict()
        assert store.scheme().name_of(5) == "林地/防护林"
        rid = store.log_request(RequestRow("gpu0", "gemma3", [1, 2], "invalid", http_status=200, raw_response="[]",
                                           schema_kind="strict", elapsed_ms=10))
        assert rid == 1
        logged = store.requests()[0]
        assert (logged["fids"], logged["status"], logged["raw_response"]) == ("[1, 2]", "invalid", "[]")


def test_export_csv_has_bom_and_the_results_columns(tmp_path):
    out = tmp_path / "results.csv"
    with ResultsStore(tmp_path / "r.sqlite") as store:
        store.record_results([row(7, 1, "有屋顶", "建筑")])
        store.export_csv(out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert tuple(records[0].keys()) == RESULT_COLUMNS
    assert (records[0]["fid"], records[0]["class_name"], records[0]["reason"]) == ("7", "建筑", "有屋顶")


def test_concurrent_writers_from_threads_lose_nothing(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        def write(start):
            for fid in range(start, start + 50):
                store.record_results([row(fid, 1)])
                store.log_request(RequestRow("e", "m", [fid], "ok"))
        threads = [threading.Thread(target=write, args=(i * 50,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert store.done_fids() == set(range(200))
        assert len(store.requests()) == 200
    # a second connection (the review dock) sees every committed row
    with ResultsStore(tmp_path / "r.sqlite") as other:
        assert len(other.done_fids()) == 200
