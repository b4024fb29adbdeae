"""The speed probe of the endpoint Test against fake servers that take time per chip: seconds per
chip, whether two requests ran in parallel, the advice for each server kind, and the estimate and
time left a run then gives."""
import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.clients.servers import (
    KIND_LITELLM,
    KIND_LLAMA_CPP,
    KIND_OLLAMA,
    KIND_OPEN_WEBUI,
    KIND_VLLM,
)
from chipvlm.plugin.core.classify.request.prompts import load_template
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.report import eta_seconds
from chipvlm.plugin.core.classify.speed.advice import probe_sentences, slots_advice, speed_sentence
from chipvlm.plugin.core.classify.speed.estimate import expected_rate, run_estimate
from chipvlm.plugin.core.classify.speed.probe import SpeedProbe, probe_sample, probe_speed
from chipvlm.plugin.core.schemes import load_scheme
from fakes.ollama import DUPLICATE_FID, FakeModelServer
from fakes.runs import fast_policy, make_run

PER_CHIP = 0.25  # the fake GPU's seconds per chip: a request of 2 chips holds its slot 0.5 s


def measure(fake, index_path="", **endpoint):
    scheme = load_scheme("yili8")
    config = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=10, **endpoint)
    return probe_speed(config, probe_sample(index_path), scheme, load_template(scheme))


def test_a_server_that_runs_one_request_at_a_time_is_measured_and_told_to_get_slots():
    with FakeModelServer(delay_per_chip=PER_CHIP, concurrency=1) as fake:
        probe = measure(fake)
    assert probe.problems == [] and probe.answers_valid
    assert PER_CHIP <= probe.seconds_per_chip < PER_CHIP * 1.6
    assert probe.ratio > 1.7 and probe.parallel is False
    assert probe.run_seconds_per_chip == probe.seconds_per_chip, "serial: two at once are no faster"
    said = " ".join(probe_sentences(probe, KIND_OLLAMA, 1))
    assert "one after the other" in said
    assert "OLLAMA_NUM_PARALLEL=2" in said and "'Requests at once'" in said
    assert "the two sample chips shipped with ChipVLM" in said


def test_a_server_with_two_slots_runs_the_pair_in_parallel_and_a_run_gets_the_pairs_speed():
    with FakeModelServer(delay_per_chip=PER_CHIP, concurrency=2) as fake:
        probe = measure(fake)
    assert probe.problems == []
    assert probe.ratio < 1.4 and probe.parallel is True
    assert probe.run_seconds_per_chip == pytest.approx(probe.pair_s / 4)
    assert probe.run_seconds_per_chip < probe.seconds_per_chip * 0.75
    said = " ".join(probe_sentences(probe, KIND_OLLAMA, 1))
    assert "in parallel" in said and "OLLAMA_NUM_PARALLEL; now 1" in said


def test_the_probe_sends_real_batches_each_of_new_images_so_no_prefix_cache_flatters_it():
    with FakeModelServer(delay_per_chip=0.01) as fake:
        probe = measure(fake)
        records = list(fake.records)
    assert probe.measured
    assert len(records) == 4, "a first request, one alone, two at once"
    assert all(r.fids == [1207, 2415] and r.images == 2 for r in records)
    assert all(r.schema_type == "object" for r in records), "the run's strict schema"
    seen = [image for r in records for image in r.batch_images]
    assert len(set(seen)) == len(seen) == 8, "no image is sent twice"
    started = sorted(r.received for r in records)[2:]
    assert started[1] - started[0] < 0.2, "the last two requests go out together"


def test_two_chips_of_the_last_index_are_sent_when_it_can_be_read(tmp_path):
    index = make_run(tmp_path, [7, 8, 9], statuses={7: "outside"})
    sample = probe_sample(str(index))
    assert [fid for fid, _ in sample.chips] == [8, 9] and sample.index_path == str(index)
    with FakeModelServer() as fake:
        probe = measure(fake, str(index))
        assert {f for r in fake.records for f in r.fids} == {8, 9}
    assert f"Measured with two chips of {index}." in probe_sentences(probe, KIND_OLLAMA, 1)


def test_without_a_readable_index_the_shipped_chips_are_sent(tmp_path):
    lonely = make_run(tmp_path, [5])
    for index in ("", str(tmp_path / "gone" / "chips_index.csv"), str(lonely)):
        sample = probe_sample(index)
        assert [fid for fid, _ in sample.chips] == [1207, 2415] and sample.index_path == ""


def test_a_server_refusing_the_strict_schema_is_measured_with_the_simple_one():
    with FakeModelServer(delay_per_chip=0.01, rejects_strict_schema=True) as fake:
        probe = measure(fake)
    assert probe.measured and probe.problems == []


def test_a_server_that_dies_after_the_first_request_gives_no_speed_and_says_why():
    with FakeModelServer() as fake:
        fake.die_after(1)
        probe = measure(fake)
    assert probe.first_s is not None
    assert not probe.measured and probe.seconds_per_chip is None
    assert speed_sentence(probe) == "" and slots_advice(probe, KIND_OLLAMA, 1) == ""
    assert probe.problems and "A measuring request failed" in probe.problems[0]


