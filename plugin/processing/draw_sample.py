"""chipvlm:drawsample: the blind audit sample of a run (a thin wrapper over core.assess.audit)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.assess.audit import draw_sample, write_sample_csv
from ..core.assess.sampling import DEFAULT_MIN_PER_CLASS, DEFAULT_TARGET_SE
from ..core.errors import ChipVLMError
from ..i18n import tr, tr_error


class DrawSampleAlgorithm(QgsProcessingAlgorithm):
    RESULTS = "RESULTS"
    SIZE = "SIZE"
    TARGET_SE = "TARGET_SE"
    MIN_PER_CLASS = "MIN_PER_CLASS"
    SEED = "SEED"
    REPLACE = "REPLACE"
    OUTPUT = "OUTPUT"
    SAMPLE_SIZE = "SAMPLE_SIZE"

    def tr(self, message):
        return tr(message)

    def createInstance(self):
        return DrawSampleAlgorithm()

    def name(self):
        return "drawsample"

    def displayName(self):
        return self.tr("Draw audit sample")

    def group(self):
        return self.tr("Classify objects")

    def groupId(self):
        return "classify"  # one toolbox group for every step of the work

    def shortHelpString(self):
        return self.tr(
            "Draws a stratified random sample of a run's results for a blind audit: the strata are the final "
            "classes (the reviewed class where an analyst decided, else the model's; ERROR results are not "
            "sampled). The same seed on the same results draws the same sample.\n\n"
            "Size: empty = computed from the target standard error of overall accuracy (Olofsson et al. 2014, "
            "eq. 13) and each class's expected user's accuracy (the model's mean confidence in the class when "
            "the server gave one, kept between 0.5 and 0.95; else 0.85, or 0.7 for a class under 10% of the "
            "objects); a number = that total; 1=75, 2=100 = per class. Every class gets at least the minimum "
            "per class (or all its objects when it has fewer); the rest is shared in proportion to the "
            "classes' sizes.\n\n"
            "The sample and its design are stored in results.sqlite; the analyst decides the sampled chips "
            "in the review dock's Audit filter, without seeing the model's answer. A sample that already has "
            "reference decisions is not replaced unless 'Replace' is set.\n\n"
            "The output CSV lists the sample: fid, stratum_class_id, chip_path."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            self.RESULTS, self.tr("Results (results.sqlite)"), behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Results (*.sqlite);;All files (*)")))
        self.addParameter(QgsProcessingParameterString(
            self.SIZE, self.tr("Sample size (empty = from the target standard error; a total; or 1=75, 2=100)"),
            defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TARGET_SE, self.tr("Target standard error of overall accuracy"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=DEFAULT_TARGET_SE, minValue=0.0001, maxValue=0.5))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_PER_CLASS, self.tr("Minimum sample units per class (or all of a smaller class)"),
            QgsProcessingParameterNumber.Type.Integer, defaultValue=DEFAULT_MIN_PER_CLASS, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.SEED, self.tr("Random seed"), QgsProcessingParameterNumber.Type.Integer, defaultValue=1))
        replace = QgsProcessingParameterBoolean(
            self.REPLACE, self.tr("Replace a sample that already has reference decisions"), defaultValue=False)
        replace.setFlags(replace.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(replace)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Audit sample (CSV)"), self.tr("CSV (*.csv)"),
            defaultValue=QgsProcessing.TEMPORARY_OUTPUT))
        self.addOutput(QgsProcessingOutputNumber(self.SAMPLE_SIZE, self.tr("Sample units drawn")))

    def processAlgorithm(self, parameters, context, feedback):
        results = self.parameterAsFile(parameters, self.RESULTS, context)
        size = self.parameterAsString(parameters, self.SIZE, context) or ""
        target_se = self.parameterAsDouble(parameters, self.TARGET_SE, context)
        minimum = self.parameterAsInt(parameters, self.MIN_PER_CLASS, context)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        replace = self.parameterAsBoolean(parameters, self.REPLACE, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not results:
            raise QgsProcessingException(self.tr("Choose the results file (results.sqlite) of a run."))
        feedback.setProgressText(self.tr("Drawing the audit sample of {0}").format(results))
        try:
            design = draw_sample(results, size=size, target_se=target_se, min_per_class=minimum, seed=seed,
                                 replace=replace)
            write_sample_csv(results, output)
        except ChipVLMError as exc:
            raise QgsProcessingException(tr_error(exc)) from exc
        origins = {
            "confidence": self.tr("the model's mean confidence"),
            "default_common": self.tr("the default for a common class"),
            "default_rare": self.tr("the default for a rare class"),
        }
        for stratum in design.strata:
            feedback.pushInfo(self.tr("Class {0} {1}: {2} of {3} objects sampled").format(
                stratum.class_id, stratum.class_name, stratum.sample_size, stratum.population)
                + ("" if stratum.expected_users_accuracy is None else self.tr(
                    " (expected user's accuracy {0:.2f}, from {1})").format(
                    stratum.expected_users_accuracy, origins.get(stratum.expected_from, stratum.expected_from))))
        feedback.pushInfo(self.tr("{0} sample units drawn (seed {1}); decide them in the review dock's Audit "
                                  "filter.").format(design.sample_size, design.seed))
        feedback.setProgress(100)
        return {self.OUTPUT: output, self.SAMPLE_SIZE: design.sample_size}
