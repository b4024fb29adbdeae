"""Batch classification of chips with vision-language models on one or many endpoints (no QGIS here)."""
