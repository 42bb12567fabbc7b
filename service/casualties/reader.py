"""Casualty figures in news text: who was killed or injured, how many, says whom.

A rule-based reader, chosen over a statistical parser because it is fast enough to run
on every revision of every item as it arrives, and because every figure it reports can
be traced to the rule (``Figure.rule``) and the words that produced it. Its named shapes
(``shapes.SHAPES``) include:

- victims, then their state:   "at least 78 people were killed", "3 dead, 2 hurt"
- a verb, then the victims:    "killing 10 and injuring dozens", "left 31 dead"
- a toll:                      "the death toll rose to 148", "the injury of another"
- one victim, then the state:  "a nurse was killed", "Robert Buckley, 32, died"
- a verb, then one victim:     "killed a 66-year-old woman", "wounded a third"
- harm suffered or cared for:  "two officers sustained minor injuries"
- no survivors:                "none of the 44 people on board survived"

and refuses the usual traps: ages, times, years, counts of bombs or attackers,
hypotheticals ("could kill"), negations ("no one was hurt"), figures of an earlier,
dated event ("the 2012 attack that killed 40"; not a report's own opening date, "On July 12,
2024, ..."; one told by the time since it, "comes weeks after ..., killing 48", is a part),
rumours, hoaxes and denied reports ("Rumors surfaced that the singer was found dead"), states
offered as alternatives ("dead or unconscious"), and the attackers' own dead.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from service.casualties import lexicon as lx
from service.casualties.attribution import place_after, source_of
from service.casualties.numbers import implied_range, quantity
from service.casualties.shapes import HARMED_ONE, PART_AFTER, SHAPES, Match, parts_after
from service.casualties.text import Sentence, Token, sentences
from service.casualties.words import YEAR, Words, modal_perfect, qualified

_WORDS = re.compile(r"[a-z]+")


def _has_cue(sentence: str) -> bool:
    """Whether the sentence holds a word some shape needs (lexicon.CUES)."""
    return not lx.CUES.isdisjoint(_WORDS.findall(sentence.lower()))


@dataclass(frozen=True)
class Figure:
    kind: str  # killed | injured
    count: int | None  # None for vague quantities ("dozens")
    count_max: int | None
    qualifier: str
    vague: bool
    source: str | None
    place: str | None
    derived: bool
    start: int  # character offsets of the evidence in the whole text
    end: int
    sentence: str
    hedged: bool = False  # "feared dead", "believed killed", "may have died"
    partial: bool = False  # a part of a larger total, never a competing toll
    words: str | None = None  # the quantity as written: "dozens", "more than 60"
    rule: str = ""  # the name of the shape that read it
    adds: bool = False  # "another 20", "three more": an addition to a figure told before

    @property
    def implied_range(self) -> tuple[int, int | None] | None:
        """For a vague figure, the range its words imply: 'dozens' is 24 to 99."""
        return implied_range(self.words) if self.vague and self.words else None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "count": self.count, "count_max": self.count_max,
                "qualifier": self.qualifier, "vague": self.vague, "source": self.source,
                "place": self.place, "derived": self.derived, "start": self.start,
                "end": self.end, "evidence": self.sentence, "hedged": self.hedged,
                "partial": self.partial, "words": self.words, "rule": self.rule}


def extract(text: str, *, reference_year: int | None = None) -> list[Figure]:
    """Every casualty figure in ``text``, in reading order."""
    figures: list[Figure] = []
    for sentence in sentences(text, keep=_has_cue):
        read = _sentence_figures(sentence, reference_year, {f.kind for f in figures})
        figures = _injured_who_died(figures, sentence, read) + read
    return _inherit_sources(_one_of_those_counted(figures) + _totals_across(figures))


def _injured_who_died(before: list[Figure], sentence: Sentence, read: list[Figure]) -> list[Figure]:
    """'A rock truck operator was seriously injured. ... the rock truck operator died from
    her injuries.': victims told before ('the', 'both', 'all') who died of their harm are the
    dead, no longer the injured: the figures ``before`` lose their injured of that count;
    'A lineman was injured. He died two days later.': the one injured is one dead."""
    if not any(f.kind == "injured" for f in before):
        return before  # most texts: no one told injured before
    if not any(f.kind == "killed" for f in read) and _opens_with_death_of_one(sentence):
        return _last_injured_one_died(before)  # "... was injured. He died two days later."
    died = {f.count for f in read if f.kind == "killed" and not f.partial and
            _told_before(sentence, f)}
    if not died or not _died_of_harm(sentence):
        return before
    return [f for f in before if f.kind != "injured" or f.count not in died]


def _opens_with_death_of_one(sentence: Sentence) -> bool:
    """'He died of his injuries two days later', 'She later succumbed to her wounds': a
    sentence whose subject, a singular pronoun, died."""
    low = [t.low for t in sentence.tokens[:4]]
    k = 1 + (low[1:2] != [] and low[1] in lx.THEN_WORDS)
    return low[:1] in (["he"], ["she"]) and low[k:k + 1] != [] and low[k] in lx.DIED


def _last_injured_one_died(before: list[Figure]) -> list[Figure]:
    """The one person told injured last (a whole figure of one) is the one who died."""
    last = next((k for k in range(len(before) - 1, -1, -1) if before[k].kind == "injured"),
                None)
    if last is None or before[last].count != 1 or before[last].partial:
        return before
    return before[:last] + [replace(before[last], kind="killed")] + before[last + 1:]


def _told_before(sentence: Sentence, f: Figure) -> bool:
    """Whether the figure's victims are named as told before: 'the (rock truck) operator',
    'both', 'all three'."""
    at = next((k for k, t in enumerate(sentence.tokens) if t.start == f.start), None)
    return at is not None and (sentence.tokens[at].low in lx.TOLD_BEFORE or
                               at > 0 and sentence.tokens[at - 1].low in lx.TOLD_BEFORE)


def _died_of_harm(sentence: Sentence) -> bool:
    """'died from her injuries', 'succumbed to his wounds', 'died of their burns'."""
    low = [t.low for t in sentence.tokens]
    return any(word in lx.DIED and low[k + 1:k + 2] in (["from"], ["of"], ["to"]) and
               not lx.HARM.isdisjoint(low[k + 2:k + 5]) for k, word in enumerate(low))


def _one_of_those_counted(figures: list[Figure]) -> list[Figure]:
    """'I saw an injured person being taken to hospital' in a text that counts dozens
    injured: one victim described by their harm (shapes.HARMED_ONE) is one of the victims
    the text counts, so it stands only where no other figure of its kind is read."""
    counted = {f.kind for f in figures if f.rule != HARMED_ONE}
    return [f for f in figures if f.rule != HARMED_ONE or f.kind not in counted]


def _inherit_sources(figures: list[Figure]) -> list[Figure]:
    """A headline's unattributed '148 killed' is the figure the body credits to the
    Observatory: an unsourced figure takes the source given for the same figure elsewhere
    in the text, or the text's only source."""
    sourced = [f for f in figures if f.source]
    sources = {f.source for f in sourced}
    result = []
    for f in figures:
        if f.source is None and sourced:
            same = next((s.source for s in sourced if (s.kind, s.count) == (f.kind, f.count)), None)
            source = same or (next(iter(sources)) if len(sources) == 1 else None)
            f = replace(f, source=source)
        result.append(f)
    return result


