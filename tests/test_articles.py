"""The article stage against real pages on a loopback server: extraction, revisions,
analysis, and the politeness rules (robots.txt, size cap, SSRF guard, budget, backoff)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from service import db
from service.analyze import Analyzer
from service.api.app import create_app
from service.articles.extract import extract_text
from service.articles.stage import ArticleRun, ArticleStage
from service.config import load_settings
from service.models import Article, CasualtyReport, Item, ItemRevision
from service.store.feeds import add_feed
from service.worker import Poller
from tests.feedserver import FeedServer, Reply, feed_server

PAGES = Path(__file__).parent / "data" / "articles"
NOW = datetime(2016, 5, 23, 15, 0, tzinfo=timezone.utc)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def feed(server: FeedServer, *items: tuple[str, str, str]) -> bytes:
    """An RSS feed whose items (guid, title, description) link to /a/<guid> on ``server``."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{escape(title)}</title>"
        f"<link>{server.url('/a/' + guid)}</link><description>{escape(text)}</description>"
        "<pubDate>Mon, 23 May 2016 12:00:00 +0000</pubDate></item>" for guid, title, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}'
            "</channel></rss>").encode()


def page(name: str) -> Reply:
    return Reply(200, (PAGES / name).read_bytes(), HTML)


class Harness:
    """A database, a loopback server with a feed and its pages, a clock, and the two stages."""

    def __init__(self, engine: Engine, server: FeedServer, **overrides: object) -> None:
        self.engine, self.server, self.now = engine, server, NOW
        values: dict[str, object] = dict(
            database_url=engine.url.render_as_string(hide_password=False),
            allow_private_addresses=True, connect_timeout=1.0, read_timeout=2.0,
            total_timeout=3.0, worker_id="w1", article_retry_base=60.0)
        values.update(overrides)
        self.settings = load_settings(**values)
        server.routes["/robots.txt"] = lambda r: Reply(404, b"")

    def add(self, path: str = "/feed", mode: str = "when_short", outlet: str = "BBC") -> int:
        with db.session_scope(self.engine) as session:
            added = add_feed(session, self.server.url(path), outlet, mode)
            added.next_fetch_at = self.now  # due on the test's clock
            return added.id  # type: ignore[return-value]

    def clock(self) -> datetime:
        return self.now

    def poll(self) -> None:
        async def run() -> None:
            async with Poller(self.settings, self.engine, clock=self.clock) as poller:
                await poller.poll_due()
        asyncio.run(run())

    def articles(self, **overrides: object) -> ArticleRun:
        settings = self.settings.model_copy(update=overrides)

        async def run() -> ArticleRun:
            async with ArticleStage(settings, self.engine, clock=self.clock) as stage:
                return await stage.run_due()
        return asyncio.run(run())

    def revisions(self, guid: str) -> list[ItemRevision]:
        with Session(self.engine) as session:
            item = session.exec(select(Item).where(Item.guid == guid)).one()
            return list(session.exec(select(ItemRevision).where(ItemRevision.item_id == item.id)
                                     .order_by(col(ItemRevision.number))).all())

    def article(self, guid: str) -> Article:
        with Session(self.engine) as session:
            return session.exec(select(Article).join(Item).where(Item.guid == guid)).one()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def harness(sqlite_engine: Engine, server: FeedServer) -> Harness:
    return Harness(sqlite_engine, server)


HEADLINE = ("bbc-1", "Syria: Deadly blasts hit Jableh and Tartus",
            "Bombings hit two coastal cities.")


