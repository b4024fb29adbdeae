"""chipvlm:accuracyreport: accuracy and area with confidence intervals, from the map layer and a
reference sample (a thin wrapper: areas are measured here, every estimate is in core.assess)."""
from datetime import datetime, timezone

from qgis.core import (
    NULL,
    QgsDistanceArea,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..core.assess import estimators, reference
from ..core.assess.report import (
    WEIGHTS_AREA,
    WEIGHTS_COUNT,
    ReportData,
    build_html,
    table_rows,
    write_html,
    write_table,
)
from ..core.chips.placement import NOTHING_JOINED, PlacementError
from ..core.fids import FidError
from ..core.review import recorded_fid_field
from ..i18n import tr, tr_error
from ..layers.features import attribute_fid
from ..layers.places import RunRecord, fid_words
from .base import ChipVLMAlgorithm, WordChoice

WEIGHT_OPTIONS = (WEIGHTS_AREA, WEIGHTS_COUNT)
NAME_FIELD = "class_name"  # written by writeclasses beside class_id: names for a CSV reference


def _key(feature, fid_index, fid_field):
    """The fid a feature joins the reference by (core.fids' rule); None when it has none."""
    if fid_index < 0:
        return feature.id()
    try:
        return attribute_fid(feature.attribute(fid_index), fid_field)
    except FidError:
        return None


class AccuracyReportAlgorithm(ChipVLMAlgorithm):
    NAME = "accuracyreport"
    GROUP = "assess"
    ICON = "accuracy.svg"
    INPUT = "INPUT"
    CLASS_FIELD = "CLASS_FIELD"
    FID_FIELD = "FID_FIELD"
    REFERENCE = "REFERENCE"
    WEIGHTS = "WEIGHTS"
    CONFIDENCE = "CONFIDENCE"
    COMPARE_RESULTS = "COMPARE_RESULTS"
    OUTPUT_HTML = "OUTPUT_HTML"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    OVERALL_ACCURACY_CI = "OVERALL_ACCURACY_CI"

    def displayName(self):
        return self.tr("Accuracy report")

    def shortHelpString(self):
        return self.tr(
            "Estimates the accuracy of the classes in a vector layer (e.g. the output of Write classes to "
            "layer) and the area of each class corrected for the map's errors, with confidence intervals, "
            "from a reference sample: the audit sample of a results.sqlite (Draw audit sample, then decide "
            "its chips in the review dock's Audit filter), or a CSV with columns fid and class_id (a field "
            "survey). The estimators are those of Olofsson et al. 2014 for stratified random sampling with "
            "the map classes as strata; every object of a class counts equally, and strata are weighted by "
            "their ellipsoidal area (or by their number of objects). Kappa is not reported.\n\n"
            "The table has one row per class (mapped area and objects, sample units, user's and producer's "
            "accuracy, error-adjusted area, each with the half-width of its interval) and a row 'overall'. "
            "The HTML report adds the error matrix, charts, the model's confidence against the audit and how "
            "often the analyst changed the model's class.\n\n"
            "Compare with a second run (advanced): the results.sqlite of another classification of the same "
            "objects (e.g. with reference examples in the prompt), assessed on the same reference sample "
            "and shown beside this map."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Layer with the map classes"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterField(
            self.CLASS_FIELD, self.tr("Class id field"), defaultValue="class_id", parentLayerParameterName=self.INPUT,
            optional=True))  # optional: qgis_process (3.22) does not apply a field parameter's default
        self.addParameter(QgsProcessingParameterField(
            self.FID_FIELD, self.tr("Fid field (empty = the one recorded in run.json)"),
            parentLayerParameterName=self.INPUT, optional=True))  # a CSV reference, or no run.json: feature id
        self.addParameter(QgsProcessingParameterFile(
            self.REFERENCE, self.tr("Reference (results.sqlite with an audit sample, or CSV fid,class_id)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Results or CSV (*.sqlite *.csv);;All files (*)")))
        self.addParameter(WordChoice(
            self.WEIGHTS, self.tr("Weight the classes by (area: their mapped area; count: their number of objects)"),
            WEIGHT_OPTIONS, WEIGHTS_AREA))
        self.addParameter(QgsProcessingParameterNumber(
            self.CONFIDENCE, self.tr("Confidence level"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=0.95, minValue=0.5, maxValue=0.999))
        compare = QgsProcessingParameterFile(
            self.COMPARE_RESULTS, self.tr("Compare with a second run (its results.sqlite)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Results (*.sqlite);;All files (*)"), optional=True)
        compare.setFlags(compare.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(compare)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Accuracy report (HTML)"), self.tr("HTML (*.html)"),
            defaultValue=QgsProcessing.TEMPORARY_OUTPUT))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_TABLE, self.tr("Accuracy table (CSV)"), self.tr("CSV (*.csv)"),
            defaultValue=QgsProcessing.TEMPORARY_OUTPUT))
        self.addOutput(QgsProcessingOutputNumber(self.OVERALL_ACCURACY, self.tr("Overall accuracy")))
        self.addOutput(QgsProcessingOutputNumber(
            self.OVERALL_ACCURACY_CI, self.tr("Overall accuracy: half-width of the confidence interval")))

    # -- reading the map -------------------------------------------------------------------------
    def _measure(self, source, context):
        measure = QgsDistanceArea()
        measure.setSourceCrs(source.sourceCrs(), context.transformContext())
        ellipsoid = context.ellipsoid() if context.ellipsoid() not in ("", "NONE") else ""
        measure.setEllipsoid(ellipsoid or source.sourceCrs().ellipsoidAcronym() or "EPSG:7030")
        return measure

    def _run_of(self, sample):
        """The record of the run an audit sample was drawn from (None for a CSV reference)."""
        if sample.kind != "audit":
            return None
        run = RunRecord.of_results(sample.source)
        if run.info_error is not None:
            raise QgsProcessingException(self.tr(
                "The run record of this run cannot be read, so the layer cannot be checked against the run: {0} "
                "Repair or restore run.json, then run the report again.").format(tr_error(run.info_error)))
        return run

    def _placing(self, source, sample, run, context):
        """The check of the audit's units: each must be the object its chip was cut from (None for a CSV
        reference, or a run without a chips index)."""
        if run is None:
            return None
        if run.index_error is not None:
            raise QgsProcessingException(self.tr(
                "The chips index of this run cannot be read, so no feature can be checked against its chip: {0} "
                "Repair or restore chips_index.csv, then run the report again.").format(tr_error(run.index_error)))
        return run.placing(source.sourceCrs(), sample.classes, context.transformContext())

    def _read_map(self, source, class_field, fid_field, context, feedback, placing=None):
        """Map classes, areas and counts of the layer; with `placing` (see _placing), the features of the
        reference's fids are checked against their chips, and a misplaced one refuses the report."""
        fields = source.fields()
        class_index = fields.lookupField(class_field)
        if class_index < 0:
            raise QgsProcessingException(self.tr("The layer has no field '{0}' with the map classes.").format(
                class_field))
        fid_index = fields.lookupField(fid_field) if fid_field else -1
        if fid_field and fid_index < 0:
            raise QgsProcessingException(self.tr("The layer has no fid field '{0}'.").format(fid_field))
        name_index = fields.lookupField(NAME_FIELD)
        measure = self._measure(source, context)
        classes, area, count, names = {}, {}, {}, {}
        unclassified = 0
        total = max(source.featureCount(), 1)
        for k, feature in enumerate(source.getFeatures()):
            if feedback.isCanceled():
                return None
            class_id = self._map_class(feature, class_index, class_field)
            if class_id is None:
                unclassified += 1
                continue
            key = _key(feature, fid_index, fid_field)
            if key is None:
                continue
            classes[key] = class_id
            if placing is not None:
                placing.see(key, feature)
            hectares = measure.measureArea(feature.geometry()) / 10_000.0 if feature.hasGeometry() else 0.0
            area[class_id] = area.get(class_id, 0.0) + hectares
            count[class_id] = count.get(class_id, 0) + 1
            if name_index >= 0 and class_id not in names:
                name = feature.attribute(name_index)
                if name is not None and name != NULL and str(name):
                    names[class_id] = str(name)
            if k % 1000 == 0:
                feedback.setProgress(60.0 * k / total)
        if unclassified:
            feedback.pushInfo(self.tr("{0} features have no class and are not part of the map.").format(unclassified))
        return classes, area, count, names

    def _map_class(self, feature, class_index, class_field):
        """The feature's map class, None when it has none; a value that is no whole number is an error."""
        value = feature.attribute(class_index)
        if value is None or value == NULL or str(value).strip() == "":
            return None
        try:
            return int(float(str(value)))
        except ValueError:
            raise QgsProcessingException(self.tr(
                "Feature {0}: the class '{1}' in field '{2}' is not a whole number.").format(
                feature.id(), value, class_field)) from None

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.tr("The input layer cannot be read."))
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context) or "class_id"
        fid_field = self.parameterAsString(parameters, self.FID_FIELD, context) or ""
        reference_path = self.parameterAsFile(parameters, self.REFERENCE, context)
        weights = self.choice(parameters, self.WEIGHTS, context)
        confidence = self.parameterAsDouble(parameters, self.CONFIDENCE, context)
        compare_path = self.parameterAsFile(parameters, self.COMPARE_RESULTS, context) or ""
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        table_path = self.parameterAsFileOutput(parameters, self.OUTPUT_TABLE, context)
        if not reference_path:
            raise QgsProcessingException(self.tr("Choose the reference: a results.sqlite with an audit sample, or "
                                                 "a CSV with columns fid and class_id."))
        feedback.setProgressText(self.tr("Reading the reference sample"))
        sample = reference.read_reference(reference_path)
        run = self._run_of(sample)
        recorded = recorded_fid_field(run.info if run is not None else None)
        if not fid_field and recorded:  # as writeclasses: the field the chips were cut with
            fid_field = recorded
            feedback.pushInfo(self.tr("Results are matched by '{0}', the fid field the chips were cut with "
                                      "(run.json).").format(recorded))
        placing = self._placing(source, sample, run, context)
        feedback.setProgressText(self.tr("Measuring the mapped area of every class"))
        read = self._read_map(source, class_field, fid_field, context, feedback, placing)
        if read is None:
            return {}
        if placing is not None:
            try:
                placing.finish().refuse(source.sourceName(), fid_words(fid_field), NOTHING_JOINED)
            except PlacementError as exc:
                raise QgsProcessingException(tr_error(exc)) from exc
        map_classes, area, count, layer_names = read
        task = {"source": source, "class_field": class_field, "sample": sample, "weights": weights,
                "confidence": confidence, "compare_path": compare_path, "html_path": html_path,
                "table_path": table_path, "map_classes": map_classes, "area": area, "count": count,
                "layer_names": layer_names}
        return self._report(task, feedback)

    def _report(self, v, feedback):
        map_classes, area, count = v["map_classes"], v["area"], v["count"]
        sample = v["sample"]
        names = dict(v["layer_names"])
        review_by_class = review_by_model = calibration = None
        if sample.kind == "audit":
            names.update(reference.class_names_of(sample.source))
            review_by_class, review_by_model = reference.review_changes(sample.source)
            calibration = reference.calibration_bins(reference.calibration_points(sample.source))
        pairs, not_in_layer, stratum_changed = [], 0, 0
        for fid, ref in sorted(sample.classes.items()):
            mapped = map_classes.get(fid)
            if mapped is None:
                not_in_layer += 1
                continue
            if sample.strata and sample.strata.get(fid, mapped) != mapped:
                stratum_changed += 1
            pairs.append((fid, mapped, ref))
        if not pairs:
            raise estimators.AssessError(
                "No reference fid matches a feature of the layer: is it the layer of the run, with the same fid "
                "field?")
        if not_in_layer:
            feedback.reportError(self.tr("{0} reference fids have no feature with a class in the layer.").format(
                not_in_layer))
        classes = sorted(set(area) | {ref for _, _, ref in pairs})
        _, counts = estimators.error_matrix([(m, r) for _, m, r in pairs], classes)
        strata_sizes = area if v["weights"] == WEIGHTS_AREA else {c: float(n) for c, n in count.items()}
        result = estimators.assess(classes, counts, strata_sizes, v["confidence"], mapped_counts=count)
        compare, compare_missing = None, 0
        if v["compare_path"]:
            second = reference.final_classes_of(v["compare_path"])
            units = [(m, second[fid], r) for fid, m, r in pairs if fid in second]
            compare_missing = len(pairs) - len(units)
            compare = (v["compare_path"], estimators.assess_by_strata(units, strata_sizes, v["confidence"]))
        data = ReportData(
            assessment=result, class_names=names, mapped_area_ha=area, mapped_count=count, weights=v["weights"],
            reference=sample, layer_name=v["source"].sourceName(), class_field=v["class_field"],
            not_in_layer=not_in_layer, stratum_changed=stratum_changed, calibration=calibration,
            review_by_class=review_by_class, review_by_model=review_by_model, compare=compare,
            compare_missing=compare_missing,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        feedback.setProgressText(self.tr("Writing the report"))
        write_table(v["table_path"], table_rows(data))
        write_html(v["html_path"], build_html(data, tr))
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("Overall accuracy {0:.3f} ± {1:.3f} from {2} sample units.").format(
            result.overall, result.overall_ci, result.sample_size))
        return {self.OUTPUT_HTML: v["html_path"], self.OUTPUT_TABLE: v["table_path"],
                self.OVERALL_ACCURACY: result.overall, self.OVERALL_ACCURACY_CI: result.overall_ci}