def _sentence_figures(sentence: Sentence, reference_year: int | None,
                      told: AbstractSet[str] = frozenset()) -> list[Figure]:
    """The figures of one sentence; ``told``: the kinds of harm the sentences before it
    gave figures of."""
    tokens = sentence.tokens
    w = Words.of(tokens)
    if _mentions_earlier_event(w.low, reference_year):
        return []
    matches = _dedupe([_named(m, shape.name) for shape in SHAPES if shape.applies(w)
                       for m in shape.find(w)])
    parts = [_named(m, PART_AFTER) for m in parts_after(w, matches)]
    matches = _drop_pronouns(matches + parts)
    source = source_of(sentence)
    # Once a sentence, not per figure: whether it holds "also", and a period's running total
    also = bool(matches) and "also" in w.low
    period = bool(matches) and _period_total(w.low)
    earlier = _earlier_incident(w.low) if matches and "after" in w.present else None
    ordered = sorted(matches, key=lambda m: m.first)
    as_told_list = [_told_as(w.low, m) for m in ordered] if ordered and not \
        _RUMOUR_CUES.isdisjoint(w.present) else [None] * len(ordered)  # most: no rumour word
    figures = [_figure(m, w, sentence, source, also=also,
                       period=period or earlier is not None and earlier[0] < m.first < earlier[1],
                       unconfirmed=as_told == "unconfirmed",
                       first_of_kind=_first_of_kind(m.kind, told | {
                           o.kind for o in ordered[:n]}))
               for n, (m, as_told) in enumerate(zip(ordered, as_told_list))
               if as_told != "rumour"]
    return figures + _derived_totals(figures, sentence)


