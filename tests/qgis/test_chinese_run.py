"""A Chinese analyst cuts and classifies through processing.run: the log and results.csv read in Chinese.

The locale is zh_CN the way the plugin installs it (plugin.i18n.install_translator). English sentences
(three or more English words in a row) may appear only in the technical `error` column of results.csv
and in what the model server itself says.
"""
import csv

from fakes.ollama import FakeModelServer
from helpers.chinese import english_in
from helpers.feedback import RecordingFeedback
from helpers.layers import write_layer
from helpers.synthetic import write_raster


def test_cutting_and_classifying_in_chinese_leave_no_english_sentence(chinese, run_algorithm, tmp_path):
    raster = write_raster(str(tmp_path / "影像.tif"), 512, 256)
    squares = [f"POLYGON(({x} 3999980,{x + 30} 3999980,{x + 30} 3999950,{x} 3999950,{x} 3999980))"
               for x in range(500020, 500020 + 60 * 6, 60)]
    layer = write_layer(str(tmp_path / "对象.gpkg"), squares, crs="EPSG:32643")
    cut, cut_log = run_algorithm("chipvlm:cutchips", {
        "INPUT": layer.source(), "RASTER": raster, "CHIP_SIZE": 64, "OUTPUT_FOLDER": str(tmp_path / "运行")},
        RecordingFeedback())
    assert cut["CHIP_COUNT"] == 6
    (tmp_path / "运行" / "chips" / "000003.png").unlink()  # a chip gone since cutting: an error row
    with FakeModelServer(language="zh") as fake:
        result, log = run_algorithm("chipvlm:classifychips", {
            "INDEX": cut["INDEX"], "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": "yili8"},
            RecordingFeedback())
    assert result["ERRORS"] == 1
    said = cut_log.infos + cut_log.warnings + cut_log.texts + log.infos + log.warnings + log.texts
    said = [t for t in said if not t.startswith("Results: {")]  # QGIS's own line after every algorithm
    assert not english_in(said), english_in(said)

    with open(result["RESULTS_CSV"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    error_row = next(r for r in rows if r["class_id"] == "-1")
    assert error_row["reason"] == "识别失败(原因见 error 列)" and error_row["error"], error_row
    readable = [r[c] for r in rows for c in ("class_name", "reason")]
    assert not english_in(readable), english_in(readable)
