"""The dates feeds write → aware UTC datetimes (pure: no I/O, no clock).

RSS asks for RFC 822 and Atom and JSON Feed for RFC 3339, but real feeds send what their
software prints: "Sun, 17 Dec 2017 1:55 PM EST", "Friday, December 22, 2017 - 3:09pm",
a Unix time, a zone named "Europe/Brussels", French or German day and month names.
feedparser reads some of these wrongly without saying so (the PM dropped, the named zone
taken for UTC, an epoch read as a day in 2015), so every date string is read here first
and feedparser's reading is only the fallback. A string with no year, or a year outside
1970-2100, is no date: a wrong time on a casualty figure is worse than none.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as _dateutil

__all__ = ["parse_date"]

_EPOCH = re.compile(r"\d{9,11}")
# RFC 822 as most RSS writes it, read by the standard library (dateutil takes ten times longer)
_RFC822 = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? "
                     r"(?:[+-]\d{4}|GMT|UTC?)")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                  r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?")
_ISO_JUNK_Z = re.compile(r"([+-]\d{2}:?\d{2})Z$")  # "…-05:00Z": the offset stands, the Z is junk
_LEADING_WEEKDAY = re.compile(r"^[^\W\d]+\.?,\s*")  # "Di, " "jeu., " "Thurs, " "Mon, "
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.", re.I)
_WORD_DOT = re.compile(r"(?<=[^\W\d_])\.(?=\s|,|$)")  # "Nov." "juil." → "Nov" "juil"
_DAY_DOT = re.compile(r"\b(\d{1,2})\.(?=\s)")  # "16. Novembre" → "16 Novembre"
_SEPARATORS = re.compile(r"\s+(?:-|at)\s+", re.I)  # "2017 - 3:09pm", "2023 at 01:11 PM"
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-]\d{1,2}(?::?\d{2})?)\b", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)")
_ZONE_NAME = re.compile(r"\b([A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_-]+)+)\b")
_LAST_WORD = re.compile(r"\s([A-Za-z]{1,5})$")
_HAS_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2}\b")
_FIRST_YEAR, _LAST_YEAR = 1970, 2100
_LONGEST = 128  # characters: longer is no date, and not worth dateutil's time

# North American and European zone abbreviations that feeds use; the ambiguous ones
# (IST, CST for China) are left out, so their wall time is read as UTC.
_ZONES = {name: timezone(timedelta(hours=hours)) for name, hours in {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1,
    "MET": 1, "CEST": 2, "MEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
    "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13}.items()}

# Month names and abbreviations of the languages feeds most often get wrong (French,
# German, Spanish, Italian, Portuguese, Dutch), as the English month dateutil reads.
_MONTHS = {word: english for english, words in {
    "January": "janvier janv januar janner jänner enero ene gennaio gen janeiro januari",
    "February": "février fevrier févr fevr fév fev februar febrero febbraio fevereiro "
                "februari",
    "March": "mars märz maerz mär mrz marzo março marco maart mrt",
    "April": "avril avr abril abr aprile",
    "May": "mai mayo maggio mag maio mei",
    "June": "juin juni junio giugno giu junho",
    "July": "juillet juil juli julio luglio lug julho",
    "August": "août aout agosto ago augustus",
    "September": "septembre septiembre settembre setembro set",
    "October": "octobre oktober okt octubre ottobre ott outubro out",
    "November": "novembre noviembre novembro",
    "December": "décembre decembre déc dezember dez diciembre dic dicembre dezembro",
}.items() for word in words.split()}
_WORD = re.compile(r"[^\W\d_]+")


def parse_date(text: str | None) -> datetime | None:
    """The moment a feed's date string names, in UTC; None when it names none."""
    if not text or not (text := " ".join(text.split())) or len(text) > _LONGEST:
        return None
    try:
        return _read(text)
    except (ValueError, OverflowError):  # an offset of 99 hours, a year 9999 moved to UTC
        return None


def _read(text: str) -> datetime | None:
    if _EPOCH.fullmatch(text):
        return _checked(datetime.fromtimestamp(int(text), timezone.utc))
    if _RFC822.fullmatch(text):
        try:
            return _checked(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass  # a month name it does not know ("Mai"): the free form reads it
    if _ISO.fullmatch(iso := _ISO_JUNK_Z.sub(r"\1", text)):
        try:
            return _checked(datetime.fromisoformat(iso))
        except ValueError:
            pass
    return _free_form(text)


def _free_form(text: str) -> datetime | None:
    text, zone = _named_zone(_normalise(text))
    if not _HAS_YEAR.search(text):
        return None
    when = _dateutil.parse(text, tzinfos=_zone, default=datetime(2000, 1, 1))
    if zone is not None and when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return _checked(when)


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's zone for a name or an offset it found: the offset if one was written,
    else a known abbreviation, else none (read as UTC). Given as a function, so that
    dateutil neither warns about a name it does not know nor takes one for the machine's
    own zone."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return _ZONES.get(name.upper()) if name else None


def _normalise(text: str) -> str:
    """English words and plain separators, so that dateutil reads the rest."""
    text = _PARENTHESES.sub(" ", text)
    text = _LEADING_WEEKDAY.sub("", text)
    text = _MERIDIEM.sub(lambda m: m.group(1) + "m", text)
    text = _ORDINAL.sub(r"\1", text)
    text = _WORD_DOT.sub("", text)
    text = _DAY_DOT.sub(r"\1", text)
    text = _SEPARATORS.sub(" ", text)
    text = _GMT_OFFSET.sub(lambda m: _offset(m.group(1)), text)
    return _WORD.sub(lambda m: _MONTHS.get(m.group(0).lower(), m.group(0)), text).strip()


def _offset(value: str) -> str:
    """"+2" → "+0200", "-07:00" → "-0700": an offset dateutil reads the ISO way round."""
    sign, digits = value[0], value[1:].replace(":", "")
    return sign + (digits.zfill(2) + "00" if len(digits) <= 2 else digits.zfill(4))


def _named_zone(text: str) -> tuple[str, tzinfo | None]:
    """A zone named at the end ("PST") or anywhere ("America/Los_Angeles"), taken out
    of the text: dateutil cannot read "26 Sep 2022 GMT" (a zone after a date with no
    time) and knows no IANA names."""
    last = _LAST_WORD.search(text)
    if last is not None and last.group(1).upper() in _ZONES:
        return text[:last.start()].strip(), _ZONES[last.group(1).upper()]
    found = _ZONE_NAME.search(text)
    if found is None:
        return text, None
    try:
        zone = ZoneInfo(found.group(1))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory ("America/Argentina")
        return text, None
    return (text[:found.start()] + text[found.end():]).strip(), zone


def _checked(when: datetime) -> datetime | None:
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    when = when.astimezone(timezone.utc)
    return when if _FIRST_YEAR <= when.year <= _LAST_YEAR else None
