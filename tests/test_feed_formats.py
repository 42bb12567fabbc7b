"""Links resolved and JSON Feed read, through the real poll path over loopback."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from service.analyze import Analyzer
from service.errors import ParseError
from service.models import CasualtyReport, Item, ItemRevision
from service.parse import parse_feed
from tests.feedserver import Reply
from tests.test_poller import Harness, harness, server  # noqa: F401  (fixtures)

RELATIVE_RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                b"<item><guid>r1</guid><title>Relative</title><link>blog/post/1</link>"
                b'<enclosure url="media/clip.mp3" type="audio/mpeg" length="1200"/>'
                b"<description>&lt;a href=\"more.html\"&gt;more&lt;/a&gt;</description>"
                b"</item></channel></rss>")


def _stored(harness: Harness) -> list[Item]:
    with Session(harness.engine) as session:
        return list(session.exec(select(Item).order_by(Item.id)).all())


def test_links_resolve_against_the_url_after_redirects(harness: Harness, server) -> None:
    server.routes["/old"] = lambda r: Reply(302, headers={"Location": "/feeds/news.xml"})
    server.routes["/feeds/news.xml"] = lambda r: Reply(200, RELATIVE_RSS)
    feed_id = harness.add("/old")
    assert harness.poll(feed_id)[feed_id].new == 1
    item, = _stored(harness)
    assert item.url == server.url("/feeds/blog/post/1")
    assert f'href="{server.url("/feeds/more.html")}"' in item.summary


def test_links_resolve_against_content_location(harness: Harness, server) -> None:
    server.routes["/f"] = lambda r: Reply(200, RELATIVE_RSS,
                                          {"Content-Location": "/elsewhere/feed.xml"})
    feed_id = harness.add("/f")
    harness.poll(feed_id)
    item, = _stored(harness)
    assert item.url == server.url("/elsewhere/blog/post/1")
    assert item.guid == "r1"  # a GUID is a name: never resolved against the feed's URL


def test_links_resolve_against_xml_base(harness: Harness, server) -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>t</title>'
            b'<entry><id>urn:a1</id><title>One</title><link href="article.html"/></entry>'
            b'<entry xml:base="/entries/"><id>urn:a2</id><title>Two</title>'
            b'<link href="entry.html"/></entry></feed>')
    server.routes["/atom"] = lambda r: Reply(200, atom)
    feed_id = harness.add("/atom")
    harness.poll(feed_id)
    assert [i.url for i in _stored(harness)] == [server.url("/blog/article.html"),
                                                 server.url("/entries/entry.html")]
    assert [i.guid for i in _stored(harness)] == ["urn:a1", "urn:a2"]  # names, not links


def _json_feed(version: str, toll: int) -> bytes:
    return json.dumps({
        "version": f"https://jsonfeed.org/version/{version}", "title": "Coast news",
        "items": [
            {"id": 7, "url": "/news/7", "title": "Blasts hit Jableh and Tartus",
             "content_text": f"At least {toll} people were killed in the blasts, state media said.",
             "date_published": "2016-05-23T09:00:00+03:00"},
            {"id": "b", "content_html": "<p>No title &amp; <b>bold</b> <a href='more'>m</a></p>",
             "date_modified": "2016-05-23T10:00:00Z"},
            "not an item", {"id": {"hostile": True}, "title": ["x"], "tags": "nope"},
        ]}).encode()


def test_json_feed_goes_through_the_same_pipeline(harness: Harness, server) -> None:
    toll = {"n": 48}
    server.routes["/feed.json"] = lambda r: Reply(200, _json_feed("1", toll["n"]),
                                                  {"Content-Type": "application/feed+json"})
    feed_id = harness.add("/feed.json")
    assert harness.poll(feed_id)[feed_id].new == 3
    items = _stored(harness)
    assert [i.guid for i in items] == ["7", "b", None]
    assert items[0].url == server.url("/news/7")
    assert items[0].published_at is not None and items[0].published_at.hour == 6
    assert items[1].content == ('<p>No title &amp; <b>bold</b> <a href="'
                                + server.url("/more") + '" rel="noopener noreferrer nofollow">'
                                "m</a></p>")
    toll["n"] = 101
    assert harness.poll(feed_id)[feed_id].updated == 1
    Analyzer(harness.engine).run()
    with Session(harness.engine) as session:
        assert len(session.exec(select(ItemRevision)).all()) == 4
        counts = {r.count for r in session.exec(select(CasualtyReport)).all()}
    assert {48, 101} <= counts


def test_json_feed_by_content_alone(harness: Harness, server) -> None:
    server.routes["/j"] = lambda r: Reply(200, _json_feed("1.1", 3),
                                          {"Content-Type": "text/plain"})
    feed_id = harness.add("/j")
    assert harness.poll(feed_id)[feed_id].new == 3


def test_a_body_that_is_no_feed_names_its_format(harness: Harness, server) -> None:
    server.routes["/json"] = lambda r: Reply(200, b'{"data": []}',
                                             {"Content-Type": "application/json"})
    server.routes["/text"] = lambda r: Reply(200, b"Service temporarily unavailable")
    json_id, text_id = harness.add("/json"), harness.add("/text")
    results = harness.poll(json_id, text_id)
    assert "JSON, but not a JSON Feed" in (results[json_id].error or "")
    assert "neither XML nor JSON" in (results[text_id].error or "")


def test_format_is_told_by_content_before_content_type() -> None:
    body = RELATIVE_RSS.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="utf-16"?>')
    utf16 = body.decode().encode("utf-16")
    assert len(parse_feed(utf16, url="https://news.example/f").entries) == 1
    # a feed served as text/html is still a feed; a page is not, whatever it is called
    assert len(parse_feed(RELATIVE_RSS, url="https://news.example/f",
                          content_type="text/html").entries) == 1
    with pytest.raises(ParseError, match="an HTML page"):
        parse_feed(b"<!DOCTYPE html><html><body>hi</body></html>", url="https://news.example/",
                   content_type="application/rss+xml")
