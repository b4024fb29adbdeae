"""chips_index.csv: BOM, appended rows, last row wins, a torn last line from a kill is harmless."""
import csv

from chipvlm.plugin.core.chips import index as idx


def test_writer_appends_with_one_bom_and_reader_keeps_the_last_row(tmp_path):
    path = str(tmp_path / idx.INDEX_NAME)
    with idx.IndexWriter(path) as writer:
        writer.write([idx.make_row(1, idx.STATUS_ERROR, "read error")])
    with idx.IndexWriter(path) as writer:
        writer.write([idx.make_row(1, idx.STATUS_OK, chip_path="chips/000001.png"),
                      idx.make_row(2, idx.STATUS_OUTSIDE, "outside 外")])
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    rows = idx.read_index(path)
    assert rows[1]["status"] == "ok" and rows[2]["message"] == "outside 外"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert set(list(csv.DictReader(handle))[0].keys()) == set(idx.COLUMNS)


def test_torn_last_line_is_ignored_and_the_next_row_starts_clean(tmp_path):
    path = str(tmp_path / idx.INDEX_NAME)
    with idx.IndexWriter(path) as writer:
        writer.write([idx.make_row(1, idx.STATUS_OK, chip_path="chips/000001.png", scale=1.0)])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("2,chips/000002.png,ok,")  # killed mid-row
    assert set(idx.read_index(path)) == {1}
    with idx.IndexWriter(path) as writer:
        writer.write([idx.make_row(3, idx.STATUS_OK, chip_path="chips/000003.png", scale=1.0)])
    assert set(idx.read_index(path)) == {1, 3}


def test_completed_needs_an_ok_row_and_the_chip_file(tmp_path):
    (tmp_path / "chips").mkdir()
    (tmp_path / "chips" / "000001.png").write_bytes(b"png")
    path = str(tmp_path / idx.INDEX_NAME)
    with idx.IndexWriter(path) as writer:
        writer.write([
            idx.make_row(1, idx.STATUS_OK, chip_path="chips/000001.png", scale=1.0),
            idx.make_row(2, idx.STATUS_OK, chip_path="chips/000002.png", scale=1.0),  # file missing
            idx.make_row(3, idx.STATUS_ERROR, "boom"),
        ])
    assert set(idx.completed_fids(path)) == {1}
