"""One classification run: run_classification (engine.py), the lock that keeps a second run off the
same results file (lock.py), and what a run reports (report.py: Progress, RunSummary)."""
