"""What the analyst reads when a core error stops an algorithm: one sentence, never a traceback.

Errors of plugin/core (a broken prompt template, a broken class scheme) reach Processing as a
QgsProcessingException carrying the error's own sentence, translated (plugin/processing/base.py).
"""
import json

import pytest
from qgis.core import QgsProcessingException

from fakes.ollama import FakeModelServer
from fakes.runs import make_run


def scheme_file(tmp_path, **changes):
    from chipvlm.plugin.core.schemes import load_scheme

    scheme = json.loads(load_scheme("landcover_en").to_json())
    scheme["id"] = "my_classes"
    scheme.update(changes)
    path = tmp_path / "my_classes.json"
    path.write_text(json.dumps(scheme), encoding="utf-8")
    return path


def failure(run_algorithm, parameters):
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:classifychips", parameters)
    return str(raised.value)


def assert_one_sentence(text):
    assert "Traceback" not in text and "Error:" not in text, text
    assert len(text.strip().splitlines()) == 1, text


def test_a_scheme_naming_a_missing_prompt_template_is_one_sentence(run_algorithm, tmp_path):
    path = scheme_file(tmp_path, prompt_template="nowhere.txt")
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer(language="en") as fake:
        text = failure(run_algorithm, {"INDEX": str(index), "ENDPOINTS": fake.url, "SCHEME": str(path)})
    assert "nowhere.txt" in text and "was not found" in text
    assert_one_sentence(text)


def test_a_broken_prompt_template_is_one_sentence_naming_the_file(run_algorithm, tmp_path):
    (tmp_path / "broken.txt").write_text("[prompt]\nClassify $count chips.\n", encoding="utf-8")
    path = scheme_file(tmp_path, prompt_template=str(tmp_path / "broken.txt"))
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer(language="en") as fake:
        text = failure(run_algorithm, {"INDEX": str(index), "ENDPOINTS": fake.url, "SCHEME": str(path)})
    assert "broken.txt" in text and "are missing" in text
    assert_one_sentence(text)


def test_a_broken_scheme_is_one_sentence_naming_the_file(run_algorithm, tmp_path):
    path = scheme_file(tmp_path, classes=[{"id": "x", "name": "road"}])
    index = make_run(tmp_path, range(1, 4))
    with FakeModelServer(language="en") as fake:
        text = failure(run_algorithm, {"INDEX": str(index), "ENDPOINTS": fake.url, "SCHEME": str(path)})
    assert "my_classes.json" in text and "ids must be integers" in text
    assert_one_sentence(text)


def test_a_fid_field_the_layer_lacks_is_refused_before_anything_is_cut(run_algorithm, tmp_path):
    from helpers.layers import write_layer
    from helpers.synthetic import write_raster

    raster = write_raster(str(tmp_path / "r.tif"), 256, 256)
    layer = write_layer(str(tmp_path / "objects.gpkg"), ["POLYGON((500010 3999990,500050 3999990,"
                                                          "500050 3999950,500010 3999990))"], crs="EPSG:32643")
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:cutchips", {"INPUT": layer.source(), "RASTER": raster, "FID_FIELD": "nowhere",
                                           "OUTPUT_FOLDER": str(tmp_path / "run")})
    assert "The layer has no field named 'nowhere'." in str(raised.value)
    assert not (tmp_path / "run").exists(), "refused by checkParameterValues, before the run folder is made"


def test_writing_a_copy_without_an_output_layer_is_refused(run_algorithm, tmp_path):
    from helpers.layers import write_layer

    layer = write_layer(str(tmp_path / "objects.gpkg"), [None])
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("chipvlm:writeclasses", {"INPUT": layer.source(), "RESULTS": str(tmp_path / "nowhere.sqlite"),
                                               "IN_PLACE": False, "OUTPUT": ""})
    assert "Choose an output layer, or write into the input layer itself (IN_PLACE)." in str(raised.value)
