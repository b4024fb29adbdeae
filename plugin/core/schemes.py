"""Class schemes: the classes a model may answer, with the boundary of each, loaded from JSON.

A scheme is a JSON file (see docs/internals.md). The shipped ones live in resources/class_schemes/;
a user adds their own (another language, other classes) by pointing at a .json file, no code change.
Classes -1 (ERROR, "not done") and 0 ("cannot tell") are always present; the model may answer 0 but
never -1, which only our code writes.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from .errors import ChipVLMError, Message
from .fids import fits_int64
from .resources import resource_path

# A class's reference examples (shown to the model before each batch, see core/training/references.py):
# an int is a fid of a run (its chip), a text the path of an image file (relative to the scheme's file).
Reference = Union[int, str]

ERROR_CLASS = -1
UNKNOWN_CLASS = 0
DEFAULT_REVIEW_REASON = {"zh": "待复核", "en": "to review"}
# the reason of an error row (class -1), in the scheme's language; the technical detail goes to the
# results' `error` column, so results.csv reads in one language
ERROR_REASON = {"zh": "识别失败(原因见 error 列)", "en": "not classified (the error column says why)"}


class SchemeError(ChipVLMError, ValueError):
    """A class scheme that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class SchemeClass:
    id: int
    name: str
    description: str = ""
    references: Tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    language: str
    review_reason: str
    classes: Tuple[SchemeClass, ...]
    source: str = ""
    # optional: a prompt template file (name in resources/prompts/, or a path beside the scheme)
    prompt_template: str = ""

    @property
    def class_ids(self) -> List[int]:
        return [c.id for c in self.classes]

    @property
    def answerable_ids(self) -> List[int]:
        """Ids the model may answer: every class but ERROR."""
        return [c.id for c in self.classes if c.id != ERROR_CLASS]

    @property
    def is_chinese(self) -> bool:
        return self.language.lower().startswith("zh")

    @property
    def error_reason(self) -> str:
        return ERROR_REASON.get(self.language.lower()[:2], ERROR_REASON["en"])

    def differs_from(self, other: "Scheme") -> Optional[Message]:
        """None when both schemes mean the same by every class id; else the first class that differs.

        Results made with one may be resumed, merged or used as references with the other. Class -1
        is the plugin's own marker, not a land-cover class: its name changed between plugin versions
        (ERROR, then 识别失败), and results files made before keep their old one.
        """
        mine = {c.id: c.name for c in self.classes if c.id != ERROR_CLASS}
        theirs = {c.id: c.name for c in other.classes if c.id != ERROR_CLASS}
        for class_id in sorted(set(mine) | set(theirs)):
            if class_id not in mine or class_id not in theirs:
                return Message("class {0} is only in one", class_id)
            if mine[class_id] != theirs[class_id]:
                return Message("class {0} is '{1}' in one and '{2}' in the other", class_id, theirs[class_id],
                               mine[class_id])
        return None

    def name_of(self, class_id: int) -> str:
        for c in self.classes:
            if c.id == class_id:
                return c.name
        raise KeyError(f"class {class_id} is not in scheme {self.id!r}")

    def get(self, class_id: int) -> Optional[SchemeClass]:
        for c in self.classes:
            if c.id == class_id:
                return c
        return None

    def to_dict(self) -> dict:
        data = {
            "id": self.id,
            "name": self.name,
            "language": self.language,
            "review_reason": self.review_reason,
            "classes": [_class_dict(c) for c in self.classes],
        }
        if self.prompt_template:
            data["prompt_template"] = self.prompt_template
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: object, source: str = "") -> Scheme:
        where = source or "class scheme"
        if not isinstance(data, dict):
            raise SchemeError("{0}: the top level must be a JSON object with 'id' and 'classes'.", where)
        scheme_id = data.get("id")
        if not isinstance(scheme_id, str) or not scheme_id.strip():
            raise SchemeError("{0}: 'id' must be a non-empty text, e.g. \"yili8\".", where)
        language = data.get("language", "en")
        if not isinstance(language, str) or not language.strip():
            raise SchemeError("{0}: 'language' must be a language code such as \"zh\" or \"en\".", where)
        raw_classes = data.get("classes")
        if not isinstance(raw_classes, list) or not raw_classes:
            raise SchemeError("{0}: 'classes' must be a non-empty list of {{id, name, description}}.", where)
        classes = _read_classes(raw_classes, where)
        seen = {c.id for c in classes}
        for required, what in ((ERROR_CLASS, "ERROR"), (UNKNOWN_CLASS, "cannot tell")):
            if required not in seen:
                raise SchemeError("{0}: class {1} ({2}) is missing; every scheme has -1 (ERROR) and 0 (cannot tell).",
                                  where, required, what)
        if len(classes) < 3:
            raise SchemeError("{0}: a scheme needs at least one real class besides -1 and 0.", where)
        review_reason = data.get("review_reason")
        if review_reason is None:
            review_reason = DEFAULT_REVIEW_REASON.get(language.lower()[:2], DEFAULT_REVIEW_REASON["en"])
        if not isinstance(review_reason, str) or not review_reason.strip():
            raise SchemeError("{0}: 'review_reason' must be a non-empty text such as \"待复核\".", where)
        name = data.get("name", scheme_id)
        if not isinstance(name, str):
            raise SchemeError("{0}: 'name' must be a text.", where)
        prompt_template = data.get("prompt_template", "")
        if not isinstance(prompt_template, str):
            raise SchemeError("{0}: 'prompt_template' must be a file name.", where)
        classes.sort(key=lambda c: c.id)
        return cls(
            id=scheme_id.strip(),
            name=name.strip() or scheme_id.strip(),
            language=language.strip(),
            review_reason=review_reason.strip(),
            classes=tuple(classes),
            source=source,
            prompt_template=prompt_template.strip(),
        )

    @classmethod
    def from_json(cls, text: str, source: str = "") -> Scheme:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemeError("{0} is not valid JSON (line {1}, column {2}): {3}.",
                              source or "class scheme", exc.lineno, exc.colno, exc.msg) from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting 100,000 deep
            raise SchemeError("{0} is not usable JSON: {1}.", source or "class scheme", str(exc)[:200]) from None
        return cls.from_dict(data, source)


