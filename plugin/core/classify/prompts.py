"""The text sent with each batch, built from a template in resources/prompts/ and the class scheme.

Templates are plain text so a user can translate or tune them without touching code: sections start
with ``[name]`` on a line of their own, ``$name`` variables are filled in (string.Template, so JSON
braces need no escaping) and lines starting with ``#`` are comments. The template is chosen by the
scheme's language (``batch_<language>.txt``, English when there is none) unless the scheme names one
with ``prompt_template``.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from string import Template
from typing import Dict, Optional, Sequence

from ..errors import ChipVLMError
from ..resources import resource_path
from ..schemes import ERROR_CLASS, Scheme
from .schemas import SCHEMA_KINDS

SECTIONS = ("prompt", "image_line") + SCHEMA_KINDS
_SECTION = re.compile(r"^\[([a-z_]+)\]\s*$")


class PromptError(ChipVLMError, ValueError):
    """A prompt template that cannot be used; the message names the file."""


@dataclass(frozen=True)
class PromptTemplate:
    sections: Dict[str, str]
    source: str

    def render(self, fids: Sequence[int], scheme: Scheme, schema_kind: str) -> str:
        fids = [int(f) for f in fids]
        common = {
            "count": str(len(fids)),
            "fids": json.dumps(fids),
            "first_fid": str(fids[0]) if fids else "",
        }
        images = "\n".join(self.image_line(n, fid) for n, fid in enumerate(fids, start=1))
        output_format = Template(self.sections[schema_kind]).safe_substitute(common)
        return Template(self.sections["prompt"]).safe_substitute(
            common, images=images, classes=class_lines(scheme), output_format=output_format
        )

    def image_line(self, position: int, fid: int) -> str:
        return Template(self.sections["image_line"]).safe_substitute(n=str(position), fid=str(int(fid)))


def class_lines(scheme: Scheme) -> str:
    """One line per class the model may answer (never ERROR), with its boundary description."""
    lines = []
    for c in scheme.classes:
        if c.id == ERROR_CLASS:
            continue
        line = f"{c.id}: {c.name}"
        if c.description:
            line += f" —— {c.description}" if scheme.is_chinese else f" - {c.description}"
        lines.append(line)
    return "\n".join(lines)


def parse_template(text: str, source: str = "prompt template") -> PromptTemplate:
    sections: Dict[str, list] = {}
    current: Optional[str] = None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = _SECTION.match(line)
        if match:
            current = match.group(1)
            sections[current] = []
            continue
        if current is not None:
            sections[current].append(line)
    joined = {name: "\n".join(lines).strip() for name, lines in sections.items()}
    missing = [name for name in SECTIONS if not joined.get(name)]
    if missing:
        raise PromptError("{0}: the section(s) {1} are missing.", source, ", ".join("[" + m + "]" for m in missing))
    return PromptTemplate(sections=joined, source=source)


def template_path_for(scheme: Scheme) -> str:
    named = scheme.prompt_template
    if named:
        if os.path.isabs(named) and os.path.isfile(named):
            return named
        beside = os.path.join(os.path.dirname(scheme.source or ""), named)
        if scheme.source and os.path.isfile(beside):
            return beside
        shipped = resource_path("prompts", named)
        if os.path.isfile(shipped):
            return shipped
        raise PromptError("Scheme {0} names the prompt template {1}, which was not found.", repr(scheme.id), repr(named))
    language = scheme.language.lower().split("-")[0].split("_")[0]
    candidate = resource_path("prompts", f"batch_{language}.txt")
    if os.path.isfile(candidate):
        return candidate
    return resource_path("prompts", "batch_en.txt")


def load_template(scheme: Scheme) -> PromptTemplate:
    path = template_path_for(scheme)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        raise PromptError("Cannot read the prompt template {0}: {1}", path, str(exc)) from None
    return parse_template(text, source=path)
