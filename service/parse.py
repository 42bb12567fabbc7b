"""Feed bytes → plain entries (pure: no I/O, no database).

feedparser does the parsing and copes with most of what real servers send
(wrong charsets, RSS/Atom dialects, unclosed tags); this module turns its result
into frozen values, sanitises the HTML with nh3, derives a plain-text form for
analysis, and decides each entry's identity.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from time import struct_time

import feedparser
import nh3

from service.errors import ParseError

# Block-level closing tags become line breaks before tags are stripped, so that
# "<p>one</p><p>two</p>" reads "one\ntwo", not "onetwo".
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|section|article)\s*>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class Entry:
    """One feed entry, sanitised."""

    identity: str
    guid: str | None
    url: str | None
    title: str
    summary: str  # sanitised HTML
    content: str  # sanitised HTML
    text: str  # title, summary and content as plain text, for extraction and clustering
    published: datetime | None
    updated: datetime | None

    @property
    def content_hash(self) -> str:
        """What makes a new revision: a change of title, summary or content."""
        return text_hash(self.title, self.summary, self.content)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    ttl_minutes: int | None
    entries: tuple[Entry, ...]
    warning: str | None  # feedparser's complaint about a malformed feed it still read


def text_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def sanitize(fragment: str) -> str:
    """HTML safe to show on a page or in an email: no scripts, handlers or javascript: URLs."""
    return nh3.clean(fragment, link_rel="noopener noreferrer nofollow")


def to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (or of plain text, unchanged but for whitespace)."""
    if "<" in fragment:
        fragment = _BLOCK_END.sub("\n", fragment)
        fragment = nh3.clean(fragment, tags=set())
    text = html.unescape(fragment)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip()


def identity(guid: str | None, link: str | None, title: str, published: datetime | None) -> str:
    """guid, else link, else a hash of title and published time."""
    if guid:
        return f"guid:{guid}"
    if link:
        return f"link:{link}"
    return "hash:" + text_hash(title, published.isoformat() if published else "")


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed; raise ParseError if nothing usable is in it."""
    headers = {"content-type": content_type} if content_type else {}
    result = feedparser.parse(body, response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=True)
    warning = _bozo_reason(result) if result.get("bozo") else None
    version = result.get("version") or ""
    entries = tuple(_entry(raw) for raw in result.entries)
    if not entries and (warning or not version):
        # A well-formed feed with no entries is merely empty; a broken one is an error.
        raise ParseError(f"no entries could be read ({warning or 'no RSS or Atom found'})",
                         url=url)
    channel = result.feed
    return ParsedFeed(
        title=to_text(channel.get("title", "")) or None,
        ttl_minutes=_int(channel.get("ttl")),
        entries=entries,
        warning=warning,
    )


def _bozo_reason(result: feedparser.FeedParserDict) -> str:
    exception = result.get("bozo_exception")
    return f"{type(exception).__name__}: {exception}" if exception else "malformed feed"


def _entry(raw: feedparser.FeedParserDict) -> Entry:
    title = to_text(raw.get("title", ""))
    summary = sanitize(raw.get("summary", ""))
    content = sanitize("\n".join(part.get("value", "") for part in raw.get("content", [])))
    if content and to_text(content) == to_text(summary):
        content = ""  # feedparser copies content into summary when only one is given
    published = _when(raw.get("published_parsed"))
    updated = _when(raw.get("updated_parsed"))
    guid = (raw.get("id") or "").strip() or None
    link = (raw.get("link") or "").strip() or None
    text = "\n".join(part for part in (title, to_text(summary), to_text(content)) if part)
    return Entry(
        identity=identity(guid, link, title, published or updated),
        guid=guid, url=link, title=title, summary=summary, content=content, text=text,
        published=published, updated=updated,
    )


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
