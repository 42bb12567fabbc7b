"""The article stage's decisions, pure: given plain values and ``now``, what to do.

- whether an item wants its article page read (the feed's ``full_text`` mode and how much
  text the feed itself carried);
- the per-host limits: the hourly budget, as a fixed window shared by every worker through
  the database; the fetches in flight, which feed and article fetches share; and when a
  host's pages are claimed one at a time (its robots.txt unknown, or a Crawl-delay);
- robots.txt: what a fetch of it means (RFC 9309: a 4xx is "no rules", a 5xx or no answer
  "disallow everything" until it can be read), whether a URL may be fetched, and the
  Crawl-delay it asks for;
- whether a response is a page to read at all (HTML, not a PDF, an image or JSON);
- what a fetch's outcome does to the queue entry (backoff on failures, give up after a few);
- whether the extracted text adds anything over what the feed said (a paywall stub does not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.robotparser import RobotFileParser

FullText = Literal["always", "when_short", "never"]
MODES: tuple[FullText, ...] = ("always", "when_short", "never")
WINDOW = timedelta(hours=1)
ROBOTS_FAILED = 0  # robots_status stored when robots.txt could not be fetched at all


def is_mode(value: object) -> bool:
    return value in MODES


def wants_article(mode: str, feed_text: str, short_chars: int) -> bool:
    """Whether an item of a feed in ``mode`` needs its page: always, or when the feed's
    text (title, summary and content as plain text) is shorter than ``short_chars``."""
    if mode == "always":
        return True
    return mode == "when_short" and len(feed_text.strip()) < short_chars


@dataclass(frozen=True)
class Window:
    """A host's article fetches in the current hour."""

    start: datetime
    count: int


def take_budget(window: Window, now: datetime, budget: int) -> Window | None:
    """The window after one more fetch, or None when the hour's budget is spent."""
    if now - window.start >= WINDOW or now < window.start:
        window = Window(now, 0)
    if window.count >= budget:
        return None
    return Window(window.start, window.count + 1)


def room_for_article(in_flight: int, per_host: int) -> bool:
    """Whether an article fetch may start on a host with ``in_flight`` fetches (feeds and
    articles together) under their shared cap ``per_host``. Articles leave the host's last
    slot to its feeds, so a feed that falls due finds one free however many pages wait;
    with a cap of one, a page takes the slot only when the host is idle."""
    return in_flight < max(per_host - 1, 1)


def one_at_a_time(robots_fetched_at: datetime | None, robots_status: int | None,
                  crawl_delay: int | None, now: datetime, ttl: timedelta) -> bool:
    """Whether a host's pages are claimed one at a time: while its robots.txt is unknown
    or stale (the first page reads it, and the next ones learn from it whether they may
    be fetched and how far apart), and when it asks for a Crawl-delay."""
    return bool(crawl_delay) or robots_stale(robots_fetched_at, robots_status, now, ttl)


def robots_stale(fetched_at: datetime | None, status: int | None, now: datetime,
                 ttl: timedelta) -> bool:
    """Whether the cached robots.txt must be fetched again: never read, older than ``ttl``,
    or unreadable last time (retried after a tenth of ``ttl``, not held against the host
    for a whole day)."""
    if fetched_at is None or status is None:
        return True
    if status == ROBOTS_FAILED or status >= 500:
        return now - fetched_at >= ttl / 10
    return now - fetched_at >= ttl


def robots_allows(status: int | None, body: str | None, url: str, agent: str) -> bool:
    """Whether robots.txt (as last fetched: its status and text) lets ``agent`` fetch ``url``.

    RFC 9309: a 4xx answer means there are no rules; a 5xx, or no answer at all, that the
    whole site is off limits until robots.txt can be read.
    """
    if status is None or status == ROBOTS_FAILED or status >= 500:
        return False
    if 400 <= status < 500:
        return True
    parser = RobotFileParser()
    parser.parse((body or "").splitlines())
    return parser.can_fetch(agent, url)


MAX_CRAWL_DELAY = 86400  # seconds: a day; a larger figure is read as a day


def crawl_delay(status: int | None, body: str | None, agent: str) -> int | None:
    """The Crawl-delay, in seconds, that robots.txt asks of ``agent`` (its own group's, or
    the ``*`` group's), or None. Not part of RFC 9309, but the interval a site states
    between a crawler's requests; only whole seconds are read (as Python's parser does)."""
    if status is None or status == ROBOTS_FAILED or status >= 400:
        return None
    parser = RobotFileParser()
    parser.parse((body or "").splitlines())
    delay = parser.crawl_delay(agent)
    return min(int(delay), MAX_CRAWL_DELAY) if delay else None


HTML_TYPES = ("text/html", "application/xhtml+xml")


def not_a_page(content_type: str | None, body: bytes) -> str | None:
    """Why a response is not an article page to read, or None when it is one. A declared
    type must be HTML (a PDF, an image or JSON is refused, not handed to the extractor);
    with none declared, the body must start like an HTML document."""
    if content_type:
        declared = content_type.split(";", 1)[0].strip().lower()
        return None if declared in HTML_TYPES else f"not an HTML page: {declared or '?'}"
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return None
    return "not an HTML page: no Content-Type, and the body is not HTML"


@dataclass(frozen=True)
class Retry:
    """When to try a failed article again, or None for `give up`."""

    due_at: datetime | None


def after_failure(attempts: int, now: datetime, *, base: float, max_attempts: int,
                  retry_after: float | None = None, rng: random.Random | None = None) -> Retry:
    """Exponential backoff with jitter after the ``attempts``-th consecutive failure
    (a server's Retry-After, when longer, wins); None after ``max_attempts``."""
    if attempts >= max_attempts:
        return Retry(None)
    delay = base * 2 ** (attempts - 1)
    delay *= 1 + 0.25 * (rng or random).random()
    return Retry(now + timedelta(seconds=max(delay, retry_after or 0.0)))


# What a paywall or registration wall says instead of the story, lower case.
PAYWALL_MARKERS = ("subscribe to continue", "subscribe to read", "already a subscriber",
                   "continue reading with a subscription", "sign in to continue reading",
                   "register to continue reading")
STUB_CHARS = 1500  # a page this short that carries a paywall marker is the wall, not the story


def adds_text(article: str, feed_text: str, min_chars: int) -> bool:
    """Whether the extracted article is worth a revision: at least ``min_chars`` more than
    the feed already carried, and not a paywall stub (the wall's own words around a
    teaser) or a cookie wall."""
    article = article.strip()
    if len(article) < len(feed_text.strip()) + min_chars:
        return False
    lowered = article.lower()
    return not (len(article) < STUB_CHARS and any(m in lowered for m in PAYWALL_MARKERS))
