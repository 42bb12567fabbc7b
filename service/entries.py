"""The entry every feed format becomes, and the text rules they all share (pure).

RSS, Atom and JSON Feed each say, or let one guess, whether a value is plain text
or HTML. That decides everything downstream: plain text is kept as written (its
entities were decoded once, by the format's own parser, and a ``<`` in it is a
character, not a tag), HTML is sanitised with nh3 for display and flattened for
analysis. Mixing the two up deletes text ("The <Hobbit> returns" → "The returns")
or decodes entities twice ("&amp;amp;" → "&").
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

import nh3

from service.bounds import ITEM_TITLE_MAX

# Block-level closing tags become line breaks before tags are stripped, so that
# "<p>one</p><p>two</p>" reads "one\ntwo", not "onetwo".
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|section|article)\s*>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ALL_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Enclosure:
    """A file an entry points at (a podcast episode, a picture)."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class Entry:
    """One feed entry, sanitised."""

    identity: str
    guid: str | None
    url: str | None
    title: str  # plain text
    summary: str  # sanitised HTML
    content: str  # sanitised HTML
    text: str  # title, summary and content as plain text, for extraction and clustering
    published: datetime | None
    updated: datetime | None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    language: str | None = None

    @cached_property
    def content_hash(self) -> str:
        """What makes a new revision: a change of title, summary or content. Kept once
        read, and pickled with the entry: a parse process reads it
        (:func:`service.parse_process.parse_job`), so the worker does not hash again."""
        return text_hash(self.title, self.summary, self.content)


@dataclass(frozen=True)
class Value:
    """A text value as a feed gave it: ``html`` says whether it is markup or plain text."""

    text: str
    html: bool


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
    """Plain text of an HTML fragment: tags stripped, entities decoded once."""
    if "<" in fragment:
        fragment = _BLOCK_END.sub("\n", fragment)
        fragment = nh3.clean(fragment, tags=set())
    return tidy(html.unescape(fragment))


def tidy(text: str) -> str:
    """Plain text with its runs of spaces collapsed and its blank lines dropped."""
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip()


def as_text(value: Value) -> str:
    """The plain text of a value: flattened if HTML, else kept as written."""
    return to_text(value.text) if value.html else tidy(value.text)


def as_line(value: Value) -> str:
    """A value as one line of plain text (a title, a name)."""
    return _ALL_SPACE.sub(" ", as_text(value)).strip()


def as_html(value: Value) -> str:
    """A value as sanitised HTML to display: HTML cleaned, plain text escaped."""
    if value.html:
        return sanitize(value.text)
    paragraphs = [p for p in value.text.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in paragraphs)


def identity(guid: str | None, link: str | None, title: str, published: datetime | None) -> str:
    """guid, else link, else a hash of title and published time."""
    if guid:
        return f"guid:{guid}"
    if link:
        return f"link:{link}"
    return "hash:" + text_hash(title, published.isoformat() if published else "")


def build_entry(*, guid: str | None, url: str | None, title: Value, summary: Value,
                content: Value, published: datetime | None, updated: datetime | None,
                authors: tuple[str, ...] = (), categories: tuple[str, ...] = (),
                enclosures: tuple[Enclosure, ...] = (), language: str | None = None) -> Entry:
    """An Entry from a format's values: the one place the text rules are applied.

    ``url`` is kept only if it is a web link: feedparser offers an Atom entry's
    ``urn:`` id as its link when it has none, and a page cannot link to that."""
    if url is not None and urlsplit(url).scheme.lower() not in ("http", "https"):
        url = None
    title_text = as_line(title)[:ITEM_TITLE_MAX]  # a hostile feed's 5 MB "headline" too
    summary_html, content_html = as_html(summary), as_html(content)
    if content_html and to_text(content_html) == to_text(summary_html):
        content_html = ""  # formats (and feedparser) copy content into summary when one is given
    text = "\n".join(p for p in (title_text, to_text(summary_html), to_text(content_html)) if p)
    return Entry(
        # an entry with no guid, link or title is known by its text: RSS 0.92 allows
        # items that are only a description, and their empty titles would all be one
        identity=identity(guid, url, title_text or text, published or updated),
        guid=guid, url=url, title=title_text, summary=summary_html, content=content_html,
        text=text, published=published, updated=updated, authors=authors,
        categories=categories, enclosures=enclosures, language=language,
    )
