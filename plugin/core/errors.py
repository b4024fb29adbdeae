"""One base for the errors plugin/core raises to the user.

plugin/core cannot import Qt, so it cannot translate. An error carries its English sentence as a
`template` with {0}, {1}... and the `values` that fill it; str() is the English sentence, and the GUI
and the Processing algorithms show `plugin.i18n.tr_error(error)`, the sentence in the user's language.
`detail` keeps technical text (a server's own words, a traceback line) apart from the sentence.
"""
from __future__ import annotations


class ChipVLMError(Exception):
    def __init__(self, template: str, *values, detail: str = ""):
        super().__init__(template.format(*values) if values else template)
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
        text = super().__new__(cls, template.format(*values) if values else template)
        text.template = template
        text.values = values
        return text
