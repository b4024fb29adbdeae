"""Classification throughput against fake GPUs, and our own CPU time per chip.

Each fake endpoint answers a batch after a fixed delay and runs at most k requests at once (the rest
wait, as with OLLAMA_NUM_PARALLEL), so the best a client can do is endpoints x k x batch / delay chips
per second. We run the real engine (reading the index, reading and base64-encoding 512 px PNG chips,
HTTP, validating the answers, committing to results.sqlite, exporting results.csv) against 1, 2 and 4
such endpoints and report the share of that ideal reached over the whole run, start included. Each
fake runs in its own process (real servers are machines of their own), so their CPU time is not
counted as ours (it is shown apart) and no fake waits for another's GIL; our CPU time per chip is
time.process_time() of this process (all its threads), then taken apart by timing each step alone.

Usage: python bench/bench_classify.py [--quick] [--timeline]      (prints a markdown section)
"""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import common  # noqa: F401  (makes `chipvlm` and the test helpers importable)
from chipvlm.plugin.core.chips.render import encode_png
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.dispatch import dispatcher
from chipvlm.plugin.core.classify.request.chip_payload import ChipImage
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.runs import index_row, write_index

FAKES = common.ROOT / "tests" / "fakes" / "ollama.py"
BATCH = 10
K = 2  # requests each endpoint runs at once
DELAY = 1.0  # seconds per batch: a fast GPU (Gemma 3 27B takes several seconds for 10 images)
WAVES = 20  # batches each request slot runs; a county is thousands
DISTINCT_CHIPS = 24


def textured_png(seed: int, size: int = 512) -> bytes:
    """A chip that compresses like aerial imagery (smooth fields plus noise), not like a flat colour,
    written by the cutter's own PNG encoder as cutchips writes every chip."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(40, 200, (size // 32, size // 32, 3), dtype=np.uint8)
    image = np.kron(coarse, np.ones((32, 32, 1), dtype=np.uint8))
    image = np.clip(image.astype(np.int16) + rng.integers(-12, 12, image.shape), 0, 255).astype(np.uint8)
    return encode_png(image)


def chip_as_read(path: str, fid: int):
    """The chip check before issue 7 (commit 61eda83): the file's bytes as read, base64-encoded."""
    with open(path, "rb") as handle:
        data = handle.read()
    return ChipImage(fid=int(fid), encoded=base64.b64encode(data), mime="image/png")


@contextmanager
def before_issue_7():
    """The engine as it is, but chips sent as read and every request slot reading its batch at once."""
    saved = dispatcher.encode_chip, dispatcher.os.cpu_count
    dispatcher.encode_chip, dispatcher.os.cpu_count = chip_as_read, lambda: 1024
    try:
        yield
    finally:
        dispatcher.encode_chip, dispatcher.os.cpu_count = saved


def make_run(folder: Path, chips: int) -> Path:
    (folder / "chips").mkdir(parents=True)
    sizes = []
    for n in range(DISTINCT_CHIPS):
        data = textured_png(n)
        sizes.append(len(data))
        (folder / "chips" / f"chip{n:02d}.png").write_bytes(data)
    rows = [index_row(fid, f"chips/chip{fid % DISTINCT_CHIPS:02d}.png") for fid in range(1, chips + 1)]
    write_index(folder / "chips_index.csv", rows)
    make_run.chip_kb = sum(sizes) / len(sizes) / 1024
    return folder / "chips_index.csv"