def test_a_headline_item_gains_its_article_and_the_figures_only_the_article_carries(
        harness: Harness, server: FeedServer) -> None:
    server.routes["/feed"] = lambda r: Reply(200, feed(server, HEADLINE))
    server.routes["/a/bbc-1"] = lambda r: page("broadcaster.html")
    harness.add()
    harness.poll()
    harness.now = read_at = NOW + timedelta(minutes=7)
    run = harness.articles()
    assert run.outcomes == {"done": 1} and run.revisions == 1
    first, second = harness.revisions("bbc-1")
    assert (first.source, second.source) == ("feed", "article")
    assert "97 people were killed in Jableh and 48 in Tartus" in second.text
    assert second.text.startswith(HEADLINE[1])  # title, then the story
    for boilerplate in ("Most Read", "11 dead and 80 injured", "cookies", "Share on"):
        assert boilerplate not in second.text

    Analyzer(harness.engine, clock=harness.clock).run()
    with Session(harness.engine) as session:
        figures = session.exec(select(CasualtyReport)).all()
        item = session.get(Item, first.item_id)
    from_article = [f for f in figures if f.revision_id == second.id]
    assert {f.count for f in from_article if f.kind == "killed"} >= {145, 97, 48}
    assert all(f.observed_at.replace(tzinfo=timezone.utc) == read_at for f in from_article)
    assert item is not None and {f.outlet_id for f in from_article} == {item.outlet_id}
    assert not [f for f in figures if f.revision_id == first.id]  # the feed gave no figure

    api = TestClient(create_app(harness.settings, harness.engine))
    shown = api.get(f"/api/items/{first.item_id}/revisions").json()["revisions"]
    assert [r["source"] for r in shown] == ["feed", "article"]

    # The feed unchanged: no new revision, and the article is not fetched again.
    harness.now = NOW + timedelta(hours=2)
    harness.poll()
    assert harness.articles().outcomes == {}
    assert len(harness.revisions("bbc-1")) == 2 and len(server.hits("/a/bbc-1")) == 1


def test_a_feed_edit_requeues_the_page_and_a_304_adds_nothing(
        harness: Harness, server: FeedServer) -> None:
    text = {"now": HEADLINE[2]}
    server.routes["/feed"] = lambda r: Reply(200, feed(server, (*HEADLINE[:2], text["now"])))

    def article(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, (PAGES / "broadcaster.html").read_bytes(), {**HTML, "ETag": '"v1"'})

    server.routes["/a/bbc-1"] = article
    harness.add()
    harness.poll()
    harness.articles()
    text["now"] = "Bombings hit two coastal cities; the toll rises."
    harness.now = NOW + timedelta(hours=1)
    harness.poll()
    assert harness.articles().outcomes == {"unchanged": 1}
    assert server.hits("/a/bbc-1")[-1].headers.get("if-none-match") == '"v1"'
    assert [r.source for r in harness.revisions("bbc-1")] == ["feed", "article", "feed"]


def test_feeds_set_to_never_or_carrying_enough_text_fetch_no_page(
        sqlite_engine: Engine, server: FeedServer) -> None:
    harness = Harness(sqlite_engine, server)
    long_text = "Bombings hit two coastal cities. " * 20
    server.routes["/never"] = lambda r: Reply(200, feed(server, ("n-1", "Headline", "Short.")))
    server.routes["/long"] = lambda r: Reply(200, feed(server, ("l-1", "Headline", long_text)))
    harness.add("/never", "never", "A")
    harness.add("/long", "when_short", "B")
    harness.poll()
    assert harness.articles().outcomes == {}
    assert harness.article("l-1").state == "skipped"
    assert not server.hits("/a/n-1") and not server.hits("/a/l-1")


def test_a_paywall_stub_is_not_stored(harness: Harness, server: FeedServer) -> None:
    server.routes["/feed"] = lambda r: Reply(200, feed(server, ("p-1", "Coastal Syria", "Blasts.")))
    server.routes["/a/p-1"] = lambda r: page("paywall.html")
    harness.add()
    harness.poll()
    assert harness.articles().outcomes == {"no_text": 1}
    assert [r.source for r in harness.revisions("p-1")] == ["feed"]


def _huge(request) -> None:  # type: ignore[no-untyped-def]
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    try:
        handler.wfile.write(b"<html><body><p>" + b"word " * 400_000)  # 2 MB, no length
    except OSError:
        pass


def _slow(request) -> None:  # type: ignore[no-untyped-def]
    time.sleep(6)


