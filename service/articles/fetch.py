"""Article pages and robots.txt over HTTP, through the feed fetcher.

The same client settings, SSRF guard (every hop), decompression caps, conditional
requests and User-Agent as feed fetches (service.fetch.http); only the size cap is the
article's own (``article_max_bytes``), and robots.txt is read up to 500 KiB, the
least RFC 9309 asks a crawler to parse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from service.articles.rules import ROBOTS_FAILED
from service.errors import BlockedAddressError, FetchError
from service.fetch.http import USER_AGENT, Fetcher, FetchResult, Limits

ROBOTS_MAX_BYTES = 500 * 1024
AGENT = USER_AGENT.split("/", 1)[0]  # the product token robots.txt groups name: "tollwatch"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


class ArticleFetcher:
    """Two fetchers over the feed fetcher's code: pages, and robots.txt (a smaller cap)."""

    def __init__(self, limits: Limits, max_bytes: int, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._pages = Fetcher(replace(limits, max_response_bytes=max_bytes,
                                      max_decompressed_bytes=2 * max_bytes),
                              transport=transport, clock=clock)
        self._robots = Fetcher(replace(limits, max_response_bytes=ROBOTS_MAX_BYTES,
                                       max_decompressed_bytes=ROBOTS_MAX_BYTES),
                               transport=transport, clock=clock)

    async def close(self) -> None:
        await self._pages.__aexit__()
        await self._robots.__aexit__()

    async def page(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        """GET the article, conditional on the validators; FetchError on any failure."""
        return await self._pages.fetch(url, etag=etag, last_modified=last_modified)

    async def robots(self, url: str) -> tuple[int, str]:
        """The status and text of the robots.txt governing ``url``; ``ROBOTS_FAILED`` when
        no answer came at all (timeout, oversized); BlockedAddressError when the host is
        not public."""
        try:
            result = await self._robots.fetch(robots_url(url))
        except BlockedAddressError:
            raise  # the page itself would be refused too: say so, not "robots.txt failed"
        except FetchError as exc:
            return (exc.status or ROBOTS_FAILED), ""
        return result.status, result.body.decode("utf-8", errors="replace")
