"""Hostile run folders and values for the classification core (issue 7 points 7, 13, 14)."""
import io
import json
import os
import sqlite3

import pytest
from PIL import Image

from chipvlm.plugin.core.chips import index as idx
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.fids import FID_MAX, FID_MIN, FidError, parse_fid
from chipvlm.plugin.core.schemes import SchemeError, load_scheme
from fakes.ollama import FakeModelServer
from fakes.runs import fast_policy, index_row, make_run, png_bytes, write_index


def endpoint(fake):
    return EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)


def classify(index, fake, is_canceled=None, log=None, **options):
    options.setdefault("policy", fast_policy())
    return run_classification(ClassifyOptions(str(index), [endpoint(fake)], "yili8", **options),
                              is_canceled=is_canceled, log=log)


def results(store):
    con = sqlite3.connect(str(store))
    try:
        # an error row's detail is in `error` (its reason is the scheme's sentence)
        return {fid: (cls, error if cls == -1 else reason)
                for fid, cls, reason, error in con.execute("SELECT fid, class_id, reason, error FROM results")}
    finally:
        con.close()


def sent_fids(fake):
    return {fid for record in fake.records for fid in record.fids}


def test_chips_outside_the_run_folder_or_not_images_are_never_sent(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "photo.png").write_bytes(png_bytes(99))
    run = tmp_path / "run"
    index = make_run(run, [1, 2])
    chips = run / "chips"
    os.symlink(secret / "photo.png", chips / "000005.png")  # a link inside the folder to a file outside
    (chips / "000006.png").write_bytes(b"\x89PNG\r\n\x1a\nmy password is hunter2\n")  # PNG magic, text
    (chips / "000007.png").write_bytes(png_bytes(7, 64)[:-60])  # truncated mid-image
    good = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(good, format="PNG")
    (chips / "000008.png").write_bytes(good.getvalue() + b"appended secret")  # bytes after IEND
    rows = [index_row(1, "chips/000001.png"), index_row(2, "chips/000002.png"),
            index_row(3, str(secret / "photo.png")), index_row(4, "../secret/photo.png"),
            index_row(5, "chips/000005.png"), index_row(6, "chips/000006.png"),
            index_row(7, "chips/000007.png"), index_row(8, "chips/000008.png")]
    write_index(index, rows)
    with FakeModelServer() as fake:
        summary = classify(index, fake)
    got = results(run / "results.sqlite")
    assert sent_fids(fake) == {1, 2, 8}
    assert got[1][0] == fake.expected_class(1) and got[8][0] == fake.expected_class(8)
    for fid in (3, 4, 5):
        assert got[fid][0] == -1 and "outside the run folder" in got[fid][1] and f"fid {fid}" in got[fid][1]
    for fid in (6, 7):
        assert got[fid][0] == -1 and f"fid {fid}" in got[fid][1] and f"00000{fid}.png" in got[fid][1]
    assert "hunter2" not in got[6][1]
    assert summary.errors == 5 and summary.classified == 3


def test_bytes_after_the_image_never_leave_and_a_complete_png_is_sent_as_it_is(tmp_path):
    from chipvlm.plugin.core.classify.request.chip_payload import encode_chip

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG")
    clean = tmp_path / "clean.png"
    clean.write_bytes(buffer.getvalue())
    dirty = tmp_path / "dirty.png"
    dirty.write_bytes(buffer.getvalue() + b"appended secret")
    assert encode_chip(str(clean), 1).encoded == __import__("base64").b64encode(buffer.getvalue())
    sent = __import__("base64").b64decode(encode_chip(str(dirty), 2).encoded)
    assert b"appended secret" not in sent
    assert Image.open(io.BytesIO(sent)).convert("RGB").getpixel((3, 3)) == (1, 2, 3)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(tmp_path):
    from chipvlm.plugin.core.classify.request.chip_payload import MAX_CHIP_PIXELS, ChipImageError, encode_chip

    side = int(MAX_CHIP_PIXELS ** 0.5) + 1
    bomb = tmp_path / "bomb.png"
    Image.new("1", (side, side)).save(bomb, format="PNG")  # a few KB, more pixels than any chip
    with pytest.raises(ChipImageError, match="pixels"):
        encode_chip(str(bomb), 1)


