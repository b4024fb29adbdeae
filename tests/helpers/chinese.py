"""Finding English in what the plugin says under the Chinese interface."""
import re

ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")
# what a server or the system says, quoted by our messages, stays in its own words; so do file paths
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"|'[^']*'|(?:(?<![A-Za-z])[A-Za-z]:)?/[^\s,;，。)]+")


def english_in(texts, quoted_allowed=False):
    """The texts holding an English sentence (outside quotes and paths when `quoted_allowed`)."""
    if quoted_allowed:
        return [t for t in texts if ENGLISH_SENTENCE.search(QUOTED.sub(" ", t))]
    return [t for t in texts if ENGLISH_SENTENCE.search(t)]
