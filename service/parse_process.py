"""Parsing in processes of their own, each job with a time limit, each process dying
with the worker that started it.

feedparser and the sanitiser are pure Python (or hold the GIL): in a thread they would
compete with the event loop. And some input makes them superlinear (200,000 nested
``<div>``s take minutes), which no exception interrupts: the only way to stop such a
parse is to kill its process. So each parse process serves one job at a time over a
pipe; a job that overruns ``timeout`` gets its process killed and replaced, and the
feed a ParseError; the other processes keep serving the other feeds meanwhile.

A child watches its parent: a worker killed with SIGKILL takes its parse processes
with it (on Linux at once, through PR_SET_PDEATHSIG; elsewhere within a second).

This module is what a parse process imports, so it stays light: the parser, the
value bounds and the pure ingest rules, nothing of the database or the network.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from dataclasses import replace
from typing import NamedTuple

from service.bounds import char_refs_repaired
from service.errors import ParseError
from service.ingest import storable_entries
from service.parse import ParsedFeed, parse_feed

PROCESSES = 2  # one poison feed keeps one busy until its limit; the other serves the rest
_PR_SET_PDEATHSIG = 1


def parse_job(body: bytes, headers: Headers, *, url: str) -> ParsedFeed:
    """The feed, its impossible character references repaired first
    (:func:`service.bounds.char_refs_repaired`), and its entries as they will be stored
    (:func:`service.ingest.storable_entries`), each with its content hash read: bounding
    and hashing them here costs the worker's writing thread nothing."""
    parsed = parse_feed(char_refs_repaired(body), url=url, content_type=headers.content_type,
                        content_location=headers.content_location,
                        content_language=headers.content_language)
    entries = tuple(storable_entries(parsed.entries))
    for entry in entries:
        entry.content_hash  # noqa: B018 -- kept in the entry, and sent with it
    return replace(parsed, entries=entries)


class Headers(NamedTuple):
    """The response headers parsing reads: the format, the base of relative links, the
    language."""

    content_type: str | None = None
    content_location: str | None = None
    content_language: str | None = None


Job = tuple[bytes, str, Headers]
Answer = tuple[str, "ParsedFeed | str"]  # ("ok", the feed) or ("error", a reason)


def _serve(conn: Connection, parent: int) -> None:
    """A parse process: answer jobs until the pipe closes or the parent is gone."""
    _die_with(parent)
    while True:
        try:
            body, url, headers = conn.recv()
        except (EOFError, OSError):
            return
        answer: Answer
        try:
            answer = ("ok", parse_job(body, headers, url=url))
        except ParseError as exc:
            answer = ("error", exc.reason)
        except Exception as exc:  # feedparser is robust, but a parser bug must not stop a worker
            answer = ("error", f"parser failed: {type(exc).__name__}: {exc}")
        conn.send(answer)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch() -> None:  # also where prctl is missing, and for a parent gone before it ran
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


class _Child:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # the worker has threads: no fork
        self.conn, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child_end, os.getpid()), name="tollwatch-parse", daemon=True)
        self.process.start()
        child_end.close()

    def exchange(self, job: Job, timeout: float) -> Answer | None:
        """The answer, or None if it did not come within ``timeout`` seconds. Raises
        EOFError/OSError if the process died."""
        self.conn.send(job)
        if not self.conn.poll(timeout):
            return None
        return self.conn.recv()

    def end(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join(5)


class ParsePool:
    """Up to ``size`` parse processes, started when first needed. Use from one event loop."""

    def __init__(self, timeout: float, size: int = PROCESSES) -> None:
        self.timeout = timeout
        self.size = size
        self._idle: list[_Child] = []
        self._all: set[_Child] = set()
        self._free = asyncio.Semaphore(size)

    async def parse(self, body: bytes, headers: Headers, *, url: str) -> ParsedFeed:
        """The parsed feed; ParseError if it is not one, overran the limit, or killed
        its process."""
        async with self._free:
            child = self._idle.pop() if self._idle else await asyncio.to_thread(self._start)
            try:
                answer = await asyncio.to_thread(child.exchange, (body, url, headers),
                                                 self.timeout)
            except (EOFError, OSError):
                await asyncio.to_thread(self._retire, child)
                raise ParseError("the parser process died on this feed", url=url) from None
            except BaseException:  # cancelled mid-job: its answer would confuse the next
                await asyncio.shield(asyncio.to_thread(self._retire, child))
                raise
            if answer is None:
                await asyncio.to_thread(self._retire, child)
                raise ParseError(f"parsing took longer than {self.timeout:g}s; stopped",
                                 url=url)
            self._idle.append(child)
        kind, value = answer
        if kind != "ok" or not isinstance(value, ParsedFeed):
            raise ParseError(str(value), url=url)
        return value

    def start(self) -> None:
        """Start every process now (blocking), so that they load the parser while the
        first fetches run, rather than hold up the first feeds to arrive."""
        while len(self._all) < self.size:
            self._idle.append(self._start())

    def close(self) -> None:
        """End every process (blocking; from a thread in async code)."""
        for child in list(self._all):
            self._retire(child)
        self._idle.clear()

    def _start(self) -> _Child:
        child = _Child()
        self._all.add(child)
        return child

    def _retire(self, child: _Child) -> None:
        self._all.discard(child)
        child.end()
