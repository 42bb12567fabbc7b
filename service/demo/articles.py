"""The replay's article pages: a story's version as its outlet's website would show it,
inside the navigation, share bar, reading list and footer a real page has (pure).

Only headline-only outlets link to these pages from a feed that carries no text; the
article stage reads them, and the extractor has to find the story among the rest.
"""

from __future__ import annotations

from html import escape

from service.demo.corpus import Outlet, Story, Version

_NAV = ("Home", "World", "Middle East", "Business", "Technology", "Sport", "Weather")
_READING = ("Live: follow the day's news", "Weather for the week ahead",
            "Your questions answered", "Watch: the day in pictures")


def article_page(outlet: Outlet, story: Story, version: Version) -> bytes:
    """The HTML page of ``story`` as it stood at ``version``."""
    paragraphs = [version.text]  # the feed's text would have been this, were it not headline-only
    nav = "".join(f'<li><a href="/{escape(n.lower())}">{escape(n)}</a></li>' for n in _NAV)
    reading = "".join(f'<li><a href="/read/{i}">{escape(t)}</a></li>'
                      for i, t in enumerate(_READING))
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(version.title)} - {escape(outlet.name)}</title>
<script>var analytics = {{"page": "article"}};</script></head>
<body>
<div class="cookie-banner"><p>We use cookies to improve your experience of our website.</p>
<button>Accept all cookies</button></div>
<header><a class="logo" href="/">{escape(outlet.name)}</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q"><button>Search</button></form></header>
<main><article>
<h1>{escape(version.title)}</h1>
<ul class="share"><li>Share on Facebook</li><li>Share on Twitter</li><li>Email this story</li></ul>
<div class="story-body">{body}</div>
</article>
<aside class="reading"><h2>Most read</h2><ol>{reading}</ol></aside></main>
<footer><p>Terms of use | Privacy policy | Cookies | Contact us</p>
<p>&copy; 2016 {escape(outlet.name)}. Not responsible for the content of external sites.</p></footer>
</body></html>""".encode()
