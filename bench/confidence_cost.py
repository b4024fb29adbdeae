"""What asking for log-probabilities costs our CPU per chip (a micro-measurement, not part of make bench).

One realistic answer of a 10-chip batch (strict schema, Chinese reasons as the fake writes them, 10
alternatives per token as ChipVLM asks), timed three ways in CPU time: reading the answer without
log-probabilities (what a run did before), reading it with them (the larger body plus dropping them
from what the requests log keeps), and computing every fid's confidence. Usage:
    python bench/confidence_cost.py [--batch 10] [--repeat 300]
"""
import argparse
import json
import sys
import time

import common  # noqa: E402  (makes `chipvlm` importable)

sys.path.insert(0, str(common.ROOT / "tests"))
from chipvlm.plugin.core.classify.answer import confidence  # noqa: E402
from fakes.ollama import FakeModelServer  # noqa: E402


def cpu_per_call(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(5):  # the best of five rounds: the machine is shared
        started = time.process_time()
        for _ in range(repeat):
            function()
        best = min(best, (time.process_time() - started) / repeat)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    fake = FakeModelServer()
    fids = list(range(1001, 1001 + args.batch))
    text = fake.answer_text(fids, "object", "ok")
    entries = fake.logprob_entries(text, fids, confidence.TOP_LOGPROBS, "ollama")
    plain = {"model": "gemma3:27b", "message": {"role": "assistant", "content": text}, "done": True,
             "prompt_eval_count": 3000, "eval_count": len(entries)}
    body_plain = json.dumps(plain, ensure_ascii=False)
    body_full = json.dumps(dict(plain, logprobs=entries), ensure_ascii=False)
    classes = range(0, 9)

    def read_plain():
        json.loads(body_plain)

    def read_full():
        data = json.loads(body_full)
        confidence.without_logprobs(data, confidence.ollama_entries(data))

    def score():
        confidence.class_confidences(text, entries, classes)

    scores = confidence.class_confidences(text, entries, classes)
    assert len(scores) == args.batch, scores
    plain_s, full_s, score_s = (cpu_per_call(f, args.repeat) for f in (read_plain, read_full, score))
    per_chip = ((full_s - plain_s) + score_s) / args.batch
    print(f"answer of {args.batch} chips: {len(text)} characters, {len(entries)} tokens; body "
          f"{len(body_plain.encode()) / 1024:.1f} KiB without log-probabilities, "
          f"{len(body_full.encode()) / 1024:.1f} KiB with {confidence.TOP_LOGPROBS} alternatives per token")
    print(f"CPU per request: read {plain_s * 1e3:.3f} ms without, {full_s * 1e3:.3f} ms with "
          f"(dropping them from the log included); confidences {score_s * 1e3:.3f} ms")
    print(f"added CPU per chip: {per_chip * 1e3:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
