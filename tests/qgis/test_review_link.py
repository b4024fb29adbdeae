"""The dock's link to the layer the chips were cut from (issue 7 points 1 and 2).

The link is a layer and the field the chips were named by; it must survive the fields the dock's own
*Write classes to layer* adds, and a write must never match results on anything else.
"""
import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

from helpers.layers import write_layer
from helpers.review_data import grid_squares, make_run

COUNT = 60


def predictions():
    # seg_id s (0..59) has class s % 8 + 1, needing review: neighbours always differ
    return {seg: (seg % 8 + 1, True) for seg in range(COUNT)}


@pytest.fixture()
def seg_layer(tmp_path):
    """A GeoPackage of 60 features whose seg_id is its feature id - 1 (fids 1..60, seg_id 0..59)."""
    layer = write_layer(str(tmp_path / "segments.gpkg"), grid_squares(COUNT, per_row=10), crs="EPSG:26914",
                        fids=list(range(COUNT)), fid_field="seg_id")
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def seg_run(tmp_path):
    return make_run(str(tmp_path / "run"), predictions(), chip_maker=None)


def classes_by_seg(layer):
    return {f["seg_id"]: f["class_id"] for f in layer.getFeatures()}


def expected(**reviewed):
    classes = {seg: class_id for seg, (class_id, _) in predictions().items()}
    classes.update({int(seg[1:]): class_id for seg, class_id in reviewed.items()})
    return classes