def start_fakes(count: int, delay: float, k: int, shared: bool = False):
    """`count` fake endpoints, each in its own process as real servers are (``shared``: all in one, whose
    GIL then parses every request body in turn: the setup of this benchmark before 2026-12-01)."""
    groups = [count] if shared else [1] * count
    processes, urls = [], []
    for size in groups:
        process = subprocess.Popen(
            [sys.executable, str(FAKES), "--count", str(size), "--delay", str(delay), "--concurrency", str(k)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        processes.append(process)
        urls += json.loads(process.stdout.readline())["urls"]
    return processes, urls


def stop_fakes(processes) -> dict:
    merged = {"max_active": {}, "timeline": {}}
    for process in processes:
        process.stdin.close()
        line = process.stdout.readline()
        process.wait(10)
        found = json.loads(line) if line else {}
        for key in merged:
            merged[key].update(found.get(key, {}))
    return merged


def fakes_cpu(processes) -> float:
    return sum(common.process_cpu_seconds(p.pid) for p in processes)


def one_case(workdir: Path, endpoints: int, k: int, delay: float, waves: int, shared: bool = False) -> dict:
    chips = endpoints * k * BATCH * waves
    folder = workdir / f"e{endpoints}_k{k}_d{delay}"
    index = make_run(folder, chips)
    processes, urls = start_fakes(endpoints, delay, k, shared)
    try:
        configs = [EndpointConfig(f"gpu{n}", url, model="gemma3:27b", concurrency=k, timeout=60)
                   for n, url in enumerate(urls)]
        busy0, fake0 = common.system_busy_seconds(), fakes_cpu(processes)
        cpu0, wall0, start = time.process_time(), time.perf_counter(), time.monotonic()
        summary = run_classification(ClassifyOptions(str(index), configs, "yili8",
                                                     store_path=str(folder / "results.sqlite"),
                                                     batch_size=BATCH))
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
        fake_cpu = fakes_cpu(processes) - fake0
        others = max(0.0, common.system_busy_seconds() - busy0 - cpu - fake_cpu) / wall
    finally:
        fakes = stop_fakes(processes)
    timeline = fakes["timeline"]  # (received, got a slot, answered) per request, CLOCK_MONOTONIC of the fakes
    if "--timeline" in sys.argv:
        for url, rows in timeline.items():
            print(url, [tuple(round(t - start, 2) for t in row) for row in rows], file=sys.stderr)
    assert summary.classified == chips, summary.text()
    slot_starts = sorted(row[1] for rows in timeline.values() for row in rows)
    all_busy = slot_starts[endpoints * k - 1] - start if len(slot_starts) >= endpoints * k else float("nan")
    ideal = endpoints * k * BATCH / delay
    max_active = fakes["max_active"]
    idle_mid_run = sum(idle_slot_seconds([(row[1], row[2]) for row in rows], k) for rows in timeline.values())
    return {
        "endpoints": endpoints, "k": k, "delay": delay, "chips": chips, "wall": wall,
        "rate": chips / wall, "ideal": ideal, "share": chips / wall / ideal, "all_busy": all_busy,
        "overhead": wall - waves * delay, "idle_mid_run": idle_mid_run, "cpu_ms": cpu / chips * 1000, "model_ms": delay / BATCH * 1000,
        "max_active": max(max_active.values()) if max_active else 0, "fake_cpu_ms": fake_cpu / chips * 1000,
        "others": others,
    }


def idle_slot_seconds(intervals, k: int) -> float:
    """Slot-seconds one endpoint's k slots stood idle between the moment all were first busy and the
    start of its last request (before: the run's start; after: the queue ran dry)."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    last_start = max(start for start, _ in intervals)
    active, idle, full_since = 0, 0.0, None
    previous = None
    for moment, step in events:
        if full_since is not None and previous is not None and moment <= last_start:
            idle += (k - active) * (moment - previous)
        active += step
        previous = moment
        if full_since is None and active >= k:
            full_since = moment
    return idle


def measured_case(workdir: Path, endpoints: int, k: int, delay: float, waves: int, shared: bool = False) -> dict:
    """One case on a quiet machine; run again (up to ATTEMPTS times) when other processes disturbed it."""
    return common.least_disturbed(
        lambda attempt: one_case(workdir / f"try{attempt}{'s' if shared else ''}", endpoints, k, delay, waves, shared),
        lambda r: f"{endpoints} endpoint(s): {r['share'] * 100:.1f}% of ideal")


def against_before_issue_7(workdir: Path, endpoints: int, waves: int, rounds: int) -> dict:
    """The 4-endpoint case with today's chip check and before it, taken in turn, `rounds` times each."""
    runs = {"today": [], "before": []}
    for attempt in range(rounds):
        order = ["today", "before"] if attempt % 2 == 0 else ["before", "today"]
        for name in order:
            common.wait_for_quiet()
            if name == "before":
                with before_issue_7():
                    case = one_case(workdir / f"{name}{attempt}", endpoints, K, DELAY, waves)
            else:
                case = one_case(workdir / f"{name}{attempt}", endpoints, K, DELAY, waves)
            runs[name].append(case)
            print(f"# {name}: {case['share'] * 100:.1f}% of ideal, others {case['others']:.2f} cores",
                  file=sys.stderr, flush=True)
    return runs


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def cpu_breakdown(workdir: Path, batches: int = 30) -> dict:
    """Our CPU time per chip for each step of a batch, each timed alone in one thread."""
    from chipvlm.plugin.core.chips.index import read_chip_index
    from chipvlm.plugin.core.classify.answer.parse import parse_answer
    from chipvlm.plugin.core.classify.clients.ollama_client import OllamaClient
    from chipvlm.plugin.core.classify.request.chip_payload import encode_chip, json_body
    from chipvlm.plugin.core.classify.request.prompts import load_template
    from chipvlm.plugin.core.classify.request.schemas import STRICT, answer_schema
    from chipvlm.plugin.core.results.store import RequestRow, ResultRow, ResultsStore
    from chipvlm.plugin.core.schemes import load_scheme
    from fakes.ollama import FakeModelServer

    chips = batches * BATCH
    index_path = make_run(workdir / "breakdown", chips)
    scheme = load_scheme("yili8")
    template = load_template(scheme)
    client = OllamaClient(EndpointConfig("gpu0", "http://127.0.0.1:9", model="gemma3:27b"))
    fake = FakeModelServer()
    steps = {name: 0.0 for name in ("index", "read", "as_read", "request", "validate", "store")}

    clock = time.process_time()
    entries = read_chip_index(str(index_path)).entries
    steps["index"] = time.process_time() - clock
    with ResultsStore(workdir / "breakdown" / "results.sqlite") as store:
        for start in range(0, chips, BATCH):
            batch = entries[start:start + BATCH]
            fids = [e.fid for e in batch]
            clock = time.process_time()
            images = [encode_chip(e.path, e.fid) for e in batch]
            steps["read"] += time.process_time() - clock
            clock = time.process_time()
            for e in batch:
                chip_as_read(e.path, e.fid)
            steps["as_read"] += time.process_time() - clock

            clock = time.process_time()
            prompt = template.render(fids, scheme, STRICT)
            schema = answer_schema(STRICT, fids, scheme.answerable_ids)
            body = json_body(client.chat_payload(prompt, images, schema, tokens=True), images)
            steps["request"] += time.process_time() - clock

            raw = json.dumps({"model": "gemma3:27b", "message": {"role": "assistant",
                                                                 "content": fake.answer_text(fids, "object", "ok")},
                              "done": True}, ensure_ascii=False)
            clock = time.process_time()
            answers = parse_answer(json.loads(raw)["message"]["content"], fids, scheme)
            steps["validate"] += time.process_time() - clock

            clock = time.process_time()
            store.log_request(RequestRow(endpoint="gpu0", model="gemma3:27b", fids=fids, status="ok", http_status=200,
                                         raw_response=raw, schema_kind=STRICT, elapsed_ms=1000))
            store.record_results(ResultRow(fid=e.fid, chip_path=e.path, class_id=answers[e.fid].class_id,
                                           class_name=scheme.name_of(answers[e.fid].class_id),
                                           reason=answers[e.fid].reason, needs_review=answers[e.fid].needs_review,
                                           model="gemma3:27b", endpoint="gpu0", attempts=1, elapsed_ms=1000)
                                 for e in batch)
            steps["store"] += time.process_time() - clock
    client.close()
    result = {name: seconds / chips * 1000 for name, seconds in steps.items()}
    result["body_kb"] = len(body) / 1024
    return result


def what_the_numbers_say(results, steps, mean_cpu, waves) -> list:
    parts = steps["index"] + steps["read"] + steps["request"] + steps["validate"] + steps["store"]
    worst = min(results, key=lambda r: r["share"])
    last = results[-1]
    biggest = max(("reading and base64", steps["read"]), ("building the request", steps["request"]),
                  ("validating", steps["validate"]), ("storing", steps["store"]), key=lambda kv: kv[1])
    lost = last["wall"] - last["chips"] / last["ideal"]
    disturbed = [f"{r['endpoints']} endpoint(s) ({r['others']:.2f} cores)" for r in results
                 if r["others"] > common.DISTURBED]
    return [
        "",
        "### What the numbers say",
        "",
    ] + ([f"- **Disturbed**: other processes kept more than {common.DISTURBED} cores busy during "
          f"{', '.join(disturbed)} even after reruns; those figures are low."]
         if disturbed else []) + [
        f"- **Target**: the lowest share of the ideal is {worst['share'] * 100:.1f}% ({worst['endpoints']} "
        f"endpoint(s)); want at least 95%: " + ("met." if worst["share"] >= 0.95 else "**missed**.") +
        f" Every request slot is busy {last['all_busy']:.2f} s after the call with {last['endpoints']} endpoints "
        f"(endpoint checks, then the first {last['endpoints'] * last['k']} uploads of "
        f"{steps['body_kb'] / 1024:.1f} MB, which go before the {last['endpoints'] * last['k']} requests queued "
        f"ahead; the fakes' parsing of those bodies shares the 2 cores with us), and from then until the queue runs "
        f"dry the slots of all endpoints together stand idle {last['idle_mid_run']:.2f} s. The run loses "
        f"{lost:.2f} s against the ideal, once, at the start and the end: {lost / last['wall'] * 100:.1f}% of a "
        f"{waves}-batch-per-slot run, a negligible share of a county-sized one (200,000 chips on 4 such endpoints "
        f"are 2,500 batches per slot). No endpoint ever ran more than k requests at once.",
        f"- **Our CPU time**: {mean_cpu:.1f} ms per chip over whole runs, against {DELAY / BATCH * 1000:.0f} ms of "
        f"model time per chip per request slot ({mean_cpu / (DELAY / BATCH * 1000) * 100:.1f}%): one core could "
        f"feed {1000 / mean_cpu:.0f} chips/s, {1000 / mean_cpu / (BATCH / DELAY):.0f} request slots of this "
        f"fast a GPU. The largest step is {biggest[0]} ({biggest[1]:.2f} ms); validating and storing cost "
        f"{steps['validate'] + steps['store']:.2f} ms together. "
        + (f"The rest of the whole-run figure, {mean_cpu - parts:.2f} ms, is HTTP (the "
           f"{steps['body_kb'] / 1024:.1f} MB request bodies through requests and the loopback), thread switches, "
           f"progress and the results.csv export." if mean_cpu - parts > 0.1 else
           f"The steps timed alone add up to {parts:.2f} ms, as much as the whole run: HTTP, threads and the export "
           f"cost little, and a step timed alone is no cheaper than inside the run.")
        + " The fakes' own CPU (parsing those bodies, in their own process) is shown apart and not counted.",
    ]


def main(argv) -> int:
    quick = "--quick" in argv
    waves = 3 if quick else WAVES
    load_start = common.loadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="chipvlm-bench-classify-") as tmp:
        for endpoints in (1, 2, 4):
            results.append(measured_case(Path(tmp), endpoints, K, DELAY, waves))
        one_process = measured_case(Path(tmp), 4, K, DELAY, waves, shared=True)
        compared = against_before_issue_7(Path(tmp) / "ab", 4, waves, 1 if quick else 3)
        common.wait_for_quiet()
        steps = cpu_breakdown(Path(tmp), 10 if quick else 60)
    load_end = common.loadavg()
    command = "python bench/bench_classify.py" + (" --quick" if quick else "")
    print("## Classification\n")
    print(f"Command: `{command}` (what `make bench` and `python bench/run.py classify` run). Machine: {common.machine()}. Load average (1, 5, 15 min) "
          f"at the start {'/'.join(map(str, load_start))}, at the end {'/'.join(map(str, load_end))}.\n")
    print(
        f"Fake endpoints (`tests/fakes/ollama.py`), each in its own process, each answering a batch of {BATCH} chips "
        f"after {DELAY:g} s and running at most k={K} requests at once (more wait in its queue); {waves} batches per "
        f"request slot. The client is the real engine, `run_classification()`: index, {make_run.chip_kb:.0f} KB "
        f"512 px PNG chips read and base64-encoded ({steps['body_kb'] / 1024:.1f} MB per request), HTTP on "
        f"127.0.0.1, answer validation, one sqlite transaction per batch, results.csv at the end. Ideal = endpoints "
        f"x k x batch / delay. Wall time from the call to its return, endpoint checks at the start included. "
        f"\"others\" = cores other processes of this shared machine kept busy meanwhile (a case is run again, up to "
        f"{common.ATTEMPTS} times, when they exceed {common.DISTURBED}).\n"
    )
    print("| endpoints | k | chips | wall s | chips/s | ideal chips/s | share of ideal | every slot busy after s "
          "| our CPU ms/chip | model ms/chip | most requests running at once per endpoint | fakes' CPU ms/chip "
          "| others |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['endpoints']} | {r['k']} | {r['chips']} | {r['wall']:.2f} | {r['rate']:.1f} | {r['ideal']:.1f} "
              f"| **{r['share'] * 100:.1f}%** | {r['all_busy']:.2f} | {r['cpu_ms']:.2f} | {r['model_ms']:.0f} "
              f"| {r['max_active']} | {r['fake_cpu_ms']:.2f} | {r['others']:.2f} |")
    worst = min(r["share"] for r in results)
    print(f"\nEach fake endpoint runs in its own process, as real servers are on their own machines. With all "
          f"4 in one process (this benchmark's setup before 2026-12-01), whose GIL parses every request body in "
          f"turn, the 4-endpoint case reaches {one_process['share'] * 100:.1f}% of ideal, every slot busy after "
          f"{one_process['all_busy']:.2f} s (others {one_process['others']:.2f}).")
    mean_cpu = sum(r["cpu_ms"] * r["chips"] for r in results) / sum(r["chips"] for r in results)
    parts = steps["index"] + steps["read"] + steps["request"] + steps["validate"] + steps["store"]
    print(f"\nLowest share of the ideal: **{worst * 100:.1f}%** (target: at least 95%).\n")
    print("Our CPU time per chip, each step timed alone (one thread, chips in the page cache), against the "
          "whole run's:\n")
    print("| step | CPU ms/chip |")
    print("|---|---:|")
    print(f"| reading the index | {steps['index']:.3f} |")
    print(f"| reading the chip file, checking it whole (chip_files.py) and base64-encoding it | {steps['read']:.2f} |")
    print(f"| building the request (prompt, schema, JSON body) | {steps['request']:.2f} |")
    print(f"| validating the answer (parse, fids, classes, reasons) | {steps['validate']:.3f} |")
    print(f"| storing (one transaction per batch: rows and the raw answer) | {steps['store']:.3f} |")
    print(f"| sum of the steps | {parts:.2f} |")
    print(f"| whole run (above, all cases): the steps plus HTTP, threads, progress, results.csv | {mean_cpu:.2f} |")
    print(f"| the model's time per chip (one request slot) | {DELAY / BATCH * 1000:.0f} |")
    print(f"| (the same file read and base64-encoded without the check, as before issue 7) | {steps['as_read']:.2f} |")
    today, before = compared["today"], compared["before"]
    ratio = median([c["share"] for c in today]) / median([c["share"] for c in before])
    print(f"\nToday's chip check against the engine before issue 7's (chips sent as read, every request slot "
          f"reading its batch at once), 4 endpoints, taken in turn {len(today)} times each:\n")
    print("| contender | share of ideal (runs) | median | every slot busy after s (median) | our CPU ms/chip "
          "(median) | others (worst) |")
    print("|---|---|---:|---:|---:|---:|")
    for name, cases in (("today: checked whole, batches take turns by core", today),
                        ("before issue 7: sent as read", before)):
        shares = ", ".join(f"{c['share'] * 100:.1f}%" for c in cases)
        print(f"| {name} | {shares} "
              f"| {median([c['share'] for c in cases]) * 100:.1f}% | {median([c['all_busy'] for c in cases]):.2f} "
              f"| {median([c['cpu_ms'] for c in cases]):.2f} | {max(c['others'] for c in cases):.2f} |")
    print(f"\nToday / before: **{ratio:.3f}** (issue 7's target: at least 0.97).")
    print("\n".join(what_the_numbers_say(results, steps, mean_cpu, waves)))
    (common.OUT).mkdir(parents=True, exist_ok=True)
    (common.OUT / "classify.json").write_text(json.dumps({"cases": results, "steps": steps, "before_issue_7": compared, "one_fake_process": one_process,
                                                          "load": [load_start, load_end]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
