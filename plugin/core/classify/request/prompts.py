"""The text sent with each batch, built from a template in resources/prompts/ and the class scheme.

Templates are plain text so a user can translate or tune them without touching code: sections start
with ``[name]`` on a line of their own, ``$name`` variables are filled in (string.Template, so JSON
braces need no escaping) and lines starting with ``#`` are comments. The template is chosen by the
scheme's language (``batch_<language>.txt``, English when there is none) unless the scheme names one
with ``prompt_template``.

A request is rendered as a BatchPrompt in two parts so that servers' prefix caches (Ollama, vLLM,
llama-server) reuse the first: ``constant`` ([prompt]: instructions, classes, rules, answer format)
is byte for byte the same in every request of a run, and ``batch`` ([batch]: $count, $fids) with the
image ``lines`` comes after it (and after the reference examples). A template of the older form (no
[batch] section, $count or $fids in [prompt]) still works: all of it then goes in the batch part and
nothing of it can be reused.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from string import Template
from typing import Dict, Optional, Sequence, Tuple

from ...errors import ChipVLMError
from ...resources import resource_path
from ...schemes import ERROR_CLASS, Scheme
from .schemas import SCHEMA_KINDS, WITH_REASON

SECTIONS = ("prompt", "image_line") + SCHEMA_KINDS
# Optional: the reference examples sent before the batch (REFERENCES); a template without them borrows
# them from the shipped template of its language.
REFERENCE_SECTIONS = ("references", "reference_line")
# Optional too: the class-only answer formats (schemas.CLASS_ONLY) and the note of a reasons pass that
# gave another class (REASONS=review), borrowed the same way
CLASS_ONLY_SECTIONS = ("strict_class", "simple_class", "second_class_note")
_SECTION = re.compile(r"^\[([a-z_]+)\]\s*$")
# what differs from batch to batch: a [prompt] that names one cannot be the constant part
_BATCH_VARIABLES = re.compile(r"\$\{?(count|fids|first_fid|images)\b")


class PromptError(ChipVLMError, ValueError):
    """A prompt template that cannot be used; the message names the file."""


@dataclass(frozen=True)
class BatchPrompt:
    """The text of one request: ``constant`` (the same in every request of the run, sent first),
    ``batch`` (this batch's count and fids) and one line per batch image, in image order; ``shape``
    is the answer asked for (schemas.WITH_REASON or CLASS_ONLY), which bounds its length."""

    constant: str
    batch: str
    lines: Tuple[str, ...]
    shape: str = WITH_REASON

    @property
    def text(self) -> str:
        """All of the text, as a server that merges the parts sees it (for token estimates)."""
        return "\n\n".join(p for p in (self.constant, self.batch, "\n".join(self.lines)) if p)


@dataclass(frozen=True)
class PromptTemplate:
    sections: Dict[str, str]
    source: str

    @property
    def cacheable(self) -> bool:
        """Whether [prompt] is the same for every batch (the template has a [batch] section)."""
        return bool(self.sections.get("batch")) and not _BATCH_VARIABLES.search(self.sections["prompt"])

    def output_format(self, schema_kind: str, shape: str = WITH_REASON) -> str:
        """The answer format's section: [strict]/[simple], or [strict_class]/[simple_class] for a
        class-only answer (a template without them gets the shipped one's, see load_template)."""
        name = schema_kind if shape == WITH_REASON else f"{schema_kind}_class"
        if name not in self.sections:
            raise PromptError("{0}: the section(s) {1} are missing.", self.source, f"[{name}]")
        return self.sections[name]

    def render(self, fids: Sequence[int], scheme: Scheme, schema_kind: str, shape: str = WITH_REASON) -> BatchPrompt:
        fids = [int(f) for f in fids]
        common = {
            "count": str(len(fids)),
            "fids": json.dumps(fids),
            "first_fid": str(fids[0]) if fids else "",
        }
        lines = tuple(self.image_line(n, fid) for n, fid in enumerate(fids, start=1))
        output_format = Template(self.output_format(schema_kind, shape)).safe_substitute(common)
        if not self.cacheable:
            # the older form: one text naming the batch (its $images table too), nothing constant
            text = Template(self.sections["prompt"]).safe_substitute(
                common, images="\n".join(lines), classes=class_lines(scheme), output_format=output_format)
            return BatchPrompt(constant="", batch=text, lines=lines, shape=shape)
        constant = Template(self.sections["prompt"]).safe_substitute(
            classes=class_lines(scheme), output_format=output_format)
        batch = Template(self.sections["batch"]).safe_substitute(common)
        return BatchPrompt(constant=constant, batch=batch, lines=lines, shape=shape)

    def second_class_note(self, class_id: int, class_name: str, reason: str) -> str:
        """The reason kept when the reasons pass gave another class than the first pass: says which."""
        return Template(self.sections["second_class_note"]).safe_substitute(
            class_id=str(int(class_id)), class_name=class_name, reason=reason)

    def image_line(self, position: int, fid: int) -> str:
        return Template(self.sections["image_line"]).safe_substitute(n=str(position), fid=str(int(fid)))

    def reference_line(self, position: int, class_id: int, class_name: str) -> str:
        """One reference image's line: its number and class, never a fid."""
        return Template(self.sections["reference_line"]).safe_substitute(
            n=str(position), class_id=str(int(class_id)), class_name=class_name)

    def render_references(self, classes: Sequence[Tuple[int, str]], with_lines: bool = True) -> str:
        """The text sent with the reference images, before the batch; ``classes`` in image order.

        Without ``with_lines`` the list of their classes is left out (each line then goes right
        before its image, as the OpenAI shape does with the batch's fid lines).
        """
        lines = "\n".join(self.reference_line(n, cid, name) for n, (cid, name) in enumerate(classes, start=1))
        text = Template(self.sections["references"]).safe_substitute(
            ref_count=str(len(classes)), reference_lines=lines if with_lines else "")
        return text.strip()


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
    template = parse_template(text, source=path)
    missing = [name for name in REFERENCE_SECTIONS + CLASS_ONLY_SECTIONS if not template.sections.get(name)]
    if missing:
        template = _with_shipped_sections(template, scheme, missing)
    return template


def _with_shipped_sections(template: PromptTemplate, scheme: Scheme, missing) -> PromptTemplate:
    """A user's template without the optional sections gets those of the shipped one of its language."""
    language = scheme.language.lower().split("-")[0].split("_")[0]
    for name in (f"batch_{language}.txt", "batch_en.txt"):
        shipped = resource_path("prompts", name)
        if not os.path.isfile(shipped) or os.path.abspath(shipped) == os.path.abspath(template.source):
            continue
        with open(shipped, encoding="utf-8-sig") as handle:
            sections = parse_template(handle.read(), source=shipped).sections
        if all(sections.get(n) for n in missing):
            merged = dict(template.sections)
            merged.update({n: sections[n] for n in missing})
            return PromptTemplate(sections=merged, source=template.source)
    return template
