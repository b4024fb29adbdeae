"""The one rule that says a feature is where its chip was cut (core/chips/placement.py), without QGIS."""
import os
import sqlite3

import pytest

from chipvlm.plugin.core.chips.index import IndexWriter, make_row
from chipvlm.plugin.core.chips.placement import (
    NOTHING_WRITTEN,
    PIXEL_TOLERANCE,
    PlaceCheck,
    PlacementError,
    cut_index_of,
    read_cut_places,
)
from chipvlm.plugin.core.chips.window import ChipWindow
from chipvlm.plugin.core.errors import Message


def write_index(path, rows):
    with IndexWriter(str(path)) as writer:
        writer.write(rows)
    return str(path)


def ok_row(fid, x, y, scale=5.0, zoom=1.0):
    return make_row(fid, "ok", chip_path=f"chips/{fid:06d}.png", window=ChipWindow(10, 20, 64, x, y),
                    crs="EPSG:26914", scale=scale, zoom=zoom)


@pytest.fixture()
def places(tmp_path):
    return read_cut_places(write_index(tmp_path / "chips_index.csv", [
        ok_row(1, 486000.125, 5206000.5), ok_row(2, 486100.0, 5206000.0, zoom=0.1),
        make_row(3, "outside", "outside the raster"), make_row(4, "empty_geometry"),
        ok_row(5, 100.0, 200.0, scale=14.142135623730951)]))


def test_the_index_gives_each_chips_centre_and_pixel(places):
    assert places.fids.tolist() == [1, 2, 5]  # chips not cut have no place
    assert tuple(places.place(1)) == (486000.125, 5206000.5, 5.0)
    assert places.place(3) is None and places.place(99) is None
    assert places.crs == "EPSG:26914"


def test_within_one_raster_pixel_whatever_the_zoom(places):
    check = PlaceCheck(places)
    assert check.add(1, 11, (486000.125 + 3.0, 5206000.5 + 4.0))  # 5 m = 1 pixel of 5 m
    assert not check.add(2, 12, (486100.0 + 5.1, 5206000.0))  # zoom 0.1 (a shrunk window) changes nothing
    assert check.add(5, 15, (100.0 + 10.0, 200.0 - 10.0))  # a rotated raster's pixel: sqrt|det| = 14.14
    assert (check.checked, check.unchecked) == (3, 0)
    assert [(m.fid, m.feature_id, round(m.pixels, 2)) for m in check.misplaced] == [(2, 12, 1.02)]
    assert PIXEL_TOLERANCE == 1.0


def test_a_fid_without_a_recorded_chip_is_unchecked_and_a_feature_without_geometry_is_misplaced(places):
    check = PlaceCheck(places)
    assert check.add(3, 13, (0.0, 0.0)) and check.add(99, 14, None)
    assert not check.add(1, 11, None)
    assert (check.checked, check.unchecked) == (1, 2)
    assert check.misplaced[0].sentence() == "fid 1 (feature 11) has no geometry."


def test_refusal_names_the_first_fids_counts_the_rest_and_says_what_to_do(tmp_path):
    rows = [ok_row(fid, 1000.0 * fid, 0.0) for fid in range(1, 9)]
    check = PlaceCheck(read_cut_places(write_index(tmp_path / "chips_index.csv", rows)))
    for fid in range(8, 0, -1):  # each feature holds its neighbour's fid
        check.add(fid, fid + 100, (1000.0 * (fid + 1), 0.0))
    with pytest.raises(PlacementError) as raised:
        check.refuse("objects", Message("the field '{0}'", "fid_obj"), NOTHING_WRITTEN)
    text = str(raised.value)
    assert text.startswith("8 of the 8 features of layer 'objects' checked against the chips are not where")
    assert "fid 1 (feature 101) lies 200.0 raster pixels from where its chip was cut." in text
    assert "fid 5 (feature 105)" in text and "fid 6 " not in text and "... and 3 more." in text
    assert "Matched by the field 'fid_obj'" in text and "so nothing was written." in text
    assert "Restore the fid values" in text
    assert raised.value.template.startswith("{0} of the {1} features")  # translated by tr_error


def test_nothing_is_refused_when_every_feature_fits(places):
    check = PlaceCheck(places)
    check.add(1, 11, (486000.125, 5206000.5))
    check.refuse("objects", Message("the feature id"), NOTHING_WRITTEN)


def test_the_index_of_a_results_file_beside_it_or_where_its_meta_says(tmp_path):
    results = tmp_path / "elsewhere" / "results.sqlite"
    results.parent.mkdir()
    con = sqlite3.connect(results)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.commit()
    assert cut_index_of(results) is None
    index = write_index(tmp_path / "chips_index.csv", [ok_row(1, 0.0, 0.0)])
    con.execute("INSERT INTO meta VALUES ('index_path', ?)", (index,))
    con.commit()
    con.close()
    assert cut_index_of(results) == index
    beside = write_index(results.parent / "chips_index.csv", [ok_row(1, 0.0, 0.0)])
    assert cut_index_of(str(results)) == os.path.abspath(beside)


