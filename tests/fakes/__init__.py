"""Fake model servers and run folders for tests (real HTTP on 127.0.0.1, no model needed)."""
