"""The review dock's decisions: set a class, confirm the model's class, forget a decision, undo, and
jump to the next chip not reviewed, on the selected chips of the grid (the review's results, or in
the Audit scope the blind sample's reference classes).

Every decision is stored at once by plugin/core/review (or core/assess/audit.py); this part applies
it to the selection, refreshes the tiles and moves on.
"""
from typing import Callable, List, Optional

from ...core.review import ReviewError
from ...i18n import tr, tr_error


class DecisionsMixin:
    """What the keys and the class buttons decide, applied to the selected chips."""

    def _decide(self, action: Callable[[List[int]], Optional[int]], advance: bool = True) -> bool:
        """Apply a decision to the selected chips; move on when it stored something (an action id)."""
        if self.session is None:
            self.show_message(tr("Open the results of a run first."), error=True)
            return False
        fids = self.selected_fids()
        if not fids:
            return False
        grid = self._grid()
        rows = [grid.row_of(fid) for fid in fids]
        try:
            changed = action(fids)
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return False
        grid.refresh(fids)
        self._update_counter()
        if advance and changed is not None:
            self.select_row(max(r for r in rows if r is not None) + 1 if len(fids) > 1 else rows[0] + 1)
        else:
            self._show_row(self.current_row())
        return True

    def set_class(self, class_id: int) -> bool:
        """The analyst's class for the selected chips (number keys, class buttons)."""
        name = self.session.class_name(class_id) if self.session is not None else ""
        if self.audit_mode.active:  # the reference class: apart from the review, with who and when
            done = self._decide(lambda fids: self.audit_mode.set_reference(fids, class_id))
            if done:
                self.show_message(tr("Reference class {0} {1}.").format(class_id, name))
            return done
        done = self._decide(lambda fids: self.session.set_review(fids, class_id))
        if done:
            self.show_message(tr("Set to {0} {1}.").format(class_id, name))
        return done

    def confirm(self) -> bool:
        """Accept the model's class of the selected chips (Space, Enter)."""
        if self.audit_mode.active:
            self.show_message(tr("The audit is blind: there is no model class to accept. Choose the class you "
                                 "see (0–9)."), error=True)
            return False
        skipped: List[int] = []

        def accept(fids):
            action, missed = self.session.confirm(fids)
            skipped.extend(missed)
            return action  # None when every chip was an error: stay on it

        done = self._decide(accept)
        if done and skipped:
            self.show_message(
                tr("The model gave no class for {0} (error): press a number key to choose one.").format(
                    ", ".join(str(f) for f in skipped)
                ),
                error=True,
            )
        elif done:
            self.show_message(tr("Confirmed the model's class."))
        return done

    def clear_review(self) -> bool:
        if self.audit_mode.active:
            done = self._decide(lambda fids: self.audit_mode.clear_reference(fids), advance=False)
            if done:
                self.show_message(tr("Reference class forgotten."))
            return done
        done = self._decide(lambda fids: self.session.clear_review(fids), advance=False)
        if done:
            self.show_message(tr("Decision forgotten: back to the model's class."))
        return done

    def undo(self) -> bool:
        if self.session is None:
            return False
        try:
            if self.audit_mode.active:  # the audit's own decisions, mine only
                fids, skipped = self.audit_mode.undo()
            else:
                fids = self.session.undo()
                skipped = self.session.last_undo_skipped
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return False
        if not fids and not skipped:
            self.show_message(tr("Nothing to undo."))
            return False
        self._grid().refresh(fids + [fid for fid, _ in skipped])
        self._update_counter()
        self.select_fid((fids or [skipped[0][0]])[0])
        text = tr("Undone: {0} chip(s).").format(len(fids))
        if skipped:
            text += " " + tr("Left as decided since by someone else: {0}.").format(
                ", ".join(tr("fid {0} ({1})").format(fid, who) for fid, who in skipped))
        self.show_message(text, error=bool(skipped))
        return True

    def next_unreviewed(self) -> bool:
        """Jump to the next chip of the list not reviewed yet, loading further pages when needed."""
        if self.session is None:
            return False
        current = self.current_row()
        if self.audit_mode.active:
            item = self.audit_mode.model.chip_at(current)
            row = self.audit_mode.next_undecided(item.position if item is not None else 0)
            if row is None:
                self.show_message(tr("Every chip of the audit sample has a reference class."))
                return False
            self.select_row(row)
            return True
        for row in range(current + 1, len(self.model.rows)):
            if not self.model.rows[row].is_reviewed:
                self.select_row(row)
                return True
        if self.model.canFetchMore():
            chip = self.session.next_unreviewed(self.model.filter, after=self.model._cursor, wrap=False)
            if chip is not None:
                row = self.model.fetch_until(chip)
                if row is not None:
                    self.select_row(row)
                    return True
        for row in range(0, max(current, 0) + 1):
            if row < len(self.model.rows) and not self.model.rows[row].is_reviewed:
                self.select_row(row)
                return True
        self.show_message(tr("Every chip in this list is reviewed."))
        return False
