#!/bin/bash
# bench_classify.py of b9939d3 and of main, in turn, twice each (quiet machine)
for round in 1 2; do
  for tree in /tmp/wt-before /work/main; do
    echo "=== round $round $tree load $(cut -d' ' -f1 /proc/loadavg)"
    (cd $tree/bench && QT_QPA_PLATFORM=offscreen /work/main/.venv/bin/python bench_classify.py --quick 2>/dev/null | grep -E "^\| (1|2|4) |CPU|ms per chip|our CPU" | head -12)
  done
done
