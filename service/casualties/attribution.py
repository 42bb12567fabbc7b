"""Who a figure is attributed to, and where it happened (pure).

Reports credit their numbers ("according to the Syrian Observatory", "SANA reported",
"state TV said"); tollwatch keeps those figures apart, because the same outlet often
carries two sources' counts side by side. Aliases of the sources that recur in conflict
reporting are folded into one canonical name so that a timeline per source is possible;
any other source is kept as written, without a leading article.
"""

from __future__ import annotations

import re

from service.casualties import lexicon as lx
from service.casualties.text import Sentence, Token

# Canonical names for sources that are named many ways. Matched on the lower-cased
# phrase after "the" is removed; the first pattern that matches wins.
ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name) for pattern, name in (
        (r"\b(syrian )?observatory\b|\bsohr\b|\bbritain-based monitor|\buk-based monitor"
         r"|\bwar monitor\b|\bmonitoring group\b|\bthe monitor$|^monitor$", "Syrian Observatory for Human Rights"),
        (r"\bsana\b|\bsyrian arab news agency\b|\bstate news agency\b", "SANA"),
        (r"\bstate (media|tv|television|news|broadcaster|radio)\b|\bsyrian television\b"
         r"|\bofficial media\b|\bgovernment media\b", "state media"),
        (r"\bhealth ministry\b|\bministry of health\b", "health ministry"),
        (r"\binterior ministry\b|\bministry of interior\b", "interior ministry"),
        (r"\bunited nations\b|^un$|^u\.n$|\bun office\b|\bocha\b", "United Nations"),
    )
)


def canonical_source(phrase: str) -> str | None:
    """'the Britain-based Syrian Observatory for Human Rights' → the canonical name."""
    words = phrase.strip(" ,.'\"“”").split()
    while words and words[0].lower() in ("the", "a", "an", "syria's", "syrian's"):
        words = words[1:]
    if not words:
        return None
    text = " ".join(words)
    low = text.lower()
    if low in lx.PRONOUNS:
        return None
    for pattern, name in ALIASES:
        if pattern.search(low):
            return name
    return text


def source_of(sentence: Sentence) -> str | None:
    """The source a sentence credits its figures to, if it names one."""
    tokens = sentence.tokens
    low = [t.low for t in tokens]
    for i, word in enumerate(low):
        if word == "according" and i + 1 < len(low) and low[i + 1] == "to":
            found = _phrase_after(tokens, i + 2)
            if found:
                return found
        if word in ("citing", "per") and i + 1 < len(low):
            found = _phrase_after(tokens, i + 1)
            if found:
                return found
    for i, word in enumerate(low):
        if word not in lx.SPEECH:
            continue
        before = _phrase_before(tokens, i)
        if before:
            return before
        # "..., said the Syrian Observatory"
        if i > 0 and low[i - 1] in (",", "\"", "”", "'") or i + 1 < len(low) and \
                low[i + 1] in ("the",) or (i + 1 < len(low) and tokens[i + 1].capitalized):
            after = _phrase_after(tokens, i + 1)
            if after:
                return after
    return None


def _phrase_after(tokens: tuple[Token, ...], i: int) -> str | None:
    words: list[str] = []
    j = i
    while j < len(tokens) and len(words) < 10:
        token = tokens[j]
        if token.low in lx.SOURCE_STOP and not (token.low == "-" and words):
            break
        if token.low in lx.SPEECH or (token.low in ("for", "of") and not words):
            break
        if not (token.capitalized or token.low in lx.COMMON_SOURCES or token.low in (
                "the", "for", "of", "syria's", "britain-based", "uk-based") or words):
            break
        if words and not (token.capitalized or token.low in lx.COMMON_SOURCES or token.low in (
                "for", "of", "the", "-based", "britain-based", "uk-based", "news", "rights",
                "human", "arab", "syria's", "media", "group")):
            break
        words.append(token.text)
        j += 1
    while words and words[-1].lower() in ("for", "of", "the"):
        words.pop()
    return canonical_source(" ".join(words)) if words else None


def _phrase_before(tokens: tuple[Token, ...], i: int) -> str | None:
    """'state TV said' / 'the Syrian Observatory for Human Rights reported'."""
    words: list[str] = []
    j = i - 1
    while j >= 0 and len(words) < 9:
        token = tokens[j]
        if token.low == "in" and words and j > 0 and (tokens[j - 1].low in lx.COMMON_SOURCES):
            words = []  # "the health ministry in Gaza said": the place is not the source
            j -= 1
            continue
        if token.low in lx.SOURCE_STOP or not (token.capitalized or token.low in lx.COMMON_SOURCES
                                      or token.low in lx.SOURCE_CONNECTORS or _name_particle(token.low)):
            break
        words.insert(0, token.text)
        j -= 1
    while words and words[0].lower() in lx.SOURCE_CONNECTORS - {"the"}:
        words.pop(0)
    if not any(w[:1].isupper() or w.lower() in lx.COMMON_SOURCES for w in words):
        return None
    return canonical_source(" ".join(words))


def _name_particle(word: str) -> bool:
    """'al-Shaar', 'bin', 'de': lower-case parts of names."""
    return word.startswith(("al-", "el-")) or word in ("bin", "ibn", "de", "van", "von", "al")


def place_after(tokens: tuple[Token, ...], index: int) -> str | None:
    """'killed in Jableh', '48 in Tartus': the capitalised place named right after a figure."""
    j = index
    for _ in range(4):
        if j >= len(tokens):
            return None
        if tokens[j].low in lx.PLACE_WORDS:
            break
        if tokens[j].low in (",", ".", ";", "and", "while", "but"):
            return None
        j += 1
    else:
        return None
    k = j + 1
    if k < len(tokens) and tokens[k].low == "the" and k + 1 < len(tokens) and \
            tokens[k + 1].capitalized:
        k += 1
    words: list[str] = []
    while k < len(tokens) and tokens[k].capitalized and tokens[k].low not in lx.NOT_PLACES:
        words.append(tokens[k].text)
        k += 1
    return " ".join(words) if words else None