def _first_of_kind(kind: str, told: AbstractSet[str]) -> bool:
    """Whether a figure of ``kind`` is the first of its kind in a text that told figures
    before it, all of the other kind: "70 were killed. Many more were wounded"."""
    return bool(told) and kind not in told


def _named(m: Match, rule: str) -> Match:
    m.rule = rule  # a fresh match, not yet seen by anyone: naming it in place is cheap
    return m


def _figure(m: Match, w: Words, sentence: Sentence, source: str | None, *, also: bool,
            period: bool, unconfirmed: bool = False, first_of_kind: bool = False) -> Figure:
    """The figure a match reads. ``also``: whether the sentence holds 'also' at all;
    ``period``: whether it tells a period's running total (_period_total) or an earlier
    incident's; ``unconfirmed``: whether an unconfirmed report tells it (_told_as);
    ``first_of_kind``: whether the text told figures before it, all of the other kind."""
    tokens = w.tokens
    end = m.qty_end
    if end is None and (read := qualified(w.low, m.number_at)) is not None:
        end = read[2]  # None for "a nurse": no quantity written
    increment = not first_of_kind and _increment(w.low, m, end)  # "70 were killed. Many
    # more were wounded": more beside the dead, the first and whole injured figure
    return Figure(kind=m.kind, count=m.qty.value, count_max=m.qty.maximum,
                  qualifier=m.qualifier, vague=m.qty.vague, source=source,
                  place=place_after(tokens, m.last + 1), derived=False,
                  start=tokens[m.first].start, end=tokens[m.last].end, sentence=sentence.text,
                  hedged=unconfirmed or _hedged(w.low, m),
                  partial=m.partial or increment or period or _located(w.low, m),
                  words=_words(tokens, sentence, m.number_at, end), rule=m.rule,
                  adds=increment or also and _also(w.low, m))


def _hedged(low: list[str], m: Match) -> bool:
    """'five climbers are feared dead', 'may have died', 'believed killed': the figure's
    own words (or the three before them) say it is not confirmed."""
    span = low[max(0, m.first - 3):m.last + 1]
    if lx.HEDGES.isdisjoint(span) and lx.MODALS.isdisjoint(span):
        return False
    return any(low[k] in lx.HEDGES or modal_perfect(low, k)
               for k in range(max(0, m.first - 3), m.last + 1))


def _increment(low: list[str], m: Match, end: int | None) -> bool:
    """'three more bodies', 'another 48', 'a further 12', 'an additional 3', '4 new deaths':
    an addition to a toll already told, not the toll. ``end``: the index after the
    quantity."""
    at = m.number_at
    other = lx.INJURED_STATE if m.kind == "killed" else lx.KILLED_STATE
    if at >= 2 and low[at - 1] == "and" and low[at - 2] in other:
        return False  # "six were killed and a further 28 injured": more victims, the other kind
    if low[at] == "another" and end in (None, at + 1) and \
            not _OTHER_HARM[m.kind].isdisjoint(low[:at]):
        return False  # "the killing of a peacekeeper and the wounding of another": one more
        # of the people named, harmed the other way, not an addition to a toll of its own
    if low[at] in ("another", "further") or low[at - 1:at] in (["another"], ["further"]) or \
            low[at] in ("a", "an") and low[at + 1:at + 2] and low[at + 1] in lx.INCREMENTS:
        return True  # "a further 12", "an additional 3"
    if at >= 2 and low[at - 2] == "and" and low[at - 1] in lx.KILL_VERBS | lx.INJURE_VERBS:
        return False  # "killed 40 and wounded dozens more": more victims, of the other kind
    return end is not None and low[end:end + 1] != [] and low[end] in lx.INCREMENTS_AFTER


