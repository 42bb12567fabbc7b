"""A plain regular-expression casualty reader, written apart from service.casualties on purpose.

The yardstick the casualty figures are printed beside (`tollwatch eval casualties`): what
the first thing anyone would write gets on the same sentences. A number (digits or a word
up to twenty) close before a death or injury word ("12 people were killed", "five dead"),
or right after a killing verb ("killing 12", "injuring five"). No hedges, no partial
counts, no negation, no dated events: it shares no code with the reader, so a flaw there
cannot flatter both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_NUMBER = r"(\d[\d,]*|" + "|".join(_WORDS) + r")"
_KILLED = r"(?:killed|dead|died|deaths?|fatalities|lives)"
_INJURED = r"(?:injured|wounded|hurt|injuries)"
_BEFORE = r"\b{number}\s+(?:\w+\s+){{0,3}}?{word}\b"
_AFTER = r"\b(?:{verb})\s+(?:at least\s+)?{number}\b"
_PATTERNS = {
    "killed": (re.compile(_BEFORE.format(number=_NUMBER, word=_KILLED), re.I),
               re.compile(_AFTER.format(verb="killing|kills|killed", number=_NUMBER), re.I)),
    "injured": (re.compile(_BEFORE.format(number=_NUMBER, word=_INJURED), re.I),
                re.compile(_AFTER.format(verb="injuring|wounding|injures|wounded", number=_NUMBER),
                           re.I)),
}


def _count(token: str) -> int:
    token = token.lower().replace(",", "")
    return _WORDS.index(token) + 1 if token in _WORDS else int(token)


def extract(text: str) -> list[Mapping[str, object]]:
    """Figures as the scorer takes them: one per match, each kind's counts once."""
    figures: list[Mapping[str, object]] = []
    for kind, patterns in _PATTERNS.items():
        counts = {_count(m.group(1)) for pattern in patterns for m in pattern.finditer(text)}
        figures += [{"kind": kind, "count": count, "rule": "regex"} for count in sorted(counts)]
    return figures
