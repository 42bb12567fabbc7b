"""What a URL someone asks to follow is: a feed, or a page naming its feeds.

One GET, through the same fetcher (limits, SSRF guard) as every poll. A feed (RSS,
Atom, RDF, JSON Feed) is followed as given; an HTML page is read for its
``<link rel="alternate">`` feeds (``service.discover``).
"""

from __future__ import annotations

import asyncio

from service.discover import FeedLink, feed_links
from service.errors import DiscoveryError
from service.fetch.http import Fetcher, Limits
from service.parse import Format, sniff


async def probe(url: str, limits: Limits) -> list[FeedLink]:
    """The feeds ``url`` stands for; raise FetchError or DiscoveryError if none."""
    async with Fetcher(limits) as fetcher:
        result = await fetcher.fetch(url)
    content_type = result.headers.get("content-type")
    found = sniff(result.body, content_type)
    if found is Format.XML:
        return [FeedLink(url, "RSS, Atom or RDF", None)]
    if found is Format.JSON:
        return [FeedLink(url, "JSON Feed", None)]
    if found is Format.HTML:
        links = feed_links(result.body.decode(_charset(content_type), "replace"), result.url)
        if links:
            return links
        raise DiscoveryError('the page links to no feed (no <link rel="alternate"> of an '
                             "RSS, Atom or JSON Feed type)", url=url)
    raise DiscoveryError(f"neither a feed nor a web page: the body is {found.value}", url=url)


def probe_now(url: str, limits: Limits) -> list[FeedLink]:
    """:func:`probe` for callers without an event loop (the CLI, sync API routes)."""
    return asyncio.run(probe(url, limits))


def _charset(content_type: str | None) -> str:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
            try:
                "".encode(charset)
            except LookupError:
                break
            return charset
    return "utf-8"