@pytest.mark.parametrize(("route", "reason"), [(_huge, "byte limit"), (_slow, "timed out")],
                         ids=["over-the-size-cap", "slow-server"])
def test_a_failing_page_backs_off_and_is_retried(harness: Harness, server: FeedServer,
                                                 route, reason: str) -> None:  # type: ignore[no-untyped-def]
    server.routes["/feed"] = lambda r: Reply(200, feed(server, HEADLINE))
    server.routes["/a/bbc-1"] = route
    harness.add()
    harness.poll()
    assert harness.articles(article_max_bytes=1024 * 1024).outcomes == {"pending": 1}
    article = harness.article("bbc-1")
    assert reason in (article.last_error or "") and article.attempts == 1
    due = article.due_at.replace(tzinfo=timezone.utc)
    assert NOW + timedelta(seconds=60) <= due <= NOW + timedelta(seconds=75)
    assert harness.articles().outcomes == {}  # not due yet
    assert len(server.hits("/a/bbc-1")) == 1
    assert [r.source for r in harness.revisions("bbc-1")] == ["feed"]


def test_a_redirect_to_a_private_address_is_refused(sqlite_engine: Engine,
                                                   server: FeedServer) -> None:
    """The page is on a public address (a literal, so no lookup) that redirects to
    loopback: the first hop is answered in-process, the second would reach the real server."""
    public = "http://93.184.216.34"
    harness = Harness(sqlite_engine, server, allow_private_addresses=False)
    private = server.url("/internal")
    server.routes["/internal"] = lambda r: page("broadcaster.html")

    async def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": private})

    with db.session_scope(sqlite_engine) as session:
        feed_id = add_feed(session, f"{public}/feed", "Outlet", "always").id
        item = Item(outlet_id=1, feed_id=feed_id, identity="x", url=f"{public}/story")
        session.add(item)
        session.flush()
        session.add(ItemRevision(item_id=item.id, number=1, title="t",  # type: ignore[arg-type]
                                 text="Blasts.", content_hash="h", seen_at=NOW))

    async def run() -> ArticleRun:
        async with ArticleStage(harness.settings, sqlite_engine, clock=harness.clock,
                                transport=httpx.MockTransport(answer)) as stage:
            return await stage.run_due()

    assert asyncio.run(run()).outcomes == {"blocked": 1}
    with Session(sqlite_engine) as session:
        article = session.exec(select(Article)).one()
    assert "non-public" in (article.last_error or "") and server.hits("/internal") == []


def test_robots_txt_is_honoured_and_read_once_per_host(harness: Harness,
                                                      server: FeedServer) -> None:
    server.routes["/robots.txt"] = lambda r: Reply(
        200, b"User-agent: *\nAllow: /\n\nUser-agent: tollwatch\nDisallow: /a/closed-\n")
    server.routes["/feed"] = lambda r: Reply(200, feed(
        server, ("closed-1", "Headline", "Short."), ("closed-2", "Headline", "Short."),
        ("open-1", "Syria: blasts", "Short.")))
    server.routes["/a/open-1"] = lambda r: page("broadcaster.html")
    harness.add(mode="always")
    harness.poll()
    assert harness.articles(article_concurrency=3).outcomes == {"robots": 2, "done": 1}
    assert not server.hits("/a/closed-1") and not server.hits("/a/closed-2")
    assert len(server.hits("/robots.txt")) == 1


def _items(server: FeedServer, count: int) -> bytes:
    return feed(server, *[(f"s-{n}", f"Story {n}", "Short.") for n in range(count)])


