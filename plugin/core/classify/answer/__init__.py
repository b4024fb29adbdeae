"""What comes back from a batch request: the answer checked fid by fid (parse.py: parse_answer,
InvalidAnswerError, clean_reason) and the model's confidence from its log-probabilities
(confidence.py)."""
