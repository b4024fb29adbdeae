"""chipvlm:secondopinion: a light classifier trained on the analyst's decisions gives every object a
second opinion. A thin wrapper over core.learn (features.py, opinion.py, report.py)."""
import os

from qgis.core import (
    QgsCoordinateTransform,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsRasterLayer,
    QgsVectorLayer,
)

from ..core.learn.features import FeatureOptions, compute_features
from ..core.learn.opinion import OpinionOptions, require_sklearn, second_opinion
from ..core.learn.report import build_html, write_html
from ..core.review.files import run_info_for
from ..core.schemes import Scheme
from ..i18n import tr_error
from .base import ChipVLMAlgorithm
from .cut_chips import raster_file_path, read_features


class SecondOpinionAlgorithm(ChipVLMAlgorithm):
    NAME = "secondopinion"
    GROUP = "learn"
    ICON = "second_opinion.svg"
    RESULTS = "RESULTS"
    INPUT = "INPUT"
    FID_FIELD = "FID_FIELD"
    RASTER = "RASTER"
    EMBEDDINGS = "EMBEDDINGS"
    APPLY_ABOVE = "APPLY_ABOVE"
    REVIEW_DISAGREEMENTS = "REVIEW_DISAGREEMENTS"
    USE_AUDIT = "USE_AUDIT"
    WORKERS = "WORKERS"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OUTPUT_HTML = "OUTPUT_HTML"
    CV_ACCURACY = "CV_ACCURACY"
    MODEL_ACCURACY = "MODEL_ACCURACY"
    DISAGREEMENTS = "DISAGREEMENTS"

    def displayName(self):
        return self.tr("Second opinion")

    def shortHelpString(self):
        return self.tr(
            "Trains a light classifier (scikit-learn's random forest, class-weighted) on the analyst's "
            "decisions and gives every object a second opinion: second_class_id, second_confidence and agrees "
            "in results.sqlite and results.csv, and in OUTPUT_TABLE (fid, the model's class_id, second_class_id, "
            "second_confidence, agrees).\n\n"
            "Each object is described by the pixels of RASTER inside its polygon (per band: mean, standard "
            "deviation, 10th, 50th and 90th percentiles), its shape (area, perimeter, compactness, elongation), "
            "the model's class and confidence, and with EMBEDDINGS (a raster of per-pixel embeddings, any "
            "resolution and CRS) the mean of each embedding band. The layer, fid field and raster default to "
            "the run's (run.json). Features are kept beside the results: a rerun after more decisions only "
            "trains again.\n\n"
            "CV_ACCURACY is the second opinion's k-fold accuracy on the decisions, MODEL_ACCURACY the model's "
            "on the same decisions; the HTML page compares them per class and lists the confusions the second "
            "opinion corrects. The audit sample is left out (so the accuracy report stays unbiased) unless "
            "USE_AUDIT. APPLY_ABOVE (0 = off) gives an object without a decision the second opinion's class "
            "where the second opinion is at least that sure and the model is not (a result without a confidence "
            "counts as not sure); model_class_id keeps the model's class, and a rerun puts it back first. "
            "REVIEW_DISAGREEMENTS (0 = off) sends to review the disagreements at least that sure. An analyst's "
            "decision is never changed."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            self.RESULTS, self.tr("Results file (results.sqlite)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Results (*.sqlite);;All files (*)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Objects (empty = the layer recorded in run.json)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.FID_FIELD, self.tr("Fid field (empty = the one recorded in run.json)"),
            parentLayerParameterName=self.INPUT, type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.RASTER, self.tr("Imagery (empty = the raster recorded in run.json)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.EMBEDDINGS, self.tr("Embeddings raster (optional: one band per embedding dimension)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.APPLY_ABOVE, self.tr("Apply the second opinion where it is at least this sure and the model is "
                                      "not (0 = off)"),
            QgsProcessingParameterNumber.Type.Double, 0.0, minValue=0.0, maxValue=1.0))
        advanced = [
            QgsProcessingParameterNumber(
                self.REVIEW_DISAGREEMENTS, self.tr("Send disagreements at least this sure to review (0 = off)"),
                QgsProcessingParameterNumber.Type.Double, 0.0, minValue=0.0, maxValue=1.0),
            QgsProcessingParameterBoolean(
                self.USE_AUDIT, self.tr("Also learn from the audit sample (the accuracy report is then biased)"),
                False),
            QgsProcessingParameterNumber(
                self.WORKERS, self.tr("Workers (0 = one per CPU core)"), QgsProcessingParameterNumber.Type.Integer,
                0, minValue=0, maxValue=256),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_TABLE, self.tr("Second opinion table (CSV)"), self.tr("CSV (*.csv)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Second opinion page (HTML)"), self.tr("HTML (*.html)")))
        self.addOutput(QgsProcessingOutputNumber(self.CV_ACCURACY, self.tr("Second opinion's k-fold accuracy")))
        self.addOutput(QgsProcessingOutputNumber(self.MODEL_ACCURACY, self.tr("Model's accuracy on the decisions")))
        self.addOutput(QgsProcessingOutputNumber(self.DISAGREEMENTS, self.tr("Objects where they differ")))

    # -- inputs ------------------------------------------------------------------------------------
    def _raster(self, parameters, name, context, recorded=""):
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None and recorded:
            layer = QgsRasterLayer(recorded, os.path.basename(recorded), "gdal")
        if layer is None:
            return None, ""
        if not layer.isValid():
            raise QgsProcessingException(self.tr("The raster {0} could not be loaded: check that the file exists "
                                                 "and GDAL can read it.").format(layer.source()))
        path = raster_file_path(layer)
        if path is None:
            raise QgsProcessingException(self.tr("The raster '{0}' is not a file read by GDAL: save it as a GeoTIFF "
                                                 "first.").format(layer.name()))
        return layer, path

    def _objects(self, parameters, context, run):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None and run.get("layer_source"):
            layer = QgsVectorLayer(str(run["layer_source"]), str(run.get("layer_name") or "objects"), "ogr")
            if not layer.isValid():
                raise QgsProcessingException(self.tr("The layer recorded in run.json ({0}) cannot be opened: choose "
                                                     "the objects' layer as INPUT.").format(run["layer_source"]))
            source = layer
        if source is None:
            raise QgsProcessingException(self.tr("Choose the objects' layer as INPUT (the run has no run.json "
                                                 "naming it)."))
        fid_field = self.parameterAsString(parameters, self.FID_FIELD, context) or run.get("fid_field") or None
        if fid_field and source.fields().lookupField(fid_field) < 0:
            raise QgsProcessingException(self.tr("The layer has no field named '{0}'.").format(fid_field))
        return source, fid_field

    # -- the run -----------------------------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):
        results = self.parameterAsFile(parameters, self.RESULTS, context)
        if not results or not os.path.isfile(results):
            raise QgsProcessingException(self.tr("Choose the run's results.sqlite (not found: {0}).").format(results))
        require_sklearn()
        run = run_info_for(results) or {}
        raster, raster_path = self._raster(parameters, self.RASTER, context, str(run.get("raster") or ""))
        if raster is None:
            raise QgsProcessingException(self.tr("Choose the imagery as RASTER (run.json of {0} names none).").format(
                results))
        _, embeddings_path = self._raster(parameters, self.EMBEDDINGS, context)
        source, fid_field = self._objects(parameters, context, run)
        transform = None
        if source.sourceCrs().isValid() and raster.crs().isValid() and source.sourceCrs() != raster.crs():
            transform = QgsCoordinateTransform(source.sourceCrs(), raster.crs(), context.transformContext())
        workers = self.parameterAsInt(parameters, self.WORKERS, context)

        def progress(start, span):
            return lambda fraction, text: (feedback.setProgress(100 * (start + span * fraction)),
                                           self.progress_text(feedback, tr_error(text)))

        features = compute_features(
            results, read_features(source, fid_field, transform, feedback, 0),
            FeatureOptions(raster_path, embeddings_path, workers=workers), progress=progress(0, 0.7),
            log=lambda text: feedback.pushInfo(tr_error(text)), is_canceled=feedback.isCanceled,
            object_count=source.featureCount())
        feedback.pushInfo(self.tr("Features: {0} computed, {1} already cached, {2} without features, in {3:.1f} s "
                                  "({4}).").format(features.computed, features.already_done, features.missing,
                                                   features.seconds, features.cache))
        if features.canceled or feedback.isCanceled():
            feedback.pushWarning(self.tr("Canceled: the features computed so far are kept; run again to go on."))
            return {}
        options = OpinionOptions(
            apply_above=self.parameterAsDouble(parameters, self.APPLY_ABOVE, context),
            review_disagreements=self.parameterAsDouble(parameters, self.REVIEW_DISAGREEMENTS, context),
            use_audit=self.parameterAsBool(parameters, self.USE_AUDIT, context), workers=workers)
        table = self.parameterAsFileOutput(parameters, self.OUTPUT_TABLE, context)
        summary = second_opinion(results, options, table, progress=progress(0.7, 0.3), is_canceled=feedback.isCanceled)
        if feedback.isCanceled():
            feedback.pushWarning(self.tr("Canceled before the second opinion was written: results.sqlite is unchanged."))
            return {}
        html = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        scheme = _scheme(results)
        write_html(html, build_html(summary, scheme.name_of if scheme else str, self.tr, results))
        feedback.pushInfo(self.tr(
            "Trained on {0} decisions in {1:.1f} s: the second opinion is right on {2:.1%} of them (k-fold), the "
            "model on {3:.1%}. It differs from the model on {4} objects; {5} took its class (APPLY_ABOVE), {6} were "
            "sent to review.").format(summary.decisions, summary.train_seconds, summary.cv_accuracy,
                                      summary.model_accuracy, summary.disagreements, summary.applied,
                                      summary.sent_to_review))
        return {self.CV_ACCURACY: summary.cv_accuracy, self.MODEL_ACCURACY: summary.model_accuracy,
                self.DISAGREEMENTS: summary.disagreements, self.OUTPUT_TABLE: table, self.OUTPUT_HTML: html}


def _scheme(results):
    from ..core.results.store import ResultsStore

    with ResultsStore(results) as store:
        scheme = store.scheme()
    return scheme if isinstance(scheme, Scheme) else None
