"""Values from the outside world, made storable the same way on every database.

A feed or a client can send anything: an ETag of 5,000 characters, a NUL in a title,
a lone surrogate (``&#xD800;``), a redirect to port 99999 or to a host whose label
is longer than DNS allows. SQLite stores most of that and PostgreSQL refuses it, so
a value that passes on one would fail a whole transaction on the other. Every such
value goes through here on its way to the database: text loses what no database
keeps (NUL, lone surrogates), and a value longer than its column is either cut (free
text) or dropped (a validator or a URL, which cut would be wrong). Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

URL_MAX = 2000  # Feed.url, Item.url, Feed.redirect_url
IDENTITY_MAX = 2000  # Item.identity
GUID_MAX = 2000  # Item.guid
ETAG_MAX = 1000  # Feed.etag
LAST_MODIFIED_MAX = 200  # Feed.last_modified
TITLE_MAX = 500  # Feed.title
ITEM_TITLE_MAX = 1000  # an item's headline: real ones run to a few hundred characters
ERROR_MAX = 2000  # Feed.last_error, FetchLog.error
HOST_MAX = 253  # what DNS allows for a whole name

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean(value: str) -> str:
    """``value`` without the characters no database stores: NUL and lone surrogates
    (a surrogate pair written as two escapes becomes U+FFFD, like any other)."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def text(value: str, limit: int | None = None) -> str:
    """Free text, cleaned and cut to ``limit`` characters."""
    value = clean(value)
    return value if limit is None else value[:limit]


def optional_text(value: str | None, limit: int | None = None) -> str | None:
    return None if value is None else text(value, limit)


def exact(value: str | None, limit: int) -> str | None:
    """A value that is only useful whole (a validator, an id): None when it would have
    to be changed to be stored."""
    if value is None or len(value) > limit or _UNSTORABLE.search(value):
        return None
    return value


def moment(value: datetime) -> datetime:
    """``value`` in UTC (naive means UTC), if it is a time every database can store and
    compare: its UTC form must exist (``9999-12-31T23:59:59-14:00`` has none) and lie
    within the years 2-9998. Raises ValueError otherwise."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        utc = value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("the time is outside the years 2-9998") from None
    if not 1 < utc.year < 9999:
        raise ValueError("the time is outside the years 2-9998")
    return utc


def identity(value: str) -> str:
    """An item's identity: kept as it is when storable, else replaced by a digest of it,
    so that two long identities stay two items and the same one stays one."""
    if len(value) <= IDENTITY_MAX and not _UNSTORABLE.search(value):
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{value.split(':', 1)[0]}-sha256:{digest}"


def url_problem(url: str, max_length: int | None = URL_MAX) -> str | None:
    """Why ``url`` cannot be a feed's address, or None if it can: an http(s) URL with a
    host DNS could resolve (IDNA-encodable, labels of at most 63 characters), a port
    in 0-65535 if any, and (unless ``max_length`` is None: a URL fetched, not stored)
    no longer than a feed URL column holds."""
    if max_length is not None and len(url) > max_length:
        return f"URL longer than {max_length} characters"
    if _UNSTORABLE.search(url) or any(ch.isspace() for ch in url):
        return "URL contains whitespace, NUL or an unpaired surrogate"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading the port is what checks it
    except ValueError as exc:  # "Port out of range", "[::1" unclosed
        return f"not an http(s) URL with a host ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL with a host"
    return host_problem(parts.hostname)


def feed_address(url: str) -> str:
    """The address a feed is known by: ``url`` without a fragment (never sent to the
    server) and without an empty query, so that ``…/feed#top`` and ``…/feed?`` are the
    feed already followed at ``…/feed`` and not a second one polled beside it. ``url``
    must have passed :func:`url_problem`."""
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def host_problem(host: str) -> str | None:
    """Why ``host`` is not a name DNS could look up (or an address literal), or None."""
    if host.startswith("[") or ":" in host:  # an IPv6 literal, already checked by urlsplit
        return None
    try:
        encoded = host.encode("idna")
    except UnicodeError as exc:
        return f"host {host[:80]!r} is not a valid name ({exc.__cause__ or exc})"
    if len(encoded) > HOST_MAX:
        return f"host name longer than {HOST_MAX} characters"
    return None


_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@]+@")


def redacted(value: str) -> str:
    """``value`` with the user and password of every URL in it replaced by ``***``: a
    feed's address may carry them (``http://user:pass@host/``), and no response or log
    line may show them."""
    return _CREDENTIALS.sub(r"\1***@", value)


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def char_refs_repaired(body: bytes) -> bytes:
    """``body`` with every numeric character reference to a character that cannot
    exist (a surrogate, or beyond U+10FFFF) replaced by one to U+FFFD: feedparser's
    fallback parser raises on them, which would cost the feed every entry, not just
    the one holding the reference."""
    def repair(match: re.Match[bytes]) -> bytes:
        hex_digits, decimal = match.groups()
        digits = (hex_digits or decimal).lstrip(b"0")
        point = 0x110000 if len(digits) > 8 else int(digits or b"0", 16 if hex_digits else 10)
        return b"&#xFFFD;" if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF else match.group()

    return _CHAR_REF.sub(repair, body)
