"""The review dock's write-back: the final classes of the open run (reviewed, else the model's) into
the linked layer, with a progress dialog and Cancel.

The writing itself is plugin/layers/write_back.py, shared with chipvlm:writeclasses.
"""
from typing import Tuple

from qgis.core import QgsFeedback
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QProgressDialog

from ...i18n import tr, tr_error
from ...layers.places import RunRecord
from ...layers.write_back import WriteBackError, write_classes


def write_with_progress(parent, session, layer, fid_field: str) -> Tuple[bool, str, bool]:
    """Write the run's final classes into the layer: (written, message, error). Checked against
    run.json and where every chip was cut: a feature that is not the object its chip shows refuses
    the whole write (MisplacedFeaturesError, a WriteBackError), and nothing is written."""
    finals = {final.fid: final for final in session.final_classes()}
    # A county takes seconds: progress and Cancel, and the window stays drawn meanwhile (a
    # window-modal dialog processes events on every step and keeps other clicks out).
    feedback = QgsFeedback()
    dialog = QProgressDialog(tr("Writing the classes into '{0}'…").format(layer.name()), tr("Cancel"), 0, 100, parent)
    dialog.setWindowTitle(tr("ChipVLM review"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.canceled.connect(feedback.cancel)
    feedback.progressChanged.connect(lambda value: dialog.setValue(int(value)))
    try:
        run = RunRecord.of_results(session.path)
        report = write_classes(layer, finals, fid_field, feedback=feedback, run=run)
    except WriteBackError as exc:
        return False, tr_error(exc), True
    finally:
        dialog.reset()
        dialog.deleteLater()
    return not report.canceled, report.message(), bool(report.not_found or report.canceled)
