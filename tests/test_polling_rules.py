"""The pure polling rules, as tables: no clock, no HTTP, no database."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from service.fetch.decide import FeedState, Outcome, decide
from service.fetch.schedule import Bounds, Hints, after_failure, after_success, parse_hints
from service.ingest import (NewItem, NewRevision, SeenAgain, guids_look_unstable, keyed_by_link,
                            links_to_check, plan, Known)
from service.parse_process import Headers, parse_job
from service.parse import identity, parse_feed, sanitize, to_text

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
BOUNDS = Bounds(minimum=900, default=1800, maximum=86400)
FEED = FeedState(id=1, url="https://a/feed", etag='"e1"', last_modified="lm1", interval=None,
                 error_count=0, throttle_count=0, redirect_url=None, redirect_count=0)


def minutes(when: datetime) -> float:
    return (when - NOW).total_seconds() / 60


@pytest.mark.parametrize(
    ("hints", "interval", "low"),
    [(Hints(), None, 30), (Hints(max_age=7200), None, 120), (Hints(ttl=600), None, 30),
     (Hints(retry_after=4000), None, 4000 / 60), (Hints(), 60, 15), (Hints(expires=10**7), None, 1440)],
)
def test_after_success_takes_the_largest_hint_within_bounds(hints, interval, low) -> None:
    when = after_success(NOW, BOUNDS, hints, interval, random.Random(1))
    assert low <= minutes(when) <= low * 1.1 + 1e-9


def test_backoff_doubles_and_caps() -> None:
    waits = [minutes(after_failure(NOW, BOUNDS, n, rng=random.Random(0))) for n in range(1, 12)]
    assert waits[0] < waits[1] < waits[2] < waits[3]
    assert max(waits) <= 1440 * 1.1
    assert minutes(after_failure(NOW, BOUNDS, 1, retry_after=7200)) >= 120


def test_jitter_spreads_feeds() -> None:
    rng = random.Random(3)
    times = {after_success(NOW, BOUNDS, Hints(), None, rng) for _ in range(50)}
    assert len(times) > 40


def test_parse_hints() -> None:
    hints = parse_hints({"cache-control": "no-transform, s-maxage=10, max-age=600",
                         "retry-after": "Mon, 05 Jan 2026 13:00:00 GMT",
                         "expires": "garbage"}, NOW, 45)
    assert hints == Hints(max_age=600, expires=None, ttl=2700, retry_after=3600)


@pytest.mark.parametrize(
    ("outcome", "label", "errors", "throttles", "gone"),
    [
        (Outcome(200, {"etag": '"e2"'}), "ok", 0, 0, False),
        (Outcome(304, {}), "not_modified", 0, 0, False),
        (Outcome(429, {}, error="HTTP 429", retry_after=60), "throttled", 0, 1, False),
        (Outcome(503, {}, error="HTTP 503"), "throttled", 0, 1, False),
        (Outcome(500, {}, error="HTTP 500"), "error", 1, 0, False),
        (Outcome(None, {}, error="timed out"), "error", 1, 0, False),
        (Outcome(410, {}, error="HTTP 410 Gone"), "gone", 1, 0, True),
        (Outcome(None, {}, error="private", blocked=True), "blocked", 1, 0, False),
    ],
)
def test_decide(outcome, label, errors, throttles, gone) -> None:
    update = decide(FEED, outcome, NOW, BOUNDS, threshold=3, rng=random.Random(0))
    assert (update.label, update.error_count, update.throttle_count, update.gone) == (
        label, errors, throttles, gone)


def test_validators_replaced_on_200_and_kept_on_304() -> None:
    fresh = decide(FEED, Outcome(200, {"etag": '"e2"'}), NOW, BOUNDS, 3)
    assert (fresh.etag, fresh.last_modified) == ('"e2"', None)
    same = decide(FEED, Outcome(304, {}), NOW, BOUNDS, 3)
    assert (same.etag, same.last_modified) == ('"e1"', "lm1")


def test_permanent_redirect_needs_consecutive_confirmations() -> None:
    state = FEED
    for expected_url in ("https://a/feed", "https://a/feed", "https://b/feed"):
        update = decide(state, Outcome(200, {}, moved_to="https://b/feed"), NOW, BOUNDS, 3)
        assert update.url == expected_url
        state = FeedState(**{**state.__dict__, "redirect_url": update.redirect_url,
                             "redirect_count": update.redirect_count})
    broken = FeedState(**{**FEED.__dict__, "redirect_url": "https://b/feed", "redirect_count": 2})
    assert decide(broken, Outcome(200, {}), NOW, BOUNDS, 3).redirect_count == 0


def test_identity_prefers_guid_then_link_then_hash() -> None:
    assert identity("g", "l", "t", None) == "guid:g"
    assert identity(None, "l", "t", None) == "link:l"
    assert identity(None, None, "t", NOW) == identity(None, None, "t", NOW) != identity(
        None, None, "t", NOW + timedelta(seconds=1))


def test_sanitize_removes_scripts_handlers_and_javascript_urls() -> None:
    dirty = ('<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:x()">l</a>'
             '<img src=x onerror=alert(1)><iframe src="https://evil"></iframe></p>')
    clean = sanitize(dirty)
    for bad in ("script", "onclick", "javascript:", "onerror", "iframe", "alert"):
        assert bad not in clean
    assert to_text(dirty) == "Hil"


def test_to_text_keeps_paragraphs_apart() -> None:
    assert to_text("<p>one &amp; two</p><p>three<br>four</p>") == "one & two\nthree\nfour"


def _entries(xml_items: str):  # type: ignore[no-untyped-def]
    body = f'<rss version="2.0"><channel><title>t</title>{xml_items}</channel></rss>'.encode()
    return list(parse_feed(body, url="u").entries)


def test_plan_new_changed_and_unchanged() -> None:
    entries = _entries("<item><guid>a</guid><title>A</title></item>"
                       "<item><guid>b</guid><title>B2</title></item>"
                       "<item><guid>c</guid><title>C</title></item>")
    a, b, c = entries
    known = {b.identity: Known(2, b.identity, "old-hash", 1),
             c.identity: Known(3, c.identity, c.content_hash, 4)}
    intents = plan(entries, known)
    assert [type(i) for i in intents] == [NewItem, NewRevision, SeenAgain]


def test_unstable_guid_detection() -> None:
    entries = _entries("".join(f"<item><guid>new{i}</guid><link>https://x/{i}</link>"
                               f"<title>T{i}</title></item>" for i in range(5)))
    links = {f"https://x/{i}" for i in range(5)}
    assert guids_look_unstable(entries, set(), links)
    assert not guids_look_unstable(entries, {e.identity for e in entries}, links)
    assert not guids_look_unstable(entries, set(), set())
    assert all(e.identity.startswith("link:") for e in keyed_by_link(entries))


def test_links_are_read_only_when_they_could_tell_guids_unstable() -> None:
    """links_to_check never hides a verdict: whenever it asks for no links, no set of
    stored links could have made the GUIDs look unstable."""
    entries = _entries("".join(f"<item><guid>new{i}</guid><link>https://x/{i}</link>"
                               f"<title>T{i}</title></item>" for i in range(10)))
    every_link = {e.url for e in entries if e.url}
    for stored in range(11):
        known = {e.identity for e in entries[:stored]}
        asked = links_to_check(entries, known)
        assert set(asked) <= every_link
        if not asked:
            assert not guids_look_unstable(entries, known, every_link)
        else:
            assert guids_look_unstable(entries, known, set(asked))
    assert links_to_check(entries, set()) and not links_to_check(entries, {
        e.identity for e in entries[:3]})  # 7 of 10 unknown: under the share, nothing read


def test_the_parse_process_hands_over_entries_as_stored() -> None:
    """parse_job bounds and de-duplicates the entries (the writer no longer does)."""
    long_guid = "g" * 3000
    body = ("<rss><channel><title>F</title>"
            f"<item><guid>{long_guid}</guid><title>Long</title></item>"
            "<item><guid>twice</guid><title>First</title></item>"
            "<item><guid>twice</guid><title>Second</title></item>"
            "</channel></rss>").encode()
    entries = parse_job(body, Headers("application/rss+xml"), url="https://a/feed").entries
    assert [e.title for e in entries] == ["Long", "First"]
    assert len(entries[0].identity) <= 2000 and len(entries[0].guid or "") <= 2000
