"""chipvlm:exporttrainingset: the analyst's decisions as a training set (folders, COCO or a CSV manifest).

A thin wrapper over core.training.export.export_training_set.
"""
import sqlite3

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..core.errors import ChipVLMError
from ..core.schemes import SchemeError
from ..core.training.export import FORMATS, export_training_set
from ..core.training.export_types import ExportOptions
from ..core.training.labels import INCLUDE_CHOICES, INCLUDE_REVIEWED
from ..i18n import tr_error
from .base import ChipVLMAlgorithm, WordChoice


class ExportTrainingSetAlgorithm(ChipVLMAlgorithm):
    NAME = "exporttrainingset"
    GROUP = "learn"
    ICON = "learn.svg"
    RESULTS = "RESULTS"
    INCLUDE = "INCLUDE"
    INCLUDE_AUDIT = "INCLUDE_AUDIT"
    MIN_CONFIDENCE = "MIN_CONFIDENCE"
    VAL_SHARE = "VAL_SHARE"
    SEED = "SEED"
    FORMAT = "FORMAT"
    CLEAN = "CLEAN"
    RASTER = "RASTER"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    CHIP_COUNT = "CHIP_COUNT"
    TRAIN_COUNT = "TRAIN_COUNT"
    VAL_COUNT = "VAL_COUNT"

    def displayName(self):
        return self.tr("Export training set")

    def shortHelpString(self):
        return self.tr(
            "Writes the chips an analyst reviewed as a training set for an image classifier: one folder per "
            "class (folders), a COCO-style JSON (coco) or a manifest (csv), split into train and val, "
            "stratified by class and the same for the same SEED. With 'reviewed+confident' the model's own "
            "class is added where its confidence is at least MIN_CONFIDENCE, marked as such. Classes -1 and 0 "
            "are never exported. The audit sample is left out: it is kept for assessing accuracy. "
            "INCLUDE_AUDIT puts it in, its reference classes winning over reviews.\n\n"
            "Every manifest row or COCO image has the class id and name, the fid, where the label came from "
            "and the chip's window on the raster; README.txt counts the chips per class and split. Chips are "
            "hard-linked (same disk) or copied, never moved. CLEAN cuts the chips again from the raster "
            "without the red outline and the fid label. A rerun writes only what changed; a chip whose "
            "decision changed moves to its new class folder."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            self.RESULTS, self.tr("Results file (results.sqlite)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Results (*.sqlite);;All files (*)")))
        self.addParameter(WordChoice(
            self.INCLUDE, self.tr("Labels (reviewed: the analyst's decisions; reviewed+confident: also the model's "
                                  "classes at or above the lowest confidence)"), INCLUDE_CHOICES, INCLUDE_REVIEWED))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_CONFIDENCE, self.tr("Lowest confidence of a model class (with 'confident')"),
            QgsProcessingParameterNumber.Type.Double, 0.9, minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.INCLUDE_AUDIT, self.tr("Include the audit sample (kept for assessing accuracy otherwise)"),
            False))
        self.addParameter(QgsProcessingParameterNumber(
            self.VAL_SHARE, self.tr("Share of each class for validation"),
            QgsProcessingParameterNumber.Type.Double, 0.2, minValue=0.0, maxValue=0.9))
        self.addParameter(QgsProcessingParameterNumber(
            self.SEED, self.tr("Seed of the split"), QgsProcessingParameterNumber.Type.Integer,
            ExportOptions.seed))
        self.addParameter(WordChoice(
            self.FORMAT, self.tr("Format (folders: one folder per class; coco: COCO JSON; csv: a manifest)"),
            FORMATS, "folders"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.CLEAN, self.tr("Clean chips (cut again from the raster, without outline and label)"), False))
        raster = QgsProcessingParameterRasterLayer(
            self.RASTER, self.tr("Raster for clean chips (empty = the one recorded in run.json)"), optional=True)
        raster.setFlags(raster.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(raster)
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Training set folder")))
        self.addOutput(QgsProcessingOutputNumber(self.CHIP_COUNT, self.tr("Chips in the training set")))
        self.addOutput(QgsProcessingOutputNumber(self.TRAIN_COUNT, self.tr("Chips for training")))
        self.addOutput(QgsProcessingOutputNumber(self.VAL_COUNT, self.tr("Chips for validation")))

    def processAlgorithm(self, parameters, context, feedback):
        results = self.parameterAsFile(parameters, self.RESULTS, context)
        if not results:
            raise QgsProcessingException(self.tr("Choose the run's results.sqlite."))
        output = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        raster_layer = self.parameterAsRasterLayer(parameters, self.RASTER, context)
        options = ExportOptions(
            include=self.choice(parameters, self.INCLUDE, context),
            min_confidence=self.parameterAsDouble(parameters, self.MIN_CONFIDENCE, context),
            val_share=self.parameterAsDouble(parameters, self.VAL_SHARE, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            fmt=self.choice(parameters, self.FORMAT, context),
            clean=self.parameterAsBoolean(parameters, self.CLEAN, context),
            raster=raster_layer.source() if raster_layer is not None else "",
            include_audit=self.parameterAsBoolean(parameters, self.INCLUDE_AUDIT, context),
        )
        try:
            summary = export_training_set(
                results, output, options,
                progress=lambda fraction, text: (feedback.setProgress(100 * fraction), feedback.setProgressText(text)),
                is_canceled=feedback.isCanceled, translate=tr_error)
        except ChipVLMError as exc:
            raise QgsProcessingException(tr_error(exc)) from exc
        except SchemeError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise QgsProcessingException(self.tr("Cannot write the training set to {0}: {1}").format(output, exc)) from exc
        for warning in summary.warnings[:50]:
            feedback.pushWarning(tr_error(warning))
        if summary.canceled:
            feedback.pushWarning(self.tr("Canceled: run again to finish the export."))
        feedback.pushInfo(summary.text(tr_error))
        train = sum(1 for i in summary.items if i.split == "train")
        return {
            self.OUTPUT_FOLDER: summary.output_folder,
            self.CHIP_COUNT: len(summary.items),
            self.TRAIN_COUNT: train,
            self.VAL_COUNT: len(summary.items) - train,
        }
