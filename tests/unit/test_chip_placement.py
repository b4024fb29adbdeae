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
    assert sorted(places.places) == [1, 2, 5]  # chips not cut have no place
    assert (places.places[1].x, places.places[1].y, places.places[1].pixel) == (486000.125, 5206000.5, 5.0)
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