def test_a_torn_last_line_is_dropped_by_the_cutter_and_the_classifier_alike(tmp_path):
    index = make_run(tmp_path, [1, 2, 12])
    rows = open(index, encoding="utf-8-sig").read().splitlines()
    torn = rows[-1].split(",")[:3]  # "12,chips/000012.png,ok": killed after the status
    with open(index, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write("\r\n".join(rows[:-1]) + "\r\n" + ",".join(torn))
    chips = idx.read_chip_index(str(index))
    assert [e.fid for e in chips.entries] == [1, 2]
    assert set(idx.read_index(str(index))) == {1, 2}
    assert "cut short" in chips.warnings[0] and "line 4" in chips.warnings[0]


@pytest.mark.parametrize("text, expected", [
    ("12", 12), (" -3 ", -3), ("12.0", 12), (12.0, 12), (7, 7), (str(FID_MAX), FID_MAX), (str(FID_MIN), FID_MIN),
])
def test_the_fid_rule_takes_whole_64_bit_numbers(text, expected):
    assert parse_fid(text) == expected


@pytest.mark.parametrize("text, says", [
    ("12.7", "not a whole number"), (12.7, "not a whole number"), ("1e3", "not a whole number"),
    ("", "not a whole number"), ("abc", "not a whole number"), (True, "not a whole number"),
    (str(FID_MAX + 1), "outside the range"), (str(FID_MIN - 1), "outside the range"),
    ("9" * 5000, "outside the range"), (float("nan"), "not a whole number"), (2.0 ** 60, "not a whole number"),
])
def test_the_fid_rule_refuses_fractions_and_values_beyond_64_bits(text, says):
    with pytest.raises(FidError, match=says):
        parse_fid(text)


def test_fids_beyond_64_bits_or_fractional_are_warned_about_and_the_run_goes_on(tmp_path):
    index = make_run(tmp_path, [1, 2])
    (tmp_path / "chips" / "big.png").write_bytes(png_bytes(3))
    with open(index, "a", encoding="utf-8", newline="") as handle:
        for fid in ("18446744073709551616", "12.7", "1" + "0" * 5000):
            handle.write(",".join([fid, "chips/big.png", "ok"] + [""] * 9) + "\r\n")
    messages = []
    with FakeModelServer() as fake:
        summary = classify(index, fake, log=messages.append)
    assert summary.classified == 2 and set(results(tmp_path / "results.sqlite")) == {1, 2}
    assert any("18446744073709551616 is outside the range of 64-bit integers" in m for m in messages)
    assert any("'12.7' is not a whole number" in m for m in messages)
    assert set(idx.read_index(str(index))) == {1, 2}  # the cutter's resume reads them the same way


def test_a_scheme_with_a_class_id_beyond_64_bits_is_refused_at_load(tmp_path):
    scheme = json.loads(open(load_scheme("yili8").source, encoding="utf-8").read())
    scheme["classes"].append({"id": 10 ** 20, "name": "huge", "description": "x"})
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(scheme), encoding="utf-8")
    with pytest.raises(SchemeError, match=r"huge\.json: class #\d+ has id 100000000000000000000"):
        load_scheme(str(path))
    path.write_text(json.dumps(scheme).replace(str(10 ** 20), "1" * 5000), encoding="utf-8")
    with pytest.raises(SchemeError, match=r"huge\.json is not usable JSON"):
        load_scheme(str(path))


