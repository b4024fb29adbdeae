"""results.sqlite, what classify writes and review, assess and training read: the store
(store.py: ResultsStore, ResultRow, the results and requests tables, the CSV export) and the merge
of several results files into one (merge.py)."""
