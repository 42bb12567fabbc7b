"""Per-feed isolation: whatever one feed's server sends, of whatever type the failure it
causes, it is recorded against that feed with a reason, backs off, and costs the other
feeds of the round nothing, on SQLite and PostgreSQL alike.

Each case is an attack from the adversarial run that once aborted every poll round (or,
on PostgreSQL only, failed the transaction), polled in one round beside a healthy feed
on the same host.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from service import db
from service.bounds import char_refs_repaired, url_problem
from service.models import Feed, FetchLog, Item
from service.store.feeds import find_feed
from tests.feedserver import FeedServer, Reply, rss
from tests.test_poller import NOW, Harness

LONG_LABEL = "a" * 64


def _item(guid: str, title: str) -> str:
    return (f"<item><guid>{guid}</guid><title>{title}</title>"
            f"<link>https://news.example/{guid[:40]}</link><description>x</description></item>")


def _feed(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Poison</title>{''.join(items)}</channel></rss>").encode()


def _redirect(target: str, status: int = 302) -> Callable[[FeedServer], Callable[..., Reply]]:
    return lambda server: lambda request: Reply(status, b"", {"Location": target})


def _answer(body: bytes, **headers: str) -> Callable[[FeedServer], Callable[..., Reply]]:
    return lambda server: lambda request: Reply(200, body, headers)


# name -> (route maker, outcome, whether the poison feed's valid entries are stored)
ATTACKS = {
    "redirect to port 99999": (_redirect("http://127.0.0.1:99999/rss"), "error", 0),
    "redirect to a negative port": (_redirect("http://127.0.0.1:-1/rss"), "error", 0),
    "redirect to a 64-character label": (
        _redirect(f"http://{LONG_LABEL}.example/rss"), "error", 0),
    "a 5,000-character ETag": (_answer(_feed(_item("p1", "Story")), ETag='"' + "e" * 5000 + '"'),
                               "ok", 1),
    "a 300-character Last-Modified": (_answer(_feed(_item("p1", "Story")),
                                              **{"Last-Modified": "M" * 300}), "ok", 1),
    "a 3,000-character guid": (_answer(_feed(_item("g" * 3000, "Story"), _item("p2", "Two"))),
                               "ok", 2),
    "a NUL in a title": (_answer(_feed(_item("p1", "Bad &#0; title"), _item("p2", "Two"))),
                         "ok", 2),
    "a lone surrogate in one entry": (
        _answer(_feed(_item("p1", "Bad &#xD800; title"), _item("p2", "Two"))), "ok", 2),
    "a character beyond U+10FFFF": (
        _answer(_feed(_item("p1", "Bad &#x110000; title"), _item("p2", "Two"))), "ok", 2),
    "a NUL and a surrogate in the feed title": (
        _answer(rss(("p1", "Story", "x"), title="Feed &#0; &#xDFFF;")), "ok", 1),
}


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    from tests.feedserver import feed_server
    with feed_server() as running:
        yield running


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_poison_feed_costs_only_itself(engine, server, attack) -> None:  # type: ignore[no-untyped-def]
    make_route, outcome, kept = ATTACKS[attack]
    harness = Harness(engine, server)
    server.routes["/healthy"] = lambda r: Reply(200, rss(("h1", "Healthy story", "x")))
    server.routes["/poison"] = make_route(server)
    poison, healthy = harness.add("/poison", "Poison"), harness.add("/healthy", "Healthy")

    results = harness.poll(poison, healthy)

    assert results[healthy].outcome == "ok" and results[healthy].new == 1
    assert results[poison].outcome == outcome
    feed = harness.feed(poison)
    assert feed.lease_owner is None and feed.last_outcome == outcome
    assert feed.next_fetch_at > NOW  # backed off (errors) or scheduled (ok): not retried at once
    if outcome == "error":
        assert feed.error_count == 1 and feed.last_error
    with Session(engine) as session:
        items = session.exec(select(Item).where(Item.feed_id == poison)).all()
        assert len(items) == kept
        for item in items:  # nothing the database would have refused, on either backend
            assert "\x00" not in item.title and len(item.identity) <= 2000
            item.title.encode("utf-8")
        assert len(session.exec(select(FetchLog).where(FetchLog.feed_id == poison)).all()) == 1
    assert feed.etag is None or len(feed.etag) <= 1000


def test_a_permanent_redirect_to_an_overlong_url_is_followed_not_stored(engine, server) -> None:  # type: ignore[no-untyped-def]
    """A 301 to a 3,000-character URL: the feed is read there, but the target is not
    adopted (no column holds it), and the feed stays at its own address."""
    harness = Harness(engine, server, permanent_redirect_threshold=1)
    target = "/long?" + "q" * 3000
    server.routes["/moved"] = lambda r: Reply(301, b"", {"Location": target})
    server.routes["/long"] = lambda r: Reply(200, rss(("m1", "Moved story", "x")))
    server.routes["/healthy"] = lambda r: Reply(200, rss(("h1", "Healthy story", "x")))
    moved, healthy = harness.add("/moved", "Moved"), harness.add("/healthy", "Healthy")
    results = harness.poll(moved, healthy)
    assert results[healthy].outcome == "ok"
    assert results[moved].outcome == "ok" and results[moved].new == 1
    feed = harness.feed(moved)
    assert feed.url == server.url("/moved") and feed.redirect_url is None


def test_a_feed_removed_while_its_fetch_is_in_flight(engine, server) -> None:  # type: ignore[no-untyped-def]
    """Nothing of the poll is written, no error escapes, and the round goes on."""
    harness = Harness(engine, server)

    def remove_then_answer(request):  # type: ignore[no-untyped-def]
        with db.session_scope(engine) as session:
            session.delete(find_feed(session, server.url("/doomed")))
        return Reply(200, rss(("d1", "Doomed story", "x")))

    server.routes["/doomed"] = remove_then_answer
    server.routes["/healthy"] = lambda r: Reply(200, rss(("h1", "Healthy story", "x")))
    doomed, healthy = harness.add("/doomed", "Doomed"), harness.add("/healthy", "Healthy")
    results = harness.poll(doomed, healthy)
    assert results[doomed].outcome == "lost" and "removed" in (results[doomed].error or "")
    assert results[healthy].outcome == "ok" and results[healthy].new == 1
    with Session(engine) as session:
        assert session.get(Feed, doomed) is None
        assert [i.title for i in session.exec(select(Item)).all()] == ["Healthy story"]


def test_a_storage_failure_becomes_the_feeds_outcome(engine, server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An error no bound foresaw while storing one feed's items: that feed is recorded as
    failed (and backs off), its neighbour is stored."""
    import service.store.polling as polling

    real = polling.store_entries

    def fail_for_poison(session, outlet_id, feed_id, entries, now, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(e.title == "Poison story" for e in entries):
            raise RuntimeError("unforeseen")
        return real(session, outlet_id, feed_id, entries, now, *args, **kwargs)

    monkeypatch.setattr(polling, "store_entries", fail_for_poison)
    harness = Harness(engine, server)
    server.routes["/poison"] = lambda r: Reply(200, rss(("p1", "Poison story", "x")))
    server.routes["/healthy"] = lambda r: Reply(200, rss(("h1", "Healthy story", "x")))
    poison, healthy = harness.add("/poison", "Poison"), harness.add("/healthy", "Healthy")
    results = harness.poll(poison, healthy)
    assert results[healthy].outcome == "ok" and results[healthy].new == 1
    assert results[poison].outcome == "error"
    feed = harness.feed(poison)
    assert feed.error_count == 1 and "could not store" in (feed.last_error or "")
    assert feed.lease_owner is None and feed.next_fetch_at > NOW


@pytest.mark.parametrize("url", [
    "http://news.example:99999/rss", "http://news.example:-1/rss",
    f"http://{LONG_LABEL}.example/rss", "http://news..example/rss",
    "http://news.example/" + "x" * 2000, "http://news.example/a b",
])
def test_urls_no_feed_can_have(url: str) -> None:
    assert url_problem(url) is not None


def test_impossible_character_references_are_repaired() -> None:
    body = b"a&#xD800;b&#55296;c&#x110000;d&#0000000000000000000000000065;e&#x41;"
    assert char_refs_repaired(body) == (b"a&#xFFFD;b&#xFFFD;c&#xFFFD;d"
                                        b"&#0000000000000000000000000065;e&#x41;")


@pytest.mark.parametrize("url", [f"http://{LONG_LABEL}.example/rss", "http://news.example:99999/"])
def test_the_guarded_fetcher_reports_an_unresolvable_host_as_the_feeds_error(url: str) -> None:
    """With the address guard on (the default), a host DNS cannot encode is a FetchError
    of that feed, not a UnicodeError out of the resolver."""
    import asyncio

    from service.errors import FetchError
    from service.fetch.http import Fetcher, Limits

    async def fetch() -> None:
        async with Fetcher(Limits()) as fetcher:
            await fetcher.fetch(url)

    with pytest.raises(FetchError):
        asyncio.run(fetch())
