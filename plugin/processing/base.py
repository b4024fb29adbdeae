"""What every ChipVLM Processing algorithm shares: name, group, icon, help, tr, errors.

An algorithm sets NAME (its fixed id, DESIGN.md), GROUP (a key of group_names()) and ICON (a file of
resources/icons/), and writes displayName, shortHelpString, initAlgorithm and processAlgorithm.

The Toolbox sorts groups, and algorithms inside a group, alphabetically (by their translated names),
so the groups carry the number of their step: 1 Cut, 2 Classify, 3 Review and write, 4 Audit,
5 Assess, 6 Learn; a group holding two algorithms lists them in an order that does not matter.

Errors: an error of plugin/core (ChipVLMError: a broken scheme, prompt template, results file...) that
leaves processAlgorithm or checkParameterValues becomes a QgsProcessingException carrying its sentence
in the user's language, so Processing shows one sentence and never a traceback. `fail(error)` does the
same explicitly.

Choices: `WordChoice` is the enum parameter of every algorithm. Its value is one of its words
(`FORMAT=folders`, `WEIGHTS=area`: DESIGN.md), from the Toolbox, the modeler and qgis_process alike, and
it still takes the option's index, which models saved before it took words hold. `choice()` reads it.
"""
import functools

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProperty,
)
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QIcon

from ..core.errors import ChipVLMError
from ..core.resources import RESOURCES, icon_path
from ..i18n import tr, tr_error

README = RESOURCES.parent / "README.md"


def group_names():
    """Group id -> the name the Toolbox shows, numbered in the order of the work."""
    return {
        "cut": tr("1 Cut"),
        "classify": tr("2 Classify"),
        "write": tr("3 Review and write"),
        "audit": tr("4 Audit"),
        "assess": tr("5 Assess"),
        "learn": tr("6 Learn"),
    }


def in_qgis_process() -> bool:
    return QgsApplication.platform() == "qgis_process"


def processing_error(error: Exception) -> QgsProcessingException:
    """The exception Processing shows for an error of plugin/core: its sentence, translated."""
    return QgsProcessingException(tr_error(error))


def _reporting_core_errors(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ChipVLMError as exc:
            raise processing_error(exc) from exc

    return wrapper


def chosen_word(words, value):
    """The word of ``words`` that ``value`` names: the word itself (in any case) or its index (an int,
    or digits as qgis_process and saved models give it); None when it names none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int):
        return words[value] if 0 <= value < len(words) else None
    if isinstance(value, str):
        wanted = value.strip().lower()
        return next((word for word in words if word.lower() == wanted), None)
    return None


class WordChoice(QgsProcessingParameterEnum):
    """An enum parameter whose values are words (usesStaticStrings, QGIS >= 3.18) that also takes an
    option's index. QGIS refuses a word for an enum of indexes ("Incorrect parameter value") and an index
    for an enum of words, so neither alone serves both the documented words and the saved models."""

    def __init__(self, name, description, words, default, optional=False):
        super().__init__(name, description, list(words), False, default, optional)
        self.setUsesStaticStrings(True)

    def clone(self):
        copy = WordChoice(self.name(), self.description(), self.options(), self.defaultValue())
        copy.setFlags(self.flags())
        copy.setMetadata(self.metadata())
        copy.setHelp(self.help())
        return copy

    def checkValueIsAcceptable(self, value, context=None):
        if chosen_word(self.options(), value) is not None:
            return True
        return super().checkValueIsAcceptable(value, context)


class ChipVLMAlgorithm(QgsProcessingAlgorithm):
    NAME = ""
    GROUP = ""
    ICON = "chipvlm.svg"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "processAlgorithm" in cls.__dict__:
            cls.processAlgorithm = _reporting_core_errors(cls.__dict__["processAlgorithm"])

    def tr(self, message):
        return tr(message)

    def createInstance(self):
        return type(self)()

    def name(self):
        return self.NAME

    def group(self):
        return group_names()[self.GROUP]

    def groupId(self):
        return self.GROUP

    def icon(self):
        return QIcon(icon_path(self.ICON))

    def svgIconPath(self):
        return icon_path(self.ICON)

    def helpUrl(self):
        return QUrl.fromLocalFile(str(README)).toString() if README.is_file() else ""

    def choice(self, parameters, name, context) -> str:
        """The word a WordChoice parameter was given (by word or by index), else its default."""
        words = self.parameterDefinition(name).options()
        value = parameters.get(name)
        if isinstance(value, QgsProperty):  # data-defined in a model
            value = self.parameterAsString(parameters, name, context)
        return chosen_word(words, value) or chosen_word(words, self.parameterDefinition(name).defaultValue())

    def progress_text(self, feedback, text: str) -> None:
        """A running count for the progress bar's label. qgis_process prints its progress as dots on
        one line, which such a text would run into: there the percentage alone shows the progress."""
        if not in_qgis_process():
            feedback.setProgressText(text)

    def fail(self, error: Exception):
        """Stop the algorithm with a core error's sentence in the user's language."""
        raise processing_error(error) from error
