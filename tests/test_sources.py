"""Sources TOML and OPML: read, written, and rejected with a clear reason."""

from __future__ import annotations

import pytest

from service.config import DEFAULT_SOURCES
from service.errors import SourcesError
from service.sources import FeedListing, read_opml, read_sources, write_opml


def test_shipped_sources_cover_the_seed_outlets() -> None:
    names = {spec.name for spec in read_sources(DEFAULT_SOURCES)}
    assert {"SANA", "Syrian Observatory for Human Rights", "Yahoo News", "CBS News", "UN News",
            "France Diplomatie", "US Department of State"} <= names
    for spec in read_sources(DEFAULT_SOURCES):
        assert spec.feeds and all(url.startswith("https://") for url in spec.feeds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[outlet]\nname='x'", "not valid TOML"),
        ("[[outlet]]\nfeeds=['https://a/feed']", "has no name"),
        ("[[outlet]]\nname='A'\nfeeds=['ftp://a/feed']", "http"),
        ("[[outlet]]\nname='A'\nfeeds=['http://[::1/feed']", "http"),  # unclosed bracket
        ("[[outlet]]\nname='A'\nfeeds=['https:///feed']", "http"),  # no host
        ("[[outlet]]\nname='A'\nfeds=['https://a/feed']", "unknown key"),
        ("outlet = 3", "array of tables"),
    ],
)
def test_malformed_sources_file(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=message):
        read_sources(path)


def test_opml_round_trip_groups_feeds_by_outlet() -> None:
    listings = [
        FeedListing(outlet="Yahoo News", url="https://news.yahoo.com/rss/world"),
        FeedListing(outlet="Yahoo News", url="https://news.yahoo.com/rss/mideast"),
        FeedListing(outlet="SANA & co", url="https://sana.sy/en/?feed=rss2&x=1",
                    homepage="https://sana.sy/en/"),
    ]
    specs = read_opml(write_opml(listings))
    assert [(s.name, s.feeds, s.homepage) for s in specs] == [
        ("Yahoo News", ("https://news.yahoo.com/rss/world", "https://news.yahoo.com/rss/mideast"),
         None),
        ("SANA & co", ("https://sana.sy/en/?feed=rss2&x=1",), "https://sana.sy/en/"),
    ]


def test_opml_from_a_feed_reader_with_folders() -> None:
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="News"><outline text="BBC" type="rss" xmlUrl="https://bbc/rss.xml"/>
      </outline></body></opml>"""
    assert [(s.name, s.feeds) for s in read_opml(opml)] == [("BBC", ("https://bbc/rss.xml",))]


@pytest.mark.parametrize(
    "data",
    [
        b"<opml><body><outline xmlUrl='https://a'></body>",
        b"<html><body/></html>",
        b"<opml><body><outline xmlUrl='https://news.example:port/rss'/></body></opml>",
        b"""<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>
            <opml><body><outline title="&b;" xmlUrl="https://a"/></body></opml>""",
    ],
)
def test_malformed_or_hostile_opml(data: bytes) -> None:
    with pytest.raises(SourcesError):
        read_opml(data)
