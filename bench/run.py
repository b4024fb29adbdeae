"""`make bench`: run every benchmark in bench/ and write docs/benchmarks.md from what they print.

Each bench_*.py prints one markdown section; a section that fails is reported as failed, not dropped.
Naming benchmarks runs only those and replaces only their sections of docs/benchmarks.md; the
sections of the others stay as they were (each section says when and how it was made).
Usage: python bench/run.py [--quick] [names...]   (names: chips, framing, classify, review, tokens, secondopinion)
"""
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "benchmarks.md"
ORDER = ["chips", "framing", "classify", "review", "tokens", "secondopinion"]
HEADER = (
    "# Benchmarks\n\n"
    "Produced by `make bench` (`python bench/run.py`, or `python bench/run.py NAME...` for some sections); "
    "each section below comes from one run of the script it names, on the machine it names, and says when. "
    "Ratios compare contenders measured in the same run. The machine is shared with other engineers' "
    "tests: each section records the load and re-runs what other processes disturbed.\n"
)
_SECTION = re.compile(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->", re.S)


def kept_sections() -> dict:
    """The sections already in docs/benchmarks.md, by benchmark name."""
    if not DOC.exists():
        return {}
    return {name: body for name, body in _SECTION.findall(DOC.read_text(encoding="utf-8"))}


def run_showing_progress(command):
    """Run a benchmark: its stdout (the section) is kept, its stderr (progress) is shown and kept."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=HERE, stdout=out, stderr=subprocess.PIPE, text=True)
        errors = []
        for line in process.stderr:
            sys.stderr.write(line)
            errors.append(line)
        process.wait()
        out.seek(0)
        return process.returncode, out.read(), "".join(errors)


def main(argv):
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")] or ORDER
    sections = {}
    failed = False
    for name in names:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"no benchmark {script.name}", file=sys.stderr)
            failed = True
            continue
        started = time.monotonic()
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        returncode, output, errors = run_showing_progress([sys.executable, script.name] + (["--quick"] if quick else []))
        took = time.monotonic() - started
        if returncode == 0:
            sections[name] = output.strip() + f"\n\n(The whole section took {took:.0f} s to produce.)\n"
        else:
            failed = True
            sections[name] = f"## {name}: FAILED\n\n```\n{errors[-3000:]}\n```\n"
        print(sections[name], flush=True)
    if quick:
        print("--quick: docs/benchmarks.md left unchanged", file=sys.stderr)
    else:
        # read what is there only now: a section someone else wrote while we ran is kept
        sections = {**kept_sections(), **sections}
        body = "\n".join(f"<!-- bench:{name} -->\n{sections[name]}<!-- /bench:{name} -->\n"
                         for name in ORDER + sorted(set(sections) - set(ORDER)) if name in sections)
        DOC.write_text(HEADER + "\n" + body, encoding="utf-8")
        print(f"wrote {DOC}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