def _also(low: list[str], m: Match) -> bool:
    """'also' in the figure's own clause, with the harm: between the victims and their
    state ('seven people also died'), right before its verb ('also killed one'), or before
    a verb that leads to the count ('also contributed to 7 deaths'); not before a verb of
    speech or judgement ('also condemned the killing of'), nor after harm of the other
    kind ('six were killed and 20 others were also injured'). Such a figure adds to one
    told before (so parts at places of their own sum), yet stays whole: 'several
    civilians were also killed' may be the only toll of its kind."""
    if not _OTHER_HARM[m.kind].isdisjoint(low[:m.first]):
        return False
    if "also" in low[m.first:m.last]:
        return True
    k = m.first - 1
    if low[k:k + 1] in (["to"], ["in"]):
        k -= 1
    return k >= 1 and (low[k - 1] == "also" and low[k] in lx.CAUSE_VERBS or
                       k == m.first - 1 and low[k] == "also")


# Words of harm of the other kind than a figure's: more victims of that kind are no
# addition to this one ("killed and a further 28 injured", "killed ... also injured", "the
# death of one worker and the injury of another").
_OTHER_HARM = {"killed": frozenset(lx.INJURED_STATE | lx.INJURE_VERBS | {"injury"}),
               "injured": frozenset(lx.KILLED_STATE | lx.KILL_VERBS | lx.DEATH_NOUNS)}


def _located(low: list[str], m: Match) -> bool:
    """'the hospital in Jableh, where 43 people died', 'in Jableh alone, 100 were killed',
    '12 died in the capital alone': a count placed at one place of a larger event, a part
    of its toll rather than a toll of its own."""
    if m.first > 0 and low[m.first - 1] == "where":
        return True
    if low[max(0, m.first - 2):m.first] in (["alone", ","], ["alone"]) and \
            _placed_before(low, m.first - 1 - (low[m.first - 1] == ","), 4):
        return True
    for k in range(m.last + 1, min(len(low), m.last + 8)):
        if low[k] in lx.CLAUSE_END:
            return False
        if low[k] == "alone":
            return _placed_before(low, k, 5)
    return False


def _period_total(low: list[str]) -> bool:
    """'So far this year, nearly 100 troops have been killed', 'since the beginning of the
    monsoon season', 'since January', 'a cumulative 300 deaths', 'in total since', 'who
    have killed hundreds this year', 'earlier this month': a running total of a period or an
    earlier incident of it, many incidents' toll rather than this one's."""
    if _PERIOD_CUES.isdisjoint(low):
        return False  # most sentences: no word of a period's total, no walk
    for i, word in enumerate(low):
        if word in lx.CUMULATIVE_WORDS or low[i:i + 2] == ["total", "since"]:
            return True
        if word == "far" and i + 2 < len(low) and low[i + 1] in ("this", "in") and \
                _names_period(low[i + 2:i + 5]):
            return True
        if word == "since" and (_opens_period(low[i + 1:i + 8]) or _since_month(low, i + 1)):
            return True
        if word == "this" and low[i + 1:i + 2] != [] and (low[i + 1] in lx.RUNNING_PERIODS or (
                low[i + 1] in lx.PERIOD_NOUNS and low[i - 1:i] == ["earlier"])):
            return True  # "killed hundreds this year", "a crash earlier this month"
    return False


_PERIOD_CUES = frozenset(lx.CUMULATIVE_WORDS | {"total", "far", "since", "this"})


_RUMOUR_CUES = frozenset(lx.RUMOURS | lx.UNCONFIRMED)


