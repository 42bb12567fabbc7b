"""When to fetch a feed next: pure rules, given ``now`` and what the last fetch said.

After a success the wait is the largest of the feed's interval and every hint the
server gave (Cache-Control max-age, Expires, the RSS ``<ttl>``, Retry-After), clamped
to [minimum, maximum]. After a failure it is a capped exponential backoff; 429/503
answers back off on their own counter and honour Retry-After. Jitter (up to +10%)
spreads feeds so that a restart, or many feeds added at once, do not poll in a burst.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

JITTER = 0.10


@dataclass(frozen=True)
class Bounds:
    minimum: float  # seconds; never poll more often than this
    default: float  # a feed's interval unless it sets its own
    maximum: float  # the longest wait, also the backoff cap


@dataclass(frozen=True)
class Hints:
    """What the server said about freshness, in seconds from now (None: not said)."""

    max_age: float | None = None
    expires: float | None = None
    ttl: float | None = None
    retry_after: float | None = None


def _jittered(seconds: float, rng: random.Random) -> timedelta:
    return timedelta(seconds=seconds * (1 + rng.uniform(0, JITTER)))


def _clamp(seconds: float, bounds: Bounds) -> float:
    return min(max(seconds, bounds.minimum), bounds.maximum)


def after_success(
    now: datetime, bounds: Bounds, hints: Hints, interval: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    candidates = [interval or bounds.default, hints.max_age, hints.expires, hints.ttl,
                  hints.retry_after]
    wait = max(c for c in candidates if c is not None)
    return now + _jittered(_clamp(wait, bounds), rng or random.Random())


def after_failure(
    now: datetime, bounds: Bounds, failures: int, retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """Backoff after the ``failures``-th consecutive failure (1 = the first)."""
    exponent = min(max(failures - 1, 0), 30)
    backoff = bounds.minimum * (2**exponent)
    wait = max(backoff, retry_after or 0)
    return now + _jittered(_clamp(wait, bounds), rng or random.Random())


def parse_hints(headers: dict[str, str], now: datetime, ttl_minutes: int | None) -> Hints:
    """Freshness hints from response headers (lower-case names) and the feed's ttl."""
    return Hints(
        max_age=_max_age(headers.get("cache-control")),
        expires=_seconds_until(headers.get("expires"), now),
        ttl=ttl_minutes * 60.0 if ttl_minutes else None,
        retry_after=parse_retry_after(headers.get("retry-after"), now),
    )


def _max_age(cache_control: str | None) -> float | None:
    if not cache_control:
        return None
    match = re.search(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", cache_control, re.I)
    return float(match.group(1)) if match else None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    return _seconds_until(value, now)


def _seconds_until(http_date: str | None, now: datetime) -> float | None:
    if not http_date:
        return None
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = (when - now).total_seconds()
    return seconds if seconds > 0 else None
