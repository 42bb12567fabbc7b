"""Article fetches and feed fetches on one host: the per-host cap they share across
workers (through the database, on both backends), robots.txt's Crawl-delay, and the
responses that are not pages to read (PDF, image, JSON)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from service import db
from service.articles.stage import ArticleRun, ArticleStage
from service.models import Article, ArticleHost, Feed, Item, ItemRevision
from service.store import articles as store
from service.store.feeds import add_feed
from service.store.polling import claim_due
from service.worker import Poller
from tests.feedserver import FeedServer, Reply, Request
from tests.test_articles import NOW, Harness, feed, harness, page, server  # noqa: F401 (fixtures)

HOST = "news.example"
DAY = timedelta(days=1)


def _queue_pages(engine: Engine, count: int) -> None:
    """``count`` items of a full-text feed on HOST with their pages due, and HOST's
    robots.txt known (so its pages are not claimed one at a time)."""
    with db.session_scope(engine) as session:
        feed_id = add_feed(session, f"https://{HOST}/full", "Full", "always").id
        for n in range(count):
            item = Item(outlet_id=1, feed_id=feed_id, identity=f"a{n}",
                        url=f"https://{HOST}/a{n}")
            session.add(item)
            session.flush()
            session.add(ItemRevision(item_id=item.id, number=1, title="t",  # type: ignore[arg-type]
                                     text="Blasts.", content_hash="h", seen_at=NOW))
            session.add(Article(item_id=item.id, url=item.url, host=HOST,  # type: ignore[arg-type]
                                state=store.PENDING, want_revision=1, due_at=NOW))
        store.save_robots(session, HOST, 404, "", None, NOW)
        session.exec(update(Feed).values(next_fetch_at=NOW + DAY))  # type: ignore[call-overload]


def _claim_pages(engine: Engine, owner: str, at=NOW) -> int:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        return len(store.claim(session, owner, at, limit=10, per_host=3, budget=100,
                               lease_seconds=60, robots_ttl=DAY))


def _claim_feeds(engine: Engine, owner: str, at=NOW) -> int:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        return len(claim_due(session, owner, at, limit=10, per_host=3, lease_seconds=60))


def test_feed_claims_and_page_claims_count_each_others_fetches_on_the_host(engine: Engine) -> None:
    _queue_pages(engine, 5)
    with db.session_scope(engine) as session:
        for n in range(4):
            add_feed(session, f"https://{HOST}/f{n}", f"Outlet {n}").next_fetch_at = NOW
    # pages first: they fill the host up to its last slot, which the feeds then take
    assert _claim_pages(engine, "w1") == 2
    assert _claim_feeds(engine, "w2") == 1
    assert _claim_pages(engine, "w2") == 0 and _claim_feeds(engine, "w1") == 0
    # the leases expired: feeds first now, and they leave no room for a page
    later = NOW + timedelta(seconds=61)
    assert _claim_feeds(engine, "w1", later) == 3
    assert _claim_pages(engine, "w2", later) == 0


class Load:
    """What a loopback server has in flight, per host (its Host header) and kind of
    request, and the most it ever had."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: Counter[tuple[str, str]] = Counter()
        self.most: Counter[str] = Counter()  # host -> most requests in flight at once
        self.mixed = False  # a feed and an article request in flight together, at some point
        self.started = threading.Event()  # the first page-side request arrived

    def pages(self) -> int:
        """Page-side requests in flight now, on every host."""
        with self._lock:
            return sum(n for (_, kind), n in self.now.items() if kind == "article")

    def route(self, kind: str, reply: Callable[[], Reply],
              seconds: float) -> Callable[[Request], Reply]:
        def answer(request: Request) -> Reply:
            host = request.headers.get("host", "")
            with self._lock:
                self.now[host, kind] += 1
                total = sum(n for (h, _), n in self.now.items() if h == host)
                self.most[host] = max(self.most[host], total)
                self.mixed |= self.now[host, "feed"] > 0 and self.now[host, "article"] > 0
            if kind == "article":
                self.started.set()
            time.sleep(seconds)
            made = reply()  # which may take its time too
            with self._lock:
                self.now[host, kind] -= 1
            return made
        return answer


