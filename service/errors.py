"""Errors a caller can act on, by meaning.

::

    TollwatchError
    ├── ConfigError          a setting is missing or invalid
    ├── DatabaseError        the database is unreachable or refused an operation
    ├── SourcesError         a sources or OPML file is malformed
    ├── FeedError            one feed could not be polled (carries the feed and a reason)
    │   ├── FetchError       HTTP: refused, timed out, too large, bad status
    │   │   └── BlockedAddressError  the URL resolves to a private address (SSRF guard)
    │   ├── ParseError       the body is not a feed with entries
    │   ├── DiscoveryError   a page given as a feed links to no feed
    │   └── LeaseLostError   the feed was removed (or re-leased) while it was polled
    └── NotFoundError        a named feed, outlet, item or event does not exist

Third-party exceptions are mapped to these at the module that talks to the
third party, so the CLI and the API only ever need to know this tree.
"""

from __future__ import annotations


class TollwatchError(Exception):
    """Base of every error tollwatch raises on purpose."""


class ConfigError(TollwatchError):
    """A setting is missing or invalid; the message names the setting."""


class DatabaseError(TollwatchError):
    """The database cannot be reached, or rejected what we asked of it."""


class SourcesError(TollwatchError):
    """A sources (TOML) or OPML file cannot be read as one."""


class NotFoundError(TollwatchError):
    """The thing asked for does not exist."""


class FeedError(TollwatchError):
    """Polling one feed failed; ``reason`` is the short text stored on the feed."""

    def __init__(self, reason: str, *, url: str | None = None) -> None:
        super().__init__(f"{url}: {reason}" if url else reason)
        self.reason = reason
        self.url = url


class FetchError(FeedError):
    """The HTTP exchange failed (network, status, size or redirect limits)."""

    def __init__(
        self,
        reason: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, url=url)
        self.status = status
        self.retry_after = retry_after


class BlockedAddressError(FetchError):
    """The feed URL resolves to a loopback, private or link-local address."""


class ParseError(FeedError):
    """The body could not be read as a feed with any entries."""


class DiscoveryError(FeedError):
    """A URL given to follow is neither a feed nor a page linking to one."""


class LeaseLostError(FeedError):
    """A poll finished after its feed was removed or its lease expired: nothing of it is
    written (the feed is gone, or another worker polls it now)."""


class DeliveryError(TollwatchError):
    """The mail server did not take a message. ``temporary`` (a 4xx, a refused or dropped
    connection) is worth retrying; otherwise (a 5xx) it is not."""

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
