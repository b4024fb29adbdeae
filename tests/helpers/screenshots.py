"""Where the GUI tests save their pictures.

A test run never writes into docs/: each picture goes to the test's own tmp_path. `make screenshots`
sets CHIPVLM_SCREENSHOTS=docs, and the same tests then refresh the pictures README shows.
"""
import os
from pathlib import Path

ENV = "CHIPVLM_SCREENSHOTS"


def screenshot_path(name: str, tmp_path) -> Path:
    folder = os.environ.get(ENV)
    target = (Path(folder) if folder else Path(tmp_path)) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
