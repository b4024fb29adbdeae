"""Pure-Python core of ChipVLM: no qgis or Qt import is allowed below this package (a test enforces it)."""