def test_a_second_write_after_the_first_added_fields_still_matches_by_the_fid_field(
        review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    dock.write_button.click()  # adds class_id, class_name, review to the layer
    assert "class_id" in seg_layer.fields().names()
    assert classes_by_seg(seg_layer) == expected()
    assert dock.current_chip().fid == 0
    QTest.keyClick(dock.view, Qt.Key.Key_7)  # seg 0: 1 -> 7
    dock.write_button.click()
    assert classes_by_seg(seg_layer) == expected(s0=7)
    assert dock.fid_field_combo.currentField() == "seg_id"  # the link survived the new fields
    assert "no feature" not in dock.status_label.text()


def test_a_linked_field_that_disappears_breaks_the_link_loudly_and_stops_writing(
        review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    assert dock.write_button.isEnabled()
    provider = seg_layer.dataProvider()
    assert provider.deleteAttributes([seg_layer.fields().lookupField("seg_id")])
    seg_layer.updateFields()
    assert "no field 'seg_id'" in dock.status_label.text() and "broken" in dock.status_label.text()
    assert dock.status_label.styleSheet() != ""  # an error, not a note
    assert not dock.write_button.isEnabled()
    assert not dock.write_back()  # not by feature id, not at all
    assert "class_id" not in seg_layer.fields().names()


def test_the_analyst_choosing_another_fid_field_is_the_new_link(review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer)  # no fid field given: feature id
    assert dock.link_field == ""
    dock.fid_field_combo.setFocus()
    QTest.keyClick(dock.fid_field_combo, Qt.Key.Key_Down)  # from "(feature id)" to the GeoPackage's fid
    QTest.keyClick(dock.fid_field_combo, Qt.Key.Key_Down)  # to seg_id
    assert dock.fid_field_combo.currentField() == "seg_id"
    assert dock.link_field == "seg_id"
    dock.write_button.click()
    assert classes_by_seg(seg_layer) == expected()


# -- run.json: what the run was cut from (point 2) ------------------------------------------------
def record_run(run, layer, fid_field, **extra):
    """run.json as cutchips writes it (h-framing), in the run folder beside results.sqlite."""
    import os

    from chipvlm.plugin.core.run_info import write_run_info

    info = {"layer_source": layer.source(), "layer_name": layer.name(), "fid_field": fid_field,
            "feature_count": layer.featureCount(), "raster": "/data/naip.tif", "crs": "EPSG:26914",
            "chip_size": 512, "framing": {"mode": "auto"}, "plugin_version": "0.2.0",
            "created_at": "2026-12-01T08:00:00+00:00"}
    info.update(extra)
    write_run_info(os.path.dirname(run), info)


def decoy_layer(tmp_path, first_seg=0, name="decoy.gpkg"):
    layer = write_layer(str(tmp_path / name), grid_squares(COUNT, per_row=10), crs="EPSG:26914",
                        fids=list(range(first_seg, first_seg + COUNT)), fid_field="seg_id")
    QgsProject.instance().addMapLayer(layer)
    return layer


def test_opening_a_run_selects_the_layer_and_fid_field_it_was_cut_from(review_dock, tmp_path, seg_layer, seg_run):
    decoy = decoy_layer(tmp_path)
    record_run(seg_run, seg_layer, "seg_id")
    dock = review_dock()
    dock.layer_combo.setLayer(decoy)  # what the dock showed before: another layer
    assert dock.open_run(seg_run)
    assert dock.layer() is seg_layer
    assert dock.fid_field_combo.currentField() == "seg_id" and dock.link_field == "seg_id"


def test_a_moved_layer_is_found_by_its_name(review_dock, tmp_path, seg_layer, seg_run):
    decoy_layer(tmp_path)
    record_run(seg_run, seg_layer, "seg_id", layer_source=str(tmp_path / "gone" / "segments.gpkg"))
    dock = review_dock()
    assert dock.open_run(seg_run)
    assert dock.layer() is seg_layer and dock.link_field == "seg_id"


def test_the_dock_refuses_to_write_by_another_fid_field_than_the_runs(review_dock, seg_layer, seg_run):
    record_run(seg_run, seg_layer, "seg_id")
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="")  # the analyst picks "(feature id)"
    assert not dock.write_back()
    text = dock.status_label.text()
    assert "'seg_id'" in text and "feature id" in text and "run.json" in text
    assert "class_id" not in seg_layer.fields().names()


def test_the_dock_refuses_a_layer_where_most_fids_are_not_found(review_dock, tmp_path, seg_layer, seg_run):
    record_run(seg_run, seg_layer, "seg_id")
    other = decoy_layer(tmp_path, first_seg=45, name="other.gpkg")  # seg_id 45..104: 15 of 60 match
    dock = review_dock()
    assert dock.open_run(seg_run, layer=other, fid_field="seg_id")
    assert not dock.write_back()
    text = dock.status_label.text()
    assert "15 of the 60" in text and "other.gpkg" in text
    assert "class_id" not in other.fields().names()


def test_a_run_without_run_json_writes_as_before(review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    assert dock.write_back()
    assert classes_by_seg(seg_layer) == expected()


def test_the_fid_field_combo_lists_whole_number_fields_only(review_dock, seg_run):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:26914&field=seg_id:integer&field=name:string&field=area:double"
                           "&field=big:long", "memory", "memory")
    QgsProject.instance().addMapLayer(layer)
    dock = review_dock()
    assert dock.open_run(seg_run, layer=layer)
    combo = dock.fid_field_combo
    listed = [combo.itemText(i) for i in range(combo.count())]
    assert "seg_id" in listed and "big" in listed
    assert "name" not in listed and "area" not in listed


def test_filtering_to_the_map_selection_with_a_broken_link_lists_nothing_and_says_why(
        review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    seg_layer.selectByIds([1, 2, 3])
    provider = seg_layer.dataProvider()
    assert provider.deleteAttributes([seg_layer.fields().lookupField("seg_id")])
    seg_layer.updateFields()
    dock.map_selection_button.click()
    assert dock.model.rows == []
    assert "broken" in dock.status_label.text()


def test_a_fid_field_deleted_and_added_back_with_neighbours_values_keeps_writing_off(
        review_dock, seg_layer, seg_run):
    """Issue 17 point 1: the field came back holding each feature's neighbour's fid. Its return proves
    nothing, so the link stays broken and Write stays off: a click writes nothing."""
    from qgis.core import QgsField

    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    provider = seg_layer.dataProvider()
    values = {f.id(): f["seg_id"] for f in seg_layer.getFeatures()}
    assert provider.deleteAttributes([seg_layer.fields().lookupField("seg_id")])
    seg_layer.updateFields()
    assert not dock.write_button.isEnabled()
    field = QgsField("seg_id", seg_layer.fields().field(0).type())  # the GeoPackage's integer fid type
    assert provider.addAttributes([field])
    seg_layer.updateFields()
    index = seg_layer.fields().lookupField("seg_id")
    ids = sorted(values)
    shifted = {feature_id: {index: values[ids[(n + 1) % len(ids)]]} for n, feature_id in enumerate(ids)}
    assert provider.changeAttributeValues(shifted)
    assert "seg_id" in seg_layer.fields().names()
    assert not dock.write_button.isEnabled()  # the field is back, the link is not
    QTest.mouseClick(dock.write_button, Qt.MouseButton.LeftButton)
    assert not dock.write_back()
    assert "class_id" not in seg_layer.fields().names()  # nothing written
    assert "broken" in dock.status_label.text()


def test_choosing_the_fid_field_again_mends_a_broken_link(review_dock, seg_layer, seg_run):
    dock = review_dock()
    assert dock.open_run(seg_run, layer=seg_layer, fid_field="seg_id")
    values = {f.id(): f["seg_id"] for f in seg_layer.getFeatures()}
    provider = seg_layer.dataProvider()
    field = seg_layer.fields().field("seg_id")
    assert provider.deleteAttributes([seg_layer.fields().lookupField("seg_id")])
    seg_layer.updateFields()
    assert provider.addAttributes([field])
    seg_layer.updateFields()
    index = seg_layer.fields().lookupField("seg_id")
    assert provider.changeAttributeValues({fid: {index: value} for fid, value in values.items()})  # put right
    assert not dock.write_button.isEnabled()
    combo = dock.fid_field_combo
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)  # the analyst picks seg_id again: the last of the list
    QTest.keyClick(combo, Qt.Key.Key_End)
    assert combo.currentField() == "seg_id" and dock.write_button.isEnabled()
    dock.write_button.click()
    assert classes_by_seg(seg_layer) == expected()
