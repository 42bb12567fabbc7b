"""One conditional GET of one feed, within every limit, as plain data out.

httpx does the protocol; this module adds what a polite and defensive feed fetcher
needs on top: validators sent back exactly as received, redirects followed by hand
(so each hop passes the SSRF guard and permanent moves are noticed), a cap on the
bytes read from the socket and another on the bytes after decompression (a gzip
bomb is stopped after ``max_decompressed_bytes``, never inflated in full), a total
time limit, no cookies, and a User-Agent that says who we are.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urljoin

import httpx

from service import __version__
from service.bounds import url_problem
from service.errors import FetchError
from service.fetch.guard import check_public, pinned_transport
from service.fetch.schedule import parse_retry_after

USER_AGENT = f"tollwatch/{__version__} (+https://github.com/tollwatch/tollwatch)"
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
KEPT_HEADERS = ("etag", "last-modified", "cache-control", "expires", "retry-after",
                "content-type", "content-location", "content-language")


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_decompressed_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allow_private_addresses: bool = False


@dataclass(frozen=True)
class FetchResult:
    """What came back: ``not_modified`` (304, no body) or a body with its headers."""

    url: str  # the URL finally answered, after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # KEPT_HEADERS, lower-case
    moved_to: str | None = None  # set when every redirect on the way was permanent

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetches feeds over one shared connection pool; use as an async context manager."""

    def __init__(self, limits: Limits, *, transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.limits = limits
        self._clock = clock or (lambda: datetime.now().astimezone())
        pool = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        if transport is None and not limits.allow_private_addresses:
            transport = pinned_transport(pool)  # closes the gap DNS rebinding would use
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                     "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"},
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            limits=pool,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None) -> FetchResult:
        """GET ``url``, conditional on the validators; raise FetchError on any failure."""
        try:
            return await asyncio.wait_for(
                self._follow(url, etag, last_modified), timeout=self.limits.total_timeout
            )
        except TimeoutError:
            raise FetchError(
                f"no complete answer within {self.limits.total_timeout:g}s", url=url
            ) from None

    async def _follow(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        validators = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        headers = {name: value for name, value in validators.items()
                   if value and _sendable(value)}
        current, all_permanent = url, True
        for _hop in range(self.limits.max_redirects + 1):
            result = await self._request(current, headers)
            if isinstance(result, _Redirect):
                all_permanent = all_permanent and result.status in PERMANENT
                current = result.location
                continue
            moved = current if (current != url and all_permanent) else None
            return FetchResult(url=current, status=result.status, body=result.body,
                               headers=result.headers, moved_to=moved)
        raise FetchError(f"more than {self.limits.max_redirects} redirects", url=url)

    async def _request(self, url: str, headers: dict[str, str]) -> _Redirect | _Body:
        problem = url_problem(url, max_length=None)
        if problem is not None:  # a redirect to port 99999, to a 64-character label, ...
            raise FetchError(f"cannot fetch {url[:200]}: {problem}", url=url)
        if not self.limits.allow_private_addresses:
            await check_public(url)
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                return await self._read(url, response)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})", url=url) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}".rstrip(": "), url=url) from None

    async def _read(self, url: str, response: httpx.Response) -> _Redirect | _Body:
        status = response.status_code
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        if status in REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {status} without a Location", url=url, status=status)
            return _Redirect(status, urljoin(url, location))
        if status == 304:
            return _Body(status, b"", kept)
        if status >= 400:
            retry_after = parse_retry_after(response.headers.get("retry-after"), self._clock())
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip(), url=url,
                             status=status, retry_after=retry_after)
        body = await self._body(url, response)
        return _Body(status, body, kept)

    async def _body(self, url: str, response: httpx.Response) -> bytes:
        limits = self.limits
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_response_bytes:
            raise FetchError(f"body of {declared} bytes exceeds the "
                             f"{limits.max_response_bytes}-byte limit", url=url)
        decoder = _decoder(response.headers.get("content-encoding", ""), url)
        raw_size, parts, size = 0, [], 0
        async for chunk in response.aiter_raw():
            raw_size += len(chunk)
            if raw_size > limits.max_response_bytes:
                raise FetchError(f"body exceeds the {limits.max_response_bytes}-byte limit",
                                 url=url)
            data = decoder(chunk, limits.max_decompressed_bytes - size + 1)
            size += len(data)
            if size > limits.max_decompressed_bytes:
                raise FetchError(f"body exceeds {limits.max_decompressed_bytes} bytes once "
                                 "decompressed", url=url)
            parts.append(data)
        return b"".join(parts)


def _sendable(validator: str) -> bool:
    """Whether a stored validator can be sent back as it came. A server may send an ETag
    or Last-Modified with bytes outside ASCII, which httpx decodes but will not encode
    again: sent, it would fail every later poll of the feed (or read of the page) before
    any request is made. Left out, the request is unconditional and costs one full body."""
    return validator.isascii()


@dataclass(frozen=True)
class _Redirect:
    status: int
    location: str


@dataclass(frozen=True)
class _Body:
    status: int
    body: bytes
    headers: dict[str, str]


def _decoder(encoding: str, url: str) -> Callable[[bytes, int], bytes]:
    """A function inflating one raw chunk into at most ``limit`` bytes (more means: too big)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda chunk, _limit: chunk
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding {encoding!r}", url=url)
    # wbits 47 = 32 + 15: a zlib or a gzip header, detected from the first bytes.
    inflater = zlib.decompressobj(47)
    started = False

    def inflate(chunk: bytes, limit: int) -> bytes:
        nonlocal inflater, started
        try:
            data = inflater.decompress(chunk, max(limit, 1))
        except zlib.error as exc:
            if started or encoding != "deflate":
                raise FetchError(f"corrupt {encoding} body: {exc}", url=url) from None
            # "deflate" sent as bare DEFLATE without the zlib header, as some servers do
            # (browsers and httpx read it): read from the first chunk again, raw
            inflater, started = zlib.decompressobj(-zlib.MAX_WBITS), True
            return inflate(chunk, limit)
        started = True
        # Anything left unconsumed means the output hit the limit: report it as too big.
        return data + (b"\0" if inflater.unconsumed_tail else b"")

    return inflate

