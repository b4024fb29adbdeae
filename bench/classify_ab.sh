#!/bin/bash
# bench_classify.py --quick of an older tree and of this one, in turn, twice: the figures to compare.
#   git worktree add /tmp/wt-before b9939d3 && bash bench/classify_ab.sh /tmp/wt-before
set -u
before=${1:?usage: bash bench/classify_ab.sh OLDER_TREE}
here=$(cd "$(dirname "$0")/.." && pwd)
python=$here/.venv/bin/python
for round in 1 2; do
  for tree in "$before" "$here"; do
    echo "=== round $round $tree load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$tree/bench" && QT_QPA_PLATFORM=offscreen "$python" bench_classify.py --quick 2>/dev/null \
        | grep -E "^\| (1|2|4) |our CPU" | head -12)
  done
done
