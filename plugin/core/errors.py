"""One base for the errors plugin/core raises to the user.

plugin/core cannot import Qt, so it cannot translate. An error carries its English sentence as a
`template` with {0}, {1}... and the `values` that fill it; str() is the English sentence, and the GUI
and the Processing algorithms show `plugin.i18n.tr_error(error)`, the sentence in the user's language.
`detail` keeps technical text (a server's own words, a traceback line) apart from the sentence.
"""
from __future__ import annotations


def english(value):
    """A value as it reads in the English sentence: a list or tuple of sentences reads one after another."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return value


def _sentence(template: str, values) -> str:
    return template.format(*map(english, values)) if values else template


class ChipVLMError(Exception):
    """A value that is itself a Message or a ChipVLMError (or a list of them) is translated with it."""

    def __init__(self, template: str, *values, detail: str = ""):
        super().__init__(_sentence(template, values))
        self.template = template
        self.values = values
        self.detail = detail


class Message(str):
    """A sentence plugin/core says (progress, log) with its template kept for translation.

    It is the English text itself (a str, so a caller that only prints it needs nothing), and
    carries `template` and `values` as ChipVLMError does: the algorithms and the GUI show
    `plugin.i18n.tr_error(message)`. scripts/update_translations.py collects the templates.
    """

    def __new__(cls, template: str, *values):
        text = super().__new__(cls, _sentence(template, values))
        text.template = template
        text.values = values
        return text
