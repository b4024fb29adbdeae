"""Reference examples from the toolbox (REFERENCES, REFERENCE_RESULTS) and from the Classify chips dialog."""
import os

import pytest
from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

from chipvlm.plugin import settings
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.settings import save_endpoints
from fakes.ollama import FakeModelServer
from helpers.events import wait_until
from helpers.training import classify_rows, make_cut_run, review

REVIEWED = {1: 2, 2: 2, 3: 5, 4: 1}  # landcover_en: cropland, trees, building


pytestmark = pytest.mark.usefixtures("clean_classify_settings")


@pytest.fixture
def run(tmp_path):
    _, index, _ = make_cut_run(str(tmp_path / "cut"), count=12)
    results = classify_rows(index, {fid: 3 for fid in REVIEWED})
    review(results, REVIEWED)
    return index, results


def test_classifychips_sends_references_from_its_own_reviewed_chips(run_algorithm, run):
    index, results = run
    with FakeModelServer(classes=6, language="en") as fake:
        result, feedback = run_algorithm("chipvlm:classifychips", {
            "INDEX": index, "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": "landcover_en",
            "BATCH_SIZE": 8, "REFERENCES": 1})
    assert result["CLASSIFIED"] == 12
    assert [r.reference_classes for r in fake.records] == [[1, 2, 5]]
    assert sorted(fake.records[0].fids) == list(range(5, 13))
    assert any("needs a context (num_ctx) of about" in w for w in feedback.warnings)


def test_classifychips_refuses_references_that_do_not_fit_num_ctx(run_algorithm, run, tmp_path):
    index, results = run
    with FakeModelServer(classes=6, language="en") as fake:
        with pytest.raises(QgsProcessingException, match=r"need a context \(num_ctx\) of at least \d+ tokens"):
            run_algorithm("chipvlm:classifychips", {
                "INDEX": index, "ENDPOINTS": fake.url, "MODEL": "gemma3:27b", "SCHEME": "landcover_en",
                "BATCH_SIZE": 30, "REFERENCES": 2, "REFERENCE_RESULTS": results,
                "OUTPUT": str(tmp_path / "other.sqlite")})
        assert fake.records == []




@pytest.fixture()
def dialog(classify_dialog):
    return classify_dialog


def test_the_dialog_says_what_num_ctx_references_need_and_refuses_a_small_one(dialog, run):
    index, results = run
    with FakeModelServer(classes=6, language="en") as fake:
        save_endpoints([EndpointConfig("small", fake.url, model="gemma3:27b", timeout=5, num_ctx=3000)])
        d = dialog()
        d.index_widget.setFilePath(index)
        d.set_scheme("landcover_en")
        d.batch_spin.setValue(8)
        d.references_spin.setValue(1)
        note = d.reference_note.text()
        assert note.startswith("3 reference images in every request: a request of 8 chips needs num_ctx of at least")
        assert "Too small for that: small (3000)" in note
        started = []
        d.taskStarted.connect(started.append)
        QTest.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        assert started == [] and d.isVisible()

        save_endpoints([EndpointConfig("big", fake.url, model="gemma3:27b", timeout=5, num_ctx=16384)])
        d.reload_endpoints()
        assert "Too small" not in d.reference_note.text()
        QTest.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        assert len(started) == 1
        ended = []
        started[0].runFinished.connect(lambda summary, error: ended.append((summary, error)))
        assert wait_until(lambda: ended)
    summary, error = ended[0]
    assert not error and summary.classified == 8
    assert [r.reference_classes for r in fake.records] == [[1, 2, 5]]
    assert settings.CLASSIFY_REFERENCES.read() == 1
    assert os.path.exists(results)
