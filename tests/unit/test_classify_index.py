"""Reading chips_index.csv: BOM, last row wins, ok rows only, stale chip paths (field report 4.1)."""
import os
import shutil

import pytest

from chipvlm.plugin.core.chips.index import ChipIndexError, read_chip_index, resolve_chip_path
from fakes.runs import index_row, make_run, png_bytes, write_index


def test_last_row_of_a_fid_wins_and_only_ok_rows_are_classified(tmp_path):
    (tmp_path / "chips").mkdir()
    for fid in (1, 2, 3):
        (tmp_path / "chips" / f"{fid:06d}.png").write_bytes(png_bytes(fid))
    index = write_index(tmp_path / "chips_index.csv", [
        index_row(1, "chips/000001.png", "error", "read failed"),
        index_row(2, "chips/000002.png"),
        index_row(3, "", "outside"),
        index_row(1, "chips/000001.png"),  # retried later: now ok
        index_row(4, "", "empty_geometry"),
    ])
    chips = read_chip_index(str(index))
    assert [e.fid for e in chips.entries] == [2, 1]
    assert chips.skipped == {"outside": 1, "empty_geometry": 1}
    assert all(e.found and os.path.isabs(e.path) for e in chips.entries)
    assert open(index, "rb").read(3) == b"\xef\xbb\xbf"


def test_a_copied_run_folder_with_stale_paths_finds_its_chips(tmp_path):
    old = tmp_path / "old_place"
    make_run(old, [5, 6], chip_path_prefix=str(old / "chips") + "/")  # absolute paths, as the seed had
    new = tmp_path / "moved"
    shutil.copytree(old, new)
    shutil.rmtree(old)
    chips = read_chip_index(str(new / "chips_index.csv"))
    assert [e.path for e in chips.entries] == [str(new / "chips" / "000005.png"), str(new / "chips" / "000006.png")]
    assert "old_place" in open(new / "chips_index.csv", encoding="utf-8-sig").read()  # CSV untouched


def test_resolution_order_relative_absolute_chips_folder_then_beside(tmp_path):
    folder = tmp_path / "run"
    (folder / "chips").mkdir(parents=True)
    (folder / "sub").mkdir()
    elsewhere = tmp_path / "elsewhere.png"
    elsewhere.write_bytes(png_bytes(1))
    (folder / "sub" / "a.png").write_bytes(png_bytes(1))
    assert resolve_chip_path("sub/a.png", str(folder))[0] == str(folder / "sub" / "a.png")
    assert resolve_chip_path(str(elsewhere), str(folder))[0] == str(elsewhere)
    (folder / "chips" / "b.png").write_bytes(png_bytes(2))
    assert resolve_chip_path(r"D:\old\chips_512\b.png", str(folder))[0] == str(folder / "chips" / "b.png")
    (folder / "c.png").write_bytes(png_bytes(3))
    assert resolve_chip_path("/gone/c.png", str(folder))[0] == str(folder / "c.png")
    path, tried = resolve_chip_path("old/d.png", str(folder))
    assert path is None
    assert tried == (str(folder / "old" / "d.png"), str(folder / "chips" / "d.png"), str(folder / "d.png"))


def test_a_missing_chip_is_reported_not_a_crash(tmp_path):
    index = make_run(tmp_path, [1, 2])
    os.remove(tmp_path / "chips" / "000002.png")
    entry = read_chip_index(str(index)).entries[1]
    assert not entry.found and "fid 2" in entry.missing_reason() and "000002.png" in entry.missing_reason()


def test_an_index_without_the_needed_columns_or_file_is_refused(tmp_path):
    bad = tmp_path / "chips_index.csv"
    bad.write_text("id,path\n1,a.png\n", encoding="utf-8")
    with pytest.raises(ChipIndexError, match="lacks the column"):
        read_chip_index(str(bad))
    with pytest.raises(ChipIndexError, match="run 'Cut chips' first"):
        read_chip_index(str(tmp_path / "nope.csv"))


def test_a_row_with_a_non_numeric_fid_is_skipped_with_a_warning(tmp_path):
    index = make_run(tmp_path, [1])
    with open(index, "a", encoding="utf-8", newline="") as handle:
        handle.write("abc,chips/x.png,ok,,,,,,,,,\n")
    chips = read_chip_index(str(index))
    assert [e.fid for e in chips.entries] == [1] and "abc" in chips.warnings[0]
