"""Discovery: a web page given as a feed is read for the feeds it links to."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from service import db
from service.discover import FeedLink, choose, feed_links
from service.models import Feed
from tests.feedserver import Reply, feed_server, rss
from tests.test_api import client
from tests.test_cli_foundation import tollwatch

PAGE = b"""<!DOCTYPE html><html><head><title>Coast news</title>
<link rel="stylesheet" href="/style.css">
<LINK REL="alternate" TYPE="application/rss+xml" HREF="/rss.xml" title="Headlines">
<link rel="alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
<link rel=alternate type=application/feed+json href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" hreflang="ar" href="/ar/">
</head><body><p>Welcome<p>unclosed <div></body>"""
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "J"}]}'


def test_feed_links_in_page_order_each_once() -> None:
    links = feed_links(PAGE.decode(), "https://coast.example/news/index.html")
    assert links == [
        FeedLink("https://coast.example/rss.xml", "RSS", "Headlines"),
        FeedLink("https://coast.example/news/atom.xml", "Atom", None),
        FeedLink("https://coast.example/news/feed.json", "JSON Feed", None),
    ]


def test_feed_links_honour_base_and_refuse_non_web_links() -> None:
    page = ('<base href="https://cdn.example/feeds/">'
            '<link rel="alternate" type="application/rss+xml" href="a.xml">'
            '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
            '<link rel="alternate" type="text/html" href="b.html">')
    assert [link.url for link in feed_links(page, "https://coast.example/")] == [
        "https://cdn.example/feeds/a.xml"]
    assert feed_links("<html><body>no head at all", "https://coast.example/") == []


def test_choose_one_or_all() -> None:
    links = feed_links(PAGE.decode(), "https://coast.example/")
    assert choose(links, None) == links and choose(links, 2) == [links[1]]
    with pytest.raises(ValueError, match="no feed number 4"):
        choose(links, 4)


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    with feed_server() as server:
        server.routes["/"] = lambda r: Reply(200, PAGE, {"Content-Type": "text/html"})
        server.routes["/rss.xml"] = lambda r: Reply(200, rss(("g", "Headline", "x")))
        server.routes["/bare"] = lambda r: Reply(200, b"<html><body>no feeds</body></html>",
                                                 {"Content-Type": "text/html"})
        server.routes["/feed.json"] = lambda r: Reply(200, JSON_FEED)
        yield server


ALLOW = {"TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true"}


def test_cli_adds_every_feed_a_page_links_to_or_the_one_picked(site, tmp_path) -> None:
    added = tollwatch("feeds", "add", site.url("/"), "--discover", cwd=tmp_path, env=ALLOW)
    assert added.returncode == 0, added.stderr
    for path in ("/rss.xml", "/atom.xml", "/feed.json"):
        assert site.url(path) in added.stdout
    other = tmp_path / "other"
    other.mkdir()
    picked = tollwatch("feeds", "add", site.url("/"), "--pick", "3", cwd=other, env=ALLOW)
    assert picked.returncode == 0 and "1. RSS" in picked.stderr
    listed = tollwatch("feeds", "list", cwd=other).stdout
    assert site.url("/feed.json") in listed and site.url("/rss.xml") not in listed


def test_cli_given_a_feed_adds_it_as_given(site, tmp_path) -> None:
    for path in ("/rss.xml", "/feed.json"):
        added = tollwatch("feeds", "add", site.url(path), "--discover", cwd=tmp_path, env=ALLOW)
        assert added.returncode == 0 and "added feed" in added.stdout
        assert site.url(path) in added.stdout and not added.stderr


def test_cli_says_why_a_page_gives_no_feed(site, tmp_path) -> None:
    bare = tollwatch("feeds", "add", site.url("/bare"), "--discover", cwd=tmp_path, env=ALLOW)
    assert bare.returncode == 1 and "links to no feed" in bare.stderr
    too_far = tollwatch("feeds", "add", site.url("/"), "--pick", "9", cwd=tmp_path, env=ALLOW)
    assert too_far.returncode != 0 and "no feed number 9" in too_far.stderr


def test_api_discovers_too(site, sqlite_engine: Engine) -> None:
    api = client(sqlite_engine, api_key="k", allow_private_addresses=True)
    key = {"X-API-Key": "k"}
    body = {"url": site.url("/"), "outlet": "Coast", "discover": True}
    created = api.post("/api/feeds", json=body, headers=key)
    assert created.status_code == 201 and created.json()["url"] == site.url("/rss.xml")
    with Session(sqlite_engine) as session:
        urls = session.exec(select(Feed.url).order_by(col(Feed.id))).all()
    assert urls == [site.url(p) for p in ("/rss.xml", "/atom.xml", "/feed.json")]
    bare = api.post("/api/feeds", json={**body, "url": site.url("/bare")}, headers=key)
    assert bare.status_code == 422 and "links to no feed" in bare.text
    gone = api.post("/api/feeds", json={**body, "url": site.url("/missing")}, headers=key)
    assert gone.status_code == 422 and "404" in gone.text


def test_cli_says_added_only_of_feeds_it_kept(site, tmp_path) -> None:
    """Following all of a page's feeds is one transaction: when one of them is already
    followed, none is added, and none may be reported as added."""
    first = tollwatch("feeds", "add", site.url("/atom.xml"), cwd=tmp_path, env=ALLOW)
    assert first.returncode == 0, first.stderr
    again = tollwatch("feeds", "add", site.url("/"), "--discover", cwd=tmp_path, env=ALLOW)
    assert again.returncode == 1 and "already followed" in again.stderr
    assert "added feed" not in again.stdout
    listed = tollwatch("feeds", "list", cwd=tmp_path).stdout
    assert site.url("/rss.xml") not in listed and site.url("/atom.xml") in listed
