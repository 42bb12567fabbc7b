"""The phrases every casualty shape reads: numbers with their qualifiers, victims, states.

Pure functions over a sentence's lower-cased words (``low``) and, where capitals
matter, its tokens; each takes a position and answers with a position, so the shapes in
``shapes`` can be written as short walks: a number here, victims up to there, then a state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.casualties import lexicon as lx
from service.casualties.numbers import Quantity, dash_range, may_start, quantity
from service.casualties.text import ABBREVIATIONS, Token


@dataclass(frozen=True)
class Words:
    """A sentence as the shapes read it: its tokens and their lower-cased forms."""

    tokens: tuple[Token, ...]
    low: list[str]
    starts: tuple[int, ...]  # where a number phrase may start: most words cannot
    present: frozenset[str]  # the words it holds: a shape whose cue words are absent is skipped

    @classmethod
    def of(cls, tokens: tuple[Token, ...]) -> Words:
        low = [person_head(t.low) for t in tokens]
        return cls(tokens, low, tuple(i for i, word in enumerate(low) if may_qualify(word)),
                   frozenset(low))


def person_head(word: str) -> str:
    """A hyphenated compound whose last part is a person noun reads as that noun
    ('owner-pilot', 'co-pilot', 'crew-member', 'sub-contractors'): the head of an English
    compound is its last part, and no list of persons can hold every compound."""
    if "-" not in word:
        return word
    head = word.rsplit("-", 1)[1]
    return head if head in lx.PERSONS else word


AGE = re.compile(r"^\d+-(?:year|month|week|day)s?-olds?$|^[a-z]+-(?:year|month)s?-olds?$")


YEAR = re.compile(r"^(19|20)\d\d$")


_Phrases = list[tuple[tuple[str, ...], str]]


def _by_first_word(phrases: _Phrases) -> dict[str, _Phrases]:
    index: dict[str, _Phrases] = {}
    for words, name in phrases:
        index.setdefault(words[0], []).append((words, name))  # keeps the list's priority
    return index


# Sets the hot loops test every word against, built once rather than at each test.
_VICTIMS_END = frozenset(lx.KILLED_STATE - {"bodies"} | lx.INJURED_STATE)
_AUXILIARIES_NOT_TO = frozenset(lx.AUXILIARIES - {"to"})
_OWN_VERB = frozenset(lx.AUXILIARIES - {"to", "and"} | lx.DIED)
_QUALIFIERS_AT = _by_first_word(lx.QUALIFIERS)  # this runs at every token: index it
_QUALIFY_STARTS = frozenset(_QUALIFIERS_AT) | {"between", "from"}


def _qualifier_at(low: list[str], i: int) -> tuple[str, int] | None:
    """The qualifier phrase at ``i`` ('at least', 'a cumulative', 'over'): its name and the
    index after it. The second word is compared before any slice is built: many phrases
    share a first word ('a'), and this runs for most number phrases."""
    second = low[i + 1] if i + 1 < len(low) else ""
    for words, name in _QUALIFIERS_AT.get(low[i], ()):
        if len(words) == 1 or words[1] == second and (
                len(words) == 2 or tuple(low[i:i + len(words)]) == words):
            return name, i + len(words)
    return None


def may_qualify(word: str) -> bool:
    """Whether a qualified number phrase can begin with ``word`` (a cheap test)."""
    return word in _QUALIFY_STARTS or may_start(word)


def qualified(low: list[str], i: int) -> tuple[str, Quantity, int] | None:
    """A qualifier and number phrase at ``i``: (qualifier, quantity, index after it)."""
    if i >= len(low) or not may_qualify(low[i]):
        return None
    qualifier = "exact"
    if low[i] in _QUALIFIERS_AT and (phrase := _qualifier_at(low, i)) is not None:
        qualifier, i = phrase
    if i >= len(low) or AGE.match(low[i]):
        return None
    rng = dash_range(low[i])
    if rng:
        return qualifier, Quantity(rng[0], 1, maximum=rng[1]), i + 1
    if (low[i] == "between" or low[i] == "from" and low[i - 1:i] and
            low[i - 1] in lx.RANGE_VERBS) and (bounded := _bounded_range(low, i)) is not None:
        return qualifier, bounded[0], bounded[1]
    qty = quantity(low, i)
    if qty is None or (qty.value is not None and YEAR.match(low[i]) and qty.value > 1900):
        return None
    if qty.maximum is not None and low[i - 1:i] == ["from"] and \
            "to" in low[i:i + qty.length] and \
            not (i >= 2 and low[i - 2] in lx.RANGE_VERBS):
        return None  # "rose from 20 to 30": a change, 20 an earlier figure; 30 is read at "30"
    if low[i] in ("many", "several", "numerous") and qualifier != "exact":
        return None
    if qualifier == "about" and (spoken := _spoken_range(low, i + qty.length, qty)) is not None:
        return qualifier, spoken, i + qty.length + 2
    return qualifier, qty, i + qty.length


def _bounded_range(low: list[str], i: int) -> tuple[Quantity, int] | None:
    """'between 14 and 30', '(ranging) from 14 to over 30' at ``i``: the range its two
    bounds give and the index after it. The upper bound may carry its own qualifier."""
    inner = quantity(low, i + 1)
    if inner is None or inner.value is None or inner.maximum is not None:
        return None
    joint = i + 1 + inner.length
    if low[joint:joint + 1] != [_RANGE_JOINTS[low[i]]]:
        return None
    at = joint + 1
    if at < len(low) and (phrase := _qualifier_at(low, at)) is not None:
        at = phrase[1]  # "to over 30"
    upper = quantity(low, at)
    if upper and upper.value and upper.value > inner.value:
        return Quantity(inner.value, 0, maximum=upper.value), at + upper.length
    return None


_RANGE_JOINTS = {"between": "and", "from": "to"}


def _spoken_range(low: list[str], j: int, qty: Quantity) -> Quantity | None:
    """'about 13, 14 were wounded': an approximate count said as two consecutive numbers,
    read as the range they give."""
    if qty.value is None or qty.maximum is not None or low[j:j + 1] != [","] or j + 1 >= len(low):
        return None
    upper = quantity(low, j + 1)
    if upper is None or upper.length != 1 or upper.value != qty.value + 1:
        return None
    return Quantity(qty.value, qty.length + 2, maximum=upper.value)


def told_fatally(low: list[str], i: int) -> bool:
    """Whether the harm at ``i`` is told 'fatally' or 'mortally' ('was fatally injured',
    'fatally shot'): a death, whatever the verb."""
    return i > 0 and low[i - 1] in lx.FATALLY


def is_age_or_family(low: list[str], i: int) -> bool:
    """'aged 33', 'Name, 32,' , 'mother of 2', 'died April 14': numbers that count no
    victims."""
    if i > 0 and low[i - 1] in ("aged", "age", "ages"):
        return True
    if i > 0 and low[i - 1] in lx.MONTHS and low[i].isdigit() and len(low[i]) <= 2:
        return True  # a day of a month
    if i > 1 and low[i - 1] in ("of", "to") and low[i - 2] in lx.FAMILY_OF:
        return True
    return 0 < i < len(low) - 1 and low[i - 1] == "," and low[i + 1] == "," and low[i].isdigit()


def blocked_before(low: list[str], i: int) -> bool:
    """A hypothetical or a negation just before position ``i``; not 'is reported to have'
    (lexicon.REPORTED_TO), a harm reported, not supposed."""
    window = low[max(0, i - 3):i]
    if window[-2:] == ["to", "have"] and len(window) == 3 and window[0] in lx.REPORTED_TO:
        return False
    return any(w in lx.HYPOTHETICAL for w in window[-2:]) or any(
        w in lx.NEGATIONS for w in window[-1:])


def after_being(low: list[str], j: int) -> tuple[str, int] | None:
    """'... had received treatment after being injured': the state a few words on."""
    for k in range(j, min(len(low) - 2, j + 6)):
        if low[k] in lx.CLAUSE_END or low[k] in lx.KILLED_STATE or \
                low[k] in lx.HYPOTHETICAL - {"to"}:
            return None
        if low[k] == "after" and low[k + 1] in ("being", "getting") and \
                low[k + 2] in ("injured", "wounded", "hurt"):
            return "injured", k + 2
    return None


def state_past_predicate(low: list[str], j: int) -> tuple[str, int] | None:
    """'(13 educators and four of their children) paid a most terrible price in the
    conflict - killed in an airstrike', '(Ten hikers) were caught in the avalanche and
    killed', '... and were later killed': victims ending at ``j``, their own predicate
    first (it starts at ``j`` and holds a word), then their state past a mark or 'and'
    (lexicon.FAR_STATES). Not when another person, a pronoun, a number, a word of another
    clause (lexicon.FAR_STOPS) or a hedge stands between, nor when the verb takes an object
    (then it is what they did)."""
    for k in range(j, min(len(low) - 1, j + lx.FAR_REACH)):
        word = low[k]
        state = state_after(low, k + 1) if word in lx.FAR_JOINS and k > j else None
        if state is not None and low[state[1]] in lx.FAR_STATES and \
                not object_follows(low, state[1] + 1):
            return lx.FAR_STATES[low[state[1]]], state[1]
        if word in lx.FAR_STOPS or word in lx.PERSONS or word in lx.PERPETRATORS or \
                word in lx.NEGATIONS or word in lx.SURVIVED or \
                word in lx.HYPOTHETICAL - {"to"} or word in lx.KILLED_STATE or \
                word in lx.INJURED_STATE or word in lx.STATE_WORDS or \
                quantity(low, k) is not None:
            return None
    return None


def past_apposition(low: list[str], j: int) -> int:
    """'three people, a man and two women, were killed', 'Twenty-three civilians,
    including at least 10 children and eight women, were killed': the index after the
    aside. An aside that counts a subset ('including') may hold a qualified number."""
    if j >= len(low) or low[j] not in (",", "-", "—", "–", "("):
        return j
    if low[j] == "(":
        return _past_brackets(low, j)
    subset = low[j + 1:j + 2] != [] and low[j + 1] in lx.SUBSET_OPENERS
    for k in range(j + 1 + subset, min(len(low), j + (lx.ASIDE_REACH if subset else 10))):
        if low[k] in (",", "-", "—", "–", ")"):
            return k + 1
        if low[k] in (_ASIDE_STOPS if subset else _NOT_IN_APPOSITION):
            return j
    return j


# What ends an aside: a state, another clause; an aside naming the victims again holds no
# clause word at all.
_ASIDE_STOPS = frozenset(lx.KILLED_STATE | lx.INJURED_STATE | {";", ":", ".", "(", "?", "!"})
_NOT_IN_APPOSITION = frozenset(lx.KILLED_STATE | lx.INJURED_STATE |
                               lx.BREAKS - {"and", "of", "a", "an", "the"})


def state_past_modifiers(low: list[str], j: int) -> tuple[str, int] | None:
    """'Three workers (who had been repairing the roof when the storm struck) were
    injured', 'Two men (from the village of Kafr Nabl in the province of Idlib) were
    killed', 'Five members of a family (that had fled the fighting) drowned': the state of
    victims ending at ``j`` past a relative clause or prepositional phrases of up to
    lexicon.MODIFIER_REACH words, told by an auxiliary or a verb of dying. Not past a mark,
    'and', a count, another person or a word of harm (then the state is someone else's,
    or the victims did the harm: 'two men who killed a guard were arrested')."""
    if j >= len(low) or low[j] not in MODIFIER_OPENERS:
        return None
    for k in range(j + 1, min(len(low), j + lx.MODIFIER_REACH)):
        word = low[k]
        if word in _STATE_OPENERS and (state := state_after(low, k)) is not None:
            return state
        if word in _MODIFIER_STOPS or word in lx.PERSONS or word in lx.PERPETRATORS or \
                not word.isalpha() and not AGE.match(word) and "-" not in word and \
                "'" not in word or quantity(low, k) is not None and not AGE.match(word):
            return None
    return None


MODIFIER_OPENERS = frozenset(lx.MODIFIER_PREPS | {"who", "that"})
# Where the victims' own verb may start: an auxiliary, or a verb of dying ("drowned").
_STATE_OPENERS = frozenset({"was", "were", "is", "are", "have", "has", "had"} | lx.DIED)
_MODIFIER_STOPS = frozenset(lx.KILLED_STATE | lx.INJURED_STATE | lx.KILL_VERBS |
                            lx.INJURE_VERBS | lx.NEGATIONS | lx.SURVIVED |
                            lx.HYPOTHETICAL - {"to"} | lx.PRONOUNS | lx.PART_OF |
                            {"and", "or", "but", "said", "says", "where", "them"})


def _past_brackets(low: list[str], j: int) -> int:
    """'Four persons (a 77-year-old woman who was wearing the monitor, two other adults aged
    29 and 30 years, and one 8-year-old child) were pronounced dead': brackets close their
    own aside, however its words run; the index after it, or ``j`` if it tells a state
    or does not close within lexicon.BRACKET_REACH words."""
    for k in range(j + 1, min(len(low), j + lx.BRACKET_REACH)):
        if low[k] == ")":
            return k + 1
        if low[k] == "(" or low[k] in lx.KILLED_STATE or low[k] in lx.INJURED_STATE:
            return j
    return j


def before_brackets(low: list[str], j: int) -> int:
    """'the certified flight instructor (CFI)', 'Nathan Phillips (victim)': the index
    before a one-word bracket (an acronym, a label) that ends at ``j``, else ``j``."""
    return j - 3 if low[j] == ")" and j >= 3 and low[j - 2] == "(" else j


def _person_ahead(low: list[str], j: int) -> bool:
    """Whether a person noun comes at ``j`` or after at most two modifiers ('Syrian
    soldiers', 'East African migrants', 'young men')."""
    for k in range(j, min(len(low), j + 3)):
        if low[k] in lx.PERSONS:
            return True
        if not low[k].isalpha() or low[k] in lx.BREAKS or low[k] in lx.AUXILIARIES or \
                low[k] in lx.STATE_WORDS:
            return False
    return False


def skip_victim_words(low: list[str], j: int, need_person: bool = False) -> int | None:
    """Past the words naming the victims ('people', 'of them', 'Syrian soldiers')."""
    seen_person, steps, head = False, 0, None
    clause = None  # where a participle after the victims starts ('Americans working to ...')
    while j < len(low) and steps < 4:
        word = low[j]
        if word == "." and j > 0 and "." in low[j - 1]:
            j += 1  # "U.S." read as 'u.s' and its own '.': one word
            continue
        if word in _VICTIMS_END or word in lx.TO_DEATH_VERBS and to_death(low, j + 1):
            break  # "two hikers froze to death": the verb before "to death" is their state
        if word in lx.MODALS and modal_perfect(low, j):
            break
        if word in _CONJUNCTIONS and _coordinated_harm_modifier(low, j):
            j += 2  # "numerous fire and concussion injuries": one harm, two modifiers
            continue
        if clause is None and word.endswith("ing") and head in lx.PERSONS and _participle(word):
            clause = j
        if word in lx.SURVIVED or word in lx.HYPOTHETICAL or word in lx.OTHER_STATES and \
                low[j + 1:j + 2] and low[j + 1] not in lx.PERSONS:
            # "six missing": counted in another state ("displaced people" reads on); past
            # a participle after the victims, the clause says what they did, not their state
            return clause
        if word in lx.PERSONS:
            seen_person, head = True, word
            listed = _listed_person(low, j + 1)
            if listed is not None:  # "men, women and children": one list of victims
                j = listed
                continue
        elif word in lx.NOT_VICTIMS or word in lx.PERPETRATORS:
            if word in lx.NOT_VICTIMS and low[j + 1:j + 2] and low[j + 1] not in lx.PERSONS:
                return None  # "200 houses collapsed": things counted ("bomb victims" reads on)
            head = word
        elif word in lx.REPORT_NOUNS and steps == 0 and low[j + 1:j + 2] == ["of"]:
            j += 2  # "2 reports of fatalities": each report tells of one victim
            steps += 1
            continue
        elif word == "of" and steps == 0 and _person_ahead(low, j + 1):
            j += 1  # "dozens of people", "hundreds of East African migrants"
            steps += 1
            continue
        elif word == "of" and j + 1 < len(low) and low[j + 1] in lx.PART_OF | lx.POSSESSIVES:
            j += 2
            if low[j - 1] in lx.POSSESSIVES:
                j += group_size(low, j)  # "(eleven) of the 30 passengers"
            steps += 1
            continue
        elif not (word.isalpha() or "-" in word or "." in word and _acronym(word)) or \
                word in lx.BREAKS or word in lx.AUXILIARIES or word in lx.KILLED_STATE or \
                word in lx.INJURED_STATE or word in lx.NEGATIONS:
            break  # "two men suffered no injuries": what follows a negation is no state
        else:
            head = word
        j += 1
        steps += 1
    if need_person and not seen_person or head in lx.NOT_VICTIMS or head in lx.PERPETRATORS:
        return None
    return j


_CONJUNCTIONS = frozenset({"and", "or"})


def _coordinated_harm_modifier(low: list[str], j: int) -> bool:
    """'(fire) and concussion injuries', '(head) or leg wounds': at ``j`` a conjunction and a
    second modifier of a harm noun right after it (lexicon.HARM), a word that is no person,
    number, state or clause word, after a first modifier of the same kind."""
    if j == 0 or low[j + 2:j + 3] == [] or low[j + 2] not in lx.HARM:
        return False
    return all(word.isalpha() and word not in lx.PERSONS and word not in lx.BREAKS and
               word not in lx.KILLED_STATE and word not in lx.INJURED_STATE and
               word not in lx.NOT_VICTIMS and quantity(low, k) is None
               for k, word in ((j - 1, low[j - 1]), (j + 1, low[j + 1])))


def group_size(low: list[str], k: int) -> int:
    """'(Eleven of the) 30 passengers (on board were killed)', '(two of its) 12 crew': at
    ``k``, after 'of' and a determiner, the size of the group a part is counted from, no
    count of victims: how many words it takes, else 0. Not where the group is told by its
    own harm ('30 of the 80 wounded', 'many of the 870 people who were injured'): then it
    counts the victims, and the part before it is a part of them."""
    size = quantity(low, k)
    if size is None or size.value is None:
        return 0
    j = k + size.length
    if j >= len(low) or low[j] in _VICTIMS_END:
        return 0
    after = skip_victim_words(low, j)
    return 0 if after is None or low[after:after + 1] == ["who"] else size.length


def _acronym(word: str) -> bool:
    """'u.s', 'u.n' (a word holding a stop): an acronym written with stops, its last stop a
    token of its own."""
    return word.replace(".", "").isalpha()


def _participle(word: str) -> bool:
    """A present participle (an -ing word, asked before) that can open a clause after a
    noun ('working', 'serving')."""
    return len(word) > 5 and word not in lx.OTHER_STATES and \
        word not in lx.BREAKS and word not in lx.PERSONS


def _listed_person(low: list[str], j: int) -> int | None:
    """', women', ', and children', 'and children' at ``j``, after a person noun: the index
    of the next listed person noun, else None."""
    k = j + (low[j:j + 1] == [","])
    k += low[k:k + 1] == ["and"]
    if k == j or k >= len(low) or low[k] not in lx.PERSONS or low[k] in lx.IRREGULAR_PLURALS - {
            "people", "children", "men", "women", "police", "staff", "crew"}:
        return None
    return k


def state_after(low: list[str], j: int) -> tuple[str, int] | None:
    """After the victims: optional auxiliaries, then killed/dead/injured...: (kind, index).
    Harm told 'fatally' or 'fatal' ('were fatally injured', 'was fatally shot', 'suffered
    fatal injuries') is a death; a state offered with another ('killed or injured', 'dead
    or missing') tells neither."""
    steps, passive, fatal = 0, False, False
    while j < len(low) and (low[j] in lx.AUXILIARIES or low[j] in lx.HEDGES or
                            modal_perfect(low, j) or _adverb(low[j])) and steps < 5:
        word = low[j]
        if fatal and passive and word in lx.VIOLENCE and (
                j + 1 >= len(low) or low[j + 1] != "and"):
            return "killed", j  # "was fatally shot"
        fatal = word in lx.FATALLY
        if word in lx.LISTED_AS and low[j + 1:j + 2] == ["as"]:
            j, steps = j + 2, steps + 2  # "were listed as injured"
            continue
        if modal_perfect(low, j):
            j, steps = j + 2, steps + 2  # "may have died": hedged, not hypothetical
            continue
        if word in lx.HYPOTHETICAL and word != "to" or word in lx.SURVIVED:
            return None
        if word == "to" and to_death(low, j):
            return "killed", to_death(low, j)  # type: ignore[return-value]
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
    if word in lx.INJURED_STATE and low[j + 1:j + 2] and low[j + 1] in lx.NOT_STATE_AFTER:
        return None  # "two players on injured reserve"
    if word in lx.KILLED_STATE or word in lx.INJURED_STATE:
        if not passive and word in lx.KILL_VERBS | lx.INJURE_VERBS and object_follows(low, j + 1):
            return None  # "two officers shot and killed a teenager": they are the killers
        if low[j + 1:j + 2] == ["or"]:
            return None  # "killed or injured", "dead or unconscious": either state, neither told
        fatal = fatal or j > 0 and low[j - 1] in lx.FATAL  # "suffered fatal injuries"
        return ("killed" if word in lx.KILLED_STATE or fatal else "injured"), j
    if word in ("lost",) and j + 2 < len(low) and low[j + 2] == "lives":
        return "killed", j + 2
    if j + 1 < len(low) and low[j + 1] == "to" and to_death(low, j + 1):
        return "killed", to_death(low, j + 1)  # type: ignore[return-value]
    harm = harm_ahead(low, j + 1) if word in lx.TREATED else None
    return None if harm is None else ("injured", harm)


def _adverb(word: str) -> bool:
    """'tragically', 'reportedly': an adverb between the victims and their state."""
    return len(word) > 4 and word.endswith("ly") and word.isalpha() and word not in lx.PERSONS


def names_ahead(tokens: tuple[Token, ...], j: int) -> tuple[int, int] | None:
    """'Alice McMeekin and Katie Jenkin', 'Tennant, Hakim and Smith' from ``j``: how many
    people are named, and the index after the last name."""
    count, k = 0, j
    while k < len(tokens) and is_name(tokens, k):
        while k < len(tokens) and is_name(tokens, k):
            k += 1
        count += 1
        rest = [t.low for t in tokens[k:k + 2]]
        if rest[:1] == ["and"] or rest == [",", "and"]:
            k += 1 + (rest[0] == ",")
        elif rest[:1] == [","] and k + 1 < len(tokens) and is_name(tokens, k + 1):
            k += 1
        else:
            break
    return (count, k) if count else None


def modal_perfect(low: list[str], j: int) -> bool:
    """'may have', 'could have': a state that is hedged, not hypothetical."""
    return low[j] in lx.MODALS and low[j + 1:j + 2] == ["have"]


def harm_ahead(low: list[str], j: int) -> int | None:
    """'for minor injuries', 'to hospital with burns' after a verb of care: the index of
    the harm, if one follows within the clause ('with no injuries' is none)."""
    for k in range(j, min(len(low), j + 6)):
        if low[k] in lx.HARM or low[k] in lx.CARE_PLACES:
            return k
        if low[k] in lx.CLAUSE_END or low[k] in _AUXILIARIES_NOT_TO or low[k] in lx.NEGATIONS:
            return None
    return None


def died_after(low: list[str], j: int) -> bool:
    """'(rushed to hospital) where she later died', '(...) but was declared dead on arrival':
    the person cared for, told dead later in the sentence from ``j``: by a pronoun or a
    clause word, no other person named between."""
    for k in range(j, len(low)):
        if low[k] in _DIED_LATER:
            return any(word in _BACK_TO_THEM for word in low[j:k])
        if low[k] in lx.PERSONS or low[k] in (";", "."):
            return False
    return False


_DIED_LATER = frozenset(lx.DIED | {"dead"})
_BACK_TO_THEM = frozenset({"he", "she", "where", "but", "and"})


def to_death(low: list[str], j: int) -> int | None:
    """'shot to death', 'fallen to their deaths': the index of 'death', or None."""
    k = j + 1
    if k < len(low) and low[k] in ("his", "her", "their", "its"):
        k += 1
    return k if k < len(low) and low[k] in ("death", "deaths") else None


def object_follows(low: list[str], k: int) -> bool:
    """An object right after a verb makes it active: the subject did the killing."""
    if k >= len(low):
        return False
    return low[k] in ("a", "an", "the", "his", "her", "him", "them", "their", "one", "two",
                      "three", "four", "five") or quantity(low, k) is not None or (
        may_qualify(low[k]) and qualified(low, k) is not None)  # "at least 40"


def to_death_ahead(low: list[str], j: int) -> bool:
    """'to death' (or 'to their deaths') within the next few words, before any clause
    ends: the words between are whom the violence killed."""
    for k in range(j, min(len(low), j + 9)):
        if low[k] == "to" and to_death(low, k):
            return k > j
        if low[k] in lx.CLAUSE_END or low[k] in lx.KILLED_STATE:
            return False
    return False


def and_more(low: list[str], j: int, first: int | None = None) -> tuple[int, int]:
    """'... and a man', '... and two women', '..., sister and ...', '..., two policemen and
    a civilian' after the victims ending at ``j`` (``first``: how many they are): how many
    more victims, and the index after them. Items joined by commas count only in a list
    that 'and' closes, and not where they name the victims just counted again ('three
    people, a man and two women'). Victims with a verb of their own ('and 25 others are
    missing', 'and 2 others died', 'and a child died later', 'and a policeman was
    wounded') open a new clause: no more victims."""
    listed: list[tuple[int, int, int]] = []  # each item's count, end and the joint before it
    k = j
    while k + 1 < len(low) and low[k] in (",", "and"):
        if low[k] == "," and listed and low[listed[-1][2]] == "and":
            break  # "..., A and B, a spokesman said": the list closed at its 'and'
        at = k + 1 + (low[k:k + 2] == [",", "and"])
        item = _list_item(low, at)
        if item is None:
            break
        listed.append((item[0], item[1], at - 1))
        k = item[1]
    if listed and low[listed[-1][2]] == "," and low[listed[-1][1]:listed[-1][1] + 1] != ["and"]:
        return 0, j  # "killed two soldiers, a spokesman said": no list ('and' closes one)
    if not listed or _verb_of_their_own(low, listed[-1][1]) or \
            _names_again(low, j, first, listed):
        return 0, j
    return sum(count for count, _, _ in listed), listed[-1][1]


def _list_item(low: list[str], j: int) -> tuple[int, int] | None:
    """One item of a list of victims at ``j``: 'two women', 'a man', 'his two sons',
    'sister': how many it names and the index after it."""
    at = j + (low[j:j + 1] != [] and low[j] in lx.POSSESSIVES and low[j] != "the")
    more = qualified(low, at)
    if more is not None and more[1].value is not None and not more[1].vague:
        after = skip_victim_words(low, more[2], need_person=True)
        return None if after is None else (more[1].value, after)
    if low[j:j + 1] and low[j] in ("a", "an", "his", "her", "their") and \
            (end := person_end(low, j + 1)) is not None:
        return 1, end
    if person_end(low, j) == j + 1:  # "his mother and ex-girlfriend"
        return 1, j + 1
    return None


def _names_again(low: list[str], j: int, first: int | None,
                 listed: list[tuple[int, int, int]]) -> bool:
    """Whether a list opened by a comma names again the ``first`` victims that end at ``j``
    ('killed three people, a man and two women'): their noun says only that they are
    people, and the list's items (count, end, the joint before them) add up to them."""
    return low[listed[0][2]] == "," and first is not None and \
        low[j - 1] in lx.GENERAL_PERSONS and sum(count for count, _, _ in listed) == first


def _verb_of_their_own(low: list[str], k: int) -> bool:
    """Whether victims ending at ``k`` have a verb of their own ('... were wounded',
    '... later died', '... are still missing'): they open a clause, not join a verb's
    object."""
    return k < len(low) and low[k] in _OWN_VERB


def person_end(low: list[str], j: int) -> int | None:
    """The index after a singular person noun within four words of ``j``: the head of 'a
    state bomb disposal technician' (a noun like 'bomb' may modify it, not end it)."""
    for k in range(j, min(len(low), j + 4)):
        word = low[k]
        if word in lx.PERSONS and word not in lx.IRREGULAR_PLURALS and not word.endswith("s"):
            return k + 1
        if word in lx.PERPETRATORS or word in lx.BREAKS or not _modifier_word(low, k):
            return None
    return None


def _modifier_word(low: list[str], k: int) -> bool:
    """A word that may modify a victim noun: 'state', 'anti-gang', "city's", 'U.N.' (read
    as 'u.n' and its own '.')."""
    word = low[k]
    return word.isalpha() or "-" in word or word.endswith("'s") or (
        "." in word and word.replace(".", "").isalpha()) or (
        word == "." and k > 0 and "." in low[k - 1])


def past_time(low: list[str], j: int) -> int:
    """'on 15 January', 'on Sunday', 'yesterday', 'last night' at ``j``: the index after
    such a time adjunct, else ``j``."""
    if j >= len(low):
        return j
    if low[j] in lx.TIME_WORDS or low[j] in lx.WEEKDAYS:
        return j + 1
    if low[j] == "last" and low[j + 1:j + 2] and (low[j + 1] in lx.WEEKDAYS or low[j + 1] in (
            "night", "week", "month")):
        return j + 2
    if low[j] != "on":
        return j
    k = j + 1
    while k < len(low) and k <= j + 3 and (
            low[k] in lx.WEEKDAYS or low[k] in lx.MONTHS or low[k].isdigit() and len(low[k]) <= 2):
        k += 1
    return k if k > j + 1 else j


def headline(tokens: tuple[Token, ...]) -> bool:
    """A headline: a line without a final stop, short ('Grandmother killed by drunk
    driver') or in title case however long ('UN Chief Strongly Condemns Attack That Kills
    Peacekeeper in Central African Republic': every word of four letters or more capitalised)."""
    if not tokens or tokens[-1].low in (".", "!", "?", '"', "'", ")"):
        return False
    return len(tokens) <= 16 or all(
        t.text[:1].isupper() for t in tokens if len(t.text) > 3 and t.text.isalpha())


def bare_victim(low: list[str], j: int) -> bool:
    """A headline's one victim, a singular person noun without an article ('Kills
    Peacekeeper', 'Killing of Peacekeeper', 'Peacekeeper Killed'): capitals name no one in a
    headline, so only the noun counts."""
    word = low[j] if 0 <= j < len(low) else ""
    return word in lx.PERSONS and not word.endswith("s") and \
        word not in lx.IRREGULAR_PLURALS and word not in lx.PERPETRATORS


def opening_subject(low: list[str], j: int) -> int | None:
    """'A 35-year-old deputy working with an anti-gang unit (was killed)', '(said that) a
    grandmother on her way to a service in Richmond Hill last Friday (was hit and killed)':
    the one victim that opens the clause, its verb reached past a participle or a
    prepositional phrase of up to twelve words that ends at ``j``. Where it starts, if so."""
    for d in range(max(0, j - 18), j):
        if low[d] in ("a", "an", "the") and (d == 0 or low[d - 1] in _SUBJECT_OPENERS) and \
                _modified_subject(low, d, j):
            return d
    return None


# What a clause's subject may follow: "(said) that a grandmother ...", "..., a deputy",
# "...; a man on his way to the market (was shot dead)".
_SUBJECT_OPENERS = frozenset({"that", ",", ";", ":"})


def _modified_subject(low: list[str], d: int, j: int) -> bool:
    """Whether 'the/a [age, modifiers] person <participle or preposition ...>' runs from
    ``d`` to ``j`` with no clause, verb or count inside."""
    for k in range(d + 1, min(j, d + 7)):
        word = low[k]
        if word in lx.PERSONS and word not in lx.IRREGULAR_PLURALS and not word.endswith("s"):
            break
        if not (word.isalpha() or AGE.match(word) or "-" in word or word in ("'", "’", "'s")):
            return False
    else:
        return False
    opener = low[k + 1]
    if j - k > 16 or j <= k or not (
            opener.endswith("ing") or opener in lx.PLACE_WORDS | {"on", "from", "with", "of"}):
        return False
    return not any(
        x in lx.CLAUSE_END and not _acronym_mark(low, k + 1 + n) or
        x in lx.AUXILIARIES - {"to"} or x in ("and", "said", "says") or
        quantity(low, k + 1 + n) is not None and not AGE.match(x)
        for n, x in enumerate(low[k + 1:j + 1]))


def _acronym_mark(low: list[str], k: int) -> bool:
    """A bracket around one word, an organisation's acronym: 'of the United Nations
    Mission in Mali (MINUSMA)' reads on past it."""
    return low[k] == "(" and low[k + 2:k + 3] == [")"] or \
        low[k] == ")" and k >= 2 and low[k - 2] == "("


def victims_before(low: list[str], tokens: tuple[Token, ...], k: int,
                   counted: bool = True) -> tuple[int, int] | None:
    """'The bus driver, the driver of the car and (one bus passenger died)', 'a policeman
    and (two civilians)': the person phrases listed before the 'and' (or a comma of a list
    that 'and' closes later) at ``k``, joined by commas, each a victim or a counted group:
    (where the list starts, how many it names).
    The list must open its clause ('killed a soldier and two civilians were wounded': the
    soldier is the verb's object, not one of the wounded), or follow the victims it names
    ('the three bank workers a man and two women'). ``counted``: whether an item may be a
    number of people ('two women'), else only single victims."""
    if low[k:k + 1] not in (["and"], [","]):
        return None
    end = k - (k > 0 and low[k - 1] == "," and low[k] == "and")  # "..., and"
    start, count = None, 0
    while end > 0:
        item = _person_ending(low, tokens, end, counted)
        if item is None:
            break
        start, count = item[0], count + item[1]
        if start < 2 or low[start - 1] != ",":
            break
        end = start - 1
    if start is None or not opens_clause(low, start):
        return None
    return start, count


def _person_ending(low: list[str], tokens: tuple[Token, ...], end: int,
                   counted: bool = True) -> tuple[int, int] | None:
    """The longest person phrase that ends right before ``end`` and follows a comma or opens
    its clause: (its start, how many it names), else None ('In the town of Mullah Hafez,'
    names a place: a name after a preposition is none)."""
    for s in range(max(0, end - 9), end):
        read = person_phrase(low, tokens, s)
        if read is not None and read[1] == end and (counted or read[0] == 1) and (
                s > 0 and low[s - 1] == "," or opens_clause(low, s)):
            return s, read[0]
    return None


def opens_clause(low: list[str], s: int) -> bool:
    """Whether a subject may start at ``s``: the sentence's start, after a mark, after a
    word that opens a clause ('said', 'when', 'that'), or after plural victims it names
    again ('the three bank workers a man and two women')."""
    before = low[s - 1] if s > 0 else ""
    return s == 0 or not before[:1].isalnum() or before in lx.CLAUSE_OPENERS or \
        before in lx.PERSONS and _plural(before) and before not in lx.NOT_HEADS


def person_phrase(low: list[str], tokens: tuple[Token, ...], s: int) -> tuple[int, int] | None:
    """A person noun phrase at ``s``: 'the bus driver', 'the driver of the car', 'one bus
    passenger', 'his two sons', 'a 35-year-old deputy', 'Anthony Salerno': (how many people
    it names, the index after it), else None. A singular head names one, a number its
    count; a plural without a number names none that can be counted."""
    k, count = s + (low[s] in lx.POSSESSIVES), 1
    read = qualified(low, k)
    if k == s and low[k] in ("a", "an"):
        k += 1
    elif read is not None and read[1].value is not None and not read[1].vague and \
            read[1].maximum is None:
        count, k = read[1].value, read[2]
    elif k == s:
        if not is_name(tokens, k) or k > 0 and low[k - 1] in lx.MODIFIER_PREPS | {"of", "to"}:
            return None
        while k < len(low) and is_name(tokens, k):
            k += 1
        return 1, k
    head = None
    while k < len(low) and k - s < 7 and _noun_word(low, k):
        head, k = k, k + 1
    if head is None or low[head] in lx.NOT_HEADS or low[head] in lx.PERPETRATORS or \
            low[head] not in lx.PERSONS or (count == 1) == _plural(low[head]):
        return None
    if low[k:k + 1] == ["of"] and low[k + 1:k + 2] and low[k + 1] in lx.POSSESSIVES | {"a", "an"}:
        k += 2  # "the driver of the car": the complement names no one more
        while k < len(low) and _noun_word(low, k):
            k += 1
    return count, k


def _noun_word(low: list[str], k: int) -> bool:
    """A word of a noun phrase: a modifier or a noun, not a break, an auxiliary or a state
    ('the passenger died' ends before 'died'; 'evacuated people' are no victims)."""
    word = low[k]
    return word not in lx.BREAKS and word not in lx.BEFORE_STATE and \
        word not in lx.KILLED_STATE and word not in lx.INJURED_STATE and \
        word not in lx.OTHER_STATES and _modifier_word(low, k)


def _plural(word: str) -> bool:
    return word in lx.IRREGULAR_PLURALS or word.endswith("s")


def single_victim_ahead(low: list[str], j: int) -> bool:
    """After 'a'/'an': an age, an ordinal ('a third') or a person within three words."""
    for k in range(j, min(len(low), j + 3)):
        word = low[k]
        if AGE.match(word) or word in lx.PERSONS and not word.endswith("s"):
            return True
        if word in lx.ORDINAL_ONE:
            return True
        if word in lx.NOT_VICTIMS or word in lx.PERPETRATORS or not _modifier_word(low, k):
            return False  # "the city's mayor" reads on
    return False


def before_aside(low: list[str], j: int) -> int:
    """'the receptionist -- Madeline Kafoury -- was shot', 'a climber, described as
    lacking experience, dies': the index before the aside that ends at ``j`` (else ``j``)."""
    if low[j] not in lx.DASHES | {","}:
        return j
    marks = lx.DASHES if low[j] in lx.DASHES else {","}
    k = j
    while k > 0 and low[k - 1] in marks:
        k -= 1  # "- -": a dash typed as two hyphens
    for i in range(k - 1, max(-1, k - 20), -1):
        if low[i] in marks:
            while i > 0 and low[i - 1] in marks:
                i -= 1
            return i - 1 if i > 0 else j
        if low[i] == "." and i > 0 and low[i - 1] in ABBREVIATIONS:
            continue  # "of Clearwater, Fla., died": the stop of an abbreviation
        if low[i] in lx.STATE_WORDS or low[i] in (".", ";", ":"):
            return j
    return j


def listed_victims(low: list[str], tokens: tuple[Token, ...], j: int) -> tuple[int, int] | None:
    """Singular victims joined by 'and', and by commas before it ('John Gotti, Anthony
    Salerno and Anthony Corallo', 'the bus driver, the driver of the car and the passenger'),
    ending at ``j``: (where the list starts, how many)."""
    last = _person_ending(low, tokens, j + 1, counted=False) if "and" in low[
        max(0, j - 8):j] else None  # most single victims are no list: spare the search
    listed = None if last is None or low[last[0] - 1] != "and" else \
        victims_before(low, tokens, last[0] - 1, counted=False)  # a count: victims_then_state's
    if listed is not None and last is not None:
        return listed[0], listed[1] + last[1]
    first = two_victims(low, tokens, j)
    if first is None:
        return None
    count = 2
    while first >= 2 and low[first - 1] == "," and is_name(tokens, first - 2):
        item = singular_head(low, tokens, first - 2)
        if item is None or item > 0 and low[item - 1] in lx.MODIFIER_PREPS:
            break  # "In Homs, Ali and a man": a place, not a third victim
        first, count = item, count + 1
    return first, count


def past_modifier(low: list[str], j: int) -> int:
    """Past a short prepositional phrase after the victims, at ``j`` ('from the same
    family', 'inside the car'): the index after it, or ``j`` when there is none."""
    if j >= len(low) or low[j] not in lx.MODIFIER_PREPS:
        return j
    for k in range(j + 1, min(len(low), j + 7)):
        word = low[k]
        if word in lx.AUXILIARIES - {"to"} or word in lx.KILLED_STATE or word in lx.INJURED_STATE:
            return k if k > j + 1 else j
        if not (word.isalpha() or "'" in word) or word in lx.BREAKS - {"the", "a", "an", "of"}:
            return j
    return j


def two_victims(low: list[str], tokens: tuple[Token, ...], j: int) -> int | None:
    """'his mother and his ex-girlfriend', 'Katie Jenkin, 20, and mother Alice McMeekin,
    58,' ending at ``j``: the start of two singular victims joined by 'and'."""
    second = singular_head(low, tokens, j)
    if second is None:
        return None
    k = second - 1
    while k > 0 and second - k < 4 and (low[k] in lx.PERSONS or low[k] in (
            "his", "her", "their", "own", "a", "an", "the", "another")):
        k -= 1
    if k < 1 or low[k] != "and":
        return None
    return singular_head(low, tokens, k - 1)


def wound_site(low: list[str], j: int) -> bool:
    """'in the chest', 'in his leg' ending at ``j``."""
    return j >= 2 and low[j] in lx.BODY and low[j - 1] in ("the", "his", "her", "their") and \
        low[j - 2] == "in"


def counted_victims(low: list[str], j: int) -> tuple[int, Quantity, str] | None:
    """A number and the victims it counts, ending at ``j``: (start, quantity, qualifier)."""
    for k in range(max(0, j - 6), j + 1):  # the earliest start: "at least 14 civilians"
        read = qualified(low, k)
        if read is not None and not is_age_or_family(low, k):
            qualifier, qty, after = read
            words = low[after:j + 1]
            if words and words[-1] in lx.PERSONS and (words[0] != "of" or len(words) > 1) and all(
                    w.isalpha() and w not in lx.BREAKS - {"of"} for w in words):
                return k, qty, qualifier
    return None


def both_at(low: list[str], j: int) -> int | None:
    """'both' (or 'both 51,', 'both women', 'both of the pilots', 'both occupants of the
    car', 'both passengers, a man and a woman,') ending at ``j``: two victims, already
    named. Where 'both' is, else None."""
    if low[j] == "both":
        return j
    if low[j] == "," and j >= 2 and low[j - 1].isdigit() and low[j - 2] == "both":
        return j - 2
    if "both" not in low[max(0, j - _BOTH_REACH + 1):j]:
        return None  # most subjects: no "both" before them
    b = next(k for k in range(j - 1, max(-1, j - _BOTH_REACH), -1) if low[k] == "both")
    return b if _names_both(low, b, j) else None


# How far after 'both' the phrase naming the two may end ('both passengers, a man and a
# woman,'), and the words a prepositional phrase after their noun may hold ('of the car').
_BOTH_REACH = 12
_BOTH_PHRASE = frozenset(lx.MODIFIER_PREPS | {"of", "aboard", "the", "a", "an"})


def _names_both(low: list[str], b: int, j: int) -> bool:
    """Whether the words after 'both' at ``b`` up to ``j`` name the two: 'of them', 'of'
    and a determiner before them ('both of the pilots'), a noun after at most one modifier,
    then a short prepositional phrase ('occupants of the car') and an apposition
    ('passengers, a man and a woman,'), either or both. The noun is a person's, or one the
    apposition names as people ('both crewmen, a pilot and a navigator,': a noun not known
    here, or misspelt)."""
    k = b + 1
    if low[k] == "of":
        if k + 1 == j and low[j] in lx.PART_OF:
            return True  # "both of them"
        if low[k + 1:k + 2] == [] or low[k + 1] not in lx.POSSESSIVES:
            return False
        k += 2
    head = next((h for h in range(k, min(j + 1, k + 2)) if low[h] in lx.PERSONS), None)
    person = head is not None
    head = k if head is None else head
    if any(not low[x].isalpha() or low[x] in lx.BREAKS for x in range(k, head + 1)):
        return False
    while head < j and low[head + 1] in lx.PERSONS:
        head += 1  # "both of its crew members"
    p = _past_short_phrase(low, head + 1, j)
    if p == j + 1:
        return person
    return past_apposition(low, p) == j + 1 and (person or not lx.PERSONS.isdisjoint(low[p:j]))


def _past_short_phrase(low: list[str], p: int, j: int) -> int:
    """Past a prepositional phrase of up to five words from ``p``, not beyond ``j`` ('of
    the car', 'aboard the plane'), holding no person, mark or clause word: the index after
    it, else ``p``."""
    if p > j or low[p] not in lx.MODIFIER_PREPS | {"of", "aboard"}:
        return p
    k = p + 1
    while k <= min(j, p + 5) and low[k].isalpha() and low[k] not in lx.PERSONS and (
            low[k] in _BOTH_PHRASE or low[k] not in lx.BREAKS):
        k += 1
    return k


def after_to(low: list[str], m: int) -> bool:
    """'to death', 'to his death'."""
    return m > 0 and (low[m - 1] == "to" or m > 1 and low[m - 2] == "to" and
                      low[m - 1] in ("his", "her", "their"))


def singular_head(low: list[str], tokens: tuple[Token, ...], j: int) -> int | None:
    """The start of a singular victim phrase ending at ``j``, if it is one."""
    j = before_brackets(low, j)
    if j >= 2 and low[j - 1] in ("of", "to") and low[j - 2] in lx.FAMILY_OF and \
            quantity(low, j) is not None:
        j -= 2  # "the mother of two died": the number counts her children, not victims
    if low[j] == "," and j >= 3 and low[j - 1].isdigit() and low[j - 2] == ",":
        j -= 3  # "Name, 32," : step over the age
    elif low[j] == "," and j >= 1 and is_name(tokens, j - 1):
        j -= 1  # "His older brother, Jamar, was killed"
    word = low[j]
    if is_name(tokens, j):
        k = j
        while k > 0 and is_name(tokens, k - 1):
            k -= 1
        return None if lx.ANIMALS.intersection(low[max(0, k - 4):k]) else k  # "pet collie, Fenn"
    if word in lx.PERSONS and not word.endswith("s") and word not in lx.IRREGULAR_PLURALS:
        k = j - 1
        while k >= 0 and (low[k].isalpha() or AGE.match(low[k]) or "-" in low[k]) and \
                low[k] not in lx.BREAKS | {"who"} and j - k < 5:
            if quantity(low, k) is not None and not AGE.match(low[k]) and low[k] != "one":
                return None  # a number: the victims-then-state shape owns it
            k -= 1
        if k >= 0 and low[k] in lx.NEGATIONS | {"every", "each", "any"}:
            return None
        return k + 1
    return None


def before_people(low: list[str], j: int) -> bool:
    """A word before a plural person noun ('Rwandan nationals', 'Afghan civilians'): it
    modifies the group, whatever its capitals; it names no one victim."""
    after = low[j + 1:j + 2]
    return bool(after) and after[0] in lx.PERSONS and (
        after[0].endswith("s") or after[0] in lx.IRREGULAR_PLURALS)


def is_name(tokens: tuple[Token, ...], j: int) -> bool:
    """A capitalised word that can name a person ('Gray', 'Dulce-Valencia'), in
    running text: not an all-capitals headline, not a common word at a sentence start."""
    token = tokens[j]
    text = token.text
    return (text[:1].isupper() and not text.isupper() and text.replace("-", "").isalpha()
            and token.low not in lx.NOT_NAMES and token.low not in lx.PERSONS
            and token.low not in lx.MONTHS)


def past_origin(low: list[str], tokens: tuple[Token, ...], j: int) -> int:
    """Past 'from Zinbi village', 'from the town of Qeshm' starting at ``j`` ('from')."""
    k = j + 1
    while k < len(low) and (tokens[k].capitalized or low[k] in ("the", "of")) and k - j < 6:
        k += 1
    if k < len(low) and low[k] in lx.PLACE_NOUNS:
        k += 1
    named = k > j + 1 and (tokens[k - 1].capitalized or low[k - 1] in lx.PLACE_NOUNS)
    return k if named else j


def past_place(low: list[str], tokens: tuple[Token, ...], j: int) -> int:
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
