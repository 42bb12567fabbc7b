"""A loopback feed server that serves each outlet's feed as it stood at a simulated time,
with real conditional-GET behaviour (ETag, Last-Modified, 304)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from service.demo.articles import article_page
from service.demo.corpus import OUTLETS, START, Outlet, Story, minute_of


class ReplayClock:
    """The simulated time shared by the server and the poller."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, now: datetime) -> None:
        with self._lock:
            self._now = now


def render(outlet: Outlet, stories: list[Story], minute: int, base: str) -> tuple[bytes, datetime]:
    """The feed body at ``minute`` and the time of its latest change."""
    live = [(s, v) for s in stories if (v := s.at(minute)) is not None]
    live.sort(key=lambda sv: -sv[1].minute)
    changed = START + timedelta(minutes=max((v.minute for _, v in live), default=0))
    entries = []
    for story, version in live[:50]:
        text = "" if outlet.headline_only else version.text  # the story is on its page
        when = START + timedelta(minutes=version.minute)
        first = START + timedelta(minutes=story.versions[0].minute)
        link = f"{base}/{outlet.slug}/{story.guid}"
        if outlet.format == "atom":
            entries.append(
                f"<entry><id>{escape(story.guid)}</id><title>{escape(version.title)}</title>"
                f"<link href=\"{escape(link)}\"/><published>{first.isoformat()}</published>"
                f"<updated>{when.isoformat()}</updated>"
                f"<summary>{escape(text)}</summary></entry>")
        else:
            entries.append(
                f"<item><guid isPermaLink=\"false\">{escape(story.guid)}</guid>"
                f"<title>{escape(version.title)}</title><link>{escape(link)}</link>"
                f"<pubDate>{format_datetime(when)}</pubDate>"
                f"<description>{escape(text)}</description></item>")
    if outlet.format == "atom":
        body = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                f"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{escape(outlet.name)}</title>"
                f"<id>{base}/{outlet.slug}</id><updated>{changed.isoformat()}</updated>"
                + "".join(entries) + "</feed>")
    else:
        body = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                f"<title>{escape(outlet.name)}</title><link>{base}/{outlet.slug}</link>"
                f"<description>{escape(outlet.name)} (tollwatch replay)</description>"
                + "".join(entries) + "</channel></rss>")
    return body.encode(), changed


@contextmanager
def replay_server(stories: tuple[Story, ...], clock: ReplayClock) -> Iterator[str]:
    """Serve the corpus on 127.0.0.1; yields the base URL."""
    by_outlet = {o.slug: (o, [s for s in stories if s.outlet == o.slug]) for o in OUTLETS}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            slug, _, guid = self.path.strip("/").removesuffix(".xml").partition("/")
            if slug not in by_outlet:
                self.send_error(404, "no such feed")
                return
            outlet, outlet_stories = by_outlet[slug]
            if guid:
                self._article(outlet, outlet_stories, guid)
                return
            body, changed = render(outlet, outlet_stories, minute_of(clock()), base)
            content_type = "application/atom+xml" if outlet.format == "atom" else "application/rss+xml"
            self._answer(body, changed, f"{content_type}; charset=utf-8")

        def _article(self, outlet: Outlet, outlet_stories: list[Story], guid: str) -> None:
            """A headline-only outlet's article page, as the story stands now."""
            minute = minute_of(clock())
            found = [(s, v) for s in outlet_stories if s.guid == guid and (v := s.at(minute))]
            if not outlet.headline_only or not found:
                self.send_error(404, "no such article")
                return
            story, version = found[0]
            self._answer(article_page(outlet, story, version),
                         START + timedelta(minutes=version.minute), "text/html; charset=utf-8")

        def _answer(self, body: bytes, changed: datetime, content_type: str) -> None:
            """200 with validators, or 304 when the client's validators still hold."""
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            since = self.headers.get("If-Modified-Since")
            not_modified = self.headers.get("If-None-Match") == etag or (
                since is not None and self.headers.get("If-None-Match") is None
                and _not_after(changed, since))
            self.send_response(304 if not_modified else 200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", format_datetime(changed, usegmt=True))
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", "0" if not_modified else str(len(body)))
            self.end_headers()
            if not not_modified:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def _not_after(changed: datetime, header: str) -> bool:
    try:
        return changed.replace(microsecond=0) <= parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