def test_a_bad_answer_is_said_though_the_speed_counts():
    with FakeModelServer(delay_per_chip=0.01) as fake:
        fake.add_rule(DUPLICATE_FID)
        probe = measure(fake)
    assert probe.measured and not probe.answers_valid
    assert "did not pass ChipVLM's checks" in probe.problems[0]


SERIAL = SpeedProbe(chips=2, first_s=9.0, single_s=4.0, pair_s=8.0)
PARALLEL = SpeedProbe(chips=2, first_s=9.0, single_s=4.0, pair_s=4.8)


@pytest.mark.parametrize("probe, kind, words", [
    (SERIAL, KIND_OLLAMA, "OLLAMA_NUM_PARALLEL=2"),
    (SERIAL, KIND_OPEN_WEBUI, "OLLAMA_NUM_PARALLEL=2"),  # Open WebUI's models run on its Ollama
    (SERIAL, KIND_LLAMA_CPP, "--parallel 2 or more and a --ctx-size that many times"),
    (SERIAL, KIND_VLLM, "vLLM batches requests by itself, yet these two ran one after the other"),
    (SERIAL, KIND_LITELLM, "vLLM batches by itself"),
    (PARALLEL, KIND_OLLAMA, "(OLLAMA_NUM_PARALLEL; now 1)"),
    (PARALLEL, KIND_LLAMA_CPP, "(--parallel; now 1)"),
    (PARALLEL, KIND_VLLM, "set 'Requests at once' to 4 or more (now 1)"),
])
def test_the_advice_names_the_setting_of_the_server_that_answers(probe, kind, words):
    assert words in slots_advice(probe, kind, 1)


def test_the_verdict_gives_the_seconds_per_chip_alone_and_together():
    assert speed_sentence(SERIAL) == (
        "2.0 s per chip (2 chips in 4.0 s, one request alone). Two requests at once took 8.0 s against 4.0 s "
        "for one: the server ran them one after the other.")
    assert "the server ran them in parallel (1.2 s per chip together)" in speed_sentence(PARALLEL)


def test_the_estimate_of_a_county_on_two_measured_endpoints():
    gpus = [EndpointConfig("gpu0", "http://a:11434", seconds_per_chip=0.3607),
            EndpointConfig("gpu1", "http://b:11434", seconds_per_chip=0.3607)]
    assert run_estimate(192965, gpus) == (
        "At the measured speed this run should take about 9 h 40 min for 192,965 chips on 2 endpoints "
        "(gpu0 0.4 s/chip, gpu1 0.4 s/chip).")
    gpus.append(EndpointConfig("gpu2", "http://c:11434"))
    assert run_estimate(192965, gpus).endswith("Not measured, so not counted: gpu2.")
    unmeasured = run_estimate(10, [EndpointConfig("gpu2", "http://c:11434")])
    assert unmeasured.startswith("No time estimate for 10 chips: the endpoints have not been measured yet (gpu2)")
    assert expected_rate(gpus) == pytest.approx(2 / 0.3607)


def test_the_time_left_starts_from_the_measured_rate_and_follows_the_runs_own():
    assert eta_seconds(100, 0, 0.0) is None, "no rate yet, nothing measured"
    assert eta_seconds(100, 0, 0.0, expected_rate=2.0, prior_chips=20) == pytest.approx(50)
    # the run turns out four times slower than measured: the time left moves towards its own rate
    early = eta_seconds(80, 20, 40.0, expected_rate=2.0, prior_chips=20)
    late = eta_seconds(20, 80, 160.0, expected_rate=2.0, prior_chips=20)
    assert 50 < early < 160 and 20 / 0.5 * 0.8 < late < 40
    assert eta_seconds(50, 50, 100.0) == pytest.approx(100), "unmeasured: the run's own rate, as before"


def test_a_run_says_how_long_it_should_take_and_its_first_time_left_is_the_measured_one(tmp_path):
    index = make_run(tmp_path, range(1, 41))
    said, reports = [], []
    with FakeModelServer(delay_per_chip=0.002) as fake:
        gpus = [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5, seconds_per_chip=0.5)]
        run_classification(str(index), gpus, "yili8", batch_size=10, policy=fast_policy(), log=said.append,
                           progress=reports.append)
    assert "At the measured speed this run should take about 20 s for 40 chips on 1 endpoint (gpu0 0.5 s/chip)." \
        in said
    assert reports[0].done == 0 and reports[0].eta_s == pytest.approx(20)


def test_a_run_on_unmeasured_endpoints_says_so(tmp_path):
    index = make_run(tmp_path, range(1, 6))
    said = []
    with FakeModelServer() as fake:
        gpus = [EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)]
        run_classification(str(index), gpus, "yili8", policy=fast_policy(), log=said.append)
    assert any(line.startswith("No time estimate for 5 chips: the endpoints have not been measured yet (gpu0)")
               for line in said)