def _told_as(low: list[str], m: Match) -> str | None:
    """'Rumors surfaced that the singer was found dead', 'false reports that the actor had
    been killed', 'police denied reports that two people were killed', 'the report that the
    president had died was a hoax': a figure in a that-clause whose governing phrase tells a
    rumour or a falsehood, or whose report is said false right after it, is 'rumour' (no
    casualty told); 'unconfirmed reports that 12 were killed' is 'unconfirmed' (hedged);
    else None."""
    that = None
    for k in range(m.first - 1, max(-1, m.first - lx.RUMOUR_REACH), -1):
        if low[k] == "that" or low[k] in lx.CLAUSE_END:
            that = k if low[k] == "that" else None
            break
    if that is None:
        return None
    start = next((k + 1 for k in range(that - 1, -1, -1) if low[k] in lx.CLAUSE_END), 0)
    governing = low[start:that]
    after = []
    for word in low[m.last + 1:m.last + 1 + lx.RUMOUR_REACH]:
        if word in lx.CLAUSE_END or word == "and":
            break
        after.append(word)
    if not lx.RUMOURS.isdisjoint(governing) or not lx.TOLD_NOUNS.isdisjoint(governing) and \
            not lx.RUMOURS.isdisjoint(after):
        return "rumour"
    return "unconfirmed" if not lx.UNCONFIRMED.isdisjoint(governing) else None


def _earlier_incident(low: list[str]) -> tuple[int, int] | None:
    """'The new flooding comes just weeks after the river burst its banks, killing at least
    48', 'a year after an earthquake that killed 300': the words of an earlier incident told
    by the time since it, as (where 'after' is, where they end): after a verb that sets the
    report after it (lexicon.SEQUENCE_VERBS), the rest of the sentence; after a span of
    months or years alone, the phrase up to its first mark ('Two months after floods killed
    48, the river rose again, killing 16': 16 is this incident's; 'Two days after the quake,
    the toll rose to 300' is the current toll). Its figures are parts, as a dated earlier
    event's are, never this incident's toll."""
    for a, word in enumerate(low):
        if word != "after" or a == 0:
            continue
        span = _span_before(low, a)
        start = a if span is None else span[0]
        if start > 0 and low[start - 1] in lx.SEQUENCE_VERBS:
            return a, next((k for k in range(a, len(low)) if low[k] in (";", ".")), len(low))
        if span is not None and span[1] in lx.LONG_SPANS:
            return a, next((k for k in range(a, len(low)) if low[k] in lx.CLAUSE_END), len(low))
    return None


def _span_before(low: list[str], a: int) -> tuple[int, str] | None:
    """'just weeks', 'two months', 'a year', 'less than a week' ending before 'after' at
    ``a``: where the span starts and its unit, else None."""
    if low[a - 1] not in lx.SPANS:
        return None
    k = a - 1
    while k > 0 and (low[k - 1] in lx.SPAN_OPENERS or quantity(low, k - 1) is not None):
        k -= 1
    return k, low[a - 1]


def _opens_period(after: list[str]) -> bool:
    """'the start of the year', 'the beginning of this rainy season', 'the onset of May'."""
    if after[:1] == ["the"]:
        after = after[1:]
    if not after or after[0] not in lx.PERIOD_OPENERS or after[1:2] != ["of"]:
        return False
    return _names_period(after[2:])


def _names_period(words: list[str]) -> bool:
    """A period within a few words: 'the monsoon season', 'this year', 'March', '2024'."""
    for word in words[:4]:
        if word in lx.PERIOD_NOUNS or word != "may" and word in lx.MONTHS or \
                (word.isdigit() and len(word) == 4):
            return True
        if word in lx.CLAUSE_END:
            return False
    return False


def _since_month(low: list[str], at: int) -> bool:
    """'since January', 'since 1 March', 'since May 2024': a count kept from a month on
    ('may' only with a date beside it, so 'since may have' is not a month)."""
    words = low[at:at + 2]
    if words[:1] and words[0].isdigit():
        words = words[1:]
    if not words:
        return False
    if words[0] == "may":
        return low[at:at + 1] != ["may"] or (low[at + 1:at + 2] != [] and low[at + 1].isdigit())
    return words[0] in lx.MONTHS