@pytest.mark.parametrize("behavior, error", [("deep_json", "RecursionError"), ("huge_int", "ValueError")])
def test_an_answer_that_breaks_the_parser_is_an_invalid_answer_split_at_once(tmp_path, behavior, error):
    """Issue 17 point 3: not a server failure retried with backoff, but an answer we cannot use."""
    index = make_run(tmp_path, range(1, 5))
    with FakeModelServer() as fake:
        fake.add_rule(behavior, fids={3})
        summary = classify(index, fake, batch_size=4, is_canceled=lambda: len(fake.records) > 60)
    assert not summary.canceled, "the run went round in circles until canceled"
    got = results(tmp_path / "results.sqlite")
    assert got[3][0] == -1 and got[3][1].startswith("invalid answer: the answer could not be read") and error in got[3][1]
    assert all(got[fid][0] == fake.expected_class(fid) for fid in (1, 2, 4))
    con = sqlite3.connect(str(tmp_path / "results.sqlite"))
    statuses = [s for (s,) in con.execute("SELECT status FROM requests")]
    con.close()
    # 1-4, 3-4 and 3 broke the parser once each: split at once, never asked again as they were
    assert [len(r.fids) for r in fake.records if r.behavior == behavior] == [4, 2, 1]
    assert statuses.count("invalid") == 3 and "internal_error" not in statuses


def requests_rows(store):
    con = sqlite3.connect(str(store))
    try:
        return con.execute("SELECT status, error, raw_response FROM requests ORDER BY id").fetchall()
    finally:
        con.close()


def test_an_answer_over_the_size_cap_is_a_failed_try_and_only_a_cut_copy_is_stored(tmp_path):
    index = make_run(tmp_path, range(1, 5))
    with FakeModelServer(huge_bytes=8 * 1024 * 1024) as fake:
        fake.add_rule("huge_answer", fids={3})
        summary = classify(index, fake, batch_size=4)
    got = results(tmp_path / "results.sqlite")
    assert got[3][0] == -1 and "larger than 4 MB" in got[3][1]
    assert all(got[fid][0] == fake.expected_class(fid) for fid in (1, 2, 4)) and summary.errors == 1
    rows = requests_rows(tmp_path / "results.sqlite")
    cut = [raw for status, error, raw in rows if error and "larger than 4 MB" in error]
    assert len(cut) == len([r for r in fake.records if r.behavior == "huge_answer"]) >= 3
    assert all(len(raw) < 70 * 1024 and raw.endswith("[truncated by ChipVLM: the answer was cut off]") for raw in cut)
    assert os.path.getsize(tmp_path / "results.sqlite") < 2 * 1024 * 1024


def test_a_long_answer_under_the_cap_is_used_and_stored_cut_to_64_kb(tmp_path):
    index = make_run(tmp_path, [1, 2])
    with FakeModelServer(huge_bytes=300 * 1024) as fake:
        fake.add_rule("huge_answer")
        summary = classify(index, fake)
    assert summary.classified == 2
    (status, _, raw), = requests_rows(tmp_path / "results.sqlite")
    assert status == "ok" and len(raw) < 65 * 1024 and "[truncated by ChipVLM: " in raw


def test_a_server_that_dribbles_is_cut_at_the_deadline_and_seen_as_stalled(tmp_path):
    index = make_run(tmp_path, [1])
    messages = []
    with FakeModelServer(dribble_interval=0.05) as fake:
        fake.add_rule("dribble", times=2)
        run_classification(ClassifyOptions(str(index),
                                           [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=1.5)],
                                           "yili8", policy=fast_policy()), log=messages.append)
    rows = requests_rows(tmp_path / "results.sqlite")
    assert [(s, e) for s, e, _ in rows[:2]] == [("transport_error", "gpu0: no complete answer within 1.5 s")] * 2
    assert rows[2][0] == "ok" and results(tmp_path / "results.sqlite")[1][0] == fake.expected_class(1)
    assert any(m.startswith("gpu0 paused for") and "no complete answer" in m for m in messages)


def test_a_server_that_dribbles_its_headers_is_cut_at_the_deadline_too():
    import socket
    import threading

    from chipvlm.plugin.core.classify.clients.factory import check_endpoint

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 200:  # about 10 s of headers
                if stop.wait(0.05):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        url = "http://127.0.0.1:%d" % listener.getsockname()[1]
        check = check_endpoint(EndpointConfig("gpu0", url, model="gemma3:27b", timeout=1))
    finally:
        stop.set()
        listener.close()
        server.join(5)
    assert not check.reachable and "gpu0: no complete answer within 1 s" in check.summary()
