"""chipvlm:writeclasses: the final class of every result (reviewed, else predicted) into a vector layer."""
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)

from ..core.fids import FidError
from ..core.review import final_classes, recorded_fid_field
from ..layers.features import attribute_fid
from ..layers.link import WriteBackError, linked_keys, placed_note, refused_feature
from ..layers.places import RunRecord
from ..layers.write_back import (
    CLASS_FIELD,
    NAME_FIELD,
    REFUSED_LISTED,
    STATUS_FIELD,
    ClassFields,
    class_values,
    output_fields,
    plan_fields,
    write_classes,
)
from .base import ChipVLMAlgorithm


class WriteClassesAlgorithm(ChipVLMAlgorithm):
    NAME = "writeclasses"
    GROUP = "write"
    ICON = "write.svg"
    INPUT = "INPUT"
    RESULTS = "RESULTS"
    FID_FIELD = "FID_FIELD"
    CLASS_FIELD = "CLASS_FIELD"
    NAME_FIELD = "NAME_FIELD"
    IN_PLACE = "IN_PLACE"
    OUTPUT = "OUTPUT"
    WRITTEN = "WRITTEN"
    NOT_FOUND = "NOT_FOUND"

    def displayName(self):
        return self.tr("Write classes to layer")

    def shortHelpString(self):
        return self.tr(
            "Writes the final class of every result of a run into the vector layer the chips were cut "
            "from: the reviewed class where an analyst decided, else the model's class. Three fields get "
            "it: the class id (whole number), the class name (text) and 'review' (reviewed, to_review, "
            "error or model); they are created when missing. In place, a layer in edit mode gets the "
            "values in its edit buffer as one undoable edit command (save its edits to keep them); a "
            "layer not in edit mode is written and saved directly. Otherwise a copy of the layer with "
            "these fields is written to the output. Results are "
            "matched by the fid field the chips were cut with (empty = feature id, or the fid field "
            "recorded in the run's run.json). A run that has a run.json refuses another fid field than "
            "the one its chips were cut with, and a layer in which fewer than half of its results' fids "
            "are found."
        )

    def flags(self):
        # editing a project layer in place must happen on the main thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.INPUT, self.tr("Vector layer"), [QgsProcessing.SourceType.TypeVector]
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.RESULTS,
                self.tr("Results (results.sqlite)"),
                behavior=QgsProcessingParameterFile.Behavior.File,
                fileFilter=self.tr("Results (*.sqlite);;All files (*)"),
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.FID_FIELD,
                self.tr("Fid field (empty = feature id)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.CLASS_FIELD, self.tr("Class id field"), defaultValue=CLASS_FIELD)
        )
        self.addParameter(
            QgsProcessingParameterString(self.NAME_FIELD, self.tr("Class name field"), defaultValue=NAME_FIELD)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.IN_PLACE, self.tr("Write into the input layer itself"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.tr("Layer with classes (not used when writing in place)"),
                QgsProcessing.SourceType.TypeVectorAnyGeometry,
                defaultValue=QgsProcessing.TEMPORARY_OUTPUT,
                optional=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.WRITTEN, self.tr("Features that got a class")))
        self.addOutput(
            QgsProcessingOutputNumber(self.NOT_FOUND, self.tr("Results without a feature in the layer"))
        )

    def checkParameterValues(self, parameters, context):
        in_place = self.parameterAsBoolean(parameters, self.IN_PLACE, context)
        output = parameters.get(self.OUTPUT)
        if output is None:  # not given: the default (a temporary layer), as parameterAsSink does
            output = self.parameterDefinition(self.OUTPUT).defaultValue()
        if not in_place and not output:
            return False, self.tr("Choose an output layer, or write into the input layer itself (IN_PLACE).")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.tr("The input layer cannot be read."))
        results = self.parameterAsFile(parameters, self.RESULTS, context)
        fid_field = self.parameterAsString(parameters, self.FID_FIELD, context) or ""
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context).strip() or CLASS_FIELD
        name_field = self.parameterAsString(parameters, self.NAME_FIELD, context).strip() or NAME_FIELD
        in_place = self.parameterAsBoolean(parameters, self.IN_PLACE, context)

        feedback.setProgressText(self.tr("Reading the final classes of {0}").format(results))
        finals = final_classes(results)
        feedback.pushInfo(self.tr("{0} results read.").format(len(finals)))
        run = RunRecord.of_results(results)
        recorded = recorded_fid_field(run.info)
        if not fid_field and recorded:
            fid_field = recorded
            feedback.pushInfo(self.tr("Results are matched by '{0}', the fid field the chips were cut with "
                                      "(run.json).").format(recorded))
        if feedback.isCanceled():
            return {}

        try:
            if in_place:
                report = write_classes(layer, finals, fid_field, ClassFields(class_field, name_field), feedback, run)
                if report.canceled:
                    feedback.reportError(report.message())
                else:
                    feedback.pushInfo(report.message())
                in_project = QgsProject.instance().mapLayer(layer.id()) is not None
                output = layer.id() if in_project else layer.source()
                return {self.OUTPUT: output, self.WRITTEN: report.written, self.NOT_FOUND: len(report.not_found)}
            _, check = linked_keys(layer, finals, fid_field, run, class_field=class_field)  # before the copy starts
            if placed_note(run, check):
                feedback.pushWarning(placed_note(run, check))
            return self._write_copy(layer, finals, fid_field, (class_field, name_field), parameters, context,
                                    feedback)
        except WriteBackError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def _write_copy(self, layer, finals, fid_field, names, parameters, context, feedback):
        """A copy of the layer with the class fields (its fids were checked by linked_keys before)."""
        plan = plan_fields(layer.fields(), layer.name(), names[0], names[1], STATUS_FIELD)
        fields, indexes = output_fields(layer.fields(), plan)
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, layer.wkbType(), layer.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(
                self.tr("Choose an output layer, or write into the input layer itself (IN_PLACE).")
            )
        written, seen, refused = self._copy_features(layer, finals, fid_field, (fields, indexes, len(plan.missing)),
                                                     sink, feedback)
        for sentence in refused[:REFUSED_LISTED]:
            feedback.pushWarning(sentence)
        if len(refused) > REFUSED_LISTED:
            feedback.pushWarning(self.tr("... and {0} more features without a usable fid.").format(
                len(refused) - REFUSED_LISTED))
        not_found = len(finals) - len(seen)
        feedback.pushInfo(self.tr("{0} features got a class.").format(written))
        if not_found:
            feedback.reportError(
                self.tr("{0} results have no feature in layer '{1}': is it the layer the chips were cut "
                        "from, with the same fid field?").format(not_found, layer.name())
            )
        return {self.OUTPUT: dest_id, self.WRITTEN: written, self.NOT_FOUND: not_found}

    def _copy_features(self, layer, finals, fid_field, layout, sink, feedback):
        """Every feature into the sink, with its final class where it has one: (written, fids seen, refused).
        `layout` is (the copy's fields, the class fields' indexes, how many fields the copy adds)."""
        fields, indexes, added = layout
        key_index = layer.fields().lookupField(fid_field) if fid_field else -1
        total = max(layer.featureCount(), 1)
        seen, refused, written = set(), [], 0
        for count, feature in enumerate(layer.getFeatures()):
            if feedback.isCanceled():
                break
            try:
                key = feature.id() if key_index < 0 else attribute_fid(feature.attribute(key_index), fid_field)
            except FidError as exc:
                refused.append(refused_feature(feature.id(), exc))
                key = None
            attributes = list(feature.attributes()) + [None] * added
            final = finals.get(key) if key is not None else None
            if final is not None:
                seen.add(key)
                for index, value in zip(indexes, class_values(final)):
                    attributes[index] = value
                written += 1
            copy = QgsFeature(fields)
            copy.setGeometry(feature.geometry())
            copy.setAttributes(attributes)
            if not sink.addFeature(copy, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(
                    self.tr("Feature {0} could not be written: {1}").format(feature.id(), sink.lastError())
                )
            if count % 500 == 0:
                feedback.setProgress(100.0 * count / total)
        return written, seen, refused