def test_the_hourly_budget_per_host_is_shared_by_two_workers(engine: Engine,
                                                             server: FeedServer) -> None:
    harness = Harness(engine, server, article_hourly_per_host=3, fetch_per_host=4)
    server.routes["/feed"] = lambda r: Reply(200, _items(server, 8))
    for n in range(8):
        server.routes[f"/a/s-{n}"] = lambda r: page("broadcaster.html")
    harness.add(mode="always")
    harness.poll()

    async def both() -> list[ArticleRun]:
        stages = [ArticleStage(harness.settings.model_copy(update={"worker_id": name}), engine,
                               clock=harness.clock) for name in ("w1", "w2")]
        async with stages[0], stages[1]:
            return list(await asyncio.gather(*(s.run_due() for s in stages)))

    runs = asyncio.run(both())
    pages = [r for r in server.requests if r.path.startswith("/a/")]
    assert len(pages) == 3 and sum(r.revisions for r in runs) == 3
    harness.now = NOW + timedelta(minutes=59)
    asyncio.run(both())
    assert len([r for r in server.requests if r.path.startswith("/a/")]) == 3
    harness.now = NOW + timedelta(hours=1)
    asyncio.run(both())
    assert len([r for r in server.requests if r.path.startswith("/a/")]) == 6


def test_a_feed_poll_is_not_delayed_while_article_fetches_hang(harness: Harness,
                                                               server: FeedServer) -> None:
    hanging = threading.Event()

    def hang(request) -> None:  # type: ignore[no-untyped-def]
        hanging.set()
        time.sleep(4)

    server.routes["/feed"] = lambda r: Reply(200, _items(server, 4))
    for n in range(4):
        server.routes[f"/a/s-{n}"] = hang
    server.routes["/other"] = lambda r: Reply(200, feed(server, ("o-1", "Other", "Text.")))
    harness.add(mode="always")
    harness.poll()
    harness.add("/other", mode="never", outlet="Other")
    harness.now = NOW + timedelta(hours=1)

    async def run() -> tuple[bool, list[object]]:
        async with ArticleStage(harness.settings, harness.engine, clock=harness.clock) as stage, \
                Poller(harness.settings, harness.engine, clock=harness.clock) as poller:
            articles = asyncio.create_task(stage.run_due())
            while not hanging.is_set():
                await asyncio.sleep(0.05)
            polled = await poller.poll_due()
            still_hanging = not articles.done()
            await articles
            return still_hanging, list(polled)

    still_hanging, polled = asyncio.run(run())
    assert still_hanging and len(polled) == 2  # both feeds polled while the pages hung
    assert {s.outcome for s in polled} == {"ok"}  # type: ignore[attr-defined]


EXPECTED = json.loads((PAGES / "expected.json").read_text())


@pytest.mark.parametrize("name", [n for n in EXPECTED if EXPECTED[n]["body"]])
def test_the_extractor_keeps_the_story_and_drops_the_figures_around_it(name: str) -> None:
    """Every sentence of the story, and none of the boilerplate that carries a number (a
    sidebar's "11 dead and 80 injured", a comment's "250 dead"): those would be read as
    this story's figures."""
    text = extract_text((PAGES / name).read_bytes(), "https://news.example/story").text
    assert [s for s in EXPECTED[name]["body"] if s not in text] == []
    numbered = [b for b in EXPECTED[name]["boilerplate"] if any(c.isdigit() for c in b)]
    assert numbered and [b for b in numbered if b in text] == []


def test_a_throttled_host_is_paused_for_every_page_of_it(harness: Harness,
                                                         server: FeedServer) -> None:
    server.routes["/feed"] = lambda r: Reply(200, _items(server, 3))
    for n in range(3):
        server.routes[f"/a/s-{n}"] = lambda r: Reply(429, b"slow down", {"Retry-After": "900"})
    harness.add(mode="always")
    harness.poll()
    assert harness.articles(article_concurrency=1).outcomes == {"pending": 1}
    assert len([r for r in server.requests if r.path.startswith("/a/")]) == 1
    harness.now = NOW + timedelta(seconds=899)
    assert harness.articles().outcomes == {}  # the other pages wait for the host too
    harness.now = NOW + timedelta(seconds=900)
    for n in range(3):
        server.routes[f"/a/s-{n}"] = lambda r: page("broadcaster.html")
    assert harness.articles().outcomes == {"done": 3}
