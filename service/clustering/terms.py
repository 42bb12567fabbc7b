"""Turning an item into weighted keywords (pure).

Titles count more than body text; capitalised names and places, and numbers, are the
strongest evidence that two reports describe the same event, so they weigh more than
common words. Numbers weigh as much as names: a score, a magnitude, a date or a year
tells two similar events apart (two earthquakes, two games between the same teams), but
a toll changes from one report to the next, so they weigh no more than names.
Words are lower-cased, stemmed and read through the lexicon's classes (:mod:`.lexicon`:
"quake" is "earthquake", "Iranian" is "Iran").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from service.clustering.lexicon import class_keyword, head_word, keyword_of

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours said says say told according
reported reports report news year years day days week weeks monday tuesday wednesday
thursday friday saturday sunday today yesterday tomorrow mr mrs ms one two three new
last first like get got make made may might must us per via since ago around among
""".split())
_LETTERS = r"[A-Za-z][A-Za-z'’-]*[A-Za-z]"
_NUMBER = r"\d[\d,.]*\d|\d"
_WORD = rf"{_LETTERS}|{_NUMBER}"
# A word, and the mark before it (past any spaces) when that mark ends a sentence or
# opens a quote: a capital after one says nothing about names.
_MARKS = ".!?\"'“”:"
_TOKEN = re.compile(rf"([{_MARKS}])?\s*({_WORD})")
# The same, where a page's time stamp stands (its title and first line): a time of day
# with its zone ("13:42 GMT", "8:24am", "5 pm") is read as one token, which is no keyword
# (see _is_time). A stamp says when the page was written or updated, not what happened,
# and every story of that hour shares it; further down, "struck at 9:40 p.m." is the
# event's own time, and its numbers are keywords like any other.
_TIME = (r"\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\b\.?)?"
         r"(?:\s+(?:GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|ET|PT|IST)\b)?"
         r"|\d{1,2}\s*[AaPp]\.?[Mm]\b\.?")
# words first: most tokens are words, and a failed time costs each of them a try
_STAMPED = re.compile(rf"([{_MARKS}])?\s*({_LETTERS}|{_TIME}|{_NUMBER})")

TITLE_WEIGHT = 2.0
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 2.0
DATELINE_TERMS = frozenset(keyword_of(word) for word in """
january february march april june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
updated posted published modified edited""".split())
BODY_WORDS = 100  # the lead carries the event; later words drift into background


_SURFACES: dict[str, str] = {}  # stem -> the first word seen with it, for display
SURFACES_KEPT = 200_000  # a bound for a long-running process (a vocabulary is smaller)


def readable(term: str) -> str:
    """A keyword as people write it ("hospital", not its stem "hospit"): a class's head
    word ("explosion", whichever of "blast" or "bombing" came first), else the first word
    this process turned into it. Event keywords are stored so, and the event search
    stems them again: a stem stored as it is ("explos") would stem to another ("explo")
    and no longer meet the searched word."""
    return head_word(term) or _SURFACES.get(term, term)


@dataclass(frozen=True)
class Document:
    """An item as the clusterer sees it: keyword weights (term frequency, boosted)."""

    weights: dict[str, float]


@lru_cache(maxsize=65536)
def _keyword(raw: str) -> tuple[str, float, float] | None:
    """(term, its weight mid-sentence, its weight after a sentence's end or a quote mark)
    for a word as written, None for a stopword. Names (capitalised mid-sentence),
    acronyms and numbers weigh more; after such a mark a capital says nothing about
    names. An acronym ("WHO", "UN", "US") is kept though its lower-case twin is a
    stopword or short: written in capitals, it names an agency or a country ("UK" is
    read as Britain, see :mod:`.lexicon`). Cached: a news vocabulary repeats, and this
    runs for every word of every item."""
    raw = raw.replace("’", "'")
    if raw.endswith("'s") or raw.endswith("'S"):
        raw = raw[:-2]
    low = raw.lower()
    if raw.isupper() and raw.isalpha():
        return class_keyword(low), NAME_WEIGHT, NAME_WEIGHT
    if low in STOPWORDS or len(low) < 3 and not low.isdigit() or _is_time(low):
        return None
    if low[0].isdigit():
        return low.replace(",", ""), NUMBER_WEIGHT, NUMBER_WEIGHT
    term = keyword_of(low)
    if term not in _SURFACES and len(_SURFACES) < SURFACES_KEPT:
        _SURFACES[term] = low
    return term, NAME_WEIGHT if raw[0].isupper() else 1.0, 1.0


def _is_time(low: str) -> bool:
    """Whether a lower-cased token is a time stamp (as _STAMPED reads one): digits, then
    a colon or an "am"/"pm"."""
    return low[0].isdigit() and (":" in low or low.rstrip(".").endswith("m"))


def document(title: str, text: str, *, plain: bool = False) -> Document:
    """Weighted keywords of an item's title and text. ``plain`` turns off every boost
    and reads the whole text: the textbook TF-IDF baseline the evaluation compares to.

    A text in capitals throughout ("CHARGERS' RECEIVER ARRESTED") is read as lower-case:
    its capitals say nothing about names or acronyms. A title of a date alone is no
    headline (see :func:`_dated`), and a time stamp is no keyword (see ``_STAMPED``).
    Each part's start counts as a sentence's (the ". " put before it). One loop over the
    words of both parts, their weights looked up: this runs for every item, and was a
    tenth of the clusterer's time."""
    weights: dict[str, float] = {}  # not a Counter: its missing-key path is Python code
    get = weights.get
    if text.startswith(title):  # stored text begins with the title (service.parse)
        text = text[len(title):]
    parts = ((title, 1.0, None), (text, 1.0, None)) if plain else (
        (title, TITLE_WEIGHT, None), (text, 1.0, BODY_WORDS))
    for number, (part, factor, limit) in enumerate(parts):
        if part.isupper():
            part = part.lower()
        kept = 0
        head, _, rest = part.lstrip().partition("\n")
        # findall: no match objects, in C; the ". " makes the start a sentence's
        tokens = _STAMPED.findall(". " + head)
        if rest:  # after the mark the first line ends with, if any, as if read on
            end = head.rstrip()[-1:]
            tokens += _TOKEN.findall((end if end in _MARKS else "") + "\n" + rest)
        for mark, raw in tokens:
            word = _keyword(raw)
            if word is None:
                continue
            term, mid_sentence, after_mark = word
            boost = 1.0 if plain else after_mark if mark else mid_sentence
            weights[term] = get(term, 0.0) + factor * boost
            kept += 1
            if kept == limit:
                break
        if number == 0 and not plain and all(map(_dated, weights)):
            weights.clear()  # a dateline where the headline should be (title comes first)
    return Document(weights)


def _dated(term: str) -> bool:
    """Whether a keyword belongs to a date or a page's furniture ("Friday, June 7, 2013",
    "Updated Saturday, December 05, 2009"): a title of nothing else is a dateline, which
    tells when a page was written, not what happened, and matches every other story's
    dateline of that month or year."""
    return term[0].isdigit() or term in DATELINE_TERMS
