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


@pytest.mark.parametrize(("in_flight", "per_host", "room"), [
    (0, 2, True),
    (1, 2, False),  # the last slot is the feeds'
    (1, 3, True),
    (2, 3, False),
    (0, 1, True),  # a cap of one: a page only on an idle host
    (1, 1, False),
])
def test_pages_leave_each_hosts_last_slot_to_its_feeds(in_flight: int, per_host: int,
                                                       room: bool) -> None:
    assert rules.room_for_article(in_flight, per_host) is room


@pytest.mark.parametrize(("fetched", "status", "delay", "serial"), [
    (None, None, None, True),  # robots.txt never read: the first page reads it, alone
    (NOW - timedelta(hours=1), 200, None, False),
    (NOW - timedelta(hours=1), 200, 5, True),  # a Crawl-delay: one page at a time
    (NOW - timedelta(days=2), 200, None, True),  # stale: read again, by one page
    (NOW - timedelta(hours=1), 404, None, False),
])
def test_which_hosts_pages_are_claimed_one_at_a_time(fetched: datetime | None, status: int | None,
                                                     delay: int | None, serial: bool) -> None:
    assert rules.one_at_a_time(fetched, status, delay, NOW, timedelta(days=1)) is serial


@pytest.mark.parametrize(("status", "body", "delay"), [
    (200, "User-agent: *\nCrawl-delay: 10\n", 10),
    (200, "User-agent: *\nCrawl-delay: 10\n\nUser-agent: tollwatch\nCrawl-delay: 3\n", 3),
    (200, "User-agent: otherbot\nCrawl-delay: 10\n", None),  # another crawler's
    (200, "User-agent: *\nDisallow: /private/\n", None),
    (200, "User-agent: *\nCrawl-delay: 9999999999\n", rules.MAX_CRAWL_DELAY),
    (404, "User-agent: *\nCrawl-delay: 10\n", None),  # no robots.txt, no rules
    (rules.ROBOTS_FAILED, "", None),
])
def test_the_crawl_delay_asked_of_us(status: int, body: str, delay: int | None) -> None:
    assert rules.crawl_delay(status, body, "tollwatch") == delay


@pytest.mark.parametrize(("content_type", "body", "refused"), [
    ("text/html; charset=utf-8", b"<p>story</p>", None),
    ("application/xhtml+xml", b"<?xml version='1.0'?><html>", None),
    ("Text/HTML", b"", None),
    ("application/pdf", b"%PDF-1.7", "not an HTML page: application/pdf"),
    ("image/png", b"\x89PNG", "not an HTML page: image/png"),
    ("application/json; charset=utf-8", b"{}", "not an HTML page: application/json"),
    (None, b"\xef\xbb\xbf\n<!DOCTYPE html><html><p>story</p>", None),  # undeclared, sniffed
    (None, b"%PDF-1.7", "not an HTML page: no Content-Type, and the body is not HTML"),
])
def test_only_html_is_read(content_type: str | None, body: bytes, refused: str | None) -> None:
    assert rules.not_a_page(content_type, body) == refused
