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
