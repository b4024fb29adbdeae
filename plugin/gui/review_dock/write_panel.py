"""The review dock's write-back: the final classes of the open run (reviewed, else the model's) into
the linked layer, with a progress dialog and Cancel.

The writing itself is plugin/layers/write_back.py, shared with chipvlm:writeclasses.
"""
from qgis.core import QgsFeedback
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QProgressDialog

from ...i18n import tr, tr_error
from ...layers.places import RunRecord
from ...layers.write_back import WriteBackError, write_classes


class WritePanelMixin:
    """The Write classes to layer button."""

    def write_back(self) -> bool:
        if self.session is None:
            self.show_message(tr("Open the results of a run first."), error=True)
            return False
        layer = self.layer()
        if layer is None:
            self.show_message(tr("Choose the layer the chips were cut from first."), error=True)
            return False
        if self._link_broken:
            self.show_message(self._link_broken, error=True, bar=True)
            return False
        finals = {final.fid: final for final in self.session.final_classes()}
        # A county takes seconds: progress and Cancel, and the window stays drawn meanwhile (a
        # window-modal dialog processes events on every step and keeps other clicks out).
        feedback = QgsFeedback()
        dialog = QProgressDialog(tr("Writing the classes into '{0}'…").format(layer.name()), tr("Cancel"), 0, 100,
                                 self)
        dialog.setWindowTitle(tr("ChipVLM review"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(feedback.cancel)
        feedback.progressChanged.connect(lambda value: dialog.setValue(int(value)))
        self.write_button.setEnabled(False)
        try:
            # checked against run.json and where every chip was cut: MisplacedFeaturesError (a WriteBackError)
            # when a feature is not the object its chip shows, and nothing is written
            run = RunRecord.of_results(self.session.path)
            report = write_classes(layer, finals, self._link_field, feedback=feedback, run=run)
        except WriteBackError as exc:
            self.show_message(tr_error(exc), error=True, bar=True)
            return False
        finally:
            dialog.reset()
            dialog.deleteLater()
            self._update_actions()
        self.show_message(report.message(), error=bool(report.not_found or report.canceled), bar=True)
        return not report.canceled
