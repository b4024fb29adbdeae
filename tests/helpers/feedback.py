"""A Processing feedback that remembers what it was told, and can cancel on cue."""
from qgis.core import QgsProcessingFeedback


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self, cancel_after_progress=None):
        super().__init__()
        self.infos = []
        self.warnings = []
        self.texts = []
        self.progress_values = []
        self._cancel_after = cancel_after_progress

    def pushInfo(self, info):
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):
        self.warnings.append(warning)
        super().pushWarning(warning)

    def setProgressText(self, text):
        self.texts.append(text)
        super().setProgressText(text)

    def setProgress(self, progress):
        self.progress_values.append(progress)
        super().setProgress(progress)
        if self._cancel_after is not None and progress >= self._cancel_after and not self.isCanceled():
            self.cancel()
