"""A fid of 12.7 in the layer is refused with a message when cutting and when writing, alike.

Before: cutting turned 12.7 into 12 (a chip named 12), the write-back into nothing (the feature
silently got no class). Now both follow core.fids.parse_fid and say which feature was refused.
"""
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from helpers.feedback import RecordingFeedback
from helpers.review_data import make_run
from helpers.synthetic import write_raster


def double_fid_layer(values):
    """A memory layer whose fid field is a double (as a spreadsheet import makes it), one square each."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:32643", "objects", "memory")
    layer.dataProvider().addAttributes([QgsField("obj_id", QVariant.Double)])
    layer.updateFields()
    features = []
    for n, value in enumerate(values):
        feature = QgsFeature(layer.fields())
        feature.setAttribute(0, value)
        x = 500020 + 60 * n
        feature.setGeometry(QgsGeometry.fromWkt(
            f"POLYGON(({x} 3999980,{x + 30} 3999980,{x + 30} 3999950,{x} 3999950,{x} 3999980))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


class Feedback(RecordingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)
        super().reportError(error, fatalError)


def test_cutting_refuses_a_fid_of_12_7_with_a_message_instead_of_making_it_12(run_algorithm, tmp_path):
    raster = write_raster(str(tmp_path / "r.tif"), 512, 256)
    layer = double_fid_layer([11.0, 12.7])
    feedback = Feedback()
    result, feedback = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id", "CHIP_SIZE": 64,
        "OUTPUT_FOLDER": str(tmp_path / "run")}, feedback)
    chips = sorted(p.name for p in (tmp_path / "run" / "chips").iterdir())
    assert chips == ["000011.png"], "12.7 must not become chip 12"
    warnings = " ".join(feedback.warnings)
    assert "obj_id 12.7 is not a whole number" in warnings and "Feature 2 gets no chip: obj_id 12.7 is not a whole number." in warnings


def test_writing_refuses_a_fid_of_12_7_with_a_message_instead_of_saying_nothing(run_algorithm, tmp_path):
    results = make_run(str(tmp_path / "run"), {11: (2, False), 12: (3, False)}, chip_maker=None)
    layer = double_fid_layer([11.0, 12.7])
    result, feedback = run_algorithm("chipvlm:writeclasses", {
        "INPUT": layer, "RESULTS": results, "FID_FIELD": "obj_id", "IN_PLACE": False,
        "OUTPUT": "memory:"}, Feedback())
    assert result["WRITTEN"] == 1
    said = " ".join(feedback.warnings + feedback.errors)
    assert "obj_id 12.7 is not a whole number" in said and "Feature 2 gets no class: obj_id 12.7 is not a whole number." in said


def test_writing_in_place_refuses_a_fid_of_12_7_with_the_same_message(run_algorithm, tmp_path):
    results = make_run(str(tmp_path / "run"), {11: (2, False), 12: (3, False)}, chip_maker=None)
    layer = double_fid_layer([11.0, 12.7])
    result, feedback = run_algorithm("chipvlm:writeclasses", {
        "INPUT": layer, "RESULTS": results, "FID_FIELD": "obj_id", "IN_PLACE": True}, Feedback())
    assert result["WRITTEN"] == 1
    said = " ".join(feedback.warnings + feedback.errors + feedback.infos)
    assert "obj_id 12.7 is not a whole number" in said and "Feature 2 gets no class: obj_id 12.7 is not a whole number." in said