def _placed_before(low: list[str], alone: int, reach: int) -> bool:
    """Whether a place preposition ('in', 'at') opens the phrase 'alone' closes."""
    return any(word in lx.PLACE_WORDS for word in low[max(0, alone - reach):alone])


def _words(tokens: tuple[Token, ...], sentence: Sentence, at: int, end: int | None) -> str | None:
    """The quantity as written, tokens ``at`` to ``end``: 'dozens', 'more than 60'."""
    if end is None:
        return None
    first, last = tokens[at], tokens[end - 1]
    return sentence.text[first.start - sentence.start:last.end - sentence.start]


def _dedupe(matches: list[Match]) -> list[Match]:
    """One figure per number: the first shape that read it wins."""
    seen: set[tuple[str, int]] = set()
    spans: list[tuple[int, int, str]] = []
    result = []
    for m in matches:
        key = (m.kind, m.number_at)
        if key in seen or any(a <= m.number_at <= b and k == m.kind for a, b, k in spans):
            continue
        seen.add(key)
        spans.append((m.first, m.last, m.kind))
        result.append(m)
    return result


def _drop_pronouns(matches: list[Match]) -> list[Match]:
    """'Johnson was killed when a car struck and killed her': 'her' is the same victim, so
    a pronoun counts only when the sentence names no other victim of that kind."""
    kept = [m for m in matches if m.qualifier != "pronoun"]
    kinds = {m.kind for m in kept}
    return kept + [replace(m, qualifier="exact") for m in matches
                   if m.qualifier == "pronoun" and m.kind not in kinds]


def _derived_totals(figures: list[Figure], sentence: Sentence) -> list[Figure]:
    """'100 in Jableh and another 48 in Tartus' also says 148 in all, 'three were killed on
    Monday and another died on Tuesday' four, and 'the instructor sustained minor injuries
    and the pilot sustained serious injuries' two: a sentence's parts of one kind, each at
    a place of its own, or each after the first saying it adds to it, or each one person."""
    totals = []
    for kind in ("killed", "injured"):
        same = [f for f in figures if f.kind == kind and f.count is not None]
        if len(same) < 2:
            continue
        placed = len({f.place for f in same if f.place}) == len(same)
        added = not same[0].adds and all(f.adds for f in same[1:])
        if placed or added or _one_each(same):
            total = sum(f.count for f in same)  # type: ignore[misc]
            qualifier = next((f.qualifier for f in same if f.qualifier != "exact"), "exact")
            totals.append(Figure(kind=kind, count=total, count_max=None, qualifier=qualifier,
                                 vague=False, source=same[0].source, place=None, derived=True,
                                 start=same[0].start, end=same[-1].end,
                                 sentence=sentence.text, rule="derived-total"))
    return totals


def _one_each(figures: list[Figure]) -> bool:
    """'the instructor (CFI) sustained minor injuries and the private-rated pilot sustained
    serious injuries': people named one by one, each the subject of a harm of their own
    (lexicon.ONE_VICTIM_RULES), are so many victims: each named where the others are not
    (one person read by two shapes is one). (A pronoun for a victim already named counts
    only alone: _drop_pronouns.)"""
    return all(f.count == 1 and f.rule in lx.ONE_VICTIM_RULES and not f.partial
               for f in figures) and len({f.start for f in figures}) == len(figures)


