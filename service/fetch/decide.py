"""How one poll changes a feed's state: pure, given the feed, the outcome and ``now``.

The rules, in one place so they can be read and tested as a table:

- 200: new validators, errors reset, next fetch from the interval and server hints.
- 304: the same, without parsing anything.
- 429/503: counted apart from failures (``throttle_count``), Retry-After honoured.
- 410: the feed is marked gone; it stays listed, with the reason, and is not polled.
- any other failure: ``error_count`` grows, the next fetch backs off exponentially.
- 301/308 all the way: the target is remembered; after ``threshold`` consecutive
  permanent redirects to the same place the feed's URL becomes the target.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from service.fetch.schedule import Bounds, after_failure, after_success, parse_hints

THROTTLED = {429, 503}


class FetchOutcome(StrEnum):
    """How a poll ended, as stored on the feed and its fetch log and counted in metrics."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    THROTTLED = "throttled"
    GONE = "gone"
    BLOCKED = "blocked"
    ERROR = "error"


@dataclass(frozen=True)
class FeedState:
    """The polling state of a feed, as read when it was claimed."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    interval: int | None
    error_count: int
    throttle_count: int
    redirect_url: str | None
    redirect_count: int


@dataclass(frozen=True)
class Outcome:
    """What happened: a status and headers, or an error with its reason."""

    status: int | None
    headers: dict[str, str]
    error: str | None = None
    retry_after: float | None = None
    ttl_minutes: int | None = None
    moved_to: str | None = None
    blocked: bool = False


@dataclass(frozen=True)
class FeedUpdate:
    """The new values of a feed's polling columns."""

    label: FetchOutcome
    url: str
    etag: str | None
    last_modified: str | None
    next_fetch_at: datetime
    error_count: int
    throttle_count: int
    last_error: str | None
    gone: bool
    redirect_url: str | None
    redirect_count: int


@dataclass(frozen=True)
class _Redirect:
    """The feed's URL after a poll, and the permanent redirect it is counting towards."""

    url: str
    redirect_url: str | None
    redirect_count: int


def decide(feed: FeedState, outcome: Outcome, now: datetime, bounds: Bounds, threshold: int,
           rng: random.Random | None = None) -> FeedUpdate:
    if outcome.error is None:
        hints = parse_hints(outcome.headers, now, outcome.ttl_minutes)
        modified = outcome.status != 304
        moved = _redirects(feed, outcome.moved_to, threshold)
        return FeedUpdate(
            label=FetchOutcome.OK if modified else FetchOutcome.NOT_MODIFIED,
            url=moved.url,
            etag=outcome.headers.get("etag") if modified else feed.etag,
            last_modified=outcome.headers.get("last-modified") if modified else feed.last_modified,
            next_fetch_at=after_success(now, bounds, hints, feed.interval, rng),
            error_count=0, throttle_count=0, last_error=None, gone=False,
            redirect_url=moved.redirect_url, redirect_count=moved.redirect_count,
        )
    if outcome.status == 410:
        return _failed(feed, FetchOutcome.GONE, now, feed.error_count + 1, 0, outcome.error,
                       gone=True)
    if outcome.status in THROTTLED:
        count = feed.throttle_count + 1
        return _failed(feed, FetchOutcome.THROTTLED,
                       after_failure(now, bounds, count, outcome.retry_after, rng),
                       feed.error_count, count, outcome.error)
    count = feed.error_count + 1
    return _failed(feed, FetchOutcome.BLOCKED if outcome.blocked else FetchOutcome.ERROR,
                   after_failure(now, bounds, count, outcome.retry_after, rng), count, 0,
                   outcome.error)


def _failed(feed: FeedState, label: FetchOutcome, next_fetch_at: datetime, error_count: int,
            throttle_count: int, error: str, *, gone: bool = False) -> FeedUpdate:
    """A failed poll: the feed's URL and validators are kept as they were."""
    return FeedUpdate(label=label, url=feed.url, etag=feed.etag,
                      last_modified=feed.last_modified, next_fetch_at=next_fetch_at,
                      error_count=error_count, throttle_count=throttle_count, last_error=error,
                      gone=gone, redirect_url=feed.redirect_url,
                      redirect_count=feed.redirect_count)


def _redirects(feed: FeedState, moved_to: str | None, threshold: int) -> _Redirect:
    if moved_to is None:
        return _Redirect(feed.url, None, 0)
    count = feed.redirect_count + 1 if moved_to == feed.redirect_url else 1
    if count >= threshold:
        return _Redirect(moved_to, None, 0)
    return _Redirect(feed.url, moved_to, count)
