"""Links resolved and JSON Feed read, through the real poll path over loopback; dates,
links, encodings and authors as feeds really give them, read by the pure parser."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from service.analyze import Analyzer
from service.bounds import ITEM_TITLE_MAX
from service.dates import parse_date
from service.entries import Entry
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


def test_a_lone_surrogate_in_a_json_feed_costs_one_character(harness: Harness, server) -> None:
    """JSON escapes what XML cannot hold ("\\ud800"): the character reads as U+FFFD, as
    in an XML feed, and the feed's items are stored, not the whole poll failed."""
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "j1\ud800", "title": "Lone \udc00 half", "tags": ["war\ud800"],
         "url": "https://news.example/j1"},
        {"id": "j2", "title": "Fine", "url": "https://news.example/j2"}]})
    server.routes["/s.json"] = lambda r: Reply(200, body.encode(),
                                               {"Content-Type": "application/feed+json"})
    feed_id = harness.add("/s.json")
    assert harness.poll(feed_id)[feed_id].new == 2
    titles = sorted(i.title for i in _stored(harness))
    assert titles == ["Fine", "Lone \ufffd half"]


def test_a_headline_is_cut_at_its_bound() -> None:
    """A hostile feed's megabyte title would make every page and answer listing it that
    big; it is cut, the rest of the entry kept."""
    title = "Blast " * 200_000
    body = (f"<rss><channel><title>t</title><item><title>{title}</title>"
            "<description>Two killed.</description></item></channel></rss>").encode()
    entry = _first(body)
    assert len(entry.title) == ITEM_TITLE_MAX and entry.title.startswith("Blast Blast")
    assert "Two killed." in entry.text


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


# Dates as real feeds print them (the shapes miniflux's date tests list), and the UTC
# moment each names. Of miniflux's 51 shapes feedparser alone read 27 not at all and 7
# wrongly, silently: the PM dropped, a named zone taken for UTC, an epoch read as 2015.
DATES = {
    "Sun, 17 Dec 2017 1:55 PM EST": "2017-12-17T18:55:00+00:00",
    "Friday, December 22, 2017 - 3:09pm": "2017-12-22T15:09:00+00:00",
    "Thu, 25 Feb 2016 00:00:00 Europe/Brussels": "2016-02-24T23:00:00+00:00",
    "Di, 23 Jan 2018 00:00:00 +0100": "2018-01-22T23:00:00+00:00",
    "Do, 29 Mär 2018 00:00:00 +0200": "2018-03-28T22:00:00+00:00",
    "mer, 9 avr 2018 00:00:00 +0200": "2018-04-08T22:00:00+00:00",
    "1520932969": "2018-03-13T09:22:49+00:00",
    "March 30 2020 07:02:38 PM": "2020-03-30T19:02:38+00:00",
    "2020-11-08T16:20:00-05:00Z": "2020-11-08T21:20:00+00:00",
    "Nov. 16, 2020, 10:57 a.m.": "2020-11-16T10:57:00+00:00",
    "Lundi, 16. Novembre 2020 - 15:54": "2020-11-16T15:54:00+00:00",
    "Thu Nov 12 2020 17:00:00 GMT+0000 (Coordinated Universal Time)": "2020-11-12T17:00:00+00:00",
    "Mon, 16th Nov 2020 13:16:28 GMT": "2020-11-16T13:16:28+00:00",
    "ven., 03 juil. 2020 15:09:58 +0000": "2020-07-03T15:09:58+00:00",
    "Thu, 29 Oct 2020 07:36:03 GMT-07:00": "2020-10-29T14:36:03+00:00",
    "mar., 01 déc. 2020 16:11:02 +0000": "2020-12-01T16:11:02+00:00",
    "26 Sep 2022 GMT": "2022-09-26T00:00:00+00:00",
    "Thu, June 22, 2023 at 01:11 PM EDT": "2023-06-22T17:11:00+00:00",
    "09/15/2014 4:20 pm PST": "2014-09-16T00:20:00+00:00",
    "Fri, 31 Mar 2023 20:19:00 America/Los_Angeles": "2023-04-01T03:19:00+00:00",
    "30.10.23": "2023-10-30T00:00:00+00:00",
    "Tue, 03 Jun 2003 09:39:21 GMT": "2003-06-03T09:39:21+00:00",
    "2003-12-13T08:29:29-04:00": "2003-12-13T12:29:29+00:00",
    # no date: words, nothing, no year, a number too big to be a recent time
    "Tomorrow": None, "": None, "   ": None, "Dec 17 10:00": None, "99999999999": None,
    # nor from what would crash a reader: a zone name that is a directory, the ends of time
    "Mon, 23 May 2016 10:00 America/Argentina": None, "9999-12-31T23:59:59-14:00": None,
    "0001-01-01T00:00:00+14:00": None, "1" * 5000: None,
}


@pytest.mark.parametrize("written", DATES)
def test_dates_as_feeds_write_them(written: str) -> None:
    when = parse_date(written)
    assert (when.isoformat() if when else None) == DATES[written]


def _first(body: bytes, **headers: str) -> Entry:
    return parse_feed(body, url="https://news.example/feed.xml", **headers).entries[0]


def test_an_opaque_atom_id_is_no_link() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b"<entry><id>1</id><title>a</title></entry>"
            b"<entry><id>https://news.example/2</id><title>b</title></entry></feed>")
    first, second = parse_feed(atom, url="https://news.example/feed.xml").entries
    assert (first.url, second.url) == (None, "https://news.example/2")


def test_feedburner_original_links_stand_for_the_redirects() -> None:
    entry = _first(b'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
                   b"<channel><title>t</title><item><title>a</title><link>https://proxy.example/r</link>"
                   b"<feedburner:origLink>https://news.example/a</feedburner:origLink>"
                   b'<enclosure url="https://proxy.example/f.mp3" type="audio/mpeg"/>'
                   b"<feedburner:origEnclosureLink>https://news.example/f.mp3"
                   b"</feedburner:origEnclosureLink></item></channel></rss>")
    assert entry.url == "https://news.example/a"
    assert [e.url for e in entry.enclosures] == ["https://news.example/f.mp3"]


def test_utf8_declared_as_a_single_byte_charset_is_read_as_utf8() -> None:
    body = ('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel>'
            "<title>t</title><item><guid>1</guid><title>Café — “ok”</title></item>"
            "</channel></rss>").encode("utf-8")
    assert _first(body).title == "Café — “ok”"
    assert _first(body, content_type="text/xml; charset=iso-8859-1").title == "Café — “ok”"
    latin = body.decode("utf-8").replace(" — “ok”", "").encode("latin-1")
    assert _first(latin).title == "Café"  # really windows-1252: left to its declaration


def test_items_with_only_a_description_stay_apart() -> None:
    body = (b'<rss version="0.92"><channel><title>t</title><item><description>one</description>'
            b"</item><item><description>two</description></item></channel></rss>")
    first, second = parse_feed(body, url="https://news.example/feed.xml").entries
    assert first.identity != second.identity


def test_authors_flattened_and_inherited_from_the_feed() -> None:
    rdf = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b"<channel><title>t</title><dc:creator>Desk</dc:creator></channel>"
           b'<item><title>a</title><dc:creator>&lt;a href="/x"&gt;Mia&lt;/a&gt; (Lab)</dc:creator>'
           b"</item><item><title>b</title></item></rdf:RDF>")
    first, second = parse_feed(rdf, url="https://news.example/feed.rdf").entries
    assert (first.authors, second.authors) == (("Mia (Lab)",), ("Desk",))
