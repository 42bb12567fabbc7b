"""Feed bytes → plain entries (pure: no I/O, no database).

The body's format is told first, by its content type and its first bytes: JSON
Feed goes to ``service.jsonfeed``; RSS, Atom and RDF to feedparser, which copes with
most of what real servers send (wrong charsets, dialects, unclosed tags). Each
value keeps the content type the feed gave it (feedparser's ``*_detail.type``), so
that plain text stays text and HTML is sanitised (``service.entries``). Relative
links resolve against ``xml:base``, ``Content-Location`` and the URL the body was
finally fetched from. Dates are read from the strings the feed wrote
(``service.dates``), feedparser's own reading only when that fails.
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
from service.dates import parse_date
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
_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([\w.:-]+)""")
_CHARSET = re.compile(r";\s*charset\s*=[^;]*", re.I)
# Single-byte charsets: text declared in one of these that is valid UTF-8 with non-ASCII
# bytes in it is UTF-8 (the other way round almost never decodes).
_SINGLE_BYTE = re.compile(r"(?:us-)?ascii|latin-?\d|iso[-_]?8859.*|(?:windows|cp)-?125\d|koi8.*",
                          re.I)


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
    body, content_type = _trust_utf8(body, content_type)
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
    feed_authors = _authors(result.feed, rules)
    entries = tuple(_entry(raw, language, feed_authors, rules) for raw in result.entries)
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


def _trust_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """Body and content type, told UTF-8 when a single-byte charset was declared for
    what is plainly UTF-8 (a common template mistake that turns "café" into "cafÃ©")."""
    declared = _DECLARED_ENCODING.match(body)
    header = (content_type or "").lower().partition("charset=")[2].strip(" \"'")
    claims = [name for name in (declared.group(2).decode() if declared else "", header) if name]
    if not claims or not any(_SINGLE_BYTE.fullmatch(name) for name in claims) or body.isascii():
        return body, content_type
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body, content_type
    if declared:
        body = declared.group(1) + b"utf-8" + body[declared.end():]
    return body, _CHARSET.sub("", content_type) if content_type else content_type


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


def _entry(raw: feedparser.FeedParserDict, feed_language: str | None,
           feed_authors: tuple[str, ...], rules: _Rules) -> Entry:
    detail = raw.get("title_detail") or raw.get("summary_detail") or {}
    return build_entry(
        guid=(raw.get("id") or "").strip() or None,
        url=_entry_link(raw, rules),
        title=rules.value(raw, "title"), summary=rules.value(raw, "summary"),
        content=rules.content(raw),
        published=_when(raw, "published"), updated=_when(raw, "updated"),
        authors=_authors(raw, rules) or feed_authors, categories=_categories(raw),
        enclosures=_enclosures(raw, rules),
        language=detail.get("language") or feed_language,
    )


def _entry_link(raw: feedparser.FeedParserDict, rules: _Rules) -> str | None:
    """The entry's page: FeedBurner's original link over its redirect; the id only when
    it is a web address (feedparser offers any id as the link, and an opaque "1"
    resolved against the feed's URL would be a page that does not exist)."""
    link = str(raw.get("feedburner_origlink") or raw.get("link") or "").strip()
    from_id = raw.get("guidislink") and link == str(raw.get("id") or "").strip()
    if not link or (from_id and not _is_web_address(link)):
        return None
    return rules.link(link)


def _is_web_address(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _authors(raw: feedparser.FeedParserDict, rules: _Rules) -> tuple[str, ...]:
    """Atom's author names; RSS's one author, "email (Name)" read by hand, since
    feedparser's split cuts addresses under long top-level domains mid-word. A name
    given as HTML ("<a href=…>Name</a>", escaped in dc:creator) is flattened."""
    if not rules.explicit_types and isinstance(raw.get("author"), str):
        written = _name(raw["author"])
        named = _EMAIL_AND_NAME.fullmatch(written)
        return (named.group(1).strip(),) if named else ((written,) if written else ())
    names = [_name(a.get("name") or a.get("email") or "")
             for a in raw.get("authors") or [] if isinstance(a, dict)]
    return tuple(dict.fromkeys(n for n in names if n))


def _name(written: str) -> str:
    return as_line(Value(written, "<" in written and _all_elements(written)))


def _categories(raw: feedparser.FeedParserDict) -> tuple[str, ...]:
    terms = [as_line(Value(t.get("label") or t.get("term") or "", False))
             for t in raw.get("tags") or [] if isinstance(t, dict)]
    return tuple(dict.fromkeys(t for t in terms if t))


def _enclosures(raw: feedparser.FeedParserDict, rules: _Rules) -> tuple[Enclosure, ...]:
    """RSS enclosures and Atom's rel="enclosure" links, then Media RSS's media:content
    (thumbnails are previews, not files the entry offers); FeedBurner's original URL
    stands for the first enclosure's redirect."""
    files = [(link.get("href"), link.get("type"), link.get("length"))
             for link in raw.get("enclosures") or []]
    original = raw.get("feedburner_origenclosurelink")
    if files and isinstance(original, str) and original.strip():
        files[0] = (original, *files[0][1:])
    files += [(media.get("url"), media.get("type"), media.get("filesize"))
              for media in raw.get("media_content") or [] if isinstance(media, dict)]
    found: dict[str, Enclosure] = {}
    for href, kind, length in files:
        url = rules.link(href) if isinstance(href, str) and href.strip() else None
        if url and url not in found:
            found[url] = Enclosure(url=url, type=(kind or "").strip() or None,
                                   length=_int(length))
    return tuple(found.values())


def _when(raw: feedparser.FeedParserDict, key: str) -> datetime | None:
    """The date as written, read by ``service.dates``; feedparser's reading if not."""
    written = raw.get(key)
    when = parse_date(written) if isinstance(written, str) else None
    parsed: struct_time | None = raw.get(f"{key}_parsed")
    if when is not None or parsed is None:
        return when
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
