"""The poller against a real HTTP server on loopback, one scripted misbehaviour a case."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import zlib
from contextlib import AsyncExitStack
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select, update

from service import db
from service.config import load_settings
from service.models import Feed, FetchLog, Item, ItemRevision, utcnow
from service.fetch.decide import Outcome, decide
from service.parse import parse_feed
from service.store.feeds import add_feed
from service.store.items import Stored
from service.store.polling import PollRecord, claim_due, hand_over
from service.worker import Poller, _Waiting, bounds_from
from tests.feedserver import Reply, feed_server, http_date, rss

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
MINUTE = 60


def settings_for(url: str, **overrides):  # type: ignore[no-untyped-def]
    values = dict(database_url=url, allow_private_addresses=True, connect_timeout=1.0,
                  read_timeout=1.0, total_timeout=2.0, poll_min_interval=15 * MINUTE,
                  poll_default_interval=30 * MINUTE, poll_max_interval=24 * 3600,
                  worker_id="test-worker")
    values.update(overrides)
    return load_settings(**values)


class Harness:
    """A database, some feeds on a test server, and a poller with a fixed clock."""

    def __init__(self, engine, server, **overrides) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine
        self.server = server
        self.settings = settings_for(str(engine.url.render_as_string(hide_password=False)),
                                     **overrides)
        self.now = NOW

    def add(self, path: str, outlet: str = "Outlet") -> int:
        with db.session_scope(self.engine) as session:
            return add_feed(session, self.server.url(path), outlet).id  # type: ignore[return-value]

    def poll(self, *feed_ids: int):  # type: ignore[no-untyped-def]
        async def run():  # type: ignore[no-untyped-def]
            async with Poller(self.settings, self.engine, clock=lambda: self.now) as poller:
                return await poller.poll_due(list(feed_ids) if feed_ids else None)
        return {s.feed_id: s for s in asyncio.run(run())}

    def feed(self, feed_id: int) -> Feed:
        with Session(self.engine) as session:
            return session.get(Feed, feed_id)  # type: ignore[return-value]

    def count(self, model) -> int:  # type: ignore[no-untyped-def]
        with Session(self.engine) as session:
            return len(session.exec(select(model)).all())


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with feed_server() as running:
        yield running


@pytest.fixture
def harness(sqlite_engine, server) -> Harness:  # type: ignore[no-untyped-def]
    return Harness(sqlite_engine, server)


def test_validators_echoed_exactly_and_304_costs_nothing(harness, server) -> None:
    etag = 'W/"weird etag; with=stuff"'
    modified = "Mon, 23 May 2016 06:00:00 GMT"

    def route(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == etag:
            return Reply(304)
        return Reply(200, rss(("g1", "Blasts", "78 killed")),
                     {"ETag": etag, "Last-Modified": modified})

    server.routes["/f"] = route
    feed_id = harness.add("/f")
    assert harness.poll(feed_id)[feed_id].new == 1
    second = harness.poll(feed_id)[feed_id]
    assert (second.outcome, second.status, second.new) == ("not_modified", 304, 0)
    request = server.hits("/f")[-1]
    assert request.headers["if-none-match"] == etag
    assert request.headers["if-modified-since"] == modified
    assert "tollwatch" in request.headers["user-agent"]
    assert harness.count(ItemRevision) == 1


def test_edit_makes_a_revision_and_unchanged_does_not(harness, server) -> None:
    text = {"toll": "At least 46 people were killed, the Observatory said."}
    server.routes["/f"] = lambda r: Reply(200, rss(("g1", "Blasts hit Jableh", text["toll"]),
                                                   ("g2", "Other news", "Unchanged story")))
    feed_id = harness.add("/f")
    assert harness.poll(feed_id)[feed_id].new == 2
    text["toll"] = "At least 101 people were killed, the Observatory said."
    result = harness.poll(feed_id)[feed_id]
    assert (result.new, result.updated) == (0, 1)
    with Session(harness.engine) as session:
        revisions = session.exec(select(ItemRevision).order_by(ItemRevision.id)).all()
        items = {i.guid: i for i in session.exec(select(Item)).all()}
    assert [(r.item_id, r.number) for r in revisions] == [
        (items["g1"].id, 1), (items["g2"].id, 1), (items["g1"].id, 2)]
    assert "101" in revisions[-1].text and "46" in revisions[0].text
    assert items["g1"].revision_count == 2 and items["g2"].revision_count == 1


@pytest.mark.parametrize(
    ("headers", "ttl", "expected_minutes"),
    [
        ({}, None, 30),  # the default interval
        ({"Cache-Control": "public, max-age=7200"}, None, 120),
        ({"Cache-Control": "max-age=60"}, None, 30),  # hints never shorten the interval
        ({}, 180, 180),  # RSS <ttl> in minutes
        ({"Expires": http_date(NOW.timestamp() + 5 * 3600)}, None, 300),
        ({"Cache-Control": "max-age=999999"}, None, 24 * 60),  # capped at the maximum
    ],
)
def test_server_hints_move_the_next_fetch(harness, server, headers, ttl, expected_minutes) -> None:
    server.routes["/f"] = lambda r: Reply(200, rss(("g1", "t", "x"), ttl=ttl), headers)
    feed_id = harness.add("/f")
    harness.poll(feed_id)
    wait = (harness.feed(feed_id).next_fetch_at - NOW).total_seconds() / 60
    assert expected_minutes <= wait <= expected_minutes * 1.1 + 0.01


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_honours_retry_after_and_is_counted_apart(harness, server, status) -> None:
    server.routes["/f"] = lambda r: Reply(status, b"slow down", {"Retry-After": "7200"})
    feed_id = harness.add("/f")
    summary = harness.poll(feed_id)[feed_id]
    feed = harness.feed(feed_id)
    assert summary.outcome == "throttled"
    assert (feed.throttle_count, feed.error_count) == (1, 0)
    assert (feed.next_fetch_at - NOW) >= timedelta(hours=2)


def test_failures_back_off_exponentially_and_stay_visible(harness, server) -> None:
    server.routes["/f"] = lambda r: Reply(500, b"oops")
    feed_id = harness.add("/f")
    waits = []
    for _ in range(3):
        harness.poll(feed_id)
        feed = harness.feed(feed_id)
        waits.append((feed.next_fetch_at - harness.now).total_seconds())
        harness.now = feed.next_fetch_at
    assert feed.error_count == 3 and "HTTP 500" in (feed.last_error or "")
    assert waits[0] < waits[1] < waits[2]
    assert harness.count(FetchLog) == 3
    server.routes["/f"] = lambda r: Reply(200, rss(("g1", "t", "x")))
    harness.poll(feed_id)
    assert (harness.feed(feed_id).error_count, harness.feed(feed_id).last_error) == (0, None)


def test_gone_feed_is_kept_but_not_polled(harness, server) -> None:
    server.routes["/f"] = lambda r: Reply(410, b"gone")
    feed_id = harness.add("/f")
    harness.poll(feed_id)
    feed = harness.feed(feed_id)
    assert feed.gone and "410" in (feed.last_error or "")
    harness.now += timedelta(days=30)
    assert harness.poll() == {}


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_adopted_after_threshold(harness, server, status) -> None:
    server.routes["/old"] = lambda r: Reply(status, b"", {"Location": "/new"})
    server.routes["/new"] = lambda r: Reply(200, rss(("g1", "t", "x")))
    feed_id = harness.add("/old")
    for round_ in range(1, 4):
        assert harness.poll(feed_id)[feed_id].outcome == "ok"
        expected = server.url("/new") if round_ == 3 else server.url("/old")
        assert harness.feed(feed_id).url == expected
    assert harness.count(Item) == 1


def test_temporary_redirect_never_changes_the_url(harness, server) -> None:
    server.routes["/old"] = lambda r: Reply(302, b"", {"Location": "/new"})
    server.routes["/new"] = lambda r: Reply(200, rss(("g1", "t", "x")))
    feed_id = harness.add("/old")
    for _ in range(4):
        harness.poll(feed_id)
    assert harness.feed(feed_id).url == server.url("/old")


def test_redirect_loop(harness, server) -> None:
    server.routes["/a"] = lambda r: Reply(302, b"", {"Location": "/b"})
    server.routes["/b"] = lambda r: Reply(302, b"", {"Location": "/a"})
    feed_id = harness.add("/a")
    assert "redirects" in (harness.poll(feed_id)[feed_id].error or "")


def _silent(request) -> None:  # type: ignore[no-untyped-def]
    time.sleep(4)


def _drip(request) -> None:  # type: ignore[no-untyped-def]
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b"<")
        handler.wfile.flush()
        time.sleep(0.1)


def _endless(request) -> None:  # type: ignore[no-untyped-def]
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<rss>" + b" " * 65536
    try:
        for _ in range(50 * 16):  # 50 MB, no Content-Length
            handler.wfile.write(chunk)
    except OSError:
        pass


def _declared_huge(request) -> None:  # type: ignore[no-untyped-def]
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"<rss>")


BOMB = gzip.compress(b"\0" * (100 * 1024 * 1024), compresslevel=9)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (_silent, "timed out"),
        (_drip, "no complete answer within"),
        (_endless, "byte limit"),
        (_declared_huge, "exceeds"),
        (lambda r: Reply(200, BOMB, {"Content-Encoding": "gzip"}), "decompressed"),
        (lambda r: Reply(200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>x"
                              b"</title></chan"), "no entries"),
        (lambda r: Reply(200, b"<html><body><h1>Welcome</h1></body></html>",
                         {"Content-Type": "text/html"}), "the body is an HTML page"),
        (lambda r: Reply(200, b"", {}), "the body is empty"),
    ],
    ids=["never-answers", "slow-drip", "50MB-streamed", "50MB-declared", "gzip-bomb",
         "malformed-xml", "html-page", "empty-body"],
)
def test_hostile_servers_give_a_recorded_error(harness, server, route, reason) -> None:
    server.routes["/bad"] = route
    server.routes["/good"] = lambda r: Reply(200, rss(("g1", "t", "x")))
    bad, good = harness.add("/bad"), harness.add("/good", "Other")
    results = harness.poll(bad, good)
    assert reason in (results[bad].error or ""), results[bad]
    assert harness.feed(bad).error_count == 1
    assert results[good].new == 1  # one bad feed never stops the others


def test_malformed_feed_still_yields_what_it_could_read(harness, server) -> None:
    body = rss(("g1", "Readable", "fine")).replace(b"</channel>", b"<item><title>cut")
    server.routes["/f"] = lambda r: Reply(200, body)
    feed_id = harness.add("/f")
    result = harness.poll(feed_id)[feed_id]
    assert result.outcome == "ok" and result.new >= 1
    with Session(harness.engine) as session:
        assert "Readable" in session.exec(select(Item.title)).all()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>c'
         '</title><item><guid>g</guid><title>Caf\xe9 attack</title></item></channel></rss>'
         .encode("latin-1"), "text/xml"),  # declared in the XML only
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><guid>g</guid>'
         '<title>Caf\xe9 attack</title></item></channel></rss>'.encode("utf-8"),
         "application/rss+xml; charset=iso-8859-1"),  # header lies
    ],
)
def test_charsets(harness, server, body, content_type) -> None:
    server.routes["/f"] = lambda r: Reply(200, body, {"Content-Type": content_type})
    feed_id = harness.add("/f")
    assert harness.poll(feed_id)[feed_id].new == 1
    with Session(harness.engine) as session:
        title = session.exec(select(Item.title)).one()
    assert title.endswith("attack") and title.startswith("Caf")


def test_empty_feed_is_not_an_error(harness, server) -> None:
    server.routes["/f"] = lambda r: Reply(200, rss())
    feed_id = harness.add("/f")
    assert harness.poll(feed_id)[feed_id].outcome == "ok"


def test_private_addresses_refused_by_default(sqlite_engine, server) -> None:
    harness = Harness(sqlite_engine, server, allow_private_addresses=False)
    server.routes["/f"] = lambda r: Reply(200, rss(("g1", "t", "x")))
    feed_id = harness.add("/f")
    result = harness.poll(feed_id)[feed_id]
    assert result.outcome == "blocked" and "non-public" in (result.error or "")
    assert server.hits("/f") == []


def test_changing_guids_are_detected_and_items_not_duplicated(harness, server) -> None:
    counter = {"n": 0}

    def route(request):  # type: ignore[no-untyped-def]
        counter["n"] += 1
        n = counter["n"]
        return Reply(200, rss((f"a{n}", "Story A", "a"), (f"b{n}", "Story B", "b"),
                              (f"c{n}", "Story C", "c")).replace(
            f"news.example/a{n}".encode(), b"news.example/a").replace(
            f"news.example/b{n}".encode(), b"news.example/b").replace(
            f"news.example/c{n}".encode(), b"news.example/c"))

    server.routes["/f"] = route
    feed_id = harness.add("/f")
    for _ in range(3):
        harness.poll(feed_id)
    assert harness.count(Item) == 3
    assert harness.feed(feed_id).guid_unstable


def test_one_feed_of_many_slow_does_not_hold_up_the_rest(sqlite_engine, server) -> None:
    harness = Harness(sqlite_engine, server, fetch_concurrency=4, total_timeout=3.0,
                      read_timeout=3.0)
    server.routes["/slow"] = lambda r: (time.sleep(2.5), Reply(200, rss(("s", "t", "x"))))[1]
    ids = [harness.add("/slow", "Slow")]
    for i in range(12):
        server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss((f"g{i}", "t", "x")))
        ids.append(harness.add(f"/f{i}", f"Outlet {i}"))
    results = harness.poll(*ids)
    assert all(r.outcome == "ok" for r in results.values())
    assert len(results) == 13 and harness.count(Item) == 13


def test_stalled_fetches_free_their_slots(sqlite_engine, server) -> None:  # type: ignore[no-untyped-def]
    """As many slow servers as the worker has slots: the fast feeds still go first."""
    harness = Harness(sqlite_engine, server, fetch_concurrency=2, fetch_per_host=10,
                      fetch_stall_seconds=0.3, total_timeout=5.0, read_timeout=5.0)
    ids = []
    for i in range(2):
        server.routes[f"/slow{i}"] = lambda r, i=i: (time.sleep(2.0),
                                                     Reply(200, rss((f"s{i}", "t", "x"))))[1]
        ids.append(harness.add(f"/slow{i}", f"Slow {i}"))
    for i in range(6):
        server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss((f"g{i}", "t", "x")))
        ids.append(harness.add(f"/f{i}", f"Outlet {i}"))
    finished = list(harness.poll(*ids))  # in the order the feeds finished
    assert set(finished[-2:]) == set(ids[:2])  # the slow two last, after all six fast ones
    assert harness.count(Item) == 8


def test_a_fetch_far_slower_than_the_recent_ones_frees_its_slot(sqlite_engine, server) -> None:  # type: ignore[no-untyped-def]
    """Once fetches are known to take milliseconds, a server taking seconds gives up its
    slot after STALL_FLOOR, long before the configured ceiling of 30 s."""
    harness = Harness(sqlite_engine, server, fetch_concurrency=2, fetch_per_host=10,
                      fetch_stall_seconds=30.0, total_timeout=15.0, read_timeout=15.0)
    fast = lambda r, i: Reply(200, rss((f"g{i}", "t", "x")))  # noqa: E731
    ids = []
    for i in range(12):  # polled first (ids in order): the recent durations
        server.routes[f"/a{i}"] = lambda r, i=i: fast(r, i)
        ids.append(harness.add(f"/a{i}", f"Early {i}"))
    for i in range(2):
        # 8 s: "far slower" than fast fetches even on a busy machine, where a loopback
        # fetch and its parse can take a second (the stall comes at 3x the typical one)
        server.routes[f"/slow{i}"] = lambda r, i=i: (time.sleep(8.0),
                                                     Reply(200, rss((f"s{i}", "t", "x"))))[1]
        ids.append(harness.add(f"/slow{i}", f"Slow {i}"))
    for i in range(6):
        server.routes[f"/b{i}"] = lambda r, i=i: fast(r, 100 + i)
        ids.append(harness.add(f"/b{i}", f"Late {i}"))
    finished = list(harness.poll(*ids))
    assert set(finished[-2:]) == set(ids[12:14])  # the late fast feeds did not wait 8 s
    assert harness.count(Item) == 20


def test_a_poll_busy_parsing_is_not_stalled(sqlite_engine, server) -> None:  # type: ignore[no-untyped-def]
    """Only waiting on a server stalls a poll: one whose feed takes seconds to parse keeps
    its slot, or a worker short of CPU would start ever more fetches it cannot digest."""
    stall = 0.1
    harness = Harness(sqlite_engine, server, fetch_concurrency=1, fetch_per_host=10,
                      fetch_stall_seconds=stall)
    big = rss(*((f"g{i}", f"Story {i}", "Shelling of the town. " * 40) for i in range(3000)))
    server.routes["/big"] = lambda r: Reply(200, big)
    server.routes["/small"] = lambda r: Reply(200, rss(("s", "Small", "x")))
    ids = [harness.add("/big", "Big"), harness.add("/small", "Small")]
    started = time.monotonic()
    harness.poll(*ids)
    took = time.monotonic() - started
    assert took > 5 * stall  # the big feed's poll took several times the stall limit
    asked = server.hits("/small")[0].at - started
    assert asked > 0.7 * took  # the small feed waited for the slot until the big one was done


def test_many_polls_finishing_together_are_each_written_once(sqlite_engine, server) -> None:  # type: ignore[no-untyped-def]
    """Polls finishing while a transaction is written share the next one (group commit)."""
    harness = Harness(sqlite_engine, server, fetch_concurrency=5, fetch_per_host=5)
    ids = []
    for i in range(30):
        server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss((f"g{i}", f"Story {i}", "x")))
        ids.append(harness.add(f"/f{i}", f"Outlet {i}"))
    assert all(r.outcome == "ok" and r.new == 1 for r in harness.poll(*ids).values())
    assert harness.count(Item) == 30 and harness.count(FetchLog) == 30
    assert all(harness.feed(i).lease_owner is None for i in ids)


def test_a_poll_that_cannot_be_written_costs_the_others_in_its_transaction_nothing(
        harness, server) -> None:  # type: ignore[no-untyped-def]
    """When a shared transaction fails, each poll is written on its own: only the one at
    fault is lost (its feed's lease expires and it is polled again)."""
    server.routes["/kept"] = lambda r: Reply(200, rss(("k1", "Story kept", "x")))
    server.routes["/doomed"] = lambda r: Reply(200, rss(("d1", "Story doomed", "x")))
    kept, doomed = harness.add("/kept", "Kept"), harness.add("/doomed", "Doomed")

    async def run():  # type: ignore[no-untyped-def]
        async with Poller(harness.settings, harness.engine, clock=lambda: harness.now) as poller:
            claims = poller._claim(2, [kept, doomed])
            records = []
            for claim in claims:
                parsed = parse_feed(rss((claim.state.url[-4:], "Story", "x")), url=claim.state.url)
                update = decide(claim.state, Outcome(status=200, headers={}), harness.now,
                                bounds_from(harness.settings), 3)
                records.append(_Waiting(claim, PollRecord(
                    update=update, status=200, started_at=harness.now, duration_ms=1,
                    entries=tuple(parsed.entries)), harness.now, 0,
                    asyncio.get_running_loop().create_future()))
            with db.session_scope(harness.engine) as session:
                session.delete(session.get(Feed, doomed))  # its fetch log can no longer refer to it
            return claims, poller._write(records)

    claims, results = asyncio.run(run())
    by_feed = {claim.state.id: result for claim, result in zip(claims, results)}
    assert isinstance(by_feed[doomed], Exception)  # its items refer to a feed that is gone
    assert by_feed[kept] == (Stored(new=1), [])
    assert harness.count(Item) == 1 and harness.count(FetchLog) == 1
    assert harness.feed(kept).lease_owner is None


def test_handed_over_slots_keep_the_per_host_cap_and_poll_each_feed_once(
        engine, server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two workers, one host, a cap of 2 and many due feeds: the caps bind, so finished
    polls hand their slots over (service.store.polling.hand_over). Still never more
    than 2 requests in flight, every feed polled once, every lease released."""
    import service.worker

    handed: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        successors = hand_over(*args, **kwargs)
        handed.extend(s.state.id for s in successors)
        return successors

    monkeypatch.setattr(service.worker, "hand_over", counted)
    harness = Harness(engine, server, fetch_concurrency=8, fetch_per_host=2)
    lock, load = threading.Lock(), {"now": 0, "most": 0}

    def route(n: int):  # type: ignore[no-untyped-def]
        def answer(request):  # type: ignore[no-untyped-def]
            with lock:
                load["now"] += 1
                load["most"] = max(load["most"], load["now"])
            time.sleep(0.05)
            with lock:
                load["now"] -= 1
            return Reply(200, rss((f"g{n}", f"Story {n}", "x")))
        return answer

    ids = []
    for n in range(16):
        server.routes[f"/f{n}"] = route(n)
        ids.append(harness.add(f"/f{n}", f"Outlet {n % 3}"))
    harness.now = utcnow() + timedelta(minutes=1)  # every feed due

    async def two_workers():  # type: ignore[no-untyped-def]
        settings = [harness.settings.model_copy(update={"worker_id": w}) for w in ("w1", "w2")]
        async with AsyncExitStack() as stack:
            pollers = [await stack.enter_async_context(Poller(s, engine, clock=lambda: harness.now))
                       for s in settings]
            return await asyncio.gather(*(poller.poll_due() for poller in pollers))

    polled = [s for worker in asyncio.run(two_workers()) for s in worker]
    assert sorted(s.feed_id for s in polled) == sorted(ids)
    assert all(s.outcome == "ok" and s.new == 1 for s in polled)
    assert all(len(server.hits(f"/f{n}")) == 1 for n in range(16))
    assert 1 <= load["most"] <= 2
    assert handed  # the slots were handed over, not only claimed
    assert harness.count(Item) == 16 and harness.count(ItemRevision) == 16
    assert all(harness.feed(i).lease_owner is None for i in ids)


def test_hand_over_leases_only_a_free_due_feed_of_the_same_host(engine) -> None:  # type: ignore[no-untyped-def]
    """The successor: due, free, on the finished feed's host; a lease given with it that
    a worker dying before the fetch simply lets expire, for another worker to take."""
    now = utcnow()
    with db.session_scope(engine) as session:
        ids = {name: add_feed(session, url, "Outlet").id for name, url in (
            ("done", "https://a.example/done"), ("held", "https://a.example/held"),
            ("later", "https://a.example/later"), ("elsewhere", "https://b.example/f"),
            ("next", "https://a.example/next"))}
        for name, values in (("held", dict(lease_owner="w2", lease_expires_at=now + timedelta(minutes=5))),
                             ("later", dict(next_fetch_at=now + timedelta(hours=1))),
                             ("next", dict(next_fetch_at=now - timedelta(minutes=1)))):
            session.exec(update(Feed).where(Feed.id == ids[name]).values(**values))  # type: ignore[call-overload]
    with db.session_scope(engine) as session:
        (done,) = claim_due(session, "w1", now, limit=1, per_host=2, lease_seconds=60,
                            feed_ids=[ids["done"]])
    with db.session_scope(engine) as session:
        (successor,) = hand_over(session, done, "w1", now, lease_seconds=60, count=3)
        assert successor.state.id == ids["next"]
        assert successor.host == "a.example" and successor.leased_until == now + timedelta(seconds=60)
    with db.session_scope(engine) as session:  # nothing else of a.example is free and due
        assert hand_over(session, done, "w1", now, lease_seconds=60, count=3) == []
    assert Harness(engine, None).feed(ids["next"]).lease_owner == "w1"
    # w1 dies before fetching it: the lease holds until it expires, then w2 claims it
    with db.session_scope(engine) as session:
        assert claim_due(session, "w2", now + timedelta(seconds=30), limit=5, per_host=2,
                         lease_seconds=60, feed_ids=[ids["next"]]) == []
    with db.session_scope(engine) as session:
        taken = claim_due(session, "w2", now + timedelta(seconds=61), limit=5, per_host=2,
                          lease_seconds=60, feed_ids=[ids["next"]])
    assert [c.state.id for c in taken] == [ids["next"]]


def test_a_validator_outside_ascii_does_not_fail_every_later_poll(harness, server) -> None:
    """A server's ETag or Last-Modified with a byte outside ASCII is kept as received;
    the next poll must still reach the server (unconditionally) and succeed."""
    def route(request):  # type: ignore[no-untyped-def]
        return Reply(200, rss(("g1", "Blasts", "78 killed")),
                     {"ETag": '"caf\u00e9"', "Last-Modified": "Mon, 23 May 2016 06:00:00 GMT\u00e9"})

    server.routes["/f"] = route
    feed_id = harness.add("/f")
    assert harness.poll(feed_id)[feed_id].outcome == "ok"
    harness.now += timedelta(days=1)
    again = harness.poll(feed_id)[feed_id]
    assert (again.outcome, again.error) == ("ok", None)
    assert len(server.hits("/f")) == 2
    assert harness.count(Item) == 1


def _deflated(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(wbits=wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_is_read_with_or_without_its_zlib_header(harness, server, wbits) -> None:
    """'Content-Encoding: deflate' is meant as a zlib stream, but some servers send bare
    DEFLATE (which browsers read): both are the feed; bytes that are neither stay an error."""
    body = rss(("g1", "Blasts", "78 killed"), ("g2", "Toll rises", "101 killed"))
    server.routes["/f"] = lambda r: Reply(200, _deflated(body, wbits),
                                          {"Content-Encoding": "deflate"})
    server.routes["/junk"] = lambda r: Reply(200, b"\xff" * 64, {"Content-Encoding": "deflate"})
    feed_id, junk_id = harness.add("/f"), harness.add("/junk")
    polled = harness.poll(feed_id, junk_id)
    assert (polled[feed_id].outcome, polled[feed_id].new) == ("ok", 2)
    assert "corrupt deflate body" in (polled[junk_id].error or "")
