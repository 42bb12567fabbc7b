"""Casualty figures in news text: who was killed or injured, how many, says whom.

A rule-based reader, chosen over a statistical parser because it is fast enough to run
on every revision of every item as it arrives, and because every figure it reports can
be traced to the rule and the words that produced it. It recognises five shapes:

- victims, then their state:   "at least 78 people were killed", "3 dead, 2 hurt"
- a verb, then the victims:    "killing 10 and injuring dozens", "left 31 dead"
- a toll:                      "the death toll rose to 148"
- one victim, then the state:  "a nurse was killed", "Robert Buckley, 32, died"
- a verb, then one victim:     "killed a 66-year-old woman", "wounded a third"

and refuses the usual traps: ages, times, years, counts of bombs or attackers,
hypotheticals ("could kill"), negations ("no one was hurt"), figures of an earlier,
dated event ("the 2012 attack that killed 40"), and the attackers' own dead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from service.casualties import lexicon as lx
from service.casualties.attribution import place_after, source_of
from service.casualties.numbers import Quantity, dash_range, may_start, quantity
from service.casualties.text import Sentence, Token, sentences

_AGE = re.compile(r"^\d+-(?:year|month|week|day)s?-olds?$|^[a-z]+-(?:year|month)s?-olds?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_WORDS = re.compile(r"[a-z]+")


def _has_cue(sentence: str) -> bool:
    """Whether the sentence holds a word some shape needs (lexicon.CUES)."""
    return not lx.CUES.isdisjoint(_WORDS.findall(sentence.lower()))


_ORDINAL_ONE = {"second", "third", "fourth", "fifth", "sixth", "seventh", "another", "one"}


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

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "count": self.count, "count_max": self.count_max,
                "qualifier": self.qualifier, "vague": self.vague, "source": self.source,
                "place": self.place, "derived": self.derived, "start": self.start,
                "end": self.end, "evidence": self.sentence, "hedged": self.hedged,
                "partial": self.partial, "words": self.words, "rule": self.rule}


@dataclass(frozen=True)
class _Match:
    kind: str
    qty: Quantity
    qualifier: str
    first: int  # token span of the evidence
    last: int
    number_at: int  # token index of the number (or of the victim), for de-duplication
    rule: str = ""  # the shape that read it


def extract(text: str, *, reference_year: int | None = None) -> list[Figure]:
    """Every casualty figure in ``text``, in reading order."""
    figures: list[Figure] = []
    for sentence in sentences(text, keep=_has_cue):
        figures.extend(_sentence_figures(sentence, reference_year))
    return _inherit_sources(figures)


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


def _sentence_figures(sentence: Sentence, reference_year: int | None) -> list[Figure]:
    tokens = sentence.tokens
    low = [t.low for t in tokens]
    if _mentions_earlier_event(low, reference_year):
        return []
    matches = _dedupe(
        _named("victims-then-state", _victims_then_state(low, tokens))
        + _named("verb-then-victims", _verb_then_victims(low, tokens))
        + _named("toll", _tolls(low))
        + _named("single-victim", _single_victims(low, tokens))
        + _named("own-death", _own_deaths(low)) + _named("one-more", _one_more(low))
        + _named("suffered", _suffered(low, tokens))
    )
    matches = _drop_pronouns(matches + _named("part-after", _parts_after(low, tokens, matches)))
    source = source_of(sentence)
    figures = [_figure(m, tokens, sentence, source, place_after(tokens, m.last + 1))
               for m in sorted(matches, key=lambda m: m.first)]
    return figures + _derived_totals(figures, sentence)


def _named(rule: str, matches: list[_Match]) -> list[_Match]:
    return [replace(m, rule=rule) for m in matches]


def _figure(m: _Match, tokens: tuple[Token, ...], sentence: Sentence, source: str | None,
            place: str | None, derived: bool = False) -> Figure:
    return Figure(kind=m.kind, count=m.qty.value, count_max=m.qty.maximum,
                  qualifier=m.qualifier, vague=m.qty.vague, source=source, place=place,
                  derived=derived, start=tokens[m.first].start, end=tokens[m.last].end,
                  sentence=sentence.text, rule=m.rule)


# --- reading numbers ---------------------------------------------------------

def _by_first_word(phrases):  # type: ignore[no-untyped-def]
    index: dict[str, list] = {}
    for words, name in phrases:
        index.setdefault(words[0], []).append((words, name))  # keeps the list's priority
    return index


_QUALIFIERS_AT = _by_first_word(lx.QUALIFIERS)  # this runs at every token: index it


def _qualified(low: list[str], i: int) -> tuple[str, Quantity, int] | None:
    """A qualifier and number phrase at ``i``: (qualifier, quantity, index after it)."""
    if i >= len(low) or not (low[i] in _QUALIFIERS_AT or low[i] == "between"
                             or may_start(low[i])):
        return None
    qualifier = "exact"
    for words, name in _QUALIFIERS_AT.get(low[i], ()):
        if tuple(low[i:i + len(words)]) == words:
            qualifier, i = name, i + len(words)
            break
    if i >= len(low) or _AGE.match(low[i]):
        return None
    rng = dash_range(low[i])
    if rng:
        return qualifier, Quantity(rng[0], 1, maximum=rng[1]), i + 1
    if low[i] == "between" and i + 1 < len(low):
        inner = quantity(low, i + 1)
        if inner and inner.maximum is None and i + 1 + inner.length < len(low) and \
                low[i + 1 + inner.length] == "and":
            upper = quantity(low, i + 2 + inner.length)
            if upper and upper.value and inner.value is not None and upper.value > inner.value:
                return qualifier, Quantity(inner.value, 0, maximum=upper.value), \
                    i + 2 + inner.length + upper.length
    qty = quantity(low, i)
    if qty is None or (qty.value is not None and _YEAR.match(low[i]) and qty.value > 1900):
        return None
    if low[i] in ("many", "several", "numerous") and qualifier != "exact":
        return None
    return qualifier, qty, i + qty.length


def _is_age_or_family(low: list[str], i: int) -> bool:
    """'aged 33', 'Name, 32,' , 'mother of 2': numbers that count no victims."""
    if i > 0 and low[i - 1] in ("aged", "age", "ages"):
        return True
    if i > 1 and low[i - 1] in ("of", "to") and low[i - 2] in lx.FAMILY_OF:
        return True
    return 0 < i < len(low) - 1 and low[i - 1] == "," and low[i + 1] == "," and low[i].isdigit()


def _blocked_before(low: list[str], i: int) -> bool:
    """A hypothetical or a negation just before position ``i``."""
    window = low[max(0, i - 3):i]
    return any(w in lx.HYPOTHETICAL for w in window[-2:]) or any(
        w in lx.NEGATIONS for w in window[-1:])


# --- the shapes --------------------------------------------------------------

def _victims_then_state(low: list[str], tokens: tuple[Token, ...]) -> list[_Match]:
    """'78 people were killed', 'two women and one man died', '3 dead'."""
    found = []
    i = 0
    while i < len(low):
        start = i
        read = _qualified(low, i)
        if read is None or _is_age_or_family(low, i) or (
                i > 0 and low[i - 1] in lx.NEGATIONS | {"how"}):
            i += 1
            continue
        qualifier, qty, j = read
        total, vague, maximum = qty.value, qty.vague, qty.maximum
        j = _skip_victim_words(low, j)
        if j is None:
            i += 1
            continue
        # coordinated victims: "two women and one man died"
        while j + 1 < len(low) and low[j] == "and":
            more = _qualified(low, j + 1)
            if more is None and low[j + 1] in ("a", "an"):
                more = ("exact", Quantity(1, 1), j + 2)  # "two women and a man"
            if more is None or more[1].value is None or total is None:
                break
            after = _skip_victim_words(low, more[2], need_person=True)
            if after is None:
                break
            total, j = total + more[1].value, after
        state = _state_after(low, j) or _state_after(low, _past_apposition(low, j))
        if state is None and low[j:j + 2] == [",", "who"]:
            state = _state_after(low, j + 2)  # "four climbers, who were later found dead"
        if state is None and j < len(low) and low[j] == "from":
            state = _state_after(low, _past_origin(low, tokens, j))  # "two people from Zinbi"
        if state is None and j < len(low) and low[j] in ("in", "at"):
            state = _state_after(low, _past_place(low, tokens, j))  # "20 people in Homs died"
        if state is None:
            state = _after_being(low, j)  # "five people were treated after being injured"
        if state is None:
            i += 1
            continue
        kind, end = state
        found.append(_Match(kind, Quantity(total, 0, vague, maximum), qualifier, start, end, i))
        i = end + 1
    return found


def _after_being(low: list[str], j: int) -> tuple[str, int] | None:
    """'... had received treatment after being injured': the state a few words on."""
    for k in range(j, min(len(low) - 2, j + 6)):
        if low[k] in _CLAUSE_END or low[k] in lx.KILLED_STATE or \
                low[k] in lx.HYPOTHETICAL - {"to"}:
            return None
        if low[k] == "after" and low[k + 1] in ("being", "getting") and \
                low[k + 2] in ("injured", "wounded", "hurt"):
            return "injured", k + 2
    return None


def _past_apposition(low: list[str], j: int) -> int:
    """'three people, a man and two women, were killed': the index after the aside."""
    if j >= len(low) or low[j] not in (",", "-", "—", "–", "("):
        return j
    for k in range(j + 1, min(len(low), j + 10)):
        if low[k] in (",", "-", "—", "–", ")"):
            return k + 1
        if low[k] in lx.KILLED_STATE or low[k] in lx.INJURED_STATE or low[k] in _BREAKS - {
                "and", "of", "a", "an", "the"}:
            return j
    return j


def _skip_victim_words(low: list[str], j: int, need_person: bool = False) -> int | None:
    """Past the words naming the victims ('people', 'of them', 'Syrian soldiers')."""
    seen_person, steps, head = False, 0, None
    while j < len(low) and steps < 4:
        word = low[j]
        if word in lx.KILLED_STATE - {"bodies"} or word in lx.INJURED_STATE:
            break
        if word in lx.SURVIVED or word in lx.HYPOTHETICAL:
            return None
        if word in lx.PERSONS:
            seen_person, head = True, word
        elif word in lx.NOT_VICTIMS or word in lx.PERPETRATORS:
            head = word
        elif word == "of" and j + 1 < len(low) and (low[j + 1] in lx.PERSONS and steps == 0):
            j += 1  # "dozens of people"
            steps += 1
            continue
        elif word == "of" and j + 1 < len(low) and low[j + 1] in (
                "them", "those", "whom", "the", "its", "their", "his", "her"):
            j += 2
            steps += 1
            continue
        elif not (word.isalpha() or "-" in word) or word in _BREAKS or word in lx.AUXILIARIES \
                or word in lx.KILLED_STATE or word in lx.INJURED_STATE:
            break
        else:
            head = word
        j += 1
        steps += 1
    if need_person and not seen_person or head in lx.NOT_VICTIMS or head in lx.PERPETRATORS:
        return None
    return j


_BREAKS = {"said", "says", "say", "told", "in", "at", "on", "after", "before", "when",
           "while", "by", "with", "from", "for", "against", "into", "during", "than", "as",
           "that", "which", "who", "where", "but", "or", "and", "the", "a", "an", "this",
           "were", "was", "of", "to"}


def _state_after(low: list[str], j: int) -> tuple[str, int] | None:
    """After the victims: optional auxiliaries, then killed/dead/injured...: (kind, index)."""
    steps, passive = 0, False
    while j < len(low) and low[j] in lx.AUXILIARIES and steps < 5:
        word = low[j]
        if word in lx.HYPOTHETICAL and word != "to" or word in lx.SURVIVED:
            return None
        if word == "to" and _to_death(low, j):
            return "killed", _to_death(low, j)  # type: ignore[return-value]
        if word == "and" and not (j > 0 and low[j - 1] in lx.VIOLENCE):
            return None  # "612 people and injured 1,400": a new clause
        passive = passive or word in lx.PASSIVE
        j, steps = j + 1, steps + 1
    if j >= len(low) or (j > 0 and low[j - 1] in lx.HYPOTHETICAL) or low[j] in lx.SURVIVED:
        return None
    word = low[j]
    if word == "lives":
        return ("killed", j) if j > 0 and low[j - 1] in ("their", "lost") else None
    if word in ("deaths", "fatalities", "bodies") and steps > 0:
        return None
    if word in lx.KILLED_STATE or word in lx.INJURED_STATE:
        if not passive and word in lx.KILL_VERBS | lx.INJURE_VERBS and _object_follows(low, j + 1):
            return None  # "two officers shot and killed a teenager": they are the killers
        return ("killed" if word in lx.KILLED_STATE else "injured"), j
    if word in ("lost",) and j + 2 < len(low) and low[j + 2] == "lives":
        return "killed", j + 2
    if j + 1 < len(low) and low[j + 1] == "to" and _to_death(low, j + 1):
        return "killed", _to_death(low, j + 1)  # type: ignore[return-value]
    return None


def _to_death(low: list[str], j: int) -> int | None:
    """'shot to death', 'fallen to their deaths': the index of 'death', or None."""
    k = j + 1
    if k < len(low) and low[k] in ("his", "her", "their", "its"):
        k += 1
    return k if k < len(low) and low[k] in ("death", "deaths") else None


def _object_follows(low: list[str], k: int) -> bool:
    """An object right after a verb makes it active: the subject did the killing."""
    if k >= len(low):
        return False
    return low[k] in ("a", "an", "the", "his", "her", "him", "them", "their", "one", "two",
                      "three", "four", "five") or quantity(low, k) is not None


def _verb_then_victims(low: list[str], tokens: tuple[Token, ...]) -> list[_Match]:
    """'killing at least 10 people', 'injured more than 1,400', 'left 31 dead',
    'took the lives of two officers', 'killed a teenager'."""
    found = []
    for i, word in enumerate(low):
        if word in lx.KILL_VERBS or word in lx.INJURE_VERBS:
            kind = "killed" if word in lx.KILL_VERBS else "injured"
            at = i + 1
        elif word in lx.VIOLENCE and (i > 0 and low[i - 1] == "fatally" or
                                      low[i + 1:i + 2] == ["down"] and word == "gunned"):
            kind, at = "killed", i + 1 + (low[i + 1:i + 2] == ["down"])
        elif word in lx.VIOLENCE and low[i + 1:i + 3] == ["to", "death"]:
            kind, at = "killed", i + 3
        elif word in lx.VIOLENCE and "fatally" in low[i + 2:i + 5] and \
                _object(low, tokens, i + 1, "killed", i) is not None:
            kind, at = "killed", i + 1  # "he shot one man fatally"
        elif word in lx.VIOLENCE and _to_death_ahead(low, i + 1):
            kind, at = "killed", i + 1  # "stabbed his ex-girlfriend and his mother to death"
        elif word in ("took", "taken", "claimed", "claiming", "claim", "take") and \
                low[i + 1:i + 4] in (["the", "lives", "of"], ["the", "life", "of"]):
            kind, at = "killed", i + 4
        elif word in lx.LEAVE_VERBS:
            match = _left_dead(low, i)
            if match:
                found.append(match)
            continue
        else:
            continue
        if _blocked_before(low, i) or at >= len(low):
            continue
        match = _object(low, tokens, at, kind, i)
        if match:
            found.append(match)
    return found


def _object(low: list[str], tokens: tuple[Token, ...], at: int, kind: str,
            verb: int) -> _Match | None:
    read = _qualified(low, at)
    if read is not None and not _is_age_or_family(low, at):
        qualifier, qty, j = read
        after = _skip_victim_words(low, j)
        if after is None or (j < len(low) and low[j] in lx.NOT_VICTIMS):
            return None
        if j < len(low) and low[j] in ("in", "on", "at") and j + 1 < len(low) and \
                _YEAR.match(low[j + 1]):
            return None
        added, end = _and_more(low, after)
        if added and qty.value is not None and not qty.vague:
            return _Match(kind, replace(qty, value=qty.value + added, maximum=None),
                          qualifier, verb, end - 1, at)
        return _Match(kind, qty, qualifier, verb, max(j - 1, at), at)
    if low[at] in ("a", "an", "one", "the", "his", "her", "their") and at + 1 < len(low):
        if _single_victim_ahead(low, at + 1):
            added, end = _and_more(low, _person_end(low, at + 1) or at + 1)
            return _Match(kind, Quantity(1 + added, 1), "exact", verb, max(end - 1, at + 1), at)
    # "killing her", "killed 10-year-old Kathina Thomas", "killing Benjamin Banky, 40"
    if low[at] in ("him", "her"):
        return _Match(kind, Quantity(1, 1), "pronoun", verb, at, at)
    if _AGE.match(low[at]) or (
            _is_name(tokens, at) and not tokens[at].low in lx.PERSONS):
        return _Match(kind, Quantity(1, 1), "exact", verb, at, at)
    return None


def _to_death_ahead(low: list[str], j: int) -> bool:
    """'to death' (or 'to their deaths') within the next few words, before any clause
    ends: the words between are whom the violence killed."""
    for k in range(j, min(len(low), j + 9)):
        if low[k] == "to" and _to_death(low, k):
            return k > j
        if low[k] in _CLAUSE_END or low[k] in lx.KILLED_STATE:
            return False
    return False


def _and_more(low: list[str], j: int) -> tuple[int, int]:
    """'... and a man', '... and two women' after the victims ending at ``j``: how many
    more victims, and the index after them."""
    added = 0
    while j + 1 < len(low) and low[j] == "and":
        more = _qualified(low, j + 1)
        if more is not None and more[1].value is not None and not more[1].vague:
            after = _skip_victim_words(low, more[2], need_person=True)
            if after is None:
                break
            added, j = added + more[1].value, after
        elif low[j + 1] in ("a", "an", "his", "her", "their") and \
                (end := _person_end(low, j + 2)) is not None:
            added, j = added + 1, end
        elif _person_end(low, j + 1) == j + 2:  # "his mother and ex-girlfriend"
            added, j = added + 1, j + 2
        else:
            break
    return added, j


def _person_end(low: list[str], j: int) -> int | None:
    """The index after a singular person word within three words of ``j`` ('a state bomb
    disposal technician' is the exception that needs four)."""
    for k in range(j, min(len(low), j + 4)):
        word = low[k]
        if word in lx.PERSONS and word not in lx.IRREGULAR_PLURALS and not word.endswith("s"):
            return k + 1
        if word in lx.NOT_VICTIMS or word in lx.PERPETRATORS or word in _BREAKS or \
                not (word.isalpha() or "-" in word):
            return None
    return None


def _single_victim_ahead(low: list[str], j: int) -> bool:
    """After 'a'/'an': an age, an ordinal ('a third') or a person within three words."""
    for word in low[j:j + 3]:
        if _AGE.match(word) or word in lx.PERSONS and not word.endswith("s"):
            return True
        if word in _ORDINAL_ONE:
            return True
        if word in lx.NOT_VICTIMS or word in lx.PERPETRATORS or not (word.isalpha() or "-" in word):
            return False
    return False


def _left_dead(low: list[str], i: int) -> _Match | None:
    """'left more than 31,000 people dead', 'leaving two injured'."""
    if _blocked_before(low, i):
        return None
    read = _qualified(low, i + 1)
    if read is None:
        return _left_one(low, i)
    qualifier, qty, j = read
    after = _skip_victim_words(low, j)
    if after is None or after >= len(low):
        return None
    if low[after] in ("dead",):
        return _Match("killed", qty, qualifier, i, after, i + 1)
    if low[after] in ("injured", "wounded", "hurt"):
        return _Match("injured", qty, qualifier, i, after, i + 1)
    return None


def _left_one(low: list[str], i: int) -> _Match | None:
    """'leaves a woman dead', 'leaving a man wounded', 'leaves Queens mother of 2 dead'."""
    person = False
    for k in range(i + 1, min(len(low), i + 8)):
        word = low[k]
        if word in ("dead", "injured", "wounded", "hurt"):
            if not person:
                return None
            return _Match("killed" if word == "dead" else "injured", Quantity(1, 1), "exact",
                          i, k, i + 1)
        if word in lx.PERSONS and word not in lx.IRREGULAR_PLURALS and not word.endswith("s"):
            person = True
        elif k >= 2 and low[k - 1] == "of" and low[k - 2] in lx.FAMILY_OF and \
                quantity(low, k) is not None:
            continue  # "mother of 2"
        elif not (word.isalpha() or "-" in word) or word in lx.NOT_VICTIMS or \
                word in lx.PERPETRATORS or word in _BREAKS - {"a", "an", "the", "of"}:
            return None
    return None


def _tolls(low: list[str]) -> list[_Match]:
    """'the death toll rose to 148', 'a toll of at least 46', 'the bodies of two more victims'."""
    found = []
    for i, word in enumerate(low):
        bodies = word in ("bodies", "death", "deaths") and low[i + 1:i + 2] == ["of"] or \
            word == "number" and low[i + 1:i + 2] == ["of"] and low[i + 2:i + 3] in (
                ["dead"], ["deaths"], ["fatalities"])
        if not (word == "toll" and i > 0 and low[i - 1] in ("death", "casualty", "human",
                                                            "the", "a", "new", "final")) \
                and not bodies:
            continue
        j = i + 1
        while j < len(low) and j - i <= 10:
            if low[j] in lx.HYPOTHETICAL and low[j] != "to" or low[j] in _CLAUSE_END:
                break
            read = _qualified(low, j)
            if read is not None and not _is_age_or_family(low, j):
                qualifier, qty, end = read
                if end < len(low) and low[end] == "of" or _skip_victim_words(low, end) is None:
                    j = end
                    continue
                found.append(_Match("killed", qty, qualifier, i, end - 1, j))
                break
            j += 1
    return found


_CLAUSE_END = {",", ";", ".", ":", "(", ")", "but", "while", "which", "who", "-", "—"}


_STATE_WORDS = {"killed", "died", "dead", "injured", "wounded", "hurt", "slain", "murdered",
                "dies", "death"}


def _single_victims(low: list[str], tokens: tuple[Token, ...]) -> list[_Match]:
    """'a nurse was killed', 'his wife died', 'Robert Buckley, 32, died', 'Gray was shot
    to death'."""
    found = []
    for m, word in enumerate(low):
        if word not in _STATE_WORDS or (word == "death" and not _after_to(low, m)):
            continue
        kind = "injured" if word in ("injured", "wounded", "hurt") else "killed"
        j, auxiliary, plural = m - 1, word in ("died", "dies"), False
        while j >= 0 and low[j] != "both" and (low[j] in lx.AUXILIARIES | lx.VIOLENCE | {
                "then", "later", "shortly", "his", "her", "to", "and", "lay", "lies"}
                or _wound_site(low, j)):
            if _wound_site(low, j):  # "was shot in the chest and killed"
                j -= 3
                continue
            if low[j] in lx.HYPOTHETICAL and low[j] != "to" or low[j] in lx.SURVIVED:
                break
            auxiliary = auxiliary or low[j] in ("was", "is", "has", "had", "lay", "lies")
            plural = plural or low[j] in ("were", "are", "have")
            j -= 1
        if j < 0 or (j + 1 < m and low[j + 1] in lx.HYPOTHETICAL) or low[j] in lx.SURVIVED:
            continue
        both = _both_at(low, j)
        if both is not None and (auxiliary or plural):  # "Tennant and Hakim, both 51, died"
            found.append(_Match(kind, Quantity(2, 1), "exact", both, m, both))
            continue
        if word in lx.KILL_VERBS | lx.INJURE_VERBS and _object_follows(low, m + 1) and \
                not any(w in lx.PASSIVE for w in low[j + 1:m]):
            continue  # "Fighting in Daraya has killed 20": active, the head is no victim
        pair = _two_victims(low, tokens, j) if plural or word in ("died", "dies") else None
        if pair is not None:  # "his mother and his ex-girlfriend were found dead"
            found.append(_Match(kind, Quantity(2, 1), "exact", pair, m, pair))
            continue
        if not auxiliary:
            continue
        head = _singular_head(low, tokens, j)
        if head is None and (before := _before_aside(low, j)) != j:
            head = _singular_head(low, tokens, before)
        if head is not None:
            found.append(_Match(kind, Quantity(1, 1), "exact", head, m, head))
    return found


_DASHES = {"-", "—", "–"}


def _before_aside(low: list[str], j: int) -> int:
    """'the receptionist -- Madeline Kafoury -- was shot', 'a climber, described as
    lacking experience, dies': the index before the aside that ends at ``j`` (else ``j``)."""
    if low[j] not in _DASHES | {","}:
        return j
    marks = _DASHES if low[j] in _DASHES else {","}
    k = j
    while k > 0 and low[k - 1] in marks:
        k -= 1  # "- -": a dash typed as two hyphens
    for i in range(k - 1, max(-1, k - 20), -1):
        if low[i] in marks:
            while i > 0 and low[i - 1] in marks:
                i -= 1
            return i - 1 if i > 0 else j
        if low[i] in _STATE_WORDS or low[i] in (".", ";", ":"):
            return j
    return j


def _two_victims(low: list[str], tokens: tuple[Token, ...], j: int) -> int | None:
    """'his mother and his ex-girlfriend', 'Katie Jenkin, 20, and mother Alice McMeekin,
    58,' ending at ``j``: the start of two singular victims joined by 'and'."""
    second = _singular_head(low, tokens, j)
    if second is None:
        return None
    k = second - 1
    while k > 0 and second - k < 4 and (low[k] in lx.PERSONS or low[k] in (
            "his", "her", "their", "own", "a", "an", "the", "another")):
        k -= 1
    if k < 1 or low[k] != "and":
        return None
    return _singular_head(low, tokens, k - 1)


def _one_more(low: list[str]) -> list[_Match]:
    """'two were killed and another wounded', 'left two dead and a third employee
    wounded': one more victim, the verb left out."""
    found = []
    for i, word in enumerate(low):
        if word not in ("another", "third", "fourth", "fifth") or i == 0 or \
                low[i - 1] not in ("and", "a", ","):
            continue
        for k in range(i + 1, min(len(low), i + 4)):
            if low[k] in ("killed", "dead", "injured", "wounded", "hurt"):
                kind = "killed" if low[k] in ("killed", "dead") else "injured"
                found.append(_Match(kind, Quantity(1, 1), "exact", i, k, i))
                break
            if not low[k].isalpha() or low[k] in _BREAKS or low[k] in lx.AUXILIARIES:
                break
    return found


_HARM = {"wounds", "wound", "injuries", "injury", "burns", "fractures"}
_BODY = {"arm", "arms", "leg", "legs", "hand", "hands", "foot", "feet", "shoulder",
         "shoulders", "back", "chest", "stomach", "abdomen", "hip", "thigh", "knee", "ankle",
         "neck", "face", "buttocks", "torso", "side", "wrist", "elbow", "jaw", "cheek"}


def _wound_site(low: list[str], j: int) -> bool:
    """'in the chest', 'in his leg' ending at ``j``."""
    return j >= 2 and low[j] in _BODY and low[j - 1] in ("the", "his", "her", "their") and \
        low[j - 2] == "in"


def _suffered(low: list[str], tokens: tuple[Token, ...]) -> list[_Match]:
    """'another inmate also suffered stab wounds', 'two officers sustained minor injuries',
    'a 31-year-old mom was shot in the arm': harmed, not killed."""
    found = []
    for i, word in enumerate(low):
        if word in ("suffered", "sustained", "suffering", "sustaining"):
            ahead = low[i + 1:i + 5]
            harm = next((k for k, w in enumerate(ahead) if w in _HARM), None)
            if harm is None or any(w in ("fatal", "mortal", "deadly") for w in ahead[:harm]):
                continue
            end, j = i + 1 + harm, i - 1
        elif word == "shot" and low[i + 1:i + 2] == ["in"] and \
                low[i + 2:i + 3] in (["the"], ["his"], ["her"], ["their"]) and \
                low[i + 3:i + 4] and low[i + 3] in _BODY:
            if any(w in _STATE_WORDS - {"injured", "wounded", "hurt"} for w in low[i:]):
                continue  # "shot in the chest and killed": the death is the figure
            end, j = i + 3, i - 1
            if j < 0 or low[j] not in ("was", "were"):
                continue
        else:
            continue
        while j >= 0 and low[j] in ("also", "later", "was", "were", "had", "have", "has"):
            j -= 1
        if j < 0:
            continue
        counted = _counted_victims(low, j)
        if counted is not None:  # "two officers sustained burns"
            found.append(_Match("injured", counted[1], counted[2], counted[0], end, counted[0]))
            continue
        head = _two_victims(low, tokens, j)
        count = 2 if head is not None else 1
        if head is None:
            head = _singular_head(low, tokens, j)
        if head is not None:
            found.append(_Match("injured", Quantity(count, 1), "exact", head, end, head))
    return found


def _counted_victims(low: list[str], j: int) -> tuple[int, Quantity, str] | None:
    """A number and the victims it counts, ending at ``j``: (start, quantity, qualifier)."""
    for k in range(max(0, j - 6), j + 1):  # the earliest start: "at least 14 civilians"
        read = _qualified(low, k)
        if read is not None and not _is_age_or_family(low, k):
            qualifier, qty, after = read
            words = low[after:j + 1]
            if words and words[-1] in lx.PERSONS and (words[0] != "of" or len(words) > 1) and all(
                    w.isalpha() and w not in _BREAKS - {"of"} for w in words):
                return k, qty, qualifier
    return None


def _own_deaths(low: list[str]) -> list[_Match]:
    """'fell 700 metres to his (own) death': one person died, whoever the sentence names."""
    found = []
    for m, word in enumerate(low):
        if word != "death" or m < 2:
            continue
        k = m - 2 if low[m - 1] == "own" else m - 1
        if k < 1 or low[k] not in ("his", "her") or low[k - 1] != "to":
            continue
        if not any(w in lx.HYPOTHETICAL - {"to"} or w in lx.NEGATIONS
                   for w in low[max(0, k - 7):k - 1]):
            found.append(_Match("killed", Quantity(1, 1), "exact", k - 1, m, m))
    return found


def _both_at(low: list[str], j: int) -> int | None:
    """'both' (or 'both 51,') ending at ``j``: two victims, already named."""
    if low[j] == "both":
        return j
    if low[j] == "," and j >= 2 and low[j - 1].isdigit() and low[j - 2] == "both":
        return j - 2
    return None


def _after_to(low: list[str], m: int) -> bool:
    """'to death', 'to his death'."""
    return m > 0 and (low[m - 1] == "to" or m > 1 and low[m - 2] == "to" and
                      low[m - 1] in ("his", "her", "their"))


def _singular_head(low: list[str], tokens: tuple[Token, ...], j: int) -> int | None:
    """The start of a singular victim phrase ending at ``j``, if it is one."""
    if j >= 2 and low[j - 1] in ("of", "to") and low[j - 2] in lx.FAMILY_OF and \
            quantity(low, j) is not None:
        j -= 2  # "the mother of two died": the number counts her children, not victims
    if low[j] == "," and j >= 3 and low[j - 1].isdigit() and low[j - 2] == ",":
        j -= 3  # "Name, 32," : step over the age
    elif low[j] == "," and j >= 1 and _is_name(tokens, j - 1):
        j -= 1  # "His older brother, Jamar, was killed"
    word = low[j]
    if _is_name(tokens, j):
        k = j
        while k > 0 and _is_name(tokens, k - 1):
            k -= 1
        return k
    if word in lx.PERSONS and not word.endswith("s") and word not in lx.IRREGULAR_PLURALS:
        k = j - 1
        while k >= 0 and (low[k].isalpha() or _AGE.match(low[k]) or "-" in low[k]) and \
                low[k] not in _BREAKS | {"who"} and j - k < 5:
            if quantity(low, k) is not None and not _AGE.match(low[k]) and low[k] != "one":
                return None  # a number: the victims-then-state shape owns it
            k -= 1
        if k >= 0 and low[k] in lx.NEGATIONS | {"every", "each", "any"}:
            return None
        return k + 1
    return None


def _is_name(tokens: tuple[Token, ...], j: int) -> bool:
    """A capitalised word that can name a person ('Gray', 'Dulce-Valencia'), in
    running text: not an all-capitals headline, not a common word at a sentence start."""
    token = tokens[j]
    text = token.text
    return (text[:1].isupper() and not text.isupper() and text.replace("-", "").isalpha()
            and token.low not in lx.NOT_NAMES and token.low not in lx.PERSONS
            and token.low not in lx.MONTHS)


def _dedupe(matches: list[_Match]) -> list[_Match]:
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


def _drop_pronouns(matches: list[_Match]) -> list[_Match]:
    """'Johnson was killed when a car struck and killed her': 'her' is the same victim, so
    a pronoun counts only when the sentence names no other victim of that kind."""
    kept = [m for m in matches if m.qualifier != "pronoun"]
    kinds = {m.kind for m in kept}
    return kept + [replace(m, qualifier="exact") for m in matches
                   if m.qualifier == "pronoun" and m.kind not in kinds]


def _parts_after(low: list[str], tokens: tuple[Token, ...], matches: list[_Match]) -> list[_Match]:
    """'100 were killed in Jableh and another 48 in Tartus', 'twelve on Monday and nine on
    Tuesday': further parts of a figure, each followed by its place or day."""
    parts = []
    for m in matches:
        j = _past_place(low, tokens, _skip_victim_words(low, m.last + 1) or m.last + 1)
        while j < len(low):
            while j < len(low) and low[j] in (",", "and", "(", ";", "while", "with"):
                j += 1
            read = _qualified(low, j)
            if read is None or any(p.number_at == j for p in matches):
                break
            qualifier, qty, after = read
            after = _skip_victim_words(low, after) or after
            end = _past_place(low, tokens, after)
            if end == after or qty.value is None:
                break
            parts.append(_Match(m.kind, qty, qualifier, j, after - 1, j))
            j = end
    return parts


_PLACE_NOUNS = {"village", "town", "city", "province", "district"}


def _past_origin(low: list[str], tokens: tuple[Token, ...], j: int) -> int:
    """Past 'from Zinbi village', 'from the town of Qeshm' starting at ``j`` ('from')."""
    k = j + 1
    while k < len(low) and (tokens[k].capitalized or low[k] in ("the", "of")) and k - j < 6:
        k += 1
    if k < len(low) and low[k] in _PLACE_NOUNS:
        k += 1
    named = k > j + 1 and (tokens[k - 1].capitalized or low[k - 1] in _PLACE_NOUNS)
    return k if named else j


def _past_place(low: list[str], tokens: tuple[Token, ...], j: int) -> int:
    """Past 'in Jableh', 'on Tuesday', 'in the city of Homs' starting at ``j``."""
    if j + 1 >= len(low) or low[j] not in ("in", "at", "on"):
        return j
    k = j + 1
    if low[k] == "the" and k + 1 < len(low) and tokens[k + 1].capitalized:
        k += 1
    start = k
    while k < len(low) and tokens[k].capitalized:
        k += 1
    return k if k > start else j


def _derived_totals(figures: list[Figure], sentence: Sentence) -> list[Figure]:
    """'100 in Jableh and another 48 in Tartus' also says 148 in all."""
    totals = []
    for kind in ("killed", "injured"):
        same = [f for f in figures if f.kind == kind and f.count is not None]
        placed = [f for f in same if f.place]
        if len(placed) >= 2 and len(placed) == len(same) and \
                len({f.place for f in placed}) == len(placed):
            total = sum(f.count for f in placed)  # type: ignore[misc]
            qualifier = next((f.qualifier for f in placed if f.qualifier != "exact"), "exact")
            totals.append(Figure(kind=kind, count=total, count_max=None, qualifier=qualifier,
                                 vague=False, source=placed[0].source, place=None, derived=True,
                                 start=placed[0].start, end=placed[-1].end,
                                 sentence=sentence.text, rule="derived-total"))
    return totals


def _mentions_earlier_event(low: list[str], reference_year: int | None) -> bool:
    """'in December 2003', 'the 2012 attack', 'five years ago': the sentence is history."""
    for i, word in enumerate(low):
        if word == "ago" and i > 0 and low[i - 1] in ("years", "decades", "year"):
            return True
        if not _YEAR.match(word):
            continue
        if reference_year is not None and int(word) >= reference_year:
            continue
        before = low[i - 1] if i > 0 else ""
        before2 = low[i - 2] if i > 1 else ""
        after = low[i + 1] if i + 1 < len(low) else ""
        dated = before == "," and before2.isdigit() and i > 2 and low[i - 3] in lx.MONTHS
        if before in ("in", "since", "from", "until") or (before in lx.MONTHS and before2 in (
                "in", "since", "the", "from")) or after in _PAST_EVENTS or dated:
            return True
    return False


_PAST_EVENTS = {"attack", "attacks", "bombing", "bombings", "quake", "earthquake", "riots",
                "killings", "massacre", "tsunami", "shooting", "war", "crash", "fire", "flood",
                "floods", "uprising", "revolution", "explosion", "blast", "hurricane", "storm",
                "disaster", "siege", "offensive", "invasion"}
