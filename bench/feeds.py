"""A loopback feed server for the benchmarks, in a process of its own: pre-built RSS
bodies, ETag/304 support, and a set of paths that answer only after a delay."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as StopEvent

WORDS = ("blast shelling strike quake flood ceasefire convoy hospital market border city "
         "province ministry officials rescue workers residents villages bridge port aid "
         "monitor army rebels police government talks agency camp displaced families").split()
PLACES = ("Aleppo Mosul Kabul Sanaa Gaza Donetsk Tripoli Khartoum Mogadishu Idlib Homs "
          "Kharkiv Goma Maiduguri Lahore Quetta Marawi Aden Taiz Raqqa").split()


SYLLABLES = "ka ro mi ta su ne lo ba di ve za ho ri pu ge ny la mo".split()


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def item_text(rng: random.Random, size: int = 1000, event: int | None = None) -> tuple[str, str]:
    """A title and ~``size`` bytes of news-like text, with a casualty sentence. Items of
    the same ``event`` share its invented place and people, as reports of one event do."""
    own = random.Random(event) if event is not None else rng
    place, people = name(own), [name(own) for _ in range(3)]
    what = own.choice(WORDS)
    title = f"{what.capitalize()} in {place} kills {rng.randint(2, 90)}, {people[0]} says"
    words = [f"A {what} in {place} killed {rng.randint(2, 90)} people and injured "
             f"{rng.randint(5, 200)}, {people[0]} of the {rng.choice(PLACES)} agency said."]
    length, sentence = len(words[0]), 0
    while length < size:
        roll = rng.random()
        word = (rng.choice(people + [place]) if roll < 0.15 else
                rng.choice(PLACES) if roll < 0.2 else rng.choice(WORDS))
        sentence += 1
        if sentence > 8 and rng.random() < 0.1:  # sentences of news length, ~18 words
            word, sentence = word + ".", 0
        words.append(word.capitalize() if words[-1].endswith(".") else word)
        length += len(word) + 1
    return title, " ".join(words)


def rss_body(feed: int, items: int, seed: int = 0, events: int = 400) -> bytes:
    """A feed whose items report on ``events`` different events (several outlets each)."""
    rng = random.Random(feed * 7919 + seed)
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    parts = []
    for n in range(items):
        title, text = item_text(rng, event=rng.randrange(events))
        when = format_datetime(start + timedelta(minutes=feed * 3 + n * 17))
        parts.append(f"<item><guid>bench-{feed}-{n}</guid><title>{title}</title>"
                     f"<link>https://news.example/{feed}/{n}</link><pubDate>{when}</pubDate>"
                     f"<description>{text}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench feed {feed}</title>{''.join(parts)}</channel></rss>").encode()


class _Server(ThreadingHTTPServer):
    # listen() runs in the constructor, so the backlog must be set on the class: with
    # the default of 5, a burst of connections waits for SYN retries (a second each)
    # and the benchmark would measure the kernel's backoff, not tollwatch.
    request_queue_size = 1024
    daemon_threads = True


class BenchServer:
    def __init__(self, bodies: dict[str, bytes], slow: set[str], delay: float) -> None:
        tags = {path: '"' + hashlib.sha1(body).hexdigest() + '"' for path, body in bodies.items()}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # as real web servers do (nginx's tcp_nodelay): the headers and the body go
            # out in two writes, and on a kept-alive connection Nagle's algorithm held
            # the body until the client's delayed ACK, ~40 ms a request on this machine
            # (lemon24/reader's requests.Session paid it on every feed; 2.6 ms without)
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                if path in slow:
                    time.sleep(delay)
                body = bodies.get(path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == tags[path]:
                    self.send_response(304)
                    self.send_header("ETag", tags[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                page = body.startswith(b"<!DOCTYPE html")  # an article page, not a feed
                self.send_header("Content-Type",
                                 "text/html; charset=utf-8" if page else "application/rss+xml")
                self.send_header("ETag", tags[path])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"


def _serve(bodies: dict[str, bytes], slow: set[str], delay: float, ready: Queue[str],
           stop: StopEvent) -> None:
    server = BenchServer(bodies, slow, delay)
    thread = threading.Thread(target=server._server.serve_forever, daemon=True)
    thread.start()
    ready.put(server.base)
    stop.wait()
    server._server.shutdown()
    server._server.server_close()


@contextmanager
def serving(bodies: dict[str, bytes], slow: set[str] = frozenset(), delay: float = 0.0  # type: ignore[assignment]
            ) -> Iterator[str]:
    """Serve ``bodies`` on loopback from a process of its own. A real feed server shares
    no interpreter with the poller; in the same one, its request handling would take the
    GIL from the poller and be measured as the poller's time (a third of a re-poll of
    500 unchanged feeds)."""
    context = multiprocessing.get_context("spawn")
    ready: Queue[str] = context.Queue()
    stop = context.Event()
    process = context.Process(target=_serve, args=(bodies, set(slow), delay, ready, stop),
                              name="bench-feed-server", daemon=True)
    process.start()
    try:
        yield ready.get(timeout=120)
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()
