"""Reference examples in the prompt, against the fake server in both API shapes (Ollama native and
OpenAI-compatible): sent once per request before the batch, apart from it, never a result."""
import base64
import io
import json
import os
import sqlite3

import numpy as np
import pytest
from PIL import Image

from chipvlm.plugin.core.classify.clients.endpoints import API_OLLAMA, API_OPENAI, EndpointConfig
from chipvlm.plugin.core.classify.request.prompts import load_template
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.schemes import Scheme, load_scheme
from chipvlm.plugin.core.training.references import ReferenceExamplesError, request_context
from fakes.ollama import ANSWER_REFERENCE, FakeModelServer, shared_prefix
from fakes.runs import fast_policy
from helpers.training import classify_rows, make_cut_run, review

MODEL = "gemma3:27b"
SCHEME = load_scheme("landcover_en")
# the analyst reviewed fids 1-12 (classified before); 13-24 are still to classify
REVIEWED = {1: 2, 2: 2, 3: 2, 4: 5, 5: 5, 6: 1, 7: 2, 8: 5, 9: 4, 10: 2, 11: 2, 12: 6}
PENDING = list(range(13, 25))


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    return make_cut_run(str(tmp_path_factory.mktemp("refs")), count=24)


@pytest.fixture
def run(cut):
    _, index, _ = cut
    results = os.path.join(os.path.dirname(index), "results.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(results + suffix):
            os.remove(results + suffix)
    classify_rows(index, {fid: 3 for fid in REVIEWED})
    review(results, REVIEWED)
    return index, results


def endpoint(fake, api, **options):
    return EndpointConfig("gpu", fake.url, api=api, model=MODEL, timeout=20, **options)


def rows_of(results):
    con = sqlite3.connect(results)
    try:
        return {r[0]: r[1:] for r in con.execute("SELECT fid, class_id, reviewed_class_id FROM results")}
    finally:
        con.close()


def decode(image_b64):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(image_b64))).convert("RGB"))


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_references_go_before_the_batch_apart_from_it_and_never_become_results(run, api):
    index, results = run
    with FakeModelServer(classes=6, language="en") as fake:
        summary = run_classification(ClassifyOptions(index, [endpoint(fake, api)], SCHEME, batch_size=4,
                                                     policy=fast_policy(), references=2))
    assert summary.classified == len(PENDING)
    assert len(fake.records) == 3
    # 2 per class where the analyst reviewed enough: cropland 2, trees 2, building 1, water 1, bare land 1
    expected = [1, 2, 2, 4, 5, 5, 6]
    for record in fake.records:
        assert record.reference_classes == expected
        assert len(record.reference_images) == 7 and len(record.batch_images) == len(record.fids)
        assert not set(record.fids) & set(REVIEWED)
        assert "fid=" not in record.rendered.split("The batch:")[0]  # no fid before the batch's part
        assert record.text.index("Classes") < record.text.index("Reference examples") < record.text.index("The batch:")
        assert record.messages == 1
    # what a prefix cache reuses: the instructions and the references with their images, in every request
    head = fake.records[0].rendered.split("The batch:")[0]
    for other in fake.records[1:]:
        shared = shared_prefix(fake.records[0].rendered, other.rendered)
        assert shared.startswith(head) and shared.count("<image:") == 7 and "fid=" not in shared
    rows = rows_of(results)
    assert sorted(rows) == sorted(list(REVIEWED) + PENDING)  # no row for a reference
    for fid in PENDING:
        assert rows[fid][0] == fake.expected_class(fid)
    for fid, decided in REVIEWED.items():
        assert rows[fid] == (3, decided)  # the references' own rows untouched
    with sqlite3.connect(results) as con:
        meta = json.loads(con.execute("SELECT value FROM meta WHERE key='references'").fetchone()[0])
    assert [m["class_id"] for m in meta] == expected