def places_by_rows(path):
    """read_cut_places' answer by the row-by-row reader's rules (read_index_rows), for comparison."""
    from chipvlm.plugin.core.chips.index import read_index_rows

    expected = {}
    for fid, row in read_index_rows(path, required=("fid", "status")).rows.items():
        values = [float(row[name]) if row.get(name) else float("nan") for name in ("center_x", "center_y", "scale")]
        if row["status"] == "ok" and all(v == v for v in values) and values[2] > 0:
            expected[fid] = tuple(values)
    return expected


@pytest.mark.parametrize("tail", [
    "",  # a whole file: read column by column
    "3,chips/000003.png,OK,,7.5,8.5,EPSG:26914,0,0,64,64,2.0,1.0,0\r\n",  # fid 3 cut again: its last row wins
    "3,chips/000003.png,error,killed,,,,,,,,,,\r\n",  # its last row failed: no place
    "\r\n 12 ,chips/000012.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,2.0,1.0,0\r\n",  # blank line, fid with spaces
    "12.0,chips/000012.png,ok,,1.0,2.0,EPSG:26914,0,0,64,64,2.0,1.0,0\r\n",  # a spreadsheet's 12.0
    "-4,chips/m.png,ok,,1.0,2.0,,0,0,64,64,2.0,1.0,0\r\n12.7,chips/x.png,ok,,1,2,,0,0,64,64,2.0,1.0,0\r\n",
    "13,chips/000013.png,ok,,1.0,2.0,EPSG:26914,0,0",  # the last line cut short by a kill
    "14,chips/000014.png,ok,,1.0,nan,EPSG:26914,0,0,64,64,2.0,1.0,0\r\n",  # no finite centre: no place
])
def test_the_places_are_read_by_the_index_rules_whatever_the_file(tmp_path, tail):
    path = write_index(tmp_path / "chips_index.csv", [ok_row(fid, 10.0 * fid, 20.0 * fid) for fid in range(1, 6)])
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(tail)
    places = read_cut_places(path)
    assert {fid: tuple(places.place(fid)) for fid in places.fids.tolist()} == places_by_rows(path)
    assert places.fids.tolist() == sorted(places_by_rows(path))


def test_many_features_are_checked_in_one_pass_as_one_by_one(places):
    one_by_one, at_once = PlaceCheck(places), PlaceCheck(places)
    features = [(1, 11, (486000.125 + 3.0, 5206000.5 + 4.0)), (2, 12, (486100.0 + 5.1, 5206000.0)),
                (5, 15, None), (3, 13, (0.0, 0.0)), (99, 14, (1.0, 1.0)), (1, 16, (486000.125, 5206010.5))]
    fits = [one_by_one.add(*feature) for feature in features]
    nan = float("nan")
    assert at_once.add_many([f[0] for f in features], [f[1] for f in features],
                            [f[2][0] if f[2] else nan for f in features],
                            [f[2][1] if f[2] else nan for f in features]) == fits.count(False) == 3
    assert (at_once.checked, at_once.unchecked) == (one_by_one.checked, one_by_one.unchecked) == (4, 2)
    assert at_once.misplaced == one_by_one.misplaced
    assert [(m.fid, m.feature_id, None if m.pixels is None else round(m.pixels, 2)) for m in at_once.misplaced] == [
        (2, 12, 1.02), (5, 15, None), (1, 16, 2.0)]


def test_fids_in_bulk_follow_the_one_rule():
    from chipvlm.plugin.core.fids import parse_fid, parse_fid_texts

    assert parse_fid_texts(["1", "007", "999999999999999999"]) == [parse_fid(t) for t in ["1", "007",
                                                                                           "999999999999999999"]]
    for odd in (["1", " 2"], ["1", "2.0"], ["-3"], ["1_000"], ["²"], [""], ["9223372036854775808"], ["12.7"]):
        assert parse_fid_texts(odd) is None  # each one read by parse_fid instead (its rule and sentence)
    assert parse_fid_texts([]) == []


def test_the_index_is_read_again_once_its_file_changed(tmp_path):
    from chipvlm.plugin.core.chips.index import read_index, rewrite_index

    path = write_index(tmp_path / "chips_index.csv", [ok_row(1, 10.0, 20.0), ok_row(2, 30.0, 40.0)])
    first = read_cut_places(path)
    assert read_cut_places(path) is first  # the same file: read once
    rows = read_index(path)
    rows[1]["center_x"], rows[2]["center_x"] = rows[2]["center_x"], rows[1]["center_x"]  # same size, swapped
    rewrite_index(path, rows.values())  # what a resumed cut does
    assert read_cut_places(path).place(1).x == 30.0
    with IndexWriter(path) as writer:  # a cut going on: rows appended
        writer.write([ok_row(3, 50.0, 60.0)])
    assert read_cut_places(path).fids.tolist() == [1, 2, 3]
    assert not first.x.flags.writeable  # shared: nobody may change it
