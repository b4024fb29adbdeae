"""The progress of a REASONS=review run is honest during the reasons pass.

The first pass asks the class alone; the chips that go to review are then asked again for class and
reason. The bar must not sit at 100 % with "N/N chips" while that second pass runs: it keeps moving,
never goes back, reaches 100 % with the last chip of the run only, and the text says it is the
reasons pass. The fake model server (tests/fakes/ollama.py) answers class 0 for the fids in
``fake.unsure``: they go to review.
"""
import re
import sqlite3

import pytest

from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from chipvlm.plugin.core.classify.run.report import STAGE_REASONS, RunBar
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run

FIDS = list(range(1, 41))
UNSURE = {2, 3, 7, 12, 18, 25, 31, 38}


def classify(index, fake, **options):
    endpoint = EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=5)
    options.setdefault("policy", fast_policy())
    progress, log, is_canceled = (options.pop(k, None) for k in ("progress", "log", "is_canceled"))
    return run_classification(ClassifyOptions(str(index), [endpoint], "yili8", **options),
                              progress=progress, log=log, is_canceled=is_canceled)


class Recorder:
    """The run's Progress reports, each marked with whether the reasons pass had begun (the engine's
    "Reasons pass: asking..." sentence, said from the same thread as the reports)."""

    def __init__(self, fake=None, slow_reasons=0.0):
        self.reports = []  # (in the reasons pass, Progress)
        self.in_reasons = False
        self.fake, self.slow_reasons = fake, slow_reasons

    def progress(self, report):
        self.reports.append((self.in_reasons, report))

    def log(self, message):
        if message.startswith("Reasons pass: asking"):
            self.in_reasons = True
            if self.fake is not None:
                self.fake.delay = self.slow_reasons  # so the reasons batches come one report apart

    def percents(self, reasons=None):
        return [r.percent for during, r in self.reports if reasons is None or during == reasons]


@pytest.fixture
def unsure_fake():
    with FakeModelServer(delay=0.01) as fake:
        fake.unsure = set(UNSURE)
        yield fake


def test_the_bar_moves_below_100_through_the_reasons_pass_and_says_so(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    seen = Recorder(unsure_fake, slow_reasons=0.12)
    summary = classify(index, unsure_fake, batch_size=2, progress=seen.progress, log=seen.log)
    assert summary.reasons_asked == len(UNSURE) and summary.reasons_added == len(UNSURE)
    everything = seen.percents()
    assert everything == sorted(everything), f"the bar went back: {everything}"
    assert everything[-1] == pytest.approx(100.0), "a finished run ends at 100 %"
    first, reasons = seen.percents(reasons=False), seen.percents(reasons=True)
    assert all(p < 100 for p in first), "the first pass is not the whole run"
    assert reasons and all(p < 100 for p in reasons[:-1]), f"100 % before the reasons pass ended: {reasons}"
    assert len(set(reasons)) >= 3, f"the bar stood still during the reasons pass: {reasons}"
    during = [r for in_reasons, r in seen.reports if in_reasons]
    assert all(r.stage == STAGE_REASONS for r in during)
    texts = [r.text() for r in during]
    assert all(re.match(r"reasons: \d+/8 chips", t) for t in texts), texts
    assert texts[-1].startswith("reasons: 8/8 chips")
    assert any("left" in t for t in texts[:-1]), f"no time left during the reasons pass: {texts}"
    assert any(r.chips_per_minute > 0 for r in during[1:])


def test_a_rerun_with_only_reasons_to_ask_moves_from_0_to_100(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    classify(index, unsure_fake, reasons="none")
    seen = Recorder(unsure_fake, slow_reasons=0.12)
    summary = classify(index, unsure_fake, batch_size=2, progress=seen.progress, log=seen.log)
    assert summary.to_do == 0 and summary.reasons_added == len(UNSURE)
    percents = seen.percents()
    assert percents == sorted(percents) and percents[0] < 100 and percents[-1] == pytest.approx(100.0)
    assert len(set(percents)) >= 3


def test_cancel_in_the_reasons_pass_stops_it_and_keeps_the_reasons_stored(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    seen = Recorder(unsure_fake, slow_reasons=0.2)

    def canceled():
        reasons = [r for during, r in seen.reports if during]
        return bool(reasons) and reasons[-1].done >= 2

    summary = classify(index, unsure_fake, batch_size=1, progress=seen.progress, log=seen.log,
                       is_canceled=canceled)
    during = [(r.done, r.percent) for in_reasons, r in seen.reports if in_reasons]
    assert summary.canceled and 2 <= summary.reasons_added < len(UNSURE), (summary, during)
    asked = [r for r in unsure_fake.records if not r.class_only]
    assert len(asked) < len(UNSURE), ("no new reasons batch went out after the cancel", during)
    con = sqlite3.connect(str(tmp_path / "results.sqlite"))
    try:
        with_reason = {f for (f,) in con.execute("SELECT fid FROM results WHERE reason != ''")}
    finally:
        con.close()
    assert len(with_reason) == summary.reasons_added and with_reason <= UNSURE, "what was answered is stored"
    percents = seen.percents()
    assert percents == sorted(percents) and percents[-1] < 100, "a canceled run does not show 100 %"
    unsure_fake.delay = 0.0
    before = len(unsure_fake.records)
    again = classify(index, unsure_fake)
    assert again.reasons_asked == len(UNSURE) - len(with_reason)
    assert not {f for r in unsure_fake.records[before:] for f in r.fids} & with_reason
    assert_no_mixup(tmp_path / "results.sqlite", FIDS, unsure_fake)


def test_a_run_without_reasons_pass_reports_as_before(tmp_path, unsure_fake):
    index = make_run(tmp_path, FIDS)
    seen = Recorder()
    classify(index, unsure_fake, batch_size=5, reasons="none", progress=seen.progress)
    percents = seen.percents()
    assert percents == sorted(percents) and percents[-1] == 100.0
    last = seen.reports[-1][1]
    assert (last.done, last.total) == (40, 40) and last.text().startswith("40/40 chips")


# -- the bar's arithmetic -------------------------------------------------------------------------------
def test_the_bar_never_goes_back_when_the_estimate_of_the_reasons_pass_grows():
    bar = RunBar()
    # 10 chips done of 100, none to review yet: the bar is at 10 %
    assert bar.advance(10, 90) == pytest.approx(10.0)
    # then many go to review: more is left than thought, the bar slows down but does not go back
    steps = [bar.advance(d, left) for d, left in ((20, 80 + 40), (30, 70 + 60), (90, 10 + 50))]
    assert steps == sorted(steps) and all(10 < p < 100 for p in steps)
    # nothing finished since: the bar stands where it is, whatever the estimate
    assert bar.advance(90, 500) == steps[-1] and bar.advance(90, 0) == steps[-1]
    # the last chip of the run takes it to 100 exactly
    assert bar.advance(91, 0) == 100.0
