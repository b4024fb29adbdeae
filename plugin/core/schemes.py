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

from .fids import fits_int64
from .resources import resource_path

# A class's reference examples (shown to the model before each batch, see core/training/references.py):
# an int is a fid of a run (its chip), a text the path of an image file (relative to the scheme's file).
Reference = Union[int, str]

ERROR_CLASS = -1
UNKNOWN_CLASS = 0
DEFAULT_REVIEW_REASON = {"zh": "待复核", "en": "to review"}


class SchemeError(ValueError):
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
            raise SchemeError(f"{where}: the top level must be a JSON object with 'id' and 'classes'.")
        scheme_id = data.get("id")
        if not isinstance(scheme_id, str) or not scheme_id.strip():
            raise SchemeError(f"{where}: 'id' must be a non-empty text, e.g. \"yili8\".")
        language = data.get("language", "en")
        if not isinstance(language, str) or not language.strip():
            raise SchemeError(f"{where}: 'language' must be a language code such as \"zh\" or \"en\".")
        raw_classes = data.get("classes")
        if not isinstance(raw_classes, list) or not raw_classes:
            raise SchemeError(f"{where}: 'classes' must be a non-empty list of {{id, name, description}}.")
        classes: List[SchemeClass] = []
        seen: Dict[int, str] = {}
        for position, item in enumerate(raw_classes, start=1):
            if not isinstance(item, dict):
                raise SchemeError(f"{where}: class #{position} must be an object with 'id' and 'name'.")
            class_id = item.get("id")
            # bool is an int in Python; a class id of `true` is a typo, not class 1
            if isinstance(class_id, bool) or not isinstance(class_id, int):
                raise SchemeError(f"{where}: class #{position} has id {class_id!r}; ids must be integers.")
            if class_id < ERROR_CLASS:
                raise SchemeError(f"{where}: class id {class_id} is not allowed; ids start at -1.")
            if not fits_int64(class_id):
                shown = str(class_id) if len(str(class_id)) <= 30 else str(class_id)[:30] + "..."
                raise SchemeError(f"{where}: class #{position} has id {shown}, beyond a 64-bit integer; "
                                  f"class ids are small whole numbers.")
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                raise SchemeError(f"{where}: class {class_id} needs a non-empty 'name'.")
            if class_id in seen:
                raise SchemeError(
                    f"{where}: class id {class_id} appears twice ({seen[class_id]!r} and {name!r})."
                )
            description = item.get("description", "")
            if not isinstance(description, str):
                raise SchemeError(f"{where}: the description of class {class_id} must be a text.")
            seen[class_id] = name
            references = _references(item.get("references", []), where, class_id)
            classes.append(SchemeClass(class_id, name.strip(), description.strip(), references))
        for required, what in ((ERROR_CLASS, "ERROR"), (UNKNOWN_CLASS, "cannot tell")):
            if required not in seen:
                raise SchemeError(
                    f"{where}: class {required} ({what}) is missing; every scheme has -1 (ERROR) and "
                    f"0 (cannot tell)."
                )
        if len(classes) < 3:
            raise SchemeError(f"{where}: a scheme needs at least one real class besides -1 and 0.")
        review_reason = data.get("review_reason")
        if review_reason is None:
            review_reason = DEFAULT_REVIEW_REASON.get(language.lower()[:2], DEFAULT_REVIEW_REASON["en"])
        if not isinstance(review_reason, str) or not review_reason.strip():
            raise SchemeError(f"{where}: 'review_reason' must be a non-empty text such as \"待复核\".")
        name = data.get("name", scheme_id)
        if not isinstance(name, str):
            raise SchemeError(f"{where}: 'name' must be a text.")
        prompt_template = data.get("prompt_template", "")
        if not isinstance(prompt_template, str):
            raise SchemeError(f"{where}: 'prompt_template' must be a file name.")
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
            raise SchemeError(
                f"{source or 'class scheme'} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
                f"{exc.msg}."
            ) from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting 100,000 deep
            raise SchemeError(f"{source or 'class scheme'} is not usable JSON: {str(exc)[:200]}.") from None
        return cls.from_dict(data, source)


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
        raise SchemeError(f"{where}: 'references' of class {class_id} must be a list of fids or image files.")
    out: List[Reference] = []
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, str) and not value.strip()):
            raise SchemeError(
                f"{where}: reference {value!r} of class {class_id} is neither a fid (a whole number) nor an "
                f"image file name.")
        out.append(value.strip() if isinstance(value, str) else value)
    if out and class_id in (ERROR_CLASS, UNKNOWN_CLASS):
        raise SchemeError(f"{where}: class {class_id} cannot have reference examples; give them to real classes.")
    return tuple(out)


def schemes_folder() -> str:
    return resource_path("class_schemes")


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
            raise SchemeError(
                f"Class scheme {text!r} not found: it is neither a shipped scheme ({choices}) "
                f"nor an existing .json file."
            )
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(f"Cannot read class scheme {path}: {exc}") from None
    return Scheme.from_json(content, source=str(path))
