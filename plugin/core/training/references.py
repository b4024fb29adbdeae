"""Reference examples in the prompt: a few chips per class whose class an analyst confirmed, sent once
per request before the batch, so the model sees the local look of each class without any training.

Where they come from, per class: the chips the class scheme names (``references``: fids of a run or
image files), then chips of a run's reviewed decisions (REFERENCES per class, spread over the run's
fids), from REFERENCE_RESULTS or the run's own results. A reference is never given a fid: its image
line names only its class, and the fid drawn on a run's chip is blanked out before it is sent, so a
model cannot answer for it as if it were in the batch. The answer is checked against the batch's fids
only (classify/answer/parse.py): a reference never becomes a result.

Cost: each image is about IMAGE_TOKENS tokens of context in every request (Gemma 3: ~260 per image),
so references_context() says what num_ctx a batch with its references needs and check_context()
refuses endpoints whose num_ctx is smaller (Ollama would silently cut the prompt).
"""
from __future__ import annotations

import base64
import io
import math
import os
import sqlite3
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..chips.index import read_index, resolve_chip_path
from ..classify.request.chip_payload import ChipImage, PromptReferences, encode_chip
from ..classify.request.prompts import PromptTemplate
from ..classify.request.schemas import SIMPLE, STRICT, answer_token_limit
from ..errors import ChipVLMError
from ..schemes import Scheme

IMAGE_TOKENS = 260  # Gemma 3 in Ollama: 256 image tokens plus markers (DESIGN.md)
MAX_REFERENCES_PER_CLASS = 10


class ReferenceExamplesError(ChipVLMError):
    pass


@dataclass(frozen=True)
class Reference:
    class_id: int
    class_name: str
    path: str  # the image file
    fid: Optional[int] = None  # the run's fid whose chip this is (drawn on it, blanked before sending)
    origin: str = ""  # where it was taken from, for the log and results meta (never sent)


def _index_of(results_path: str, con: sqlite3.Connection) -> Optional[str]:
    row = con.execute("SELECT value FROM meta WHERE key = 'index_path'").fetchone()
    beside = os.path.join(os.path.dirname(os.path.abspath(results_path)), "chips_index.csv")
    for candidate in ((row[0] if row else None), beside):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def _chip_paths(results_path: str) -> Tuple[Dict[int, str], Dict[int, int]]:
    """fid -> chip file of the reviewed fids, and fid -> reviewed class, of a results file (read only).

    Only the reviewed fids are looked up (a county's index has 200,000 rows), and only where the
    run's index puts them inside its own folder: nothing else is sent to a model server.
    """
    try:
        con = sqlite3.connect(f"file:{os.path.abspath(results_path)}?mode=ro", uri=True, timeout=30)
        reviewed = {int(fid): int(cls) for fid, cls in con.execute(
            "SELECT fid, reviewed_class_id FROM results WHERE reviewed_class_id IS NOT NULL")}
        index = _index_of(results_path, con)
        con.close()
    except sqlite3.Error as exc:
        raise ReferenceExamplesError("The references cannot be read from {0}: {1}.", results_path, exc) from None
    found: Dict[int, str] = {}
    if index and reviewed:
        folder = os.path.dirname(os.path.abspath(index))
        inside = os.path.realpath(folder) + os.sep
        rows = read_index(index)
        for fid in reviewed:
            row = rows.get(fid)
            if row is None or row.get("status") != "ok":
                continue
            path, _tried = resolve_chip_path(row.get("chip_path", ""), folder)
            if path and os.path.realpath(path).startswith(inside):
                found[fid] = path
    return found, reviewed


def _same_scheme_or_refuse(scheme: Scheme, results_path: str) -> None:
    try:
        con = sqlite3.connect(f"file:{os.path.abspath(results_path)}?mode=ro", uri=True, timeout=30)
        row = con.execute("SELECT value FROM meta WHERE key = 'scheme'").fetchone()
        con.close()
    except sqlite3.Error:
        row = None
    if not row or not row[0]:
        return
    theirs = Scheme.from_json(row[0], source=results_path)
    difference = theirs.differs_from(scheme)
    if difference:
        raise ReferenceExamplesError("The references would come from {0}, classified with the class scheme {1}, not {2}: "
                                     "its class ids mean other classes ({3}).", results_path, theirs.id, scheme.id,
                                     difference)


def spread(items: Sequence[int], count: int) -> List[int]:
    """``count`` items evenly spaced over the sorted list (the middle of each of ``count`` stretches)."""
    ordered = sorted(items)
    if count >= len(ordered):
        return ordered
    return [ordered[int((i + 0.5) * len(ordered) / count)] for i in range(count)]


def _named_reference(c, named, paths: Dict[int, str], folder: str, results_path: Optional[str]) -> Reference:
    """A reference the scheme names for class ``c``: a fid of the run, or an image file beside the scheme."""
    if isinstance(named, int):
        path = paths.get(named)
        if path is None:
            raise ReferenceExamplesError("The scheme names fid {0} as a reference for class {1}, but {2} has no "
                                         "chip for it.", named, c.name, results_path or "no results file")
        return Reference(c.id, c.name, path, named, f"fid {named} (scheme)")
    path = named if os.path.isabs(named) else os.path.join(folder, named)
    if not os.path.isfile(path):
        raise ReferenceExamplesError("The reference image {0} of class {1} does not exist.", path, c.name)
    return Reference(c.id, c.name, path, None, path)


