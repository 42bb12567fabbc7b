"""Whether a text can hold a casualty figure at all, before the reader is run on it.

The reader reads only sentences holding one of its cue words (``lexicon.CUES``): a text
with none of them anywhere yields no figure, whatever else it says. This test is the
same condition asked once of the whole text, as one regular expression, so that the
analysis stage can skip such items without splitting them into sentences.
"""

from __future__ import annotations

import re

from service.casualties.lexicon import CUES

# A cue as the reader's words are cut (runs of a-z in the lower-cased text): not part
# of a longer run of letters on either side.
_CUE = re.compile(r"(?<![a-z])(?:%s)(?![a-z])" % "|".join(
    sorted(map(re.escape, CUES), key=lambda w: (-len(w), w))))


def may_report_casualties(text: str) -> bool:
    """False only when the reader would find no figure in ``text``."""
    return _CUE.search(text.lower()) is not None
