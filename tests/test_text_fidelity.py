"""Titles and summaries in every content type a feed can give them, read once and right.

The plain-text rows (escaped "<", unclosed "<", double escapes, CDATA in a text
construct) failed before values kept their content type; the HTML rows guard the
other side: HTML is still sanitised and flattened.
"""

from __future__ import annotations

import pytest

from service.parse import parse_feed


def _rss(title: str, description: str) -> bytes:
    return (f'<rss version="2.0"><channel><title>c</title><item><guid>1</guid>'
            f"<title>{title}</title><description>{description}</description></item>"
            "</channel></rss>").encode()


def _atom(kind: str, title: str, summary: str) -> bytes:
    return ('<feed xmlns="http://www.w3.org/2005/Atom"><title>c</title><entry><id>1</id>'
            f'<title type="{kind}">{title}</title><summary type="{kind}">{summary}</summary>'
            "</entry></feed>").encode()


XHTML = '<div xmlns="http://www.w3.org/1999/xhtml">{}</div>'

# (feed body, stored title, stored summary HTML, plain text of the summary)
CASES = {
    "rss-escaped-lt-in-title": (
        _rss("The &lt;Hobbit&gt; returns", "Second film"),
        "The <Hobbit> returns", "Second film", "Second film"),
    "rss-unclosed-lt-in-title": (
        _rss("x &lt;y and z", "no tag here"), "x <y and z", "no tag here", "no tag here"),
    "rss-escaped-lt-in-description": (
        _rss("t", "The &lt;Hobbit&gt; returns"),
        "t", "<p>The &lt;Hobbit&gt; returns</p>", "The <Hobbit> returns"),
    "rss-cdata-html": (
        _rss("<![CDATA[Blasts & <b>toll</b>]]>", "<![CDATA[<p>At least <b>48</b> killed</p>]]>"),
        "Blasts & toll", "<p>At least <b>48</b> killed</p>", "At least 48 killed"),
    "rss-cdata-character-reference": (
        _rss("<![CDATA[Jableh&#8217;s hospital]]>", "<![CDATA[x &lt; y]]>"),
        "Jableh\u2019s hospital", "x &lt; y", "x < y"),
    "rss-escaped-html-description": (
        _rss("t", "&lt;p&gt;one &amp;amp; two&lt;/p&gt;"),
        "t", "<p>one &amp; two</p>", "one & two"),
    "atom-text": (
        _atom("text", "The &lt;Hobbit&gt; returns", "a &lt;b&gt; c"),
        "The <Hobbit> returns", "<p>a &lt;b&gt; c</p>", "a <b> c"),
    "atom-text-double-escaped": (
        _atom("text", "AT&amp;amp;T", "Q&amp;amp;A"), "AT&amp;T", "<p>Q&amp;amp;A</p>", "Q&amp;A"),
    "atom-html": (
        _atom("html", "&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more",
              "&lt;p&gt;one&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "Bold & more", "<p>one</p>", "one"),
    "atom-xhtml": (
        _atom("xhtml", XHTML.format("a <b>b</b> &amp; c"), XHTML.format("<p>x &lt; y</p>")),
        "a b & c", "<p>x &lt; y</p>", "x < y"),
    "atom-cdata-text": (
        _atom("text", "<![CDATA[x < y & z]]>", "<![CDATA[<p>shown as written</p>]]>"),
        "x < y & z", "<p>&lt;p&gt;shown as written&lt;/p&gt;</p>", "<p>shown as written</p>"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_values_keep_their_content_type(case: tuple[bytes, str, str, str]) -> None:
    body, title, summary, summary_text = case
    entry = parse_feed(body, url="https://news.example/feed").entries[0]
    assert entry.title == title
    assert entry.summary == summary
    assert entry.text == f"{title}\n{summary_text}"  # what the casualty reader sees


def test_plain_text_reaches_the_reader_whole() -> None:
    body = _atom("text", "Toll &lt;rises&gt;", "At least 48 killed &lt;updated&gt; in Jableh")
    entry = parse_feed(body, url="https://news.example/feed").entries[0]
    assert "48 killed <updated> in Jableh" in entry.text
