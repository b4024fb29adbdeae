"""Learning from the analyst: reviewed chips as a training set, and as reference examples in the prompt."""