def test_the_fid_drawn_on_a_reference_chip_is_blanked(run):
    index, _ = run
    with FakeModelServer(classes=6, language="en") as fake:
        run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA)], SCHEME, batch_size=12,
                                           policy=fast_policy(), references=1))
    record = fake.records[0]
    chips = os.path.join(os.path.dirname(index), "chips")
    # references in class order, one per class: building (6), cropland (spread: 3), water (9), trees (5), bare (12)
    sent = dict(zip(record.reference_classes, record.reference_images))
    chip = np.asarray(Image.open(os.path.join(chips, "000006.png")).convert("RGB"))
    image = decode(sent[1])
    changed = np.argwhere((image != chip).any(axis=2))
    assert changed.size, "the label was not blanked"
    bottom, right = changed.max(axis=0)
    assert bottom < 16 and right < 24  # only the label's corner changed
    assert (image[: bottom + 1, : right + 1] == 0).all()  # painted with the label's black box


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_an_answer_for_a_reference_is_caught_and_the_batch_split(run, api):
    index, results = run
    with FakeModelServer(classes=6, language="en") as fake:
        fake.add_rule(ANSWER_REFERENCE, times=1, min_batch=4)
        fake.add_rule(ANSWER_REFERENCE, fids={24})  # the single chip 24 always answers for the reference
        summary = run_classification(ClassifyOptions(index, [endpoint(fake, api)], SCHEME, batch_size=4,
                                                     policy=fast_policy(), references=1))
    rows = rows_of(results)
    assert fake.reference_fid not in rows
    for fid in PENDING[:-1]:
        assert rows[fid][0] == fake.expected_class(fid), f"fid {fid} mixed up"
    assert rows[24][0] == -1 and summary.errors == 1
    with sqlite3.connect(results) as con:
        statuses = [r[0] for r in con.execute("SELECT status FROM requests ORDER BY id")]
        reason = con.execute("SELECT error FROM results WHERE fid = 24").fetchone()[0]  # the detail
    assert statuses.count("invalid") >= 2 and str(fake.reference_fid) in reason
    sizes = [len(r.fids) for r in fake.records]
    assert sizes[:1] == [4] and 2 in sizes and 1 in sizes  # 4 -> 2 + 2 -> 1 + 1


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_requests_stay_within_the_num_ctx_the_check_accepts(run, api):
    index, _ = run
    template = load_template(SCHEME)
    needed = request_context(template, SCHEME, 10, reference_count=7)
    with FakeModelServer(classes=6, language="en") as fake:
        run_classification(ClassifyOptions(index, [endpoint(fake, api, num_ctx=needed)], SCHEME,
                                           batch_size=10, policy=fast_policy(), references=2))
    assert fake.records
    for record in fake.records:
        assert record.context_tokens <= needed
        if api == API_OLLAMA:
            assert record.num_ctx == needed and not record.truncated


def test_a_num_ctx_too_small_for_the_references_is_refused_before_anything_is_sent(run):
    index, _ = run
    with FakeModelServer(classes=6, language="en") as fake:
        with pytest.raises(ReferenceExamplesError, match=r"7 reference images and 10 chips per request need .* gpu \(4096\)"):
            run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA, num_ctx=4096)], SCHEME,
                                               batch_size=10, policy=fast_policy(), references=2))
        assert fake.records == []
        # the same batch without references fits the same context
        run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA, num_ctx=4096)], SCHEME,
                                           batch_size=10, policy=fast_policy()))
    assert all(not r.truncated and not r.reference_images for r in fake.records)


def test_references_from_another_run_and_named_by_the_scheme(run, tmp_path):
    index, results = run
    other = tmp_path / "other.sqlite"
    os.replace(results, other)  # the reviewed run is another file now; this run starts afresh
    picture = tmp_path / "bare.png"
    Image.new("RGB", (64, 64), (210, 190, 150)).save(picture)
    data = SCHEME.to_dict()
    for c in data["classes"]:
        if c["id"] == 6:
            c["references"] = ["bare.png"]  # beside the scheme file
        if c["id"] == 3:
            c["references"] = [4]  # fid 4 of the reference results
    scheme_path = tmp_path / "landcover_refs.json"
    scheme_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    scheme = load_scheme(str(scheme_path))
    assert scheme.get(6).references == ("bare.png",) and scheme.get(3).references == (4,)
    with FakeModelServer(classes=6, language="en") as fake:
        run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA)], scheme, batch_size=12,
                                           policy=fast_policy(), references=1, reference_results=str(other)))
    record = fake.records[0]
    assert record.reference_classes == [1, 2, 3, 4, 5, 6]
    assert len(record.fids) == 12 and sorted(fid for r in fake.records for fid in r.fids) == list(range(1, 25))
    sent = decode(record.reference_images[5])
    assert (sent == np.asarray(Image.open(picture))).all()  # an image file is sent as it is


