"""A real HTTP server on 127.0.0.1 whose every path is scripted by the test.

A route is a function taking the request (method, path, headers) and returning a
``Reply`` (status, headers, body) or doing something nastier itself through the
handler: dripping bytes slowly, never answering, closing the socket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    handler: BaseHTTPRequestHandler
    at: float = field(default_factory=time.monotonic)  # when it arrived


Route = Callable[[Request], Reply | None]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()},
                                  self)
                server.requests.append(request)
                route = server.routes.get(path)
                reply = route(request) if route else Reply(404, b"not found")
                if reply is None:  # the route answered by itself
                    return
                self.send_response(reply.status)
                headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # a client that hangs up (a killed worker, a timeout) is expected here, not news
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def http_date(seconds: float | None = None) -> str:
    return formatdate(seconds if seconds is not None else time.time(), usegmt=True)


def rss(*items: tuple[str, str, str], ttl: int | None = None, title: str = "Test feed") -> bytes:
    """An RSS 2.0 document; each item is (guid, title, description)."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{head}</title><link>https://news.example/{guid}</link>"
        f"<description>{text}</description><pubDate>Mon, 23 May 2016 09:00:00 +0300</pubDate>"
        "</item>"
        for guid, head, text in items
    )
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title>{ttl_tag}{body}</channel></rss>").encode()