def test_two_workers_keep_feed_and_article_fetches_under_one_cap_per_host(
        engine: Engine, server: FeedServer) -> None:
    """Two workers, each polling feeds and reading pages side by side (as the daemon
    does), against one loopback host: never more than ``fetch_per_host`` requests in
    flight there, feeds and pages together, however many each stage would start."""
    per_host, pages, feeds = 3, 4, 8
    harness = Harness(engine, server, fetch_per_host=per_host, fetch_concurrency=8,
                      article_concurrency=8, article_hourly_per_host=100)
    load = Load()
    server.routes["/robots.txt"] = load.route("article", lambda: Reply(404, b""), 0.3)
    for n in range(pages):
        server.routes[f"/a/s-{n}"] = load.route("article", lambda: page("broadcaster.html"), 0.6)
    server.routes["/full"] = load.route("feed", lambda: Reply(200, feed(server, *[
        (f"s-{n}", f"Story {n}", "Short.") for n in range(pages)])), 0.0)
    harness.add("/full", mode="always")
    harness.poll()  # the pages are queued
    for n in range(feeds):
        server.routes[f"/f{n}"] = load.route(
            "feed", lambda n=n: Reply(200, feed(server, (f"f{n}", "Other", "Text."))), 0.3)
        harness.add(f"/f{n}", mode="never", outlet=f"Outlet {n}")
    harness.now = NOW + timedelta(minutes=1)

    async def two_workers() -> list[ArticleRun]:
        settings = [harness.settings.model_copy(update={"worker_id": w}) for w in ("w1", "w2")]
        async with AsyncExitStack() as stack:
            pollers = [await stack.enter_async_context(Poller(s, engine, clock=harness.clock))
                       for s in settings]
            stages = [await stack.enter_async_context(ArticleStage(s, engine, clock=harness.clock))
                      for s in settings]
            reading = [asyncio.create_task(stage.run_due()) for stage in stages]
            while not load.started.is_set():  # the pages start first, the feeds fall due
                await asyncio.sleep(0.01)
            polled = await asyncio.gather(*(poller.poll_due() for poller in pollers))
            runs = list(await asyncio.gather(*reading))
            assert sorted(s.url for p in polled for s in p) == sorted(
                server.url(f"/f{n}") for n in range(feeds))
            while sum(r.outcomes.get("done", 0) for r in runs) < pages:  # the rest, as the
                runs += await asyncio.gather(*(s.run_due() for s in stages))  # next tick would
            return runs

    runs = asyncio.run(two_workers())
    (host,) = load.most
    assert 2 <= load.most[host] <= per_host
    assert load.mixed  # feeds and pages were in flight together, and shared the cap
    assert sum(r.outcomes.get("done", 0) for r in runs) == pages
    assert all(len(server.hits(f"/a/s-{n}")) == 1 for n in range(pages))


def test_a_crawl_delay_spaces_the_hosts_pages(harness: Harness, server: FeedServer) -> None:
    server.routes["/robots.txt"] = lambda r: Reply(
        200, b"User-agent: *\nCrawl-delay: 1\n\nUser-agent: tollwatch\nCrawl-delay: 30\n")
    server.routes["/feed"] = lambda r: Reply(200, feed(server, *[
        (f"s-{n}", f"Story {n}", "Short.") for n in range(3)]))
    for n in range(3):
        server.routes[f"/a/s-{n}"] = lambda r: page("broadcaster.html")
    harness.add(mode="always")
    harness.poll()

    def pages_read() -> int:
        return len([r for r in server.requests if r.path.startswith("/a/")])

    assert harness.articles(article_concurrency=3).outcomes == {"done": 1}
    with Session(harness.engine) as session:
        (host,) = session.exec(select(ArticleHost)).all()
    assert host.crawl_delay == 30  # our group's, not the * group's
    harness.now = NOW + timedelta(seconds=29)
    assert harness.articles(article_concurrency=3).outcomes == {} and pages_read() == 1
    harness.now = NOW + timedelta(seconds=30)
    assert harness.articles(article_concurrency=3).outcomes == {"done": 1}
    harness.now = NOW + timedelta(seconds=59)
    assert harness.articles(article_concurrency=3).outcomes == {} and pages_read() == 2
    harness.now = NOW + timedelta(seconds=60)
    assert harness.articles(article_concurrency=3).outcomes == {"done": 1}


def test_a_response_that_is_not_an_html_page_is_refused_and_says_why(
        harness: Harness, server: FeedServer) -> None:
    answers = {"pdf": Reply(200, b"%PDF-1.7\n" + b"x" * 5000, {"Content-Type": "application/pdf"}),
               "png": Reply(200, b"\x89PNG\r\n" + b"x" * 5000, {"Content-Type": "image/png"}),
               "json": Reply(200, b'{"story": "' + b"x" * 5000 + b'"}',
                             {"Content-Type": "application/json"}),
               "bare": page("broadcaster.html")}
    answers["bare"].headers = {}  # HTML served with no Content-Type: read all the same
    server.routes["/feed"] = lambda r: Reply(200, feed(server, *[
        (name, "Syria: blasts", "Short.") for name in answers]))
    for name, reply in answers.items():
        server.routes[f"/a/{name}"] = lambda r, reply=reply: reply
    harness.add(mode="always")
    harness.poll()
    assert harness.articles(article_concurrency=4).outcomes == {"not_html": 3, "done": 1}
    for name, kind in (("pdf", "application/pdf"), ("png", "image/png"),
                       ("json", "application/json")):
        article = harness.article(name)
        assert (article.state, article.last_status) == ("not_html", 200)
        assert article.last_error == f"not an HTML page: {kind}"
        assert [r.source for r in harness.revisions(name)] == ["feed"]
    assert [r.source for r in harness.revisions("bare")] == ["feed", "article"]
    with Session(harness.engine) as session:  # refused for good: not retried
        assert session.exec(select(Article).where(col(Article.state) == store.PENDING)).all() == []