def test_references_speak_the_templates_language(run):
    index, results = run
    yili8 = load_scheme("yili8")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(results + suffix):
            os.remove(results + suffix)
    classify_rows(index, {fid: 3 for fid in REVIEWED}, scheme=yili8)
    review(results, {1: 2, 2: 8}, scheme=yili8)
    with FakeModelServer(classes=8) as fake:
        run_classification(ClassifyOptions(index, [endpoint(fake, API_OPENAI)], yili8, batch_size=12,
                                           policy=fast_policy(), references=1))
    record = fake.records[0]
    assert record.reference_classes == [2, 8]
    assert "参考样例" in record.text and "参考 1: class_id=2(耕地)" in record.text
    assert "Reference" not in record.text


def test_reference_results_of_another_scheme_are_refused(run, tmp_path):
    index, results = run
    with FakeModelServer(classes=8) as fake:
        with pytest.raises(ReferenceExamplesError, match="landcover_en"):
            run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA)], "yili8",
                                               store_path=str(tmp_path / "r.sqlite"), policy=fast_policy(),
                                               references=1, reference_results=results))
        assert fake.records == []


def test_no_references_by_default(run):
    index, _ = run
    with FakeModelServer(classes=6, language="en") as fake:
        run_classification(ClassifyOptions(index, [endpoint(fake, API_OPENAI)], SCHEME, batch_size=12,
                                           policy=fast_policy()))
    assert [r.reference_images for r in fake.records] == [[]]
    assert "Reference examples" not in fake.records[0].text


def test_a_scheme_reference_that_is_neither_fid_nor_file_is_refused():
    data = load_scheme("landcover_en").to_dict()
    data["classes"][3]["references"] = [True]
    with pytest.raises(ValueError, match="neither a fid"):
        Scheme.from_dict(data)
    data["classes"][1]["references"] = [3]  # class 0
    data["classes"][3]["references"] = []
    with pytest.raises(ValueError, match="cannot have reference examples"):
        Scheme.from_dict(data)


def test_a_scheme_reference_that_cannot_be_found_is_refused_before_anything_is_sent(run, tmp_path):
    index, results = run
    for references, message in (([999], "names fid 999 as a reference"), (["gone.png"], "gone.png of class road")):
        data = SCHEME.to_dict()
        data["classes"][4]["references"] = references  # class 3, road
        path = tmp_path / "scheme.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with FakeModelServer(classes=6, language="en") as fake:
            with pytest.raises(ReferenceExamplesError, match=message):
                run_classification(ClassifyOptions(index, [endpoint(fake, API_OLLAMA)],
                                                   load_scheme(str(path)), policy=fast_policy(),
                                                   references=1))
            assert fake.records == []


@pytest.mark.parametrize("api", [API_OLLAMA, API_OPENAI])
def test_the_body_with_references_is_the_payload_with_every_image_in_place(api):
    from chipvlm.plugin.core.classify.clients.factory import make_client
    from chipvlm.plugin.core.classify.request.chip_payload import ChipImage, PromptReferences, json_body

    def image(tag):
        return ChipImage(fid=0, encoded=base64.b64encode(tag.encode() * 30), mime="image/png")

    batch = [image("batch-one"), image("batch-two")]
    refs = PromptReferences(text="refs\nReference 1: class_id=2 (x)", lines=["Reference 1: class_id=2 (x)"],
                            images=[image("reference")], intro="refs")
    client = make_client(EndpointConfig("e", "http://localhost:1", api=api, model=MODEL))
    client.references = refs
    from chipvlm.plugin.core.classify.request.prompts import BatchPrompt

    prompt = BatchPrompt(constant="prompt", batch="2 chips", lines=("Image 1: fid=1", "Image 2: fid=2"))
    args = (prompt, batch, {})
    body = json.loads(json_body(client.chat_payload(*args, tokens=True), batch))
    assert body == client.chat_payload(*args)  # spliced = written out, references included
    text = json.dumps(body)
    assert text.index(refs.images[0].base64) < text.index(batch[0].base64) < text.index(batch[1].base64)
