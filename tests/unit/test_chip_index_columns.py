"""chips_index.csv read column by column (the write-back's check, 200,000 rows before every write) gives
exactly what the row-by-row reader gives, whatever the file; a plain file is read by numpy, without the
csv module (issue 17: the check's cost)."""
import numpy as np
import pytest

from chipvlm.plugin.core.chips import index
from chipvlm.plugin.core.chips.index import IndexWriter, make_row, read_index_columns, read_index_rows
from chipvlm.plugin.core.chips.window import ChipWindow

COLUMNS = ("status", "center_x", "center_y", "scale", "crs", "message")
LINE = "{0},chips/{0}.png,{1},,{2},{3},EPSG:26914,0,0,64,64,0.6,1.0,0"


def write(path, rows, tail="", head=True):
    with IndexWriter(str(path)) as writer:
        writer.write(rows)
    if not head:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(header)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(tail)
    return str(path)


def rows_of(fids):
    return [make_row(fid, "ok", chip_path=f"chips/{fid:06d}.png", window=ChipWindow(10, 20, 64, 1.5 * fid, -2.25 * fid),
                     crs="EPSG:26914", scale=0.6, zoom=1.0) for fid in fids]


def by_rows(path):
    """What read_index_rows says, as read_index_columns gives it (bytes columns)."""
    read = read_index_rows(path, ("fid", "status"), COLUMNS)
    return list(read.rows), {name: [row[name].encode() for row in read.rows.values()] for name in COLUMNS}


def assert_same(path):
    fids, columns = by_rows(path)
    read = read_index_columns(path, ("fid", "status"), COLUMNS)
    assert read.fids.dtype == np.int64 and read.fids.tolist() == fids
    assert {name: read.columns[name].tolist() for name in COLUMNS} == columns
    return read


PLAIN_TAILS = [
    "",  # as the cutter writes it
    LINE.format(3, "OK", 7.5, 8.5) + "\r\n",  # fid 3 cut again: its last row wins, its place moves; status in capitals
    LINE.format(9, "ok", 1, 2) + "\r\n\r\n" + LINE.format(10, "ok", 1, 2) + "\r\n",  # a blank line between rows
    LINE.format(11, "ok", 1, 2) + "\n" + LINE.format(2, "error", "", ""),  # a lone newline; no newline at the end
    LINE.format(12, "ok", "nan", "inf") + "\r\n" + LINE.format(13, "ok", "1e3", "-0.0") + "\r\n",
    LINE.format(999999999999999999, "ok", 1, 2) + "\r\n" + LINE.format(7, "ok", 1, 2) + "\r\n",  # 18 digits; 007?
]
OTHER_TAILS = [
    '14,chips/14.png,error,"a message, with a comma",,,,,,,,,,\r\n',  # quoted: the csv module reads it
    " 15 ,chips/15.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,0.6,1.0,0\r\n",  # spaces around a fid: stripped
    "16.0,chips/16.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,0.6,1.0,0\r\n",  # a spreadsheet's 16.0
    "-4,chips/m.png,ok,,1.0,2.0,,0,0,64,64,2.0,1.0,0\r\n12.7,chips/x.png,ok,,1,2,,0,0,64,64,2.0,1.0,0\r\n",
    "17,chips/17.png,ok,,1.0,2.0,EPSG:26914,0,0",  # the last line cut short by a kill
    "18,chips/18.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,0.6,1.0,0,extra\r\n",  # a field more than the header
    "19,chips/19.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,0.6,1.0,0\r20,chips/20.png,ok,,1,2,,0,0,64,64,2.0,1.0,0\r\n",
    "21,chips/21.png,ok,,1.0,2.0,EPSG:32614 ,0,0,64,64,0.6,1.0,0\r\n",  # a space after a value: stripped
    "22,chips/22.png,ok,,1.0,2.0,北京,0,0,64,64,0.6,1.0,0\r\n",  # not ASCII
    "9223372036854775807,chips/m.png,ok,,1.0,2.0,,0,0,64,64,2.0,1.0,0\r\n",  # 19 digits: parse_fid's range check
]


@pytest.mark.parametrize("tail", PLAIN_TAILS)
def test_a_plain_file_is_read_by_numpy_as_the_rows_reader_reads_it(tmp_path, tail, monkeypatch):
    path = write(tmp_path / "chips_index.csv", rows_of([1, 2, 3, 4, 5]), tail)
    monkeypatch.setattr(index, "_csv_columns", lambda *args: pytest.fail("a plain file went to the csv module"))
    assert_same(path)


@pytest.mark.parametrize("tail", OTHER_TAILS)
def test_any_other_file_is_read_by_the_csv_module_with_the_same_answer(tmp_path, tail):
    path = write(tmp_path / "chips_index.csv", rows_of([1, 2, 3, 4, 5]), tail)
    with open(path, "rb") as handle:
        assert index._plain_columns(handle.read(), path, ("fid", "status"), COLUMNS) is None
    assert_same(path)


def test_the_last_row_of_a_fid_wins_in_the_order_of_last_rows(tmp_path):
    tail = "".join(LINE.format(fid, "ok", fid, fid) + "\r\n" for fid in (2, 1, 6, 2))
    read = assert_same(write(tmp_path / "chips_index.csv", rows_of([1, 2, 3]), tail))
    assert read.fids.tolist() == [3, 1, 6, 2]


def test_a_header_alone_or_no_file_gives_no_rows_and_a_missing_column_is_refused(tmp_path):
    assert_same(write(tmp_path / "chips_index.csv", [], head=False))
    assert read_index_columns(str(tmp_path / "none.csv"), ("fid",), COLUMNS).fids.tolist() == []
    (tmp_path / "bad.csv").write_text("fid,chip_path\n1,a.png\n", encoding="utf-8")
    with pytest.raises(index.ChipIndexError, match="status"):
        read_index_columns(str(tmp_path / "bad.csv"), ("fid", "status"), COLUMNS)
