"""One queue of batches over every endpoint of a run: the worker threads and one batch's request
(dispatcher.py), where a refused answer, a failed request or a crashed batch leads (retry.py), what
workers hand to the main thread (events.py), and the work items, endpoint states and retry policy
(state.py)."""
