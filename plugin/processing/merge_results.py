"""chipvlm:mergeresults: results made on other machines or by other runs, merged into one file.

A thin wrapper over core.results.merge.merge_results: per fid, a reviewed class beats a predicted
one and a real class beats -1; two inputs that disagree at the same level are a conflict, reported
here and flagged for review in the output.
"""
import sqlite3

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
)

from ..core.results.merge import MergeError, merge_results
from ..i18n import tr_error
from .base import ChipVLMAlgorithm

CONFLICTS_LISTED = 50  # one line each in the log; the rest are counted


class MergeResultsAlgorithm(ChipVLMAlgorithm):
    NAME = "mergeresults"
    GROUP = "classify"
    ICON = "merge.svg"
    INPUTS = "INPUTS"
    OUTPUT = "OUTPUT"
    RESULTS_CSV = "RESULTS_CSV"
    ROWS = "ROWS"
    CONFLICTS = "CONFLICTS"

    def displayName(self):
        return self.tr("Merge results")

    def shortHelpString(self):
        return self.tr(
            "Merges results files (results.sqlite or results.csv) made by other runs or on other "
            "machines into one file, by fid. An analyst's reviewed class beats a model's class, a real "
            "class beats 0 (cannot tell), which beats -1 (ERROR). Where two inputs give different classes "
            "at the same level, the most recent one is kept, flagged for review, and the conflict is "
            "listed in the log. Only results made with the same class scheme can be merged.\n\n"
            "The output is a results.sqlite (with a .csv of the same name beside it) or a .csv."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.INPUTS, self.tr("Results files (.sqlite or .csv)"), QgsProcessing.SourceType.TypeFile))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Merged results"), self.tr("Results (*.sqlite);;CSV (*.csv)")))
        self.addOutput(QgsProcessingOutputFile(self.RESULTS_CSV, self.tr("Merged results table (.csv)")))
        self.addOutput(QgsProcessingOutputNumber(self.ROWS, self.tr("Fids in the merged results")))
        self.addOutput(QgsProcessingOutputNumber(self.CONFLICTS, self.tr("Conflicts (flagged for review)")))

    def processAlgorithm(self, parameters, context, feedback):
        inputs = self.parameterAsFileList(parameters, self.INPUTS, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not inputs:
            raise QgsProcessingException(self.tr("Choose the results files to merge."))
        if not output.lower().endswith((".sqlite", ".csv")):
            raise QgsProcessingException(
                self.tr("The merged results must be a .sqlite or a .csv file, not {0}.").format(output))
        feedback.setProgressText(self.tr("Merging {0} results files").format(len(inputs)))
        try:
            report = merge_results(inputs, output)
        except MergeError as exc:
            raise QgsProcessingException(tr_error(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise QgsProcessingException(
                self.tr("Cannot write the merged results to {0}: {1}").format(output, exc)) from exc
        feedback.setProgress(100)
        for path, count in report.per_source.items():
            feedback.pushInfo(self.tr("{0}: {1} rows").format(path, count))
        for conflict in report.conflicts[:CONFLICTS_LISTED]:
            feedback.pushWarning(self.tr("Conflict: {0}").format(conflict.text()))
        if len(report.conflicts) > CONFLICTS_LISTED:
            feedback.pushWarning(self.tr("... and {0} more conflicts, all flagged for review.").format(
                len(report.conflicts) - CONFLICTS_LISTED))
        for warning in report.warnings:
            feedback.pushWarning(warning)
        feedback.pushInfo(report.text())
        return {
            self.OUTPUT: report.output,
            self.RESULTS_CSV: report.csv_path,
            self.ROWS: report.rows,
            self.CONFLICTS: len(report.conflicts),
        }