def _read_classes(raw_classes: list, where: str) -> List[SchemeClass]:
    classes: List[SchemeClass] = []
    seen: Dict[int, str] = {}
    for position, item in enumerate(raw_classes, start=1):
        scheme_class = _read_class(item, position, where)
        if scheme_class.id in seen:
            raise SchemeError("{0}: class id {1} appears twice ({2} and {3}).",
                              where, scheme_class.id, repr(seen[scheme_class.id]), repr(item["name"]))
        seen[scheme_class.id] = item["name"]
        classes.append(scheme_class)
    return classes


def _read_class(item: object, position: int, where: str) -> SchemeClass:
    if not isinstance(item, dict):
        raise SchemeError("{0}: class #{1} must be an object with 'id' and 'name'.", where, position)
    class_id = item.get("id")
    # bool is an int in Python; a class id of `true` is a typo, not class 1
    if isinstance(class_id, bool) or not isinstance(class_id, int):
        raise SchemeError("{0}: class #{1} has id {2}; ids must be integers.", where, position, repr(class_id))
    if class_id < ERROR_CLASS:
        raise SchemeError("{0}: class id {1} is not allowed; ids start at -1.", where, class_id)
    if not fits_int64(class_id):
        shown = str(class_id) if len(str(class_id)) <= 30 else str(class_id)[:30] + "..."
        raise SchemeError("{0}: class #{1} has id {2}, beyond a 64-bit integer; class ids are small whole numbers.",
                          where, position, shown)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemeError("{0}: class {1} needs a non-empty 'name'.", where, class_id)
    description = item.get("description", "")
    if not isinstance(description, str):
        raise SchemeError("{0}: the description of class {1} must be a text.", where, class_id)
    references = _references(item.get("references", []), where, class_id)
    return SchemeClass(class_id, name.strip(), description.strip(), references)


def _class_dict(c: SchemeClass) -> dict:
    data = {"id": c.id, "name": c.name, "description": c.description}
    if c.references:
        data["references"] = list(c.references)
    return data


def _references(raw: object, where: str, class_id: int) -> Tuple[Reference, ...]:
    """A class's 'references': fids of a run (integers) or image files (texts)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SchemeError("{0}: 'references' of class {1} must be a list of fids or image files.", where, class_id)
    out: List[Reference] = []
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, str) and not value.strip()):
            raise SchemeError("{0}: reference {1} of class {2} is neither a fid (a whole number) nor an image "
                              "file name.", where, repr(value), class_id)
        out.append(value.strip() if isinstance(value, str) else value)
    if out and class_id in (ERROR_CLASS, UNKNOWN_CLASS):
        raise SchemeError("{0}: class {1} cannot have reference examples; give them to real classes.", where, class_id)
    return tuple(out)


def schemes_folder() -> str:
    return resource_path("class_schemes")


def scheme_for_language(locale: str) -> str:
    """The shipped scheme in the interface's language: yili8 (Chinese) for zh*, landcover_en otherwise."""
    return "yili8" if str(locale or "").lower().startswith("zh") else "landcover_en"


def available_schemes() -> Dict[str, str]:
    """Scheme id -> file path of every scheme shipped in resources/class_schemes/."""
    found = {}
    folder = Path(schemes_folder())
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            found[path.stem] = str(path)
    return found


def load_scheme(id_or_path: Union[str, os.PathLike, Scheme]) -> Scheme:
    """A scheme by shipped id ("yili8") or by the path of a .json file."""
    if isinstance(id_or_path, Scheme):
        return id_or_path
    text = str(id_or_path).strip()
    if not text:
        raise SchemeError("No class scheme given: name a shipped scheme id or a .json file.")
    shipped = available_schemes()
    if text in shipped:
        path = Path(shipped[text])
    else:
        path = Path(text).expanduser()
        if not path.is_file():
            choices = ", ".join(sorted(shipped)) or "none"
            raise SchemeError("Class scheme {0} not found: it is neither a shipped scheme ({1}) nor an existing .json file.",
                              repr(text), choices)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError("Cannot read class scheme {0}: {1}", str(path), str(exc)) from None
    return Scheme.from_json(content, source=str(path))
