"""The shapes casualty figures are written in, one function each, each with a name.

A shape reads one sentence (``Words``) and returns every ``Match`` it finds: the kind,
the quantity, and the span of words that say so. The reader runs them in the order of
``SHAPES``; where two read the same number, the earlier one wins, so the most specific
shapes come first. The name is what a ``Figure``'s ``rule`` says, and what
``tollwatch eval casualties --by-rule`` scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from service.casualties import lexicon as lx
from service.casualties.numbers import Quantity, quantity
from service.casualties.text import Token
from service.casualties.words import (
    AGE, MODIFIER_OPENERS, YEAR, Words, after_being, after_to, and_more, bare_victim,
    before_aside, before_people, blocked_before, both_at, counted_victims, died_after, group_size,
    harm_ahead, headline, is_age_or_family, is_name, listed_victims, names_ahead,
    object_follows, opening_subject, opens_clause, past_apposition, past_modifier,
    past_origin, past_place, past_time, person_end, qualified, single_victim_ahead,
    singular_head, skip_victim_words, state_after, state_past_modifiers,
    state_past_predicate, to_death_ahead, told_fatally, two_victims, victims_before,
    wound_site,
)


@dataclass
class Match:
    kind: str
    qty: Quantity
    qualifier: str
    first: int  # token span of the evidence
    last: int
    number_at: int  # token index of the number (or of the victim), for de-duplication
    rule: str = ""  # the shape that read it
    partial: bool = False  # a part of a larger figure: "43 of them", "including 10 children"
    qty_end: int | None = None  # the index after the quantity as written, where known


# Words before a number that make it no count of victims ("no", "how") and that make it
# a count of harms ("suffered 3 wounds"): built once, as every number asks.
_NOT_BEFORE = frozenset(lx.NEGATIONS | {"how"})
_HARM_BEFORE = frozenset(lx.SUFFER_VERBS | lx.TREATED | {"for", "with"})


def victims_then_state(w: Words) -> list[Match]:
    """'78 people were killed', 'two women and one man died', '3 dead'."""
    found: list[Match] = []
    for i in w.starts:
        if found and i <= found[-1].last:
            continue  # inside the figure just read
        match = _victims_at(w, i)
        if match is None:
            continue
        found.append(match)
        other = _other_state(w, match)
        if other is not None:
            found.append(other)
    return found


def _victims_at(w: Words, i: int) -> Match | None:
    """A number and its victims starting at ``i``, then their state."""
    low = w.low
    read = qualified(low, i)
    if read is None or is_age_or_family(low, i) or (
            i > 0 and low[i - 1] in _NOT_BEFORE) or \
            i >= 3 and low[i - 1] in lx.POSSESSIVES and _group_size(low, i):
        return None
    qualifier, qty, j = read
    if i > 0 and low[i - 1] in _HARM_BEFORE and \
            low[j:j + 1] and low[j] in lx.HARM:
        return None  # "suffered multiple injuries", "treated for 3 wounds": the harm, not victims
    subset = _of_the_group(w, i, j, qualifier, qty)
    if subset is not None:
        return subset
    end = skip_victim_words(low, j)
    if end is None:
        return None
    total, after = _coordinated(low, qty.value, end)
    if total != qty.value and _object_of_verb(low, i, j):
        return None  # "killed 11 people and 25 others were injured": the verb's object first
    state = _state_of_victims(w, after) or _dead_beside_injured(low, j, after) or \
        _state_far(low, i, j, after)
    if state is None:
        return None
    match = Match(state[0], Quantity(total, 0, qty.vague, qty.maximum), qualifier, i,
                  state[1], i, qty_end=j)
    listed = _listed_before(w, i, after > end)
    if listed is None or total is None or _other_state(w, match) is not None:
        return match  # "Horton and the two other victims killed and injured": split states
    return replace(match, qty=replace(match.qty, value=total + listed[1]), first=listed[0])


def _state_far(low: list[str], i: int, j: int, after: int) -> tuple[str, int] | None:
    """The state of people counted at ``i`` (their words ``j`` to ``after``) told far from
    them: past a relative clause or prepositional phrases ('three workers who had been
    repairing the roof were injured'), or past their own predicate when they open the
    clause ('13 educators ... paid a terrible price - killed')."""
    opening = opens_clause(low, i)
    if not (opening or low[after:after + 1] and low[after] in MODIFIER_OPENERS) or \
            skip_victim_words(low, j, need_person=True) is None:
        return None
    return state_past_modifiers(low, after) or (
        state_past_predicate(low, after) if opening else None)


def _group_size(low: list[str], i: int) -> bool:
    """Whether the number at ``i``, after a determiner, is the size of a group a part
    before it is counted from ('Eleven of the 30 passengers': words.group_size)."""
    return low[i - 2] == "of" and quantity(low, i - 3) is not None and group_size(low, i) > 0


def _object_of_verb(low: list[str], i: int, j: int) -> bool:
    """Whether the number phrase at ``i`` (ending at ``j``) is the object of a verb of harm
    right before it, its qualifier included ('killed at least 3 soldiers')."""
    return any(low[b] in lx.OBJECT_VERBS and (read := qualified(low, b + 1)) is not None
               and read[2] == j for b in range(i - 1, max(i - 4, -1), -1))


def _listed_before(w: Words, i: int, closed: bool) -> tuple[int, int] | None:
    """'a policeman and (two civilians)', 'the mayor, (his two sons) and a guard': victims
    listed before the counted ones at ``i`` (``closed``: an 'and' follows them), as
    words.victims_before gives them."""
    low = w.low
    lead = i - (i > 0 and low[i - 1] in lx.POSSESSIVES)  # "his two sons", "the two sons"
    if lead > 1 and (low[lead - 1] == "and" or low[lead - 1] == "," and closed):
        return victims_before(low, w.tokens, lead - 1)
    return None


def _of_the_group(w: Words, i: int, j: int, qualifier: str, qty: Quantity) -> Match | None:
    """'two of the wounded later died', 'nine of the injured were in critical condition':
    a part of a group the text has already counted, in the state told after it (or the
    group's own). ``j``: the index after the number."""
    low = w.low
    if low[j:j + 1] != ["of"]:
        return None
    told = _those_harmed(low, j)
    if told is not None:
        group: str | None = told[0]
        end = told[1] + 1
    elif low[j:j + 2] == ["of", "the"] and j + 2 < len(low) and low[j + 2] in lx.GROUPS:
        group, end = lx.GROUPS[low[j + 2]], j + 3
    else:
        return None
    state = state_after(low, end) or (None if group is None else (group, end - 1))
    if state is None:
        return None
    return Match(state[0], qty, qualifier, i, state[1], i, partial=True, qty_end=j)


def _those_harmed(low: list[str], j: int) -> tuple[str, int] | None:
    """'(many) of those who died', '(two) of those killed', '(several) of the people who
    were injured': a group told by its harm, so a part of a toll counted elsewhere: the
    harm's kind and where it is said."""
    if low[j:j + 2] == ["of", "those"]:
        k = j + 2
    elif low[j:j + 2] == ["of", "the"] and low[j + 2:j + 3] and low[j + 2] in lx.PERSONS and \
            low[j + 3:j + 4] == ["who"]:
        k = j + 3
    else:
        return None
    k += low[k:k + 1] == ["who"]
    return state_after(low, k)


def _dead_beside_injured(low: list[str], j: int, end: int) -> tuple[str, int] | None:
    """'at least seven casualties and at least 53 injured': casualties set beside a count
    of the injured are the dead. ``j``..``end``: the victim words after the number."""
    if low[j:end] not in (["casualties"], ["fatal", "casualties"]) or low[end:end + 1] != ["and"]:
        return None
    other = qualified(low, end + 1)
    after = None if other is None else skip_victim_words(low, other[2])
    if after is None or after >= len(low) or low[after] not in lx.INJURED_STATE:
        return None
    return "killed", end - 1


def _other_state(w: Words, m: Match) -> Match | None:
    """'... have been killed and injured': the same victims in the other state too."""
    low, k = w.low, m.last + 1
    if low[k:k + 1] != ["and"] or k + 1 >= len(low):
        return None
    other = "injured" if m.kind == "killed" else "killed"
    state = low[k + 1]
    if state in (lx.INJURED_STATE if other == "injured" else lx.KILLED_STATE) and (
            state not in lx.KILL_VERBS | lx.INJURE_VERBS or not object_follows(low, k + 2)):
        return replace(m, kind=other, last=k + 1)
    return None


def _coordinated(low: list[str], total: int | None, j: int) -> tuple[int | None, int]:
    """'two women and one man', 'two women and a man', 'two aid workers and their driver':
    the victims' sum and their end."""
    while total is not None and j + 1 < len(low) and low[j] == "and":
        more = qualified(low, j + 1)
        one = more is None and low[j + 1] in lx.POSSESSIVES | {"a", "an"}
        if one:  # one victim more, if a singular person noun heads what follows
            more = ("exact", Quantity(1, 1), j + 2)
        if more is None or more[1].value is None:
            break
        after = skip_victim_words(low, more[2], need_person=True)
        if one and after is None and _nationality_noun(low, more[2]):
            after = more[2] + 1  # "Six Palestinians and an Israeli were killed"
        elif after is None or one and not bare_victim(low, after - 1):
            break
        total, j = total + more[1].value, after
    return total, j


def _nationality_noun(low: list[str], k: int) -> bool:
    """'(an) Israeli (were killed)': a nationality where a noun is due, its verb next."""
    return low[k:k + 1] != [] and low[k] in lx.NATIONALITIES and low[k + 1:k + 2] != [] and (
        low[k + 1] in lx.AUXILIARIES or low[k + 1] in lx.KILLED_STATE or
        low[k + 1] in lx.INJURED_STATE)


def _state_of_victims(w: Words, j: int) -> tuple[str, int] | None:
    """The state of victims whose phrase ends at ``j``, right after it or past an aside,
    a relative 'who', an origin, a place, or a short modifier; or 'after being'."""
    low, tokens = w.low, w.tokens
    state = state_after(low, j)
    if state is None and j < len(low):
        word = low[j]
        ahead = (past_apposition(low, j), j + 2 if low[j + 1:j + 2] == ["who"] else j,
                 j + 1 if word == "who" else j,  # "the 870 people who were injured"
                 past_origin(low, tokens, j) if word == "from" else j,  # "two people from Zinbi"
                 past_place(low, tokens, j) if word in ("in", "at") else j,  # "20 in Homs"
                 past_modifier(low, j))  # "8 people from the same family were killed"
        for k in ahead:
            if k != j and (state := state_after(low, k)) is not None:
                break
    return state or after_being(low, j)  # "five people were treated after being injured"


def verb_then_victims(w: Words) -> list[Match]:
    """'killing at least 10 people', 'injured more than 1,400', 'left 31 dead',
    'took the lives of two officers', 'killed a teenager'."""
    low, tokens = w.low, w.tokens
    found = []
    for i, word in enumerate(low):
        if word not in _VERB_WORDS:
            continue
        if word in lx.LEAVE_VERBS:
            match = _left_dead(low, i)
        else:
            trigger = _verb_at(w, i)
            if trigger is None or blocked_before(low, i) or trigger[1] >= len(low):
                continue
            at = trigger[1]
            if low[at] == "and" and low[at + 1:at + 2] and low[at + 1] in lx.KILL_VERBS | lx.INJURE_VERBS:
                at += 2  # "have killed and wounded scores of people": one object, two verbs
            match = _object(low, tokens, at, trigger[0], i)
        if match:
            found.append(_died_of_it(low, match) if match.kind == "injured" else match)
    return found


def _died_of_it(low: list[str], m: Match) -> Match:
    """'injured the soldier, who died while being taken to hospital': victims of an injury
    (``m`` is of the injured) who then died are the dead, not the injured."""
    if low[m.last + 1:m.last + 3] != [",", "who"]:
        return m
    state = state_after(low, m.last + 3)
    if state is not None and state[0] == "killed":
        return replace(m, kind="killed", last=state[1])
    return m


_VERB_WORDS = lx.KILL_VERBS | lx.INJURE_VERBS | lx.TAKE_LIFE | lx.LOSS | lx.VIOLENCE | \
    lx.LEAVE_VERBS


def _lives_counted(low: list[str], i: int) -> int | None:
    """After a verb of taking or a noun of loss at ``i``, lives counted: 'claimed 18
    lives', 'claimed hundreds of lives', 'the loss of 30 lives': where the count starts."""
    at = i + 1 + (low[i] in lx.LOSS and low[i + 1:i + 2] == ["of"])
    read = qualified(low, at)
    if read is None:
        return None
    k = read[2] + (low[read[2]:read[2] + 1] == ["of"])
    return at if low[k:k + 1] in (["lives"], ["life"]) else None


def _verb_at(w: Words, i: int) -> tuple[str, int] | None:
    """A verb of killing or injuring at ``i``: (kind, where its object starts)."""
    low, word = w.low, w.low[i]
    if word in lx.KILL_VERBS or word in lx.INJURE_VERBS:  # "fatally injured two people"
        fatal = word in lx.KILL_VERBS or told_fatally(low, i)
        return ("killed" if fatal else "injured"), i + 1
    if word in lx.TAKE_LIFE and low[i + 1:i + 4] in (["the", "lives", "of"], ["the", "life", "of"]):
        return "killed", i + 4
    if (word in lx.TAKE_LIFE or word in lx.LOSS) and (at := _lives_counted(low, i)) is not None:
        return "killed", at
    if word not in lx.VIOLENCE:
        return None
    if i > 0 and low[i - 1] == "fatally" or low[i + 1:i + 2] == ["down"] and word == "gunned":
        return "killed", i + 1 + (low[i + 1:i + 2] == ["down"])
    if low[i + 1:i + 3] == ["to", "death"]:
        return "killed", i + 3
    if low[i + 1:i + 2] == ["dead"]:
        return "killed", i + 2  # "shot dead three people"
    if "fatally" in low[i + 2:i + 5] and _object(low, w.tokens, i + 1, "killed", i) is not None:
        return "killed", i + 1  # "he shot one man fatally"
    if to_death_ahead(low, i + 1):
        return "killed", i + 1  # "stabbed his ex-girlfriend and his mother to death"
    return None


def _object(low: list[str], tokens: tuple[Token, ...], at: int, kind: str,
            verb: int) -> Match | None:
    read = qualified(low, at)
    if read is not None and not is_age_or_family(low, at):
        qualifier, qty, j = read
        after = skip_victim_words(low, j)
        if after is None or (j < len(low) and low[j] in lx.NOT_VICTIMS):
            return None
        if j < len(low) and low[j] in ("in", "on", "at") and j + 1 < len(low) and \
                YEAR.match(low[j + 1]):
            return None
        added, end = and_more(low, after, qty.value)
        if added and qty.value is not None and not qty.vague:
            return Match(kind, replace(qty, value=qty.value + added, maximum=None),
                         qualifier, verb, end - 1, at, qty_end=j)
        return Match(kind, qty, qualifier, verb, max(j - 1, at), at, qty_end=j)
    if low[at + 1:at + 3] == ["family", "of"] and (family := qualified(low, at + 3)) and \
            family[1].value is not None:  # "killing a family of five": the family's number
        return Match(kind, family[1], family[0], verb, family[2] - 1, at + 3, qty_end=family[2])
    if low[at] in ("a", "an", "one", "the", "his", "her", "their") and at + 1 < len(low):
        if single_victim_ahead(low, at + 1):
            added, end = and_more(low, person_end(low, at + 1) or at + 1)
            return Match(kind, Quantity(1 + added, 1), "exact", verb, max(end - 1, at + 1), at)
    if (other := _another_after(low, at)) is not None:  # "killed one ... and wounded another"
        return Match(kind, Quantity(1, 1), "exact", verb, other - 1, at)
    if low[at] in lx.REFLEXIVE:  # "killing himself and one other"; alone, the killer's own
        added, end = and_more(low, at + 1)
        return Match(kind, Quantity(1 + added, 1), "exact", verb, end - 1, at) if added else None
    if bare_victim(low, at) and low[verb - 1:verb] != ["who"] and headline(tokens):
        return Match(kind, Quantity(1, 1), "exact", verb, at, at)  # "Attack Kills Peacekeeper"
        # (not "Man who killed wife jailed": the verb tells who the man is, not a toll)
    # "killing her", "killed 10-year-old Kathina Thomas", "killing Benjamin Banky, 40"
    if low[at] in ("him", "her"):
        return Match(kind, Quantity(1, 1), "pronoun", verb, at, at)
    if AGE.match(low[at]):
        return Match(kind, Quantity(1, 1), "exact", verb, at, at)
    if is_name(tokens, at) and not tokens[at].low in lx.PERSONS and not before_people(low, at):
        name_end = at + 1
        while name_end < len(low) and is_name(tokens, name_end):
            name_end += 1
        added, end = and_more(low, name_end)  # "killing Benjamin Banky and his son"
        return Match(kind, Quantity(1 + added, 1), "exact", verb, max(end - 1, at), at)
    return None


def _left_dead(low: list[str], i: int) -> Match | None:
    """'left more than 31,000 people dead', 'leaving two injured'."""
    if blocked_before(low, i):
        return None
    read = qualified(low, i + 1)
    if read is None:
        return _left_one(low, i)
    qualifier, qty, j = read
    after = skip_victim_words(low, j)
    if after is None or after >= len(low):
        return None
    if low[after] in ("dead",):
        return Match("killed", qty, qualifier, i, after, i + 1)
    if low[after] in ("injured", "wounded", "hurt"):
        return Match("injured", qty, qualifier, i, after, i + 1)
    return None


def _left_one(low: list[str], i: int) -> Match | None:
    """'leaves a woman dead', 'leaving a man wounded', 'leaves Queens mother of 2 dead'."""
    person = False
    for k in range(i + 1, min(len(low), i + 8)):
        word = low[k]
        if word in ("dead", "injured", "wounded", "hurt"):
            if not person:
                return None
            return Match("killed" if word == "dead" else "injured", Quantity(1, 1), "exact",
                          i, k, i + 1)
        if word in lx.PERSONS and word not in lx.IRREGULAR_PLURALS and not word.endswith("s"):
            person = True
        elif k >= 2 and low[k - 1] == "of" and low[k - 2] in lx.FAMILY_OF and \
                quantity(low, k) is not None:
            continue  # "mother of 2"
        elif not (word.isalpha() or "-" in word) or word in lx.NOT_VICTIMS or \
                word in lx.PERPETRATORS or word in lx.BREAKS - {"a", "an", "the", "of"}:
            return None
    return None


def tolls(w: Words) -> list[Match]:
    """'the death toll rose to 148', 'Quake toll rises to 300', 'a toll of at least 46',
    'the bodies of two more victims', 'the number of people killed has risen to 52',
    'bringing to 27 the number of dead', 'injuries to seven others'."""
    low = w.low
    found = []
    for i, word in enumerate(low):
        if word not in _TOLL_WORDS:
            continue
        head = _toll_head(low, i)
        if head is None:
            continue
        kind, after = head
        match = _total_before(low, i, kind) or _toll_figure(w, i, after, kind)
        if match is not None:
            found.append(match)
    return found


_TOLL_WORDS = lx.COUNT_NOUNS | set(lx.TOLL_SUBJECTS) | lx.DEATH_NOUNS | {
    "toll", "injury", "wounding", "body"}


def _toll_head(low: list[str], i: int) -> tuple[str, int] | None:
    """A noun that a count of victims belongs to at ``i``: (kind, where to look for it)."""
    word = low[i]
    at = past_time(low, i + 1) if word in lx.DEATH_NOUNS or word in _NOMINAL_INJURIES \
        else i + 1
    after = low[at:at + 1]  # "the killing on 15 January of one peacekeeper"
    if (word in lx.DEATH_NOUNS or word == "body") and after == ["of"]:
        return "killed", at
    if word in ("injuries", "injury") and after == ["to"] or \
            word in _NOMINAL_INJURIES and after == ["of"]:
        return ("killed" if low[i - 1:i] and low[i - 1] in lx.FATAL else "injured"), at
    if word == "toll" and (i == 0 or low[i - 1] in lx.TOLL_BEFORE) and (
            not after or after[0] not in lx.NOT_TOLL):
        return ("injured" if low[i - 1:i] == ["injury"] else "killed"), i + 1
    if word in lx.TOLL_SUBJECTS and (rise := _rises_after(low, i + 1)) is not None:
        return lx.TOLL_SUBJECTS[word], rise  # "Deaths rose to 30", "fatalities stand at 12"
    if word in lx.COUNT_NOUNS and after and after[0] in _STATED_KINDS:
        return _STATED_KINDS[after[0]], i + 2  # "bringing to 40 the number killed"
    if word in lx.COUNT_NOUNS and _total_of_no_kind(low, i):
        kind = _one_harm_before(low, i)  # "three more died, bringing the total to 32"
        return None if kind is None else (kind, at)
    if word in lx.COUNT_NOUNS and after == ["of"]:
        for k in range(i + 2, min(len(low), i + 9)):  # "the number of people who have died"
            if (low[k] in lx.KILLED_STATE or low[k] in lx.INJURED_STATE) and \
                    not lx.NOT_STATE_AFTER.intersection(low[k + 1:k + 2]):
                return ("killed" if low[k] in lx.KILLED_STATE else "injured"), k + 1
            if low[k] in (",", ";", ".") or quantity(low, k) is not None:
                return None
    return None


# The states a count noun may take right after it: "the number killed", "the tally dead".
_STATED_KINDS = {noun: kind for noun, kind in lx.GROUPS.items() if kind}


def _total_of_no_kind(low: list[str], i: int) -> bool:
    """'bringing the total to 32', 'for a total of 19', 'to a total of 40': a running total
    named by 'total' alone at ``i``, its kind told before it in the sentence."""
    return (low[i - 2:i] in (["for", "a"], ["to", "a"]) and low[i + 1:i + 2] == ["of"]) or (
        i >= 2 and low[i - 1] == "the" and low[i - 2] in lx.TOTAL_VERBS and
        low[i + 1:i + 2] == ["to"])


def _one_harm_before(low: list[str], i: int) -> str | None:
    """The one kind of harm the words before ``i`` tell ('three more bodies', '4 new
    deaths'), else None (none, or both: 'killed 3 and injured 5, bringing the total to 8')."""
    kinds = {_HARM_KINDS[word] for word in low[:i] if word in _HARM_KINDS}
    return kinds.pop() if len(kinds) == 1 else None


_HARM_KINDS = {**{word: "killed" for word in lx.KILLED_STATE | lx.KILL_VERBS | lx.DEATH_NOUNS},
               **{word: "injured" for word in lx.INJURED_STATE | lx.INJURE_VERBS}}


def _rises_after(low: list[str], j: int) -> int | None:
    """A verb of a running figure at ``j``, past auxiliaries and adverbs ('have now risen',
    'stood'): the index after it, else None."""
    k = j
    while k < len(low) and k - j < 3 and (low[k] in lx.AUXILIARIES or
                                          low[k] in ("now", "so", "far")):
        k += 1
    return k + 1 if k < len(low) and low[k] in lx.RISE_VERBS else None


def _toll_figure(w: Words, i: int, j: int, kind: str) -> Match | None:
    """The number a toll noun at ``i`` is given as, within ten words from ``j``."""
    low, start = w.low, j
    if low[i] == "bodies" and (named := names_ahead(w.tokens, j + 1)) is not None:
        return Match(kind, Quantity(named[0], 1), "exact", i, named[1] - 1, j + 1)
    if low[i] in lx.DEATH_NOUNS | _NOMINAL_HARMS | _ONE_DEATH and \
            (listed := _listed_after(w, j + 1, low[i])) is not None:
        return Match(kind, Quantity(listed[0], 1), "exact", i, listed[1] - 1, j + 1)
    if low[i] == "body":
        return None  # only a person counted by an article: "a governing body of 12 members"
    while j < len(low) and j - start <= 10:
        if low[j] in lx.HYPOTHETICAL and low[j] != "to" or low[j] in lx.CLAUSE_END - {"who"}:
            return None
        read = qualified(low, j)
        if read is not None and not is_age_or_family(low, j):
            qualifier, qty, end = read
            if end < len(low) and low[end] == "of" and low[end + 1:end + 2] and \
                    low[end + 1] not in lx.POSSESSIVES | lx.PART_OF and not qty.vague or \
                    skip_victim_words(low, end) is None:
                j = end  # "the bodies of two of the victims" reads two; "toll of 5 of 9" not
                continue
            if low[j - 1] in lx.ABOVE_VERBS and qualifier == "exact":
                qualifier = "more than"  # "has surpassed 100"
            return Match(kind, qty, qualifier, i, end - 1, j, qty_end=end)
        j += 1
    return None


def _listed_after(w: Words, j: int, noun: str) -> tuple[int, int] | None:
    """'(the death of) a national soldier and one UN peacekeeper', '(the killing of) an aid
    worker', '(the death of) a soldier', '(fatal injuries to) the pilot' from ``j``: (how
    many, the index after them). One victim alone is read after 'a', 'an' or 'one', after
    'the' only for an injury done to a person named by their role (never a possessive: an
    obituary's 'the death of his wife'), and not after 'deaths' or 'bodies'."""
    low = w.low
    if noun in ("killing", "killings") and headline(w.tokens) and bare_victim(low, j):
        return 1, j + 1  # a headline's "Killing of Peacekeeper": no article, one victim
    if noun in _NOMINAL_HARMS and (other := _another_after(low, j)) is not None:
        return 1, other
    named = ["the"] if noun in _HARMS_TO else []  # "fatal injuries to the pilot"
    if low[j:j + 1] not in (["a"], ["an"], ["one"], named) or \
            not single_victim_ahead(low, j + 1):
        return None
    end = person_end(low, j + 1)
    if end is None:
        return None
    added, end = and_more(low, end)
    return (1 + added, end) if added or noun in _NOMINAL_HARMS | _ONE_DEATH else None


def _another_after(low: list[str], j: int) -> int | None:
    """'(the wounding of) another (soldier) on Monday': one more of the people named, a
    pronoun or a person noun, not a count ('another 20'). The index after it, else None."""
    if low[j:j + 1] != ["another"]:
        return None
    end = j + 2 if low[j + 1:j + 2] and low[j + 1] in lx.PERSONS else j + 1
    return end if end == len(low) or low[end] in lx.CLAUSE_END | lx.BREAKS else None


# Nouns of an injury done that name its victims after 'of' ('the wounding of another',
# 'the injury of another'); 'injuries to' names them after 'to'.
_NOMINAL_INJURIES = {"wounding", "injury"}
# Nouns of a harm done that name their one victim after 'of' or 'to' ('the killing of an
# aid worker', 'the wounding of another', 'injury to a second worker'); 'the death of his
# wife' is an obituary's.
_NOMINAL_HARMS = {"killing", "killings", "wounding", "injury", "injuries"}
_HARMS_TO = {"injury", "injuries"}
# A death told of one victim counted by an article ('the death of a soldier', a casualty
# notice's 'announced the death of a soldier who was supporting ...', 'the body of a missing
# hiker'), not a possessive.
_ONE_DEATH = {"death", "drowning", "body"}


def _total_before(low: list[str], i: int, kind: str) -> Match | None:
    """'bringing to 27 the number of dead', 'raising to 60 the death toll': the number
    told before the toll noun at ``i``."""
    the = i - 1 if low[i - 1:i] == ["the"] else i - 2 if low[i - 2:i - 1] == ["the"] else None
    if the is None:
        return None
    for k in range(max(1, the - 5), the - 1):
        if low[k] == "to" and low[k - 1] in lx.TOTAL_VERBS:
            read = qualified(low, k + 1)
            if read is not None and read[2] == the:
                return Match(kind, read[1], read[0], k - 1, i, k + 1, qty_end=read[2])
    return None


def single_victims(w: Words) -> list[Match]:
    """'a nurse was killed', 'his wife died', 'Robert Buckley, 32, died', 'Gray was shot
    to death'."""
    found = []
    for m, word in enumerate(w.low):
        if (word in lx.STATE_WORDS or word in lx.VIOLENCE and
                told_fatally(w.low, m)) and (  # "was fatally shot"
                word != "death" or after_to(w.low, m)) and (
                word != "succumbed" or harm_ahead(w.low, m + 1) is not None):
            match = _victim_before(w, m)
            if match is not None:
                found.append(match)
    return found


def _victim_before(w: Words, m: int) -> Match | None:
    """The one or two named victims whose state is the word at ``m``."""
    low, tokens, word = w.low, w.tokens, w.low[m]
    fatal = told_fatally(low, m)  # "was fatally injured"
    kind = "injured" if word in ("injured", "wounded", "hurt") and not fatal else "killed"
    subject = _subject_end(low, m)
    if subject is None:
        return None
    j, auxiliary, plural = subject
    auxiliary = auxiliary or word in lx.DIED
    if low[j] == "who" and auxiliary and j > 0 and low[j - 1] in lx.PERSONS:
        # "another Nigerian peacekeeper who was wounded": the one person the relative
        # follows ("the man and his wife who died": the wife)
        head = singular_head(low, tokens, j - 1)
        return None if head is None else Match(kind, Quantity(1, 1), "exact", head, m, head)
    both = both_at(low, j)
    if both is not None and (auxiliary or plural):  # "Tennant and Hakim, both 51, died"
        return Match(kind, Quantity(2, 1), "exact", both, m, both)
    if word in lx.KILL_VERBS | lx.INJURE_VERBS and object_follows(low, m + 1) and \
            not any(x in lx.PASSIVE for x in low[j + 1:m]):
        return None  # "Fighting in Daraya has killed 20": active, the head is no victim
    listed = listed_victims(low, tokens, j) if plural or word in lx.DIED else None
    if listed is not None:  # "his mother and his ex-girlfriend were found dead"
        return Match(kind, Quantity(listed[1], 1), "exact", listed[0], m, listed[0])
    first = _subject_of_first_verb(low, tokens, j) if low[j + 1:j + 2] == ["and"] else None
    if first is not None:  # "A woman was hit by a bus and killed"
        return Match(kind, Quantity(1, 1), "exact", first, m, first)
    if not auxiliary and not _elided(low, tokens, j):
        return _headline_victim(w, j, m, kind)  # "Grandmother killed by drunk driver"
    head = singular_head(low, tokens, j)
    if head is None and (before := before_aside(low, j)) != j:
        head = singular_head(low, tokens, before)
    if head is None:
        head = opening_subject(low, j)  # "A deputy working with a gang unit was killed"
    return None if head is None else Match(kind, Quantity(1, 1), "exact", head, m, head)


def _subject_of_first_verb(low: list[str], tokens: tuple[Token, ...], j: int) -> int | None:
    """'A pedestrian was struck by a car (and later died)', 'the worker was pinned under the
    beam (and died)': the one victim of a first passive verb whose clause ends at ``j``
    (before 'and' and the state), within lexicon.MODIFIER_REACH words, with no mark, count
    or other person between."""
    for a in range(j, max(0, j - lx.MODIFIER_REACH), -1):
        word = low[a]
        if word in ("was", "is"):
            return singular_head(low, tokens, a - 1) if a > 0 else None
        if not word.isalpha() or word in lx.PERSONS or word in lx.CLAUSE_END or \
                word in lx.STATE_WORDS or quantity(low, a) is not None:
            return None
    return None


def _elided(low: list[str], tokens: tuple[Token, ...], j: int) -> bool:
    """'Two officers were killed, and a police officer injured': a second clause that
    leaves out the auxiliary of the first, after 'and a/an' and a passive before it."""
    head = singular_head(low, tokens, j)
    return head is not None and head >= 2 and low[head - 1] in ("a", "an") and \
        low[head - 2] == "and" and any(x in lx.PASSIVE for x in low[:head - 2])


def _headline_victim(w: Words, j: int, m: int, kind: str) -> Match | None:
    """A headline's one victim, a person noun right before its state or before a
    prepositional phrase that ends there ('Firefighter from Sequoia and Kings Canyon National
    Parks Killed on Ferguson Fire', 'Worker at Steel Plant Dies')."""
    low = w.low
    if not (low[m] in lx.HEADLINE_STATES or _violence_to_death(low, m)) or \
            not headline(w.tokens):
        return None
    victim = j if bare_victim(low, j) else _before_modifier(low, j)
    return None if victim is None else Match(kind, Quantity(1, 1), "exact", victim, m, victim)


def _violence_to_death(low: list[str], m: int) -> bool:
    """'stabbed to death', 'beaten to death': the state at ``m`` is 'death' after 'to' and a
    participle of violence (lexicon.TO_DEATH_PARTICIPLES)."""
    return low[m] == "death" and m >= 2 and low[m - 1] == "to" and \
        low[m - 2] in lx.TO_DEATH_PARTICIPLES


def _before_modifier(low: list[str], j: int) -> int | None:
    """The bare victim before a prepositional phrase of a headline ending at ``j``: where
    it is, else None (not past a mark, a verb or another person)."""
    for k in range(j, max(0, j - lx.MODIFIER_REACH), -1):
        if low[k] in lx.MODIFIER_PREPS and bare_victim(low, k - 1):
            return k - 1
        if not low[k].isalpha() or low[k] in lx.PERSONS or low[k] in _NOT_IN_MODIFIER:
            return None
    return None


# What a headline's prepositional phrase after its victim cannot hold: a verb or a clause.
_NOT_IN_MODIFIER = frozenset(lx.AUXILIARIES - {"and"} | lx.STATE_WORDS | lx.KILL_VERBS |
                             lx.INJURE_VERBS | {"who", "that", "which", "says", "said"})


def _subject_end(low: list[str], m: int) -> tuple[int, bool, bool] | None:
    """Back from the state at ``m`` over auxiliaries and violence ('was shot in the chest
    and'): where the subject ends, and whether a singular or a plural auxiliary was seen."""
    j, auxiliary, plural = m - 1, False, False
    while j >= 0 and low[j] != "both" and (low[j] in lx.BEFORE_STATE or wound_site(low, j) or
                                           low[j] in lx.TO_DEATH_VERBS or  # "bled to death"
                                           low[j] in lx.TO_DEATH_PARTICIPLES and
                                           low[j + 1:j + 2] == ["to"]):  # "kicked to death"
        if wound_site(low, j):  # "was shot in the chest and killed"
            j -= 3
            continue
        if low[j] in lx.HYPOTHETICAL and low[j] != "to" or low[j] in lx.SURVIVED:
            break
        auxiliary = auxiliary or low[j] in ("was", "is", "has", "had", "lay", "lies", "found") \
            or low[j] in lx.TO_DEATH_VERBS  # "a man bled to death": a verb of its own
        plural = plural or low[j] in ("were", "are", "have")
        j -= 1
    if j < 0 or (j + 1 < m and low[j + 1] in lx.HYPOTHETICAL) or low[j] in lx.SURVIVED:
        return None
    return j, auxiliary, plural


def group_asides(w: Words) -> list[Match]:
    """'The fatalities, more than 87,000, were mostly in Sichuan', 'the dead, at least 40,
    included children', 'all of the fatalities for the year, more than 87,000, occurred':
    a group of the dead or injured (a short prepositional phrase after it), its count set
    in an aside."""
    low = w.low
    found = []
    for comma, word in enumerate(low):
        if word != "," or comma < 2 or (group := _group_before(low, comma)) is None:
            continue
        i, kind = group
        read = qualified(low, comma + 1)
        if read is None or is_age_or_family(low, comma + 1):
            continue
        qualifier, qty, j = read
        end = skip_victim_words(low, j)
        if end is not None and low[end:end + 1] and low[end] in {","} | lx.DASHES:
            found.append(Match(kind, qty, qualifier, i, end - 1, comma + 1, qty_end=j))
    return found


def _group_before(low: list[str], comma: int) -> tuple[int, str] | None:
    """'the fatalities', 'the fatalities for the year', 'the dead in the attack' ending
    at ``comma``: where the group noun is and its kind."""
    for g in range(comma - 1, max(0, comma - 6), -1):
        kind = _ASIDE_GROUPS.get(low[g])
        if kind is not None and low[g - 1] == "the" and (
                g == comma - 1 or low[g + 1] in _GROUP_PREPS and
                all(x.isalpha() for x in low[g + 2:comma])):
            return g, kind
    return None


# Prepositions of a short phrase after a group of the dead: "the fatalities for the year".
_GROUP_PREPS = frozenset(lx.MODIFIER_PREPS | {"for", "of"})
_ASIDE_GROUPS = {**{noun: kind for noun, kind in lx.GROUPS.items() if kind},
                 **lx.TOLL_SUBJECTS}


def one_more(w: Words) -> list[Match]:
    """'two were killed and another wounded', 'left two dead and a third employee
    wounded', 'three were killed on Monday and another died on Tuesday': one more victim,
    the verb left out or a verb of its own."""
    low = w.low
    found = []
    for i, word in enumerate(low):
        if word not in lx.ONE_MORE or i == 0 or \
                low[i - 1] not in ("and", "a", ",") or _of_perpetrators(low, i):
            continue
        for k in range(i + 1, min(len(low), i + 4)):
            if low[k] in _ONE_MORE_STATES:
                kind = "injured" if low[k] in lx.INJURED_STATE else "killed"
                found.append(Match(kind, Quantity(1, 1), "exact", i, k, i))
                break
            if not low[k].isalpha() or low[k] in lx.BREAKS - lx.PASSIVE or \
                    low[k] in lx.AUXILIARIES - lx.PASSIVE - {"has", "had", "later", "also"}:
                break  # "and another (person) (was / has) died": the verb may have its own auxiliary
    return found


_ONE_MORE_STATES = lx.HEADLINE_STATES | lx.DIED


def _of_perpetrators(low: list[str], i: int) -> bool:
    """'One assailant was killed and another injured': 'another' is one more of the
    nearest people named before it, here the attackers, whose harm is no victims' toll."""
    for k in range(i - 1, max(-1, i - 9), -1):
        if low[k] in lx.PERPETRATORS:
            return True
        if low[k] in lx.PERSONS:
            return False
    return False


def suffered(w: Words) -> list[Match]:
    """'another inmate also suffered stab wounds', 'two officers sustained minor injuries',
    'is recovering from gunshots to the neck', 'a 31-year-old mom was shot in the arm', 'the
    driver was taken to hospital with critical injuries':
    harmed, not killed, unless the harm suffered was fatal ('a miner suffered fatal
    injuries')."""
    low, tokens = w.low, w.tokens
    found = []
    for i, word in enumerate(low):
        if word == "survived" and "none" in low[max(0, i - 8):i]:
            continue  # "none of the three victims survived their injuries": no_survivors
        if word in lx.SUFFER_VERBS or \
                word in lx.TREATED and low[i + 1:i + 2] in (["for"], ["with"]):
            ahead = low[i + 1:i + 5]  # "suffered burns", "was treated for multiple injuries"
            harm = next((k for k, x in enumerate(ahead) if x in lx.HARM), None)
            fatal = any(x in lx.FATAL for x in ahead[:harm])
            if harm is None or any(x in lx.NEGATIONS or x == "deadly" for x in ahead[:harm]) or \
                    word in lx.RECOVER_VERBS and ahead[:1] != ["from"] or \
                    fatal and word not in lx.HARM_VERBS:
                continue  # "evacuated with no injuries" is none; "survived fatal ..." is odd
            end, j = i + 1 + harm, i - 1
        elif word in lx.TREATED and (care := harm_ahead(low, i + 1)) is not None:
            # "the driver was taken to hospital with ...", "... rushed to hospital, where
            # she later died"
            end, j, fatal = care, i - 1, died_after(low, care)
        elif word == "shot" and low[i + 1:i + 2] == ["in"] and \
                low[i + 2:i + 3] in (["the"], ["his"], ["her"], ["their"]) and \
                low[i + 3:i + 4] and low[i + 3] in lx.BODY:
            if any(w in lx.STATE_WORDS - {"injured", "wounded", "hurt"} for w in low[i:]):
                continue  # "shot in the chest and killed": the death is the figure
            end, j, fatal = i + 3, i - 1, False
            if j < 0 or low[j] not in ("was", "were"):
                continue
        else:
            continue
        while j >= 0 and low[j] in ("also", "later", "was", "were", "had", "have", "has", "is",
                                    "are", "still"):
            j -= 1
        if j < 0:
            continue
        kind = "killed" if fatal else "injured"  # "a miner suffered fatal injuries"
        both = both_at(low, j)
        if both is not None and both < j:  # "both occupants of the car suffered minor
            # injuries" (a bare "both had suffered head injuries" may be of the dead)
            found.append(Match(kind, Quantity(2, 1), "exact", both, end, both))
            continue
        counted = counted_victims(low, j)
        if counted is not None:  # "two officers sustained burns"
            found.append(Match(kind, counted[1], counted[2], counted[0], end, counted[0]))
            continue
        head = two_victims(low, tokens, j)
        count = 2 if head is not None else 1
        if head is None:
            head = singular_head(low, tokens, j)
        if head is not None:
            found.append(Match(kind, Quantity(count, 1), "exact", head, end, head))
    return found


def harmed_ones(w: Words) -> list[Match]:
    """'to provide medical assistance to an injured crewmember', 'carried a wounded
    soldier': one victim named new (an indefinite article) by the harm done to them; the
    reader keeps it only where the text counts no other victims of that kind."""
    low = w.low
    found = []
    for i, word in enumerate(low):
        if word in ("a", "an") and low[i + 1:i + 2] and (
                kind := _HARMED_ADJECTIVES.get(low[i + 1])) is not None and \
                (end := person_end(low, i + 2)) is not None:
            found.append(Match(kind, Quantity(1, 1), "exact", i, end - 1, i + 1))
    return found


# Participles that describe a victim before their noun: "an injured crewmember".
_HARMED_ADJECTIVES = {noun: kind for noun, kind in lx.GROUPS.items() if kind == "injured"}


def no_survivors(w: Words) -> list[Match]:
    """'None of the 44 people on board survived', 'there were no survivors among the 44
    passengers and crew': everyone counted died."""
    low = w.low
    found = []
    for i, word in enumerate(low):
        if word == "none" and low[i + 1:i + 2] == ["of"]:
            counted = _everyone_counted(low, i + 2)
            if counted is not None and (k := _survived_after(low, counted[2])) is not None:
                found.append(Match("killed", counted[1], counted[0], i, k, counted[3]))
        elif word == "survivors" and low[i - 1:i] == ["no"] and \
                low[i + 1:i + 2] in (["among"], ["of"]):
            counted = _everyone_counted(low, i + 2)
            if counted is not None:
                found.append(Match("killed", counted[1], counted[0], i - 1, counted[2] - 1,
                                   counted[3]))
    return found


def _everyone_counted(low: list[str], k: int) -> tuple[str, Quantity, int, int] | None:
    """'(none of) the 44 people on board', '(no survivors among) all 12 crew': the count of
    people at ``k`` past a determiner: (qualifier, quantity, the index after the people,
    where the number is)."""
    k += low[k:k + 1] != [] and low[k] in ("the", "all", "its", "their")
    read = qualified(low, k)
    if read is None or read[1].value is None:
        return None
    after, person = read[2], False  # "people on board", "passengers and crew"
    while after < len(low) and after - read[2] < 6 and low[after].isalpha() and \
            low[after] not in lx.SURVIVED and low[after] not in lx.AUXILIARIES - {"and"}:
        person = person or low[after] in lx.PERSONS
        after += 1
    return (read[0], read[1], after, k) if person else None


def _survived_after(low: list[str], j: int) -> int | None:
    """'(none of them) survived', '(...) on board had survived': where it is said."""
    for k in range(j, min(len(low), j + 5)):
        if low[k] == "survived":
            return k
        if low[k] in lx.CLAUSE_END:
            return None
    return None


def own_deaths(w: Words) -> list[Match]:
    """'fell 700 metres to his (own) death': one person died, whoever the sentence names."""
    low = w.low
    found = []
    for m, word in enumerate(low):
        if word != "death" or m < 2:
            continue
        k = m - 2 if low[m - 1] == "own" else m - 1
        if k < 1 or low[k] not in ("his", "her") or low[k - 1] != "to":
            continue
        if not any(w in lx.HYPOTHETICAL - {"to"} or w in lx.NEGATIONS
                   for w in low[max(0, k - 7):k - 1]):
            found.append(Match("killed", Quantity(1, 1), "exact", k - 1, m, m))
    return found


def parts_after(w: Words, matches: list[Match]) -> list[Match]:
    """'100 were killed in Jableh and another 48 in Tartus', 'twelve on Monday and nine on
    Tuesday': further parts of a figure, each followed by its place or day."""
    low, tokens = w.low, w.tokens
    parts = []
    for m in matches:
        j = past_place(low, tokens, skip_victim_words(low, m.last + 1) or m.last + 1)
        while j < len(low):
            while j < len(low) and low[j] in (",", "and", "(", ";", "while", "with", "including"):
                j += 1
            read = qualified(low, j)
            if read is None or is_age_or_family(low, j) or any(p.number_at == j for p in matches):
                break
            qualifier, qty, after = read
            subset = low[after:after + 1] == ["of"] and low[after + 1:after + 2] and \
                low[after + 1] in lx.PART_OF or low[j - 1] == "including"
            after = skip_victim_words(low, after) or after
            end = past_place(low, tokens, after)
            if (end == after and not subset) or qty.value is None:
                break
            parts.append(Match(m.kind, qty, qualifier, j, after - 1, j, partial=bool(subset)))
            j = end
    return parts


@dataclass(frozen=True)
class Shape:
    """A named shape; ``needs``: words one of which a sentence must hold for the shape to
    find anything there (None: any sentence), asked once of the sentence's word set rather
    than by a walk over its words."""

    name: str
    find: Callable[[Words], list[Match]]
    needs: frozenset[str] | None = None

    def applies(self, w: Words) -> bool:
        return self.needs is None or not self.needs.isdisjoint(w.present)


HARMED_ONE = "harmed-one"  # the name of harmed_ones, whose victim the reader may drop
# The order is the priority: a number read by an earlier shape is not read again.
SHAPES = (
    Shape("victims-then-state", victims_then_state),
    Shape("verb-then-victims", verb_then_victims, frozenset(_VERB_WORDS)),
    Shape("toll", tolls, frozenset(_TOLL_WORDS)),
    Shape("group-aside", group_asides, frozenset(_ASIDE_GROUPS)),
    Shape("single-victim", single_victims, frozenset(lx.STATE_WORDS | lx.VIOLENCE)),
    Shape("own-death", own_deaths, frozenset({"death"})),
    Shape(HARMED_ONE, harmed_ones, frozenset(_HARMED_ADJECTIVES)),
    Shape("no-survivors", no_survivors, frozenset({"survivors", "survived"})),
    Shape("one-more", one_more, frozenset(lx.ONE_MORE)),
    Shape("suffered", suffered, frozenset(lx.SUFFER_VERBS | lx.TREATED | {"shot"})),
)
PART_AFTER = "part-after"  # the name of parts_after, which reads after the shapes
