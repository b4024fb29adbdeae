"""How fast the servers classify: the speed probe of the endpoint Test (probe.py), what it advises
(advice.py), and how long a run should take at the measured speed (estimate.py)."""
