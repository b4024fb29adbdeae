"""The review dock's run: open a results file (typed, chosen, dropped), read its run.json, link the
layer and fid field recorded at cut time, and let go of it again.

A run that cannot be opened leaves the one being reviewed open; closing remembers the current fid,
so reopening the same run resumes there.
"""
from typing import Optional

from qgis.core import QgsApplication, QgsVectorLayer
from qgis.PyQt.QtWidgets import QFileDialog

from ... import settings
from ...core.errors import ChipVLMError
from ...core.review import ReviewError, ReviewSession, default_reviewer, recorded_fid_field, run_info_for
from ...i18n import tr, tr_error
from .map_link import recorded_layer


class RunPanelMixin:
    """Opening and closing the dock's run (the session, run.json, the recorded layer link)."""

    def choose_run(self) -> None:
        start = self.run_path or settings.REVIEW_LAST_RUN.read()
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open the results of a run"), start or "", tr("Results (results.sqlite *.sqlite)")
        )
        if path:
            self.open_run(path)

    def _run_typed(self) -> None:
        path = self.run_edit.text().strip()
        if path and self.open_run(path):
            return
        if not path:
            self.show_message(tr("Type the results.sqlite of a run, or its folder."), error=True)

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event):
        """A results.sqlite or a run folder dropped from the file manager opens."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return super().dropEvent(event)
        event.acceptProposedAction()
        self.open_run(paths[0])

    def open_run(self, path: str, layer: Optional[QgsVectorLayer] = None, fid_field: Optional[str] = None) -> bool:
        """Open a run (its results.sqlite or its folder); optionally link it to a layer at once."""
        try:
            session = ReviewSession(path, reviewer=self.reviewer_name())
        except ReviewError as exc:  # a mistyped path leaves the run being reviewed open
            self._refused()
            self.show_message(tr_error(exc), error=True)
            return False
        if not session.has_scheme and session.counts().total == 0:
            # what a classification that failed before its first batch leaves: no class to show
            session.close()
            self._refused()
            self.show_message(tr("{0} holds no results yet and no class scheme: its classification stopped "
                                 "before the first batch. Classify the chips (again), then review.").format(
                session.path), error=True)
            return False
        same_run = session.path == self.run_path
        self.close_run()
        if not same_run:  # another run: its chips start from the top, not at this run's fid
            self._resume_fid = None
        self.session = session
        self._padding = None
        self.run_path = self.session.path
        settings.REVIEW_LAST_RUN.write(self.run_path)
        self.run_edit.setText(self.run_path)
        self.run_edit.setCursorPosition(len(self.run_path))  # the run's own folder and file are the end
        notes = []
        try:
            self.run_info = run_info_for(self.run_path)
        except ChipVLMError as exc:  # a damaged run.json: the run is still reviewable, without its checks
            self.run_info = None
            notes.append(tr_error(exc))
        recorded = recorded_fid_field(self.run_info)
        if layer is None and self.run_info is not None:
            layer = recorded_layer(self.run_info)
            if layer is None:
                notes.append(tr("The layer this run was cut from ('{0}') is not in the project: add it, then "
                                "choose it as the layer.").format(
                    self.run_info.get("layer_name") or self.run_info.get("layer_source") or "?"))
        if fid_field is None and recorded is not None:
            fid_field = recorded
        if layer is not None or fid_field is not None:
            self.link_layer(layer if layer is not None else self.layer_combo.currentLayer(),
                            fid_field if fid_field is not None else self._link_field)
        self._fill_classes()
        self._update_audit_entry()
        resume, self._resume_fid = self._resume_fid, None
        self.apply_filter(select_fid=resume)
        total = self.session.counts().total
        if total:
            text = tr("Opened {0}: {1} results.").format(self.run_path, total)
        else:
            text = tr("Opened {0}: no results yet (the classification has not stored its first "
                      "batch); they are listed as you filter again.").format(self.run_path)
        self.show_message(" ".join([text] + notes), error=bool(notes))
        self.view.setFocus()
        return True

    def _refused(self) -> None:
        """A file was refused: the Run field names the run still open again (not the refused file)."""
        if self.run_path and self.session is not None:
            self.run_edit.setText(self.run_path)
            self.run_edit.setCursorPosition(len(self.run_path))

    def close_run(self) -> None:
        """Let go of the results file (every decision is already in it)."""
        current = self.current_chip()
        if current is not None:
            self._resume_fid = current.fid
        self._clear_highlight()
        self._leave_audit()
        if self.session is not None:
            self.model.reset(None)
            self.session.close()
            self.session = None
            self.previews.clear()
        self._update_counter()
        self._show_current(None)

    def reviewer_name(self) -> str:
        return QgsApplication.userLoginName() or default_reviewer()
