"""Files written whole then renamed, so a reader (Excel, QGIS, a merge) never sees half of one."""
from __future__ import annotations

import csv
import os
from typing import Iterable, Sequence, Union

PathLike = Union[str, "os.PathLike[str]"]


def _replace_from_tmp(path: PathLike, write) -> str:
    path = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def write_csv(path: PathLike, header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A CSV in UTF-8 with BOM (Excel on a Chinese Windows), None written as an empty cell."""

    def write(tmp):
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if value is None else value for value in row])

    return _replace_from_tmp(path, write)


def write_text(path: PathLike, text: str) -> str:
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)

    return _replace_from_tmp(path, write)