def _totals_across(figures: list[Figure]) -> list[Figure]:
    """'At least 40 people were killed in Jableh. Another 20 died in Tartus.': a toll told
    in parts across sentences, each later part saying it adds to the first ('another', 'a
    further', 'more', 'also') at a place of its own, sums to a derived total. The first is
    the first whole toll told at a place, else the first whole toll ('26 people died. Rain
    also led to 7 deaths in Punjab.'). Tolls that compete (the same kind given twice
    without such a word) are never summed, and no total is derived where the text states a
    larger whole one."""
    totals = []
    for kind in ("killed", "injured"):
        same = [f for f in figures if f.kind == kind and f.count is not None and not f.derived]
        if len(same) < 2:
            continue  # nothing to sum
        wholes = [f for f in same if not f.partial]
        firsts = [f for f in wholes if not f.adds]  # the toll the parts add to
        first = next((f for f in firsts if f.place), firsts[0] if firsts else None)
        if first is None:
            continue
        places, parts = {first.place}, [first]
        for f in same:
            if f.start > first.start and f.adds and f.place and f.place not in places and \
                    f.sentence != parts[-1].sentence:
                places.add(f.place)
                parts.append(f)
        total = sum(f.count for f in parts)  # type: ignore[misc]
        if len(parts) < 2 or any(f.count >= total for f in wholes):  # type: ignore[operator]
            continue
        totals.append(Figure(kind=kind, count=total, count_max=None, qualifier=first.qualifier,
                             vague=False, source=first.source, place=None, derived=True,
                             start=first.start, end=parts[-1].end,
                             sentence=" ".join(dict.fromkeys(f.sentence for f in parts)),
                             rule="derived-total"))
    return totals


def _mentions_earlier_event(low: list[str], reference_year: int | None) -> bool:
    """'in December 2003', 'the 2012 attack', 'five years ago', 'last year', 'on 3 April
    this year': the sentence is history."""
    if not _RELATIVE_DATES.isdisjoint(low) and _relative_date(low):
        return True
    for i, word in enumerate(low):
        if len(word) != 4 or not YEAR.match(word):
            continue
        if reference_year is not None and int(word) >= reference_year:
            continue
        before = low[i - 1] if i > 0 else ""
        before2 = low[i - 2] if i > 1 else ""
        after = low[i + 1] if i + 1 < len(low) else ""
        dated = before == "," and before2.isdigit() and i > 2 and low[i - 3] in lx.MONTHS and \
            not _dateline(low, i) and not _opening_date(low, i, reference_year)
        if before in ("in", "since", "from", "until") or (before in lx.MONTHS and before2 in (
                "in", "since", "the", "from")) or after in lx.PAST_EVENTS or dated or \
                before == "of" and before2 in lx.MONTHS:  # "In September of 1999"
            return True
    return False


def _dateline(low: list[str], i: int) -> bool:
    """'WASHINGTON, July 9, 2018 — ...', '... (July 31, 2020) -- ...': the year at ``i``
    closes the dateline that opens a release (no word of harm before it), the date it was
    issued, not an earlier event."""
    k = i + 1 + (low[i + 1:i + 2] == [")"])
    return i <= lx.DATELINE_REACH and low[k:k + 1] in (["-"], ["—"], ["–"]) and \
        lx.CUES.isdisjoint(low[:i])  # "killed on March 3, 2009 - the worst ...": no dateline


def _opening_date(low: list[str], i: int, reference_year: int | None) -> bool:
    """'On July 12, 2024, a rock truck operator was seriously injured', 'On Tuesday,
    January 19, 2016, at about 4 p.m., ...': a day's date that opens the sentence (the year
    at ``i`` closes it) is the day a report tells, as accident reports tell their incident
    day by day, not an earlier event set beside it ('died on December 19, 2005', 'In May
    2021, a miner was killed' stay history). Given the item's year, the date must be of
    that year or of the year before it (a final report comes out months later)."""
    k = 1 + (low[1:2] != [] and low[1] in lx.WEEKDAYS)
    k += low[k:k + 1] == [","]
    return low[:1] == ["on"] and k + 3 == i and low[i + 1:i + 2] == [","] and (
        reference_year is None or int(low[i]) >= reference_year - lx.REPORT_LAG_YEARS)


_RELATIVE_DATES = frozenset({"ago", "year", "month"})


def _relative_date(low: list[str]) -> bool:
    """'five years ago', 'last year', 'last month', 'on 3 April this year'."""
    for i, word in enumerate(low[1:], start=1):
        if word == "ago" and low[i - 1] in ("years", "decades", "year"):
            return True
        if word in ("year", "month") and (low[i - 1] == "last" or (
                low[i - 1] == "this" and i > 1 and low[i - 2] in lx.MONTHS)):
            return True
    return False
