"""Classification throughput against fake GPUs, and our own CPU time per chip.

Each fake endpoint answers a batch after a fixed delay and runs at most k requests at once (the rest
wait, as with OLLAMA_NUM_PARALLEL), so the best a client can do is endpoints x k x batch / delay chips
per second. We run the real engine (reading the index, encoding 512 px PNG chips, HTTP, validating,
committing to results.sqlite) against 1, 2 and 4 such endpoints and report the share of that ideal
reached, and the client's CPU time per chip (time.process_time of this process; the fakes run in
another process so their work is not counted).

Usage: python bench/bench_classify.py [--quick]      (prints a markdown section)
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

import common  # noqa: F401  (makes `chipvlm` and the test helpers importable)
from chipvlm.plugin.core.classify.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.engine import run_classification
from fakes.runs import index_row, write_index

FAKES = common.ROOT / "tests" / "fakes" / "ollama.py"
BATCH = 10
DISTINCT_CHIPS = 24


def textured_png(seed: int, size: int = 512) -> bytes:
    """A chip that compresses like aerial imagery (smooth fields plus noise), not like a flat colour."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(40, 200, (size // 32, size // 32, 3), dtype=np.uint8)
    image = np.kron(coarse, np.ones((32, 32, 1), dtype=np.uint8))
    image = np.clip(image.astype(np.int16) + rng.integers(-12, 12, image.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


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


def start_fakes(count: int, delay: float, k: int):
    process = subprocess.Popen(
        [sys.executable, str(FAKES), "--count", str(count), "--delay", str(delay), "--concurrency", str(k)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    urls = json.loads(process.stdout.readline())["urls"]
    return process, urls


def stop_fakes(process) -> dict:
    process.stdin.close()
    line = process.stdout.readline()
    process.wait(10)
    return json.loads(line) if line else {"max_active": {}, "timeline": {}}


def one_case(workdir: Path, endpoints: int, k: int, delay: float, waves: int) -> dict:
    chips = endpoints * k * BATCH * waves
    folder = workdir / f"e{endpoints}_k{k}_d{delay}"
    index = make_run(folder, chips)
    process, urls = start_fakes(endpoints, delay, k)
    try:
        configs = [EndpointConfig(f"gpu{n}", url, model="gemma3:27b", concurrency=k, timeout=60)
                   for n, url in enumerate(urls)]
        cpu0, wall0 = time.process_time(), time.perf_counter()
        summary = run_classification(str(index), configs, "yili8", store_path=str(folder / "results.sqlite"),
                                     batch_size=BATCH)
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
    finally:
        fakes = stop_fakes(process)
    max_active = fakes["max_active"]
    if "--timeline" in sys.argv:
        for url, rows in fakes["timeline"].items():
            first = min(min(r[0] for r in rows) for rows in fakes["timeline"].values())
            print(url, [(round(a - first, 2), round(b - first, 2), round(c - first, 2)) for a, b, c in rows],
                  file=sys.stderr)
    assert summary.classified == chips, summary.text()
    ideal = endpoints * k * BATCH / delay
    return {
        "endpoints": endpoints, "k": k, "delay": delay, "chips": chips, "wall": wall,
        "rate": chips / wall, "ideal": ideal, "share": chips / wall / ideal,
        "cpu_ms": cpu / chips * 1000, "model_ms": delay / BATCH * 1000,
        "max_active": max(max_active.values()) if max_active else 0,
    }


def main(argv) -> int:
    quick = "--quick" in argv
    delay, k = 1.0, 2
    waves = 3 if quick else 6
    results = []
    with tempfile.TemporaryDirectory(prefix="chipvlm-bench-classify-") as tmp:
        for endpoints in (1, 2, 4):
            results.append(one_case(Path(tmp), endpoints, k, delay, waves))
    command = "python bench/bench_classify.py" + (" --quick" if quick else "")
    print("## Classification\n")
    print(f"Command: `{command}` (also run by `make bench`). Machine: {common.machine()}.\n")
    print(
        f"Fake endpoints in a separate process, each answering a batch of {BATCH} chips after {delay:g} s and "
        f"running at most k={k} requests at once; the client is the real engine (index, {make_run.chip_kb:.0f} KB "
        f"512 px PNG chips base64-encoded, HTTP, answer validation, one sqlite transaction per batch, "
        f"results.csv export). Ideal = endpoints x k x batch / delay. CPU = this process's CPU time per chip; "
        f"model time = the GPU time one chip costs one request slot (delay / batch).\n"
    )
    print("| endpoints | k | chips | wall s | chips/s | ideal chips/s | share of ideal | client CPU ms/chip "
          "| model ms/chip | most requests at once per endpoint |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['endpoints']} | {r['k']} | {r['chips']} | {r['wall']:.2f} | {r['rate']:.1f} | {r['ideal']:.1f} "
              f"| {r['share'] * 100:.1f}% | {r['cpu_ms']:.2f} | {r['model_ms']:.0f} | {r['max_active']} |")
    worst = min(r["share"] for r in results)
    print(f"\nLowest share of the ideal: {worst * 100:.1f}% (target: at least 95%).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
