"""The review dock's decisions: set a class, confirm the model's class, forget a decision, undo, on
the chips the analyst selected (the review's results, or in the Audit scope the blind sample's
reference classes).

Every decision is stored at once by plugin/core/review (or core/assess/audit.py). These functions
store it and say what came of it (`Outcome`); the dock refreshes the tiles, moves on and shows the
message. `audit` is the dock's AuditMode while the Audit scope is on, else None.
"""
from dataclasses import dataclass, field
from typing import Callable, List

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.review import ReviewError
from ...i18n import tr, tr_error


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


class Reviewer(QObject):
    """What a key or a click decides, on the grid's selected chips: stores it (the functions above),
    reads the tiles again and moves on. The dock sets `session` when a run opens; `audit_mode` is the
    dock's AuditMode (active in the Audit scope)."""

    message = pyqtSignal(str, bool)  # text, error
    decided = pyqtSignal()  # something was stored or undone: the counter changes

    def __init__(self, grid, model, audit_mode, parent=None):
        super().__init__(parent)
        self.grid, self.model, self.audit_mode = grid, model, audit_mode
        self.session = None

    def _audit(self):
        return self.audit_mode if self.audit_mode.active else None

    def _decide(self, decide: Callable[[List[int]], Outcome], advance: bool = True) -> bool:
        """Apply a decision to the selected chips; move on when it stored something."""
        if self.session is None:
            self.message.emit(tr("Open the results of a run first."), True)
            return False
        fids = self.grid.selected_fids()
        if not fids:
            return False
        listed = self.grid.model()
        rows = [listed.row_of(fid) for fid in fids]
        try:
            outcome = decide(fids)
        except ReviewError as exc:
            self.message.emit(tr_error(exc), True)
            return False
        listed.refresh(fids)
        self.decided.emit()
        if advance and outcome.stored:
            self.grid.select_row(max(r for r in rows if r is not None) + 1 if len(fids) > 1 else rows[0] + 1)
        else:
            self.grid.rowShown.emit(self.grid.current_row())
        self.message.emit(outcome.message, outcome.error)
        return True

    def set_class(self, class_id: int) -> bool:
        """The analyst's class for the selected chips (number keys, class buttons)."""
        return self._decide(lambda fids: set_class(self.session, self._audit(), fids, class_id))

    def confirm(self) -> bool:
        """Accept the model's class of the selected chips (Space, Enter)."""
        if self.audit_mode.active:
            self.message.emit(confirm(self.session, self._audit(), []).message, True)
            return False
        return self._decide(lambda fids: confirm(self.session, None, fids))

    def forget(self) -> bool:
        return self._decide(lambda fids: forget(self.session, self._audit(), fids), advance=False)

    def undo(self) -> bool:
        if self.session is None:
            return False
        try:
            outcome = undo(self.session, self._audit())
        except ReviewError as exc:
            self.message.emit(tr_error(exc), True)
            return False
        if outcome.stored:
            self.grid.model().refresh(outcome.fids)
            self.decided.emit()
            self.select_fid(outcome.fids[0])
        self.message.emit(outcome.message, outcome.error)
        return outcome.stored

    def select_fid(self, fid: int) -> bool:
        """Make this chip current, loading the pages up to it."""
        row = self.grid.model().row_of(fid)
        if row is None and self.session is not None and not self.audit_mode.active:
            chip = self.session.chip(fid)
            row = self.model.fetch_until(chip) if chip is not None else None
        if row is None:
            return False
        self.grid.select_row(row)
        return True

    def next_unreviewed(self) -> bool:
        """Jump to the next chip of the list not reviewed yet, loading further pages when needed."""
        if self.session is None:
            return False
        current = self.grid.current_row()
        if self.audit_mode.active:
            item = self.audit_mode.model.chip_at(current)
            row = self.audit_mode.next_undecided(item.position if item is not None else 0)
            done = tr("Every chip of the audit sample has a reference class.")
        else:
            row = self.model.next_unreviewed_row(current)
            done = tr("Every chip in this list is reviewed.")
        if row is None:
            self.message.emit(done, False)
            return False
        self.grid.select_row(row)
        return True
