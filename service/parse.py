"""Feed bytes → plain entries (pure: no I/O, no database).

The body's format is told first, by its content type and its first bytes: JSON
Feed goes to ``service.jsonfeed``; RSS, Atom and RDF to feedparser, which copes with
most of what real servers send (wrong charsets, dialects, unclosed tags). Each
value keeps the content type the feed gave it (feedparser's ``*_detail.type``), so
that plain text stays text and HTML is sanitised (``service.entries``). Relative
links resolve against ``xml:base``, ``Content-Location`` and the URL the body was
finally fetched from.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from time import struct_time
from urllib.parse import urljoin

import feedparser
import nh3
from feedparser.urls import resolve_relative_uris

from service import jsonfeed
from service.entries import (Enclosure, Entry, Value, as_html, as_line, build_entry,
                             identity, sanitize, text_hash, to_text)
from service.errors import ParseError

__all__ = ["Entry", "Format", "ParsedFeed", "identity", "parse_feed", "sanitize", "sniff",
           "text_hash", "to_text"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_EMAIL_AND_NAME = re.compile(r"\S+@\S+\s*\((.+)\)")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# Elements a feed's HTML may hold besides those nh3 keeps (it drops these, content and all).
_OTHER_ELEMENTS = frozenset({
    "audio", "body", "button", "embed", "font", "form", "frame", "head", "html", "iframe",
    "input", "label", "link", "meta", "noscript", "object", "option", "param", "picture",
    "script", "section", "select", "source", "style", "svg", "textarea", "title", "track",
    "video"})
_ELEMENTS = frozenset(nh3.ALLOWED_TAGS) | _OTHER_ELEMENTS
_SNIFF_BYTES = 1024
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf")


class Format(Enum):
    """What a body is, as far as its content type and first bytes tell."""

    XML = "XML"  # RSS, Atom or RDF, perhaps
    JSON = "JSON"  # a JSON Feed, perhaps
    HTML = "an HTML page"
    EMPTY = "empty"
    UNKNOWN = "neither XML nor JSON"


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    ttl_minutes: int | None
    entries: tuple[Entry, ...]
    warning: str | None  # the parser's complaint about a malformed feed it still read


def sniff(body: bytes, content_type: str | None = None) -> Format:
    """The body's format: its first bytes decide, its content type breaks ties."""
    # Byte order marks and the NULs of UTF-16/32 are dropped: only ASCII marks matter here.
    head = body[:_SNIFF_BYTES].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    head = head.lower()
    declared = (content_type or "").split(";")[0].strip().lower()
    if not head.strip():
        return Format.EMPTY
    if head.startswith((b"{", b"[")):
        return Format.JSON
    if head.startswith(b"<?xml"):
        return Format.XML  # whatever the server calls it
    if head.startswith((b"<!doctype html", b"<html")) or (
            declared == "text/html" and not any(mark in head for mark in _FEED_MARKS)):
        return Format.HTML
    if head.startswith(b"<"):
        return Format.XML
    return Format.JSON if "json" in declared else Format.UNKNOWN


def parse_feed(body: bytes, *, url: str, content_type: str | None = None,
               content_location: str | None = None,
               content_language: str | None = None) -> ParsedFeed:
    """Parse a feed; raise ParseError if nothing usable is in it.

    ``url`` is where the body was finally fetched from (after redirects): relative
    links resolve against it, or against ``content_location`` when the server sent one.
    """
    found = sniff(body, content_type)
    if found is Format.JSON:
        feed = jsonfeed.parse(body, url=urljoin(url, content_location or ""),
                              language=content_language)
        return ParsedFeed(feed.title, None, feed.entries, None)
    if found is not Format.XML:
        raise ParseError(f"not a feed (RSS, Atom, RDF or JSON Feed): the body is {found.value}",
                         url=url)
    return _parse_xml(body, url=url, content_type=content_type,
                      content_location=content_location, content_language=content_language)


def _parse_xml(body: bytes, *, url: str, content_type: str | None,
               content_location: str | None, content_language: str | None) -> ParsedFeed:
    base = urljoin(url, content_location or "")
    headers = {"content-type": content_type} if content_type else {}
    if content_language:
        headers["content-language"] = content_language
    if b"xml:base" in body:
        # feedparser scopes nested xml:base correctly only below an absolute base. It
        # then resolves GUIDs too, as it always did against an absolute xml:base; without
        # xml:base it is not told the URL, so a GUID stays the name it is ("12345"), not a
        # link that would change whenever the feed moves.
        headers["content-location"] = base
    # A file-like object: feedparser would open a bytes value naming a path or URL. The
    # URIs inside HTML are resolved here, once a value is known to be HTML: feedparser's
    # resolver re-serialises whatever it is given, "<Hobbit>" into "<hobbit>".
    result = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    warning = _bozo_reason(result) if result.get("bozo") else None
    version = result.get("version") or ""
    language = result.feed.get("language") or content_language
    rules = _Rules(explicit_types=version.startswith("atom"), base=base)
    entries = tuple(_entry(raw, language, rules) for raw in result.entries)
    if not entries and (warning or not version):
        # A well-formed feed with no entries is merely empty; a broken one is an error.
        raise ParseError(f"no entries could be read ({warning or 'no RSS or Atom found'})",
                         url=url)
    channel = result.feed
    return ParsedFeed(
        title=as_line(rules.value(channel, "title")) or None,
        ttl_minutes=_int(channel.get("ttl")),
        entries=entries,
        warning=warning,
    )


