"""The review dock's decisions: set a class, confirm the model's class, forget a decision, undo, on
the chips the analyst selected (the review's results, or in the Audit scope the blind sample's
reference classes).

Every decision is stored at once by plugin/core/review (or core/assess/audit.py). These functions
store it and say what came of it (`Outcome`); the dock refreshes the tiles, moves on and shows the
message. `audit` is the dock's AuditMode while the Audit scope is on, else None.
"""
from dataclasses import dataclass, field
from typing import List

from ...i18n import tr


@dataclass
class Outcome:
    stored: bool  # something was stored: the dock moves on (a decision) or shows it (undo)
    message: str
    error: bool = False
    fids: List[int] = field(default_factory=list)  # the chips to read again (undo)


def set_class(session, audit, fids: List[int], class_id: int) -> Outcome:
    """The analyst's class for the selected chips (number keys, class buttons)."""
    name = session.class_name(class_id)
    if audit is not None:  # the reference class: apart from the review, with who and when
        stored = audit.set_reference(fids, class_id) is not None
        return Outcome(stored, tr("Reference class {0} {1}.").format(class_id, name))
    stored = session.set_review(fids, class_id) is not None
    return Outcome(stored, tr("Set to {0} {1}.").format(class_id, name))


def confirm(session, audit, fids: List[int]) -> Outcome:
    """Accept the model's class of the selected chips (Space, Enter)."""
    if audit is not None:
        return Outcome(False, tr("The audit is blind: there is no model class to accept. Choose the class you "
                                 "see (0–9)."), error=True)
    action, skipped = session.confirm(fids)  # action None: every chip was an error, stay on it
    if skipped:
        return Outcome(action is not None, tr("The model gave no class for {0} (error): press a number key to "
                                              "choose one.").format(", ".join(str(f) for f in skipped)), error=True)
    return Outcome(action is not None, tr("Confirmed the model's class."))


def forget(session, audit, fids: List[int]) -> Outcome:
    """Forget the decision of the selected chips (Delete)."""
    if audit is not None:
        audit.clear_reference(fids)
        return Outcome(False, tr("Reference class forgotten."))
    session.clear_review(fids)
    return Outcome(False, tr("Decision forgotten: back to the model's class."))


def undo(session, audit) -> Outcome:
    """Undo the last decision of mine (the audit's own in the Audit scope)."""
    if audit is not None:
        fids, skipped = audit.undo()
    else:
        fids = session.undo()
        skipped = session.last_undo_skipped
    if not fids and not skipped:
        return Outcome(False, tr("Nothing to undo."))
    text = tr("Undone: {0} chip(s).").format(len(fids))
    if skipped:
        text += " " + tr("Left as decided since by someone else: {0}.").format(
            ", ".join(tr("fid {0} ({1})").format(fid, who) for fid, who in skipped))
    return Outcome(True, text, error=bool(skipped), fids=list(fids) + [fid for fid, _ in skipped])
