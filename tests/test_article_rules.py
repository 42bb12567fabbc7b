"""The article stage's decisions, as tables (service.articles.rules: pure)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from service.articles import rules

NOW = datetime(2016, 5, 23, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("mode", "text", "wanted"), [
    ("always", "x" * 5000, True),
    ("when_short", "Blasts hit Jableh", True),
    ("when_short", "x" * 400, False),
    ("never", "", False),
])
def test_which_items_want_their_page(mode: str, text: str, wanted: bool) -> None:
    assert rules.wants_article(mode, text, short_chars=400) is wanted


def test_the_hourly_budget_is_a_fixed_window() -> None:
    window = rules.Window(NOW, 0)
    for expected in (1, 2, 3):
        taken = rules.take_budget(window, NOW + timedelta(minutes=expected), budget=3)
        assert taken is not None and taken.count == expected and taken.start == NOW
        window = taken
    assert rules.take_budget(window, NOW + timedelta(minutes=59), budget=3) is None
    fresh = rules.take_budget(window, NOW + timedelta(hours=1), budget=3)
    assert fresh == rules.Window(NOW + timedelta(hours=1), 1)


ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: tollwatch\nDisallow: /news/live/\n"


@pytest.mark.parametrize(("status", "body", "path", "allowed"), [
    (200, ROBOTS, "/news/article-1", True),
    (200, ROBOTS, "/news/live/blog", False),  # our own group
    (200, ROBOTS, "/private/x", True),  # a group of ours replaces the * group
    (200, "User-agent: *\nDisallow: /\n", "/news/a", False),
    (404, "", "/news/a", True),  # RFC 9309: no robots.txt, no rules
    (403, "", "/news/a", True),
    (503, "", "/news/a", False),  # unreachable: everything off limits for now
    (rules.ROBOTS_FAILED, "", "/news/a", False),
    (None, None, "/news/a", False),  # never read
])
def test_robots(status: int | None, body: str | None, path: str, allowed: bool) -> None:
    assert rules.robots_allows(status, body, f"https://news.example{path}", "tollwatch") is allowed


def test_robots_cache_expiry() -> None:
    day = timedelta(days=1)
    assert rules.robots_stale(None, None, NOW, day)
    assert not rules.robots_stale(NOW - timedelta(hours=23), 200, NOW, day)
    assert rules.robots_stale(NOW - day, 200, NOW, day)
    assert rules.robots_stale(NOW - timedelta(hours=3), 503, NOW, day)  # retried sooner
    assert not rules.robots_stale(NOW - timedelta(hours=1), 503, NOW, day)


def test_failures_back_off_then_give_up() -> None:
    rng = random.Random(1)
    waits = [rules.after_failure(n, NOW, base=60, max_attempts=4, rng=rng).due_at for n in (1, 2, 3)]
    seconds = [(w - NOW).total_seconds() for w in waits if w is not None]
    assert len(seconds) == 3 and seconds == sorted(seconds)
    assert all(60 * 2 ** i <= s <= 1.25 * 60 * 2 ** i for i, s in enumerate(seconds))
    assert rules.after_failure(4, NOW, base=60, max_attempts=4).due_at is None
    later = rules.after_failure(1, NOW, base=60, max_attempts=4, retry_after=3600).due_at
    assert later == NOW + timedelta(seconds=3600)


@pytest.mark.parametrize(("article", "feed", "adds"), [
    ("word " * 100, "Blasts hit Jableh", True),
    ("word " * 30, "Blasts hit Jableh", False),  # too little beyond the feed
    ("word " * 100, "word " * 90, False),
    ("Blasts hit Jableh. Subscribe to continue reading. " + "x " * 150, "Blasts", False),
    ("Subscribe to continue reading " + "word " * 400, "Blasts", True),  # long: the story
])
def test_what_counts_as_article_text(article: str, feed: str, adds: bool) -> None:
    assert rules.adds_text(article, feed, min_chars=200) is adds
