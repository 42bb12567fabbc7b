"""Hostile content from a feed, carried through the real pipeline to a page and an
email: nothing in it may run. And XML that tries to expand entities stays harmless."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from service import db
from service.analyze import Analyzer
from service.api.app import create_app
from service.config import load_settings
from service.digest.compose import render_html, render_text
from service.digest.deliver import assemble
from service.fetch.guard import visibly_private
from service.models import Feed, Item
from service.store.feeds import add_feed
from service.worker import Poller
from tests.feedserver import Reply, feed_server

HOSTILE = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>http://example.org/</link>
<item><guid>evil-1</guid><link>javascript:alert(document.cookie)</link>
<title>Blast in Qeshm kills 12 &lt;script&gt;alert(1)&lt;/script&gt;</title>
<pubDate>Tue, 24 May 2016 05:00:00 GMT</pubDate>
<description>&lt;p onclick="alert(2)"&gt;A blast in Qeshm killed 12 people, officials said.&lt;/p&gt;
&lt;img src="x" onerror="alert(3)"&gt;&lt;a href="javascript:alert(4)"&gt;more&lt;/a&gt;
&lt;script&gt;alert(5)&lt;/script&gt;&lt;iframe src="http://evil.example/"&gt;&lt;/iframe&gt;</description>
</item></channel></rss>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>Laughs</title>
<item><guid>lol-1</guid><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>"""

FORBIDDEN = ("<script", "onclick", "onerror", "javascript:", "<iframe")


def _ingest(engine: Engine, body: bytes, path: str) -> None:
    settings = load_settings(database_url=str(engine.url), allow_private_addresses=True)
    with feed_server() as server:
        server.routes[path] = lambda r: Reply(200, body, {"Content-Type": "application/rss+xml"})
        with db.session_scope(engine) as session:
            add_feed(session, server.url(path), "Hostile Outlet")

        async def run() -> None:
            async with Poller(settings, engine) as poller:
                await poller.poll_due()

        asyncio.run(run())
    Analyzer(engine).run()


def test_script_from_a_feed_never_reaches_a_page_or_an_email(sqlite_engine: Engine) -> None:
    _ingest(sqlite_engine, HOSTILE, "/hostile")
    with Session(sqlite_engine) as session:
        item = session.exec(select(Item)).one()
        assert not [bad for bad in FORBIDDEN if bad in item.content.lower()]  # sanitised on entry
        event_id = item.event_id
    assert event_id is not None
    api = TestClient(create_app(load_settings(database_url=str(sqlite_engine.url)),
                                sqlite_engine))
    pages = [api.get("/").text, api.get(f"/events/{event_id}").text]
    with Session(sqlite_engine) as session:
        digest = assemble(session, date(2016, 5, 24), load_settings(
            database_url=str(sqlite_engine.url)), charts_on=False)
    assert digest.events and "Qeshm" in digest.events[0].title
    for output in pages + [render_html(digest)]:
        assert "Qeshm" in output
        lowered = output.lower()
        assert not [bad for bad in FORBIDDEN if bad in lowered], output
    assert "javascript:" not in render_text(digest)  # the link is dropped, not shown
    revisions = api.get(f"/api/items/{item.id}/revisions").json()["revisions"]
    assert revisions[0]["figures"][0]["count"] == 12  # the text is still read


def test_entity_expansion_is_harmless(sqlite_engine: Engine) -> None:
    started = time.monotonic()
    _ingest(sqlite_engine, LAUGHS, "/laughs")
    assert time.monotonic() - started < 30
    with Session(sqlite_engine) as session:
        feed = session.exec(select(Feed)).one()
        items = session.exec(select(Item)).all()
    assert feed.last_outcome is not None  # polled, and the outcome recorded
    assert all(len(i.title) + len(i.text) < 100_000 for i in items)  # nothing blew up


@pytest.mark.parametrize(("url", "private"), [
    ("http://127.0.0.1/rss", True), ("http://10.1.2.3:8080/feed", True),
    ("http://[::1]/rss", True), ("http://[::ffff:192.168.0.1]/rss", True),
    ("http://169.254.169.254/latest", True), ("http://localhost/rss", True),
    ("http://api.localhost/rss", True), ("https://8.8.8.8/rss", False),
    ("https://example.org/rss", False), ("not a url", False),
])
def test_private_hosts_visible_without_a_lookup(url: str, private: bool) -> None:
    assert visibly_private(url) is private


def test_feed_credentials_are_not_printed_by_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`feeds add`, `feeds list`, `poll` (whose output cron mails or logs keep) and
    `feeds remove` show a feed URL's user and password as ***, as the API and logs do."""
    from tests.test_cli_foundation import tollwatch

    allow = {"TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}
    with feed_server() as server:
        server.routes["/f"] = lambda r: Reply(404, b"no")
        url = server.url("/f").replace("http://", "http://reader:s3cretpw@")
        outputs = [tollwatch("feeds", "add", url, cwd=tmp_path, env=allow),
                   tollwatch("feeds", "list", cwd=tmp_path),
                   tollwatch("poll", cwd=tmp_path, env=allow),
                   tollwatch("feeds", "remove", "1", cwd=tmp_path)]
    for result in outputs:
        assert "://***@127.0.0.1" in result.stdout, (result.stdout, result.stderr)
        assert "s3cretpw" not in result.stdout + result.stderr
    assert server.hits("/f")  # the poll did use the credentials' URL