def _bozo_reason(result: feedparser.FeedParserDict) -> str:
    exception = result.get("bozo_exception")
    return f"{type(exception).__name__}: {exception}" if exception else "malformed feed"


@dataclass(frozen=True)
class _Rules:
    """How to read a value's content type in this feed.

    Atom says it (``type="text"``, ``"html"``, ``"xhtml"``). RSS leaves readers to
    guess, and feedparser guesses HTML for every description: a description is taken
    for HTML only when each ``<name`` in it opens an HTML element, so that "The
    <Hobbit> returns" or "x <y and z" stay text.
    """

    explicit_types: bool
    base: str  # the feed's own URL: Content-Location, else the URL it was fetched from

    def value(self, detail: feedparser.FeedParserDict, key: str) -> Value:
        return self._read(detail.get(key, "") or "", detail.get(f"{key}_detail") or {})

    def content(self, raw: feedparser.FeedParserDict) -> Value:
        """All of an entry's content parts as one value: HTML if one part is HTML."""
        parts = [self._read(part.get("value", "") or "", part)
                 for part in raw.get("content") or []]
        if any(part.html for part in parts):
            return Value("\n".join(p.text if p.html else as_html(p) for p in parts), True)
        return Value("\n\n".join(part.text for part in parts), False)

    def _read(self, text: str, detail: feedparser.FeedParserDict) -> Value:
        kind = detail.get("type", "text/plain")
        is_html = kind in _HTML_TYPES and (self.explicit_types or _all_elements(text))
        if not is_html:
            return Value(text, False)
        base = self.link(detail.get("base"))
        return Value(resolve_relative_uris(text, base, "utf-8", kind) if base else text, True)

    def link(self, value: object) -> str | None:
        """A link made absolute against the feed's URL (feedparser applied xml:base)."""
        if not isinstance(value, str) or not value.strip():
            return self.base or None
        return urljoin(self.base, value.strip())


def _all_elements(text: str) -> bool:
    return all(name.lower() in _ELEMENTS for name in _TAG_NAME.findall(text))


def _entry(raw: feedparser.FeedParserDict, feed_language: str | None, rules: _Rules) -> Entry:
    detail = raw.get("title_detail") or raw.get("summary_detail") or {}
    return build_entry(
        guid=(raw.get("id") or "").strip() or None,
        url=rules.link(raw.get("link")) if (raw.get("link") or "").strip() else None,
        title=rules.value(raw, "title"), summary=rules.value(raw, "summary"),
        content=rules.content(raw),
        published=_when(raw.get("published_parsed")), updated=_when(raw.get("updated_parsed")),
        authors=_authors(raw, rules), categories=_categories(raw),
        enclosures=_enclosures(raw, rules),
        language=detail.get("language") or feed_language,
    )


def _authors(raw: feedparser.FeedParserDict, rules: _Rules) -> tuple[str, ...]:
    """Atom's author names; RSS's one author, "email (Name)" read by hand, since
    feedparser's split cuts addresses under long top-level domains mid-word."""
    if not rules.explicit_types and isinstance(raw.get("author"), str):
        written = as_line(Value(raw["author"], False))
        named = _EMAIL_AND_NAME.fullmatch(written)
        return (named.group(1).strip(),) if named else ((written,) if written else ())
    names = [as_line(Value(a.get("name") or a.get("email") or "", False))
             for a in raw.get("authors") or [] if isinstance(a, dict)]
    return tuple(dict.fromkeys(n for n in names if n))


def _categories(raw: feedparser.FeedParserDict) -> tuple[str, ...]:
    terms = [as_line(Value(t.get("label") or t.get("term") or "", False))
             for t in raw.get("tags") or [] if isinstance(t, dict)]
    return tuple(dict.fromkeys(t for t in terms if t))


def _enclosures(raw: feedparser.FeedParserDict, rules: _Rules) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for link in raw.get("enclosures") or []:
        href = rules.link(link.get("href")) if (link.get("href") or "").strip() else None
        if href and href not in found:
            found[href] = Enclosure(url=href, type=(link.get("type") or "").strip() or None,
                                    length=_int(link.get("length")))
    return tuple(found.values())


def _when(value: struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
