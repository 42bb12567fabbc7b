"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) → the entries every format becomes (pure).

The body is untrusted JSON: every field is checked for its type and ignored when it
has the wrong one, and loses NUL and lone surrogates, so a hostile or sloppy feed loses
that field or character, never the poll. An
item's identity is its ``id`` (1.0 feeds often give a number); its links resolve
against the feed's URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from feedparser.urls import resolve_relative_uris

from service.bounds import clean
from service.dates import parse_date
from service.entries import Enclosure, Entry, Value, as_line, build_entry
from service.errors import ParseError

VERSION_PREFIX = "https://jsonfeed.org/version/"


@dataclass(frozen=True)
class JsonFeed:
    title: str | None
    entries: tuple[Entry, ...]


def parse(body: bytes, *, url: str, language: str | None = None) -> JsonFeed:
    """Parse a JSON Feed; raise ParseError naming what the body is when it is not one."""
    document = _load(body, url)
    if _version(document) is None:
        raise ParseError("not a feed: the body is JSON, but not a JSON Feed "
                         f"(no \"version\": \"{VERSION_PREFIX}1.1\")", url=url)
    assert isinstance(document, dict)
    items = _list(document.get("items"))  # none, or not a list: an empty feed
    language = _string(document.get("language")) or language
    feed_authors = _authors(document)
    entries = tuple(_entry(item, url, language, feed_authors)
                    for item in items if isinstance(item, dict))
    return JsonFeed(title=as_line(Value(_string(document.get("title")) or "", False)) or None,
                    entries=entries)


def _load(body: bytes, url: str) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ParseError(f"not a feed: the body is not valid JSON ({type(exc).__name__})",
                         url=url) from None


def _version(document: object) -> str | None:
    if not isinstance(document, dict):
        return None
    version = document.get("version")
    if isinstance(version, str) and version.startswith(VERSION_PREFIX):
        return version
    return None


def _entry(item: dict[str, Any], base: str, language: str | None,
           feed_authors: tuple[str, ...]) -> Entry:
    raw_id = item.get("id")  # a string by the spec; 1.0 feeds often give a number
    guid = clean(str(raw_id)).strip() if isinstance(raw_id, (str, int, float)) and \
        not isinstance(raw_id, bool) else ""
    link = _string(item.get("url")) or _string(item.get("external_url"))
    html = _string(item.get("content_html"))
    content = Value(resolve_relative_uris(html, base, "utf-8", "text/html"), True) if html \
        else Value(_string(item.get("content_text")) or "", False)
    return build_entry(
        guid=guid or None,
        url=urljoin(base, link) if link else None,
        title=Value(_string(item.get("title")) or "", False),
        summary=Value(_string(item.get("summary")) or "", False),
        content=content,
        published=parse_date(_string(item.get("date_published"))),
        updated=parse_date(_string(item.get("date_modified"))),
        authors=_authors(item) or feed_authors,
        categories=tuple(dict.fromkeys(
            tag for tag in map(_string, _list(item.get("tags"))) if tag)),
        enclosures=_attachments(item.get("attachments"), base),
        language=_string(item.get("language")) or language,
    )


def _authors(holder: dict[str, Any]) -> tuple[str, ...]:
    """1.1's ``authors`` and 1.0's ``author``, both: feeds written for both versions
    give both, and some give ``authors`` as one object instead of a list."""
    people = holder.get("authors")
    people = [*(people if isinstance(people, list) else [people]), holder.get("author")]
    names = (_string(p.get("name")) or _string(p.get("url"))
             for p in people if isinstance(p, dict))
    return tuple(dict.fromkeys(n for n in names if n))


def _attachments(value: object, base: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for attachment in _list(value):
        if not isinstance(attachment, dict) or not (href := _string(attachment.get("url"))):
            continue
        size = attachment.get("size_in_bytes")
        length = int(size) if isinstance(size, (int, float)) and not isinstance(size, bool) \
            and 0 < size < 2**63 else None
        url = urljoin(base, href)
        found.setdefault(url, Enclosure(url=url, type=_string(attachment.get("mime_type")),
                                        length=length))
    return tuple(found.values())


def _string(value: object) -> str | None:
    """A string field, without what no text may hold: JSON can escape a lone surrogate
    (``"\\ud800"``), which XML cannot, and one would fail the whole feed on its way to
    the worker and the database; it reads as U+FFFD, as in XML feeds."""
    return clean(value).strip() or None if isinstance(value, str) else None


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
