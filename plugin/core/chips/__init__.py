"""Cutting one image chip per feature: window math, rendering, the parallel engine, the index."""
