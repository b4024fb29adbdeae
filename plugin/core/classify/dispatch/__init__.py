"""One queue of batches over every endpoint of a run: the worker threads and one batch's request
(dispatcher.py), what a failed request or a crashed batch leads to (failure_handling.py), and the
work items, endpoint states and retry policy (state.py)."""
