"""`make bench`: run every benchmark in bench/ and write docs/benchmarks.md from what they print.

Each bench_*.py prints one markdown section; a section that fails is reported as failed, not dropped.
Usage: python bench/run.py [--quick] [names...]   (names: chips, classify, review)
"""
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "benchmarks.md"
ORDER = ["chips", "classify", "review"]


def main(argv):
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")] or ORDER
    sections = []
    failed = False
    for name in names:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            continue
        started = time.monotonic()
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, script.name] + (["--quick"] if quick else []), cwd=HERE,
                              capture_output=True, text=True)
        took = time.monotonic() - started
        if done.returncode == 0:
            sections.append(done.stdout.strip() + f"\n\n(took {took:.0f} s)\n")
        else:
            failed = True
            sections.append(f"## {name}: FAILED\n\n```\n{done.stderr[-3000:]}\n```\n")
        print(sections[-1], flush=True)
    if quick:
        print("--quick: docs/benchmarks.md left unchanged", file=sys.stderr)
    else:
        header = ("# Benchmarks\n\nProduced by `make bench` (`python bench/run.py`); every figure below comes "
                  "from one run of it, on the machine named in each section. Ratios compare contenders "
                  "measured in the same run.\n\n")
        DOC.write_text(header + "\n".join(sections), encoding="utf-8")
        print(f"wrote {DOC}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
