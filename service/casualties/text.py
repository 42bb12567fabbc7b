"""Sentences and tokens with their character offsets (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*(?:[-–][A-Za-z]+(?:-[A-Za-z]+)*|[-–]\d+(?:,\d{3})*)?"  # 1,400 33-year-old 20-30
    r"|[A-Za-z]+(?:[-'’.][A-Za-z]+)*"  # words, forty-eight, al-Amara, U.S
    r"|\S"
)
# A sentence ends at . ! ? (or a line break) followed by a capital, a digit or a quote,
# unless the word before the stop is a known abbreviation or a single initial.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_TAIL = 32  # characters before a stop that can hold the abbreviation ending there
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "lt", "gen", "gov", "sgt", "col", "capt", "st", "mt", "insp",
    "sen", "rep", "rev", "prof", "jr", "sr", "no", "vs", "u.s", "u.n", "u.k", "e.g", "i.e",
    "inc", "co", "corp", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mich", "calif", "fla", "pa", "ariz", "ga", "ill", "mass",
    "phila", "ave", "blvd", "approx", "est", "cpl", "pvt", "maj", "supt", "det", "adm",
    "spc", "pfc", "sfc", "cmdr", "cdr", "cpt", "ens",  # ranks in casualty notices
}


class Token(NamedTuple):
    """A word or mark and its offsets. A named tuple, not a frozen dataclass: every word
    of every kept sentence is one, and a tuple is built at a fraction of the cost."""

    text: str
    low: str
    start: int
    end: int

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the whole text
    tokens: tuple[Token, ...]


def sentences(text: str, keep: Callable[[str], object] | None = None) -> list[Sentence]:
    """The sentences of ``text``, tokenised; with ``keep``, only those it accepts (the
    others are never tokenised, which is most of the cost)."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().isspace() and _abbreviation_before(text, begin, match.start()):
            continue
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, len(text)))
    result = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        if keep is not None and not keep(stripped):
            continue
        offset = start + chunk.index(stripped)
        result.append(Sentence(stripped, offset, tokenize(stripped, offset)))
    return result


def _abbreviation_before(text: str, begin: int, end: int) -> bool:
    """Whether the stop just before ``end`` closes an abbreviation or an initial ("Gen.",
    "U.S.", "J. Smith") rather than the sentence begun at ``begin``. Only the last few
    characters are read, not the sentence so far: copying and scanning that at every stop
    was a fifth of the extractor's time on ~1 KB items. The word holds no space, so only
    what follows the tail's last space is searched."""
    tail = text[max(begin, end - _TAIL):end].rstrip("\"'”’)")
    if not tail or tail[-1].isspace():
        return False
    last_word = _LAST_WORD.search(tail.rsplit(None, 1)[-1])
    if last_word is None:
        return False
    word = last_word.group(1)
    return len(word) == 1 or word.lower().rstrip(".") in ABBREVIATIONS


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """The words and marks of ``text`` (one comprehension: every kept sentence is
    tokenised, and a loop of appends was a tenth slower)."""
    return tuple([Token(word, word.lower().replace("’", "'"), offset + m.start(),
                        offset + m.end())
                  for m in TOKEN.finditer(text) for word in (m[0],)])
