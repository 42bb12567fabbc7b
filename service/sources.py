"""Feed lists in and out: the TOML sources file and OPML (pure: text in, plain data out)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from service.articles.rules import MODES, is_mode
from service.bounds import url_problem
from service.errors import SourcesError

FULL_TEXT_ATTRIBUTE = "fullText"  # the OPML outline attribute carrying a feed's full_text


@dataclass(frozen=True)
class OutletSpec:
    """An outlet and its feed URLs, as a sources or OPML file describes them."""

    name: str
    feeds: tuple[str, ...]
    kind: str | None = None
    homepage: str | None = None
    # feed URL -> its full_text mode, for the feeds whose mode is not "never"
    full_text: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedListing:
    """One feed, for export."""

    outlet: str
    url: str
    homepage: str | None = None
    full_text: str = "never"


def read_sources(path: Path) -> list[OutletSpec]:
    """Read a sources TOML file; raise SourcesError naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"sources file {path} is not valid TOML: {exc}") from None
    outlets = data.get("outlet", [])
    if not isinstance(outlets, list):
        raise SourcesError(f"sources file {path}: 'outlet' must be an array of tables")
    return [_outlet_spec(entry, f"{path}: outlet #{i + 1}") for i, entry in enumerate(outlets)]


def _outlet_spec(entry: object, where: str) -> OutletSpec:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where} must be a table")
    name = entry.get("name")
    feeds = entry.get("feeds", [])
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where} has no name")
    if not isinstance(feeds, list) or not all(is_feed_url(url) for url in feeds):
        raise SourcesError(f"{where} ({name}): 'feeds' must be a list of http(s) URLs with a host")
    unknown = set(entry) - {"name", "feeds", "kind", "homepage", "full_text"}
    if unknown:
        raise SourcesError(f"{where} ({name}): unknown key(s) {', '.join(sorted(unknown))}")
    mode = entry.get("full_text", "never")
    if not is_mode(mode):
        raise SourcesError(f"{where} ({name}): 'full_text' must be one of {', '.join(MODES)}")
    return OutletSpec(
        name=name.strip(), feeds=tuple(feeds), kind=entry.get("kind"), homepage=entry.get("homepage"),
        full_text={url: mode for url in feeds} if mode != "never" else {},
    )


def is_feed_url(value: object) -> bool:
    """An http(s) URL with a host DNS could look up and a port (if any) in range: what a
    feed's address must be wherever it comes from (sources file, OPML, CLI, API)."""
    return isinstance(value, str) and url_problem(value) is None


def read_opml(data: bytes, *, origin: str = "OPML") -> list[OutletSpec]:
    """Outlets from an OPML file.

    Feed readers nest feeds in folders; we take each feed outline's ``title`` (else
    ``text``) as its outlet, so feeds of the same outlet come back together.
    """
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise SourcesError(f"{origin} is not valid OPML: {exc}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise SourcesError(f"{origin} is not OPML (no <opml><body>)")
    by_outlet: dict[str, list[str]] = {}
    homepages: dict[str, str | None] = {}
    modes: dict[str, dict[str, str]] = {}
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue
        if not is_feed_url(url):
            raise SourcesError(f"{origin}: feed URL {url!r} is not an http(s) URL with a host")
        name = (outline.get("title") or outline.get("text") or url).strip()
        by_outlet.setdefault(name, []).append(url)
        homepages.setdefault(name, outline.get("htmlUrl"))
        mode = outline.get(FULL_TEXT_ATTRIBUTE, "never")
        if not is_mode(mode):
            raise SourcesError(f"{origin}: feed {url!r}: {FULL_TEXT_ATTRIBUTE} must be one of "
                               f"{', '.join(MODES)}")
        if mode != "never":
            modes.setdefault(name, {})[url] = mode
    return [
        OutletSpec(name=name, feeds=tuple(urls), homepage=homepages[name],
                   full_text=modes.get(name, {}))
        for name, urls in by_outlet.items()
    ]


def write_opml(feeds: list[FeedListing], *, title: str = "tollwatch feeds") -> bytes:
    """An OPML 2.0 document listing ``feeds``, one outline per feed."""
    opml = Element("opml", version="2.0")
    head = SubElement(opml, "head")
    SubElement(head, "title").text = title
    body = SubElement(opml, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.outlet, "title": feed.outlet, "xmlUrl": feed.url}
        if feed.homepage:
            attributes["htmlUrl"] = feed.homepage
        if feed.full_text != "never":
            attributes[FULL_TEXT_ATTRIBUTE] = feed.full_text
        SubElement(body, "outline", attributes)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(opml, encoding="utf-8") + b"\n"
