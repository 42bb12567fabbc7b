"""Reading a number phrase at a token position: digits, number words, vague quantities.

Pure and small: given tokens (lower-cased words) and a start index, return the
quantity the phrase states and how many tokens it spans, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
COLLECTIVE = {"dozen": 12, "score": 20}
# Quantities that state no number: a lower bound at best. The value is the
# smallest count the word implies, used only to order figures, never reported.
VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "several": 3, "many": 2,
    "numerous": 2, "tens": 20, "countless": 2, "multiple": 2,
}
# What a vague quantity implies, as (lowest, highest): "dozens" is 24 to 99, "hundreds"
# 200 to 999; None where the word bounds nothing above ("many").
IMPLIED = {
    "several": (3, 9), "dozens": (24, 99), "scores": (40, 199), "tens": (20, 99),
    "hundreds": (200, 999), "thousands": (2000, 9999), "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "dozens of thousands": (24_000, 99_999),
    "many": (2, None), "numerous": (2, None), "multiple": (2, None), "countless": (2, None),
    "a few": (2, 5),
    "a handful": (2, 9), "a large number": (2, None), "a number": (2, None),
}
# Vague quantities of more than one word: "a large number of people", "a handful of".
VAGUE_PHRASES = (("a", "large", "number"), ("large", "numbers"), ("a", "number"),
                 ("a", "handful"), ("a", "few"), ("a", "great", "many"))

_DASH_RANGE = re.compile(r"^(\d{1,3}(?:,\d{3})*|\d+)[-–](\d{1,3}(?:,\d{3})*|\d+)$")
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL_SCALE = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Quantity:
    value: int | None  # None when vague
    length: int  # tokens consumed
    vague: bool = False
    maximum: int | None = None  # for ranges


def digits(token: str) -> int | None:
    """An integer written in digits, with thousands separators ("1,400"); not "000"."""
    if _DIGITS.match(token) and not (token.startswith("0") and len(token) > 1):
        return int(token.replace(",", ""))
    return None


def _word_number(tokens: list[str], i: int) -> tuple[int, int] | None:
    """'forty-eight', 'one hundred and twenty', 'two dozen', '3 million': value and length."""
    total, current, j, seen = 0, 0, i, False
    while j < len(tokens):
        word = tokens[j]
        parts = word.split("-")
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS:
            current += TENS[parts[0]] + UNITS[parts[1]]
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif not seen and digits(word) is not None:
            current += digits(word)  # type: ignore[operator]
        elif seen and word in SCALES:
            if SCALES[word] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALES[word]
                current = 0
        elif seen and word in COLLECTIVE:
            current = max(current, 1) * COLLECTIVE[word]
        elif seen and word == "and" and j + 1 < len(tokens) and (
                tokens[j + 1] in UNITS or tokens[j + 1] in TENS or "-" in tokens[j + 1]) and (
                j > 0 and tokens[j - 1] in SCALES):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j - i


_STARTS = set(UNITS) | set(TENS) | set(VAGUE) | {"a", "an", "large", "half"}


def may_start(word: str) -> bool:
    """Whether a number phrase can begin with ``word``: a cheap test that spares
    ``quantity`` most words of a sentence."""
    return word in _STARTS or word[:1].isdigit() or "-" in word and word.split("-", 1)[0] in TENS


def quantity(tokens: list[str], i: int) -> Quantity | None:
    """The number phrase starting at ``tokens[i]``, if any."""
    word = tokens[i]
    if word == "half":
        return _half(tokens, i)
    if word in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1] in COLLECTIVE:
        if i + 2 < len(tokens) and tokens[i + 2] == "of":
            return None
        return Quantity(COLLECTIVE[tokens[i + 1]], 2)
    if word in ("a", "large"):
        for phrase in VAGUE_PHRASES:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                return Quantity(None, len(phrase), vague=True)
    if word in VAGUE:
        length = 1
        # "tens of thousands", "hundreds of thousands", "dozens more"
        if i + 2 < len(tokens) and tokens[i + 1] == "of" and tokens[i + 2] in set(VAGUE) | {
                "thousands", "millions"}:
            length = 3
        return Quantity(None, length, vague=True)
    if _DECIMAL_SCALE.match(word) and "." in word and i + 1 < len(tokens) and tokens[i + 1] in (
            "million", "thousand"):
        return Quantity(int(float(word) * SCALES[tokens[i + 1]]), 2)
    parsed = _word_number(tokens, i)
    if parsed is None:
        return None
    value, length = parsed
    # ranges: "20-30" is one token; "20 to 30", "between 20 and 30" span three
    end = i + length
    if end + 1 < len(tokens) and tokens[end] in ("to", "-", "–", "or"):
        upper = _word_number(tokens, end + 1)
        if upper and upper[0] > value:
            return Quantity(value, length + 1 + upper[1], maximum=upper[0])
    return Quantity(value, length)


def _half(tokens: list[str], i: int) -> Quantity | None:
    """'half a dozen' (6), 'half a million': half of the collective or scale after 'a'."""
    if tokens[i + 1:i + 2] not in (["a"], ["an"]) or i + 2 >= len(tokens):
        return None
    whole = COLLECTIVE.get(tokens[i + 2]) or SCALES.get(tokens[i + 2])
    return None if whole is None else Quantity(whole // 2, 3)


def dash_range(token: str) -> tuple[int, int] | None:
    """'20-30' as (20, 30)."""
    if not token[:1].isdigit():
        return None
    match = _DASH_RANGE.match(token)
    if not match:
        return None
    low, high = (int(part.replace(",", "")) for part in match.groups())
    return (low, high) if high > low else None


def implied_range(words: str) -> tuple[int, int | None] | None:
    """'dozens' -> (24, 99), 'more than hundreds' -> (200, 999): the range a vague
    quantity as written implies, or None when it names a number or nothing known."""
    low = " ".join(words.lower().split())
    for phrase in sorted(IMPLIED, key=len, reverse=True):
        if low == phrase or low.endswith(" " + phrase):
            return IMPLIED[phrase]
    return None
