"""chipvlm:cutchips — one image chip per feature, centred on its bounding box, outline in red."""
import os

from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProviderRegistry,
    QgsWkbTypes,
)

from ..core import defaults
from ..core.chips.cutter import CutIO
from ..core.chips.engine import ChipError, CutFeedback, CutOptions, FeatureInput, cut_chips
from ..core.chips.index import SMALL_OBJECT_PIXELS
from ..core.chips.window import FRAMINGS
from ..core.fids import FidError
from ..i18n import tr, tr_error
from ..layers.features import attribute_fid
from ..settings import CLASSIFY_INDEX
from .base import ChipVLMAlgorithm, WordChoice

FORMATS = ["PNG", "JPEG"]


class CutChipsAlgorithm(ChipVLMAlgorithm):
    NAME = "cutchips"
    GROUP = "cut"
    ICON = "cut.svg"
    INPUT = "INPUT"
    RASTER = "RASTER"
    FID_FIELD = "FID_FIELD"
    CHIP_SIZE = "CHIP_SIZE"
    FORMAT = "FORMAT"
    BANDS = "BANDS"
    WORKERS = "WORKERS"
    MAX_INFLIGHT = "MAX_INFLIGHT"
    LIMIT = "LIMIT"
    OVERWRITE = "OVERWRITE"
    FRAMING = "FRAMING"
    CONTEXT = "CONTEXT"
    MAX_ZOOM = "MAX_ZOOM"
    BUILD_OVERVIEWS = "BUILD_OVERVIEWS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    INDEX = "INDEX"
    CHIP_COUNT = "CHIP_COUNT"

    def __init__(self, cut_io=None):
        super().__init__()
        self.cut_io = cut_io or CutIO()  # how the raster is opened and chips written (a test gives its own)

    def createInstance(self):
        return type(self)(self.cut_io)

    def displayName(self):
        return self.tr("Cut feature chips")

    def shortHelpString(self):
        return self.tr(
            "Cuts one CHIP_SIZE x CHIP_SIZE image per feature from the raster, centred on the centre of "
            "the feature's bounding box, with the object's outline drawn in red just outside it (corner marks "
            "around a tiny object) and the fid written top-left, and "
            "writes chips_index.csv beside the chips/ folder.\n\n"
            "FRAMING: native shows CHIP_SIZE raster pixels whatever the object's size; auto (default) does "
            "the same unless the object and its context do not fit, then shows more ground, shrunk to the "
            "chip; fit always makes the object and its context fill the chip, magnifying small objects up to "
            "MAX_ZOOM times. CONTEXT is the margin on each side, as a share of the object's size (at least "
            "5 m).\n\n"
            "Runs in parallel and resumes: with OVERWRITE off, a rerun skips the chips already cut. "
            "Features outside the raster, without geometry or that cannot be read get a row with a "
            "status and a message instead of a chip. Imagery that is not 8-bit is stretched once for "
            "the whole raster (2-98 percentiles)."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Objects (vector layer)"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterRasterLayer(self.RASTER, self.tr("Imagery (raster)")))
        self.addParameter(QgsProcessingParameterField(
            self.FID_FIELD, self.tr("Fid field (empty = feature id)"), parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.CHIP_SIZE, self.tr("Chip size (pixels)"), QgsProcessingParameterNumber.Type.Integer, defaults.CHIP_SIZE,
            minValue=16, maxValue=8192))
        self.addParameter(WordChoice(self.FORMAT, self.tr("Image format"), FORMATS, "PNG"))
        self.addParameter(QgsProcessingParameterString(
            self.BANDS, self.tr("Bands (e.g. 1,2,3 or 4; empty = first three)"), optional=True))
        self.addParameter(WordChoice(
            self.FRAMING, self.tr("Framing (native: raster resolution; auto: shrink objects that do not fit; "
                                  "fit: object fills the chip)"), FRAMINGS, "auto"))
        advanced = [
            QgsProcessingParameterNumber(
                self.CONTEXT, self.tr("Context around the object (share of its size on each side)"),
                QgsProcessingParameterNumber.Type.Double, 0.25, minValue=0.0, maxValue=10.0),
            QgsProcessingParameterNumber(
                self.MAX_ZOOM, self.tr("Largest magnification in fit framing (times the raster resolution)"),
                QgsProcessingParameterNumber.Type.Double, 4.0, minValue=1.0, maxValue=64.0),
            QgsProcessingParameterBoolean(
                self.BUILD_OVERVIEWS, self.tr("Build overviews first when the raster has none (an .ovr file beside "
                                              "it; the raster itself is not changed)"), False),
            QgsProcessingParameterNumber(
                self.WORKERS, self.tr("Workers (0 = one per CPU core)"), QgsProcessingParameterNumber.Type.Integer,
                0, minValue=0, maxValue=256),
            QgsProcessingParameterNumber(
                self.MAX_INFLIGHT, self.tr("Chips in flight at most (0 = 8 per worker)"),
                QgsProcessingParameterNumber.Type.Integer, 0, minValue=0, maxValue=100000),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterNumber(
            self.LIMIT, self.tr("Only the first N features (0 = all)"), QgsProcessingParameterNumber.Type.Integer,
            0, minValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.OVERWRITE, self.tr("Overwrite (off = resume, skipping chips already cut)"), False))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Run folder")))
        self.addOutput(QgsProcessingOutputFile(self.INDEX, self.tr("Chips index (chips_index.csv)")))
        self.addOutput(QgsProcessingOutputNumber(self.CHIP_COUNT, self.tr("Number of chips")))

    def checkParameterValues(self, parameters, context):
        fid_field = self.parameterAsString(parameters, self.FID_FIELD, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if fid_field and source is not None and source.fields().lookupField(fid_field) < 0:
            return False, self.tr("The layer has no field named '{}'.").format(fid_field)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        raster = self.parameterAsRasterLayer(parameters, self.RASTER, context)
        if raster is None or not raster.isValid():
            raise QgsProcessingException(self.tr("The raster could not be loaded: check that the file exists and GDAL can read it."))
        raster_path = raster_file_path(raster)
        if raster_path is None:
            raise QgsProcessingException(
                self.tr("The raster '{}' is not a file read by GDAL (it comes from the '{}' provider): save it as a "
                        "GeoTIFF first.").format(raster.name(), raster.providerType()))
        fid_field = self.parameterAsString(parameters, self.FID_FIELD, context) or None
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        options = CutOptions(
            chip_size=self.parameterAsInt(parameters, self.CHIP_SIZE, context),
            fmt=self.choice(parameters, self.FORMAT, context),
            bands=self.parameterAsString(parameters, self.BANDS, context) or None,
            workers=self.parameterAsInt(parameters, self.WORKERS, context),
            max_inflight=self.parameterAsInt(parameters, self.MAX_INFLIGHT, context),
            limit=self.parameterAsInt(parameters, self.LIMIT, context),
            overwrite=self.parameterAsBool(parameters, self.OVERWRITE, context),
            framing=self.choice(parameters, self.FRAMING, context),
            context=self.parameterAsDouble(parameters, self.CONTEXT, context),
            max_zoom=self.parameterAsDouble(parameters, self.MAX_ZOOM, context),
        )
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        crs = raster.crs()
        run_info = {
            "layer_source": layer.source() if layer is not None else str(parameters.get(self.INPUT, "")),
            "layer_name": layer.name() if layer is not None else source.sourceName(),
            "fid_field": fid_field or "",
            "feature_count": source.featureCount(),
            "crs": (crs.authid() or crs.toWkt()) if crs.isValid() else "",
        }

        transform = None
        if not source.sourceCrs().isValid() or not raster.crs().isValid():
            feedback.pushWarning(self.tr(
                "The layer or the raster has no coordinate reference system: their coordinates are taken "
                "to be the same."))
        elif source.sourceCrs() != raster.crs():
            transform = QgsCoordinateTransform(source.sourceCrs(), raster.crs(), context.transformContext())
            feedback.pushInfo(self.tr("Reprojecting the features from {} to the raster's {}.").format(
                source.sourceCrs().authid(), raster.crs().authid()))

        build = self.parameterAsBool(parameters, self.BUILD_OVERVIEWS, context)
        if build and options.framing != "native":
            build_overviews(raster_path, feedback)
        features = read_features(source, fid_field, transform, feedback, options.limit)
        try:
            summary = cut_chips(
                raster_path, features, folder, options,
                CutFeedback(progress=lambda fraction, message: (feedback.setProgress(100.0 * fraction),
                                                                self.progress_text(feedback, tr_error(message))),
                            log=lambda message: feedback.pushInfo(tr_error(message)),
                            is_canceled=feedback.isCanceled),
                run_info=run_info,
                io=self.cut_io,
            )
        except ChipError as exc:
            raise QgsProcessingException(tr_error(exc)) from exc
        for warning in summary.warnings:
            feedback.pushWarning(warning)
        if summary.shrunk and not summary.overviews:
            feedback.pushInfo(self.tr(
                "Turn BUILD_OVERVIEWS on to build overviews once beside the raster ({}.ovr; the raster itself is not "
                "changed): shrunk windows are then read through them, in this run and the next.").format(raster_path))
        feedback.pushInfo(self.tr(
            "{} chips cut, {} already there, {} outside the raster, {} without geometry, {} failed, in {:.1f} s.").format(
            summary.cut, summary.already_done, summary.outside, summary.empty, summary.failed, summary.seconds))
        self.report_outside_and_small(summary, feedback)
        if summary.canceled:
            feedback.pushWarning(self.tr("Canceled: the index holds every chip finished so far; run again to resume."))
        if summary.chip_count:
            CLASSIFY_INDEX.write(summary.index_path)  # what Classify chips… offers next
        return {self.OUTPUT_FOLDER: summary.folder, self.INDEX: summary.index_path, self.CHIP_COUNT: summary.chip_count}


    def report_outside_and_small(self, summary, feedback):
        """Name the first fids outside the raster (then count the rest) and count the small objects."""
        if summary.outside:
            named = ", ".join(str(fid) for fid in summary.outside_fids)
            more = summary.outside - len(summary.outside_fids)
            text = (self.tr("Outside the raster (no chip): fid {} and {} more.").format(named, more) if more else
                    self.tr("Outside the raster (no chip): fid {}.").format(named))
            feedback.pushWarning(text)
        if summary.small:
            feedback.pushInfo(self.tr(
                "{} chips show an object smaller than {:g} raster pixels across: the imagery can hardly show what it "
                "is (small_object = 1 in the index; the review can list them).").format(
                summary.small, SMALL_OBJECT_PIXELS))


def build_overviews(path, feedback):
    """Overviews in an external .ovr beside the raster, built by GDAL with the file opened read-only, so
    the raster itself is never written. Nothing happens when the raster already has overviews."""
    import time

    from osgeo import gdal

    dataset = gdal.Open(path, gdal.GA_ReadOnly)
    if dataset is None:
        raise QgsProcessingException(tr("GDAL cannot read the raster '{}'.").format(path))
    if dataset.GetRasterBand(1).GetOverviewCount() > 0:
        feedback.pushInfo(tr("The raster already has overviews: none built."))
        return
    levels, factor = [], 2
    while max(dataset.RasterXSize, dataset.RasterYSize) / factor >= 256:
        levels.append(factor)
        factor *= 2
    if not levels:
        return
    feedback.pushInfo(tr("Building overviews beside the raster ({}.ovr, levels {})...").format(
        path, ", ".join(str(level) for level in levels)))
    started = time.monotonic()
    previous = gdal.GetConfigOption("COMPRESS_OVERVIEW")
    gdal.SetConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
    try:
        status = dataset.BuildOverviews(
            "AVERAGE", levels, callback=lambda done, message, data: 0 if feedback.isCanceled() else (
                feedback.setProgressText(tr("Building overviews: {}%").format(int(done * 100))) or 1))
    finally:
        gdal.SetConfigOption("COMPRESS_OVERVIEW", previous)
        dataset = None
    if feedback.isCanceled():
        return
    if status != 0:
        raise QgsProcessingException(tr("GDAL could not build overviews for '{}': {}").format(
            path, gdal.GetLastErrorMsg()))
    size = os.path.getsize(path + ".ovr") / 2 ** 20 if os.path.exists(path + ".ovr") else 0.0
    feedback.pushInfo(tr("Overviews built in {:.1f} s ({:.0f} MiB): {}.ovr.").format(
        time.monotonic() - started, size, path))


def raster_file_path(layer):
    """The file behind a GDAL raster layer, or None for other providers (WMS, XYZ...)."""
    if layer.providerType() != "gdal":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("gdal", layer.source())
    return parts.get("path") or layer.source()


def read_features(source, fid_field, transform, feedback, limit):
    """Yield FeatureInput from the layer, in file order, geometries in the raster's CRS as WKB."""
    request = QgsFeatureRequest()
    if fid_field is None:
        request.setNoAttributes()
    else:
        request.setSubsetOfAttributes([fid_field], source.fields())
    if limit:
        request.setLimit(limit)
    for feature in source.getFeatures(request):
        if fid_field is None:
            fid = feature.id()
        else:
            try:
                fid = attribute_fid(feature[fid_field], fid_field)
            except FidError as exc:
                feedback.pushWarning(tr("Feature {0} gets no chip: {1}").format(feature.id(), tr_error(exc)))
                continue
            if fid is None:
                feedback.pushWarning(tr("Feature {0} gets no chip: its {1} is empty.").format(feature.id(), fid_field))
                continue
        geometry = feature.geometry()
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            yield FeatureInput(fid, None)
            continue
        geometry = QgsGeometry(geometry)
        if transform is not None:
            try:
                geometry.transform(transform)
            except QgsCsException as exc:
                yield FeatureInput(fid, None, f"Cannot reproject the feature to the raster's CRS: {exc}")
                continue
        yield FeatureInput(fid, plain_wkb(geometry))


def plain_wkb(geometry):
    """WKB that shapely 1.8 and 2 both read: curves segmentized, M values dropped."""
    if QgsWkbTypes.isCurvedType(geometry.wkbType()):
        geometry = QgsGeometry(geometry.constGet().segmentize())
    if QgsWkbTypes.hasM(geometry.wkbType()):
        geometry.get().dropMValue()
    return bytes(geometry.asWkb())
