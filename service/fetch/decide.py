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

from service.fetch.schedule import Bounds, after_failure, after_success, parse_hints

THROTTLED = {429, 503}


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

    label: str  # ok | not_modified | throttled | gone | blocked | error
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


def decide(feed: FeedState, outcome: Outcome, now: datetime, bounds: Bounds, threshold: int,
           rng: random.Random | None = None) -> FeedUpdate:
    base = dict(url=feed.url, etag=feed.etag, last_modified=feed.last_modified,
                redirect_url=feed.redirect_url, redirect_count=feed.redirect_count, gone=False)
    if outcome.error is None:
        hints = parse_hints(outcome.headers, now, outcome.ttl_minutes)
        if outcome.status != 304:
            base.update(etag=outcome.headers.get("etag"),
                        last_modified=outcome.headers.get("last-modified"))
        base.update(_redirects(feed, outcome.moved_to, threshold))
        return FeedUpdate(
            label="not_modified" if outcome.status == 304 else "ok",
            next_fetch_at=after_success(now, bounds, hints, feed.interval, rng),
            error_count=0, throttle_count=0, last_error=None, **base,
        )
    if outcome.status == 410:
        return FeedUpdate(label="gone", next_fetch_at=now, error_count=feed.error_count + 1,
                          throttle_count=0, last_error=outcome.error, **{**base, "gone": True})
    if outcome.status in THROTTLED:
        count = feed.throttle_count + 1
        return FeedUpdate(
            label="throttled",
            next_fetch_at=after_failure(now, bounds, count, outcome.retry_after, rng),
            error_count=feed.error_count, throttle_count=count, last_error=outcome.error, **base,
        )
    count = feed.error_count + 1
    return FeedUpdate(
        label="blocked" if outcome.blocked else "error",
        next_fetch_at=after_failure(now, bounds, count, outcome.retry_after, rng),
        error_count=count, throttle_count=0, last_error=outcome.error, **base,
    )


def _redirects(feed: FeedState, moved_to: str | None, threshold: int) -> dict[str, object]:
    if moved_to is None:
        return {"redirect_url": None, "redirect_count": 0}
    count = feed.redirect_count + 1 if moved_to == feed.redirect_url else 1
    if count >= threshold:
        return {"url": moved_to, "redirect_url": None, "redirect_count": 0}
    return {"redirect_url": moved_to, "redirect_count": count}
