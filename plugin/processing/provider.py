"""The ChipVLM Processing provider (id ``chipvlm``)."""
from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.resources import icon_path


class ChipVLMProvider(QgsProcessingProvider):
    def id(self):
        return "chipvlm"

    def name(self):
        return "ChipVLM"

    def longName(self):
        return self.tr("ChipVLM: classify objects with a vision-language model")

    def icon(self):
        return QIcon(icon_path("chipvlm.svg"))

    def loadAlgorithms(self):
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())


def algorithm_classes():
    """Every algorithm of the provider, imported lazily so a missing dependency names itself."""
    from .classify_chips import ClassifyChipsAlgorithm
    from .cut_chips import CutChipsAlgorithm
    from .export_training_set import ExportTrainingSetAlgorithm
    from .merge_results import MergeResultsAlgorithm
    from .write_classes import WriteClassesAlgorithm

    classes = [CutChipsAlgorithm, ClassifyChipsAlgorithm, WriteClassesAlgorithm, MergeResultsAlgorithm]
    from .accuracy_report import AccuracyReportAlgorithm
    from .draw_sample import DrawSampleAlgorithm

    classes += [DrawSampleAlgorithm, AccuracyReportAlgorithm]
    classes.append(ExportTrainingSetAlgorithm)
    from .second_opinion import SecondOpinionAlgorithm

    classes.append(SecondOpinionAlgorithm)
    return classes