def _class_references(c, per_class: int, paths, reviewed, folder: str, results_path) -> List[Reference]:
    """One class's references: those its scheme names first, then reviewed chips spread over the run."""
    mine = [_named_reference(c, named, paths, folder, results_path) for named in c.references[:per_class]]
    taken = {r.fid for r in mine}
    candidates = [fid for fid, cid in reviewed.items() if cid == c.id and fid in paths and fid not in taken]
    for fid in spread(candidates, per_class - len(mine)):
        mine.append(Reference(c.id, c.name, paths[fid], fid, f"fid {fid} (reviewed)"))
    return mine


def pick_references(scheme: Scheme, per_class: int, results_path: Optional[str],
                    log: Optional[Callable[[str], None]] = None) -> List[Reference]:
    """Up to ``per_class`` references for every real class: the scheme's own first, then reviewed chips."""
    log = log or (lambda text: None)
    per_class = int(per_class)
    if per_class <= 0:
        return []
    if per_class > MAX_REFERENCES_PER_CLASS:
        raise ReferenceExamplesError("At most {0} reference examples per class, not {1}.",
                                     MAX_REFERENCES_PER_CLASS, per_class)
    have_results = bool(results_path) and os.path.isfile(results_path)
    if have_results:
        _same_scheme_or_refuse(scheme, results_path)
    paths, reviewed = _chip_paths(results_path) if have_results else ({}, {})
    if not have_results:
        log(f"No reviewed chips to take references from ({results_path or 'no results file'} does not exist yet): "
            "only the references named by the scheme are sent.")
    folder = os.path.dirname(scheme.source) if scheme.source else ""
    chosen: List[Reference] = []
    short = []
    for c in scheme.classes:
        if c.id <= 0:
            continue
        mine = _class_references(c, per_class, paths, reviewed, folder, results_path)
        if len(mine) < per_class:
            short.append(f"{c.id} {c.name}: {len(mine)}")
        chosen.extend(mine)
    if short:
        log(f"Fewer than {per_class} reviewed chips to show for some classes (" + "; ".join(short) + "); "
            "review more chips of them to send more references.")
    return chosen


def blank_fid_label(path: str, fid: int) -> ChipImage:
    """The chip with its fid label painted over (the label's own black box), as a PNG."""
    from PIL import Image

    from ..chips.render import LABEL_BOX, ChipPainter

    with Image.open(path) as opened:
        image = opened.convert("RGB")
    probe = Image.new("RGB", image.size, (1, 2, 3))
    ChipPainter(image.width).label(probe, str(int(fid)))
    changed = Image.eval(probe, lambda v: 255 if v not in (1, 2, 3) else 0).convert("L").getbbox()
    if changed is not None:
        left, top, right, bottom = changed
        image.paste(LABEL_BOX, (0, 0, right, bottom))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ChipImage(fid=-1, encoded=base64.b64encode(buffer.getvalue()), mime="image/png")


def prompt_references(references: Sequence[Reference], template: PromptTemplate) -> Optional[PromptReferences]:
    """What the clients send: the text, one line per image, the images (fid labels blanked)."""
    if not references:
        return None
    images = []
    for ref in references:
        try:
            if ref.fid is not None:
                images.append(blank_fid_label(ref.path, ref.fid))
            else:
                images.append(encode_chip(ref.path, -1))
        except (OSError, ValueError) as exc:
            raise ReferenceExamplesError("The reference image {0} cannot be read: {1}.", ref.path, exc) from None
    lines = [template.reference_line(n, r.class_id, r.class_name) for n, r in enumerate(references, start=1)]
    classes = [(r.class_id, r.class_name) for r in references]
    return PromptReferences(text=template.render_references(classes), lines=lines, images=images,
                            intro=template.render_references(classes, with_lines=False))


def text_tokens(text: str) -> int:
    """A generous count of a text's tokens: one per CJK character, one per 3 other characters."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return wide + math.ceil((len(text) - wide) / 3)


def request_context(template: PromptTemplate, scheme: Scheme, batch_size: int,
                    references: Optional[PromptReferences] = None, reference_count: int = 0) -> int:
    """The context a request of ``batch_size`` chips needs: text, images (batch and references) and answer."""
    fids = [999_999 - n for n in range(int(batch_size))]  # six-digit fids: the longest text
    prompt = max((template.render(fids, scheme, kind).text for kind in (STRICT, SIMPLE)), key=len)
    count = len(references.images) if references is not None else int(reference_count)
    if references is not None:
        ref_text = references.text + "\n".join(references.lines)
    elif count:
        longest = max((c for c in scheme.classes if c.id > 0), key=lambda c: len(c.name))
        ref_text = template.render_references([(longest.id, longest.name)] * count)
        ref_text += "\n".join(template.reference_line(n, longest.id, longest.name) for n in range(1, count + 1))
    else:
        ref_text = ""
    images = int(batch_size) + count
    return text_tokens(prompt + ref_text) + images * IMAGE_TOKENS + answer_token_limit(batch_size)


def check_context(endpoints, needed: int, reference_count: int, batch_size: int) -> None:
    """Refuse endpoints whose num_ctx cannot hold a request with its references."""
    small = [e for e in endpoints if int(e.num_ctx) < needed]
    if small:
        names = ", ".join(f"{e.name} ({e.num_ctx})" for e in small)
        raise ReferenceExamplesError(
            "{0} reference images and {1} chips per request need a context (num_ctx) of at least {2} tokens; "
            "{3} is smaller. Send fewer references or chips per request, or raise the endpoint's num_ctx.",
            reference_count, batch_size, needed, names)
