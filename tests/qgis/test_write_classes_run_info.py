"""chipvlm:writeclasses checks the layer against the run's run.json (issue 7 point 2)."""
import os

import pytest
from qgis.core import QgsProcessingException

from chipvlm.plugin.core.run_info import write_run_info
from helpers.layers import write_layer
from helpers.review_data import grid_squares, make_run

COUNT = 60


@pytest.fixture()
def run(tmp_path):
    return make_run(str(tmp_path / "run"), {seg: (seg % 8 + 1, False) for seg in range(COUNT)}, chip_maker=None)


def seg_layer(tmp_path, first_seg=0, name="segments.gpkg"):
    return write_layer(str(tmp_path / name), grid_squares(COUNT, per_row=10), crs="EPSG:26914",
                       fids=list(range(first_seg, first_seg + COUNT)), fid_field="seg_id")


def record_run(run, layer, fid_field):
    write_run_info(os.path.dirname(run), {
        "layer_source": layer.source(), "layer_name": layer.name(), "fid_field": fid_field,
        "feature_count": layer.featureCount(), "raster": "/data/naip.tif", "crs": "EPSG:26914", "chip_size": 512,
        "framing": {"mode": "auto"}, "plugin_version": "0.2.0", "created_at": "2026-12-01T08:00:00+00:00"})


def write(run_algorithm, layer, run, fid_field=None):
    parameters = {"INPUT": layer, "RESULTS": run, "IN_PLACE": True}
    if fid_field is not None:
        parameters["FID_FIELD"] = fid_field
    return run_algorithm("chipvlm:writeclasses", parameters)


def test_without_a_fid_field_the_runs_own_is_used(run_algorithm, tmp_path, run):
    layer = seg_layer(tmp_path)
    record_run(run, layer, "seg_id")
    result, feedback = write(run_algorithm, layer, run)
    assert result["WRITTEN"] == COUNT and result["NOT_FOUND"] == 0
    assert {f["seg_id"]: f["class_id"] for f in layer.getFeatures()} == {s: s % 8 + 1 for s in range(COUNT)}
    assert any("seg_id" in info and "run.json" in info for info in feedback.infos)


def test_another_fid_field_than_the_runs_is_refused(run_algorithm, tmp_path, run):
    layer = seg_layer(tmp_path)
    record_run(run, layer, "seg_id")
    with pytest.raises(QgsProcessingException) as raised:
        write(run_algorithm, layer, run, fid_field="fid")
    assert "'seg_id'" in str(raised.value) and "'fid'" in str(raised.value)
    assert "class_id" not in layer.fields().names()


@pytest.mark.parametrize("in_place", [True, False])
def test_a_layer_where_most_fids_are_not_found_is_refused(run_algorithm, tmp_path, run, in_place):
    cut_from = seg_layer(tmp_path)
    record_run(run, cut_from, "seg_id")
    other = seg_layer(tmp_path, first_seg=45, name="other.gpkg")  # 15 of the 60 seg_ids match
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:writeclasses", {"INPUT": other, "RESULTS": run, "IN_PLACE": in_place,
                                               "FID_FIELD": "seg_id", "OUTPUT": str(tmp_path / "copy.gpkg")})
    assert "15 of the 60" in str(raised.value) and "other.gpkg" in str(raised.value)
    assert "class_id" not in other.fields().names()
