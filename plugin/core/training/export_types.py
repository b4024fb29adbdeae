"""What a training-set export is asked (ExportOptions), what it places (ExportItem) and what it did
(ExportSummary), shared by the export (export.py), the chips it places (placing.py) and what it lists
(listing.py)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Tuple

from ..errors import ChipVLMError, Message
from .labels import INCLUDE_REVIEWED, Label


class ExportError(ChipVLMError):
    pass


@dataclass
class ExportOptions:
    include: str = INCLUDE_REVIEWED
    min_confidence: float = 0.9
    val_share: float = 0.2
    seed: int = 1  # README.md's
    fmt: str = "folders"
    clean: bool = False
    raster: str = ""  # for clean: the raster when run.json does not name one (or names a missing file)
    include_audit: bool = False  # the audit sample is for assessment: in the training set only when asked


@dataclass
class ExportItem:
    label: Label
    split: str
    window: Dict[str, str]
    source: str  # the chip file to link or copy (empty with clean)
    file: str = ""  # relative to the output folder


@dataclass
class ExportSummary:
    output_folder: str
    items: List[ExportItem] = field(default_factory=list)
    written: int = 0  # files linked, copied or cut in this run
    linked: int = 0
    copied: int = 0
    cut: int = 0
    moved: int = 0  # exported files moved to a new class or split folder
    removed: int = 0
    kept: int = 0  # already there and up to date
    left_out: Dict[str, int] = field(default_factory=dict)
    warnings: List[str] = field(default_factory=list)
    canceled: bool = False
    reviewed_in_audit: int = 0  # reviewed chips of the audit sample (left out, or labelled by the audit)

    def counts(self) -> Dict[Tuple[int, str], int]:
        return dict(Counter((i.label.class_id, i.split) for i in self.items))

    def left_out_text(self, translate: Callable[[str], str] = str) -> str:
        """"3 not reviewed, 9 in the audit sample (...)", in the caller's language."""
        return ", ".join(translate(Message("{0} {1}", n, why)) for why, n in sorted(self.left_out.items()))

    def text(self, translate: Callable[[str], str] = str) -> str:
        """The log's summary; ``translate`` (i18n.tr_error) gives it in the interface's language."""
        train = sum(1 for i in self.items if i.split == "train")
        line = translate(Message(
            "{0} chips exported ({1} train, {2} val): {3} written ({4} linked, {5} copied, {6} cut clean), {7} "
            "already up to date, {8} moved, {9} removed.", len(self.items), train, len(self.items) - train,
            self.written, self.linked, self.copied, self.cut, self.kept, self.moved, self.removed))
        if self.left_out:
            line += " " + translate(Message("Left out: {0}.", self.left_out_text(translate)))
        return line
