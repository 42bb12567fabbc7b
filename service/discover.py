"""Feed discovery: the feeds a web page announces in its ``<link rel="alternate">`` (pure).

A page names its feeds in its head, as ``<link rel="alternate" type="application/rss+xml"
href="…">`` (or ``atom+xml``, ``feed+json``, ``json``). They are read with the standard
library's HTML parser, which copes with the tag soup real pages are, and resolved against
the page's URL (or its ``<base href>``). Nothing is fetched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/rdf+xml": "RDF",
    "application/feed+json": "JSON Feed",
    "application/json": "JSON Feed",
}


@dataclass(frozen=True)
class FeedLink:
    url: str
    format: str  # RSS, Atom, RDF or JSON Feed, as the page declares it
    title: str | None


def feed_links(page: str, page_url: str) -> list[FeedLink]:
    """The feeds a page links to, in page order, each URL once, web links only."""
    reader = _LinkReader()
    reader.feed(page)
    reader.close()
    base = urljoin(page_url, reader.base or "")
    found: dict[str, FeedLink] = {}
    for attrs in reader.links:
        kind = FEED_TYPES.get((attrs.get("type") or "").split(";")[0].strip().lower())
        rels = (attrs.get("rel") or "").lower().split()
        href = (attrs.get("href") or "").strip()
        if kind is None or "alternate" not in rels or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, FeedLink(url, kind, (attrs.get("title") or "").strip() or None))
    return list(found.values())


class _LinkReader(HTMLParser):
    """Collects the attributes of every <link> and the first <base href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str | None]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            self.links.append(dict(attrs))
        elif tag == "base" and self.base is None:
            self.base = dict(attrs).get("href")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def choose(links: list[FeedLink], pick: int | None) -> list[FeedLink]:
    """All the links, or only the ``pick``-th (counted from 1, in page order)."""
    if pick is None:
        return links
    if not 1 <= pick <= len(links):
        raise ValueError(f"there is no feed number {pick}: the page links to {len(links)}")
    return [links[pick - 1]]
