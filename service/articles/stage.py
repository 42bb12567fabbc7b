"""The article stage: reads the article pages of full-text feeds' items, beside the poller.

It never runs inside a feed poll. The worker starts it as a job of its own; it queues what
the stored items want (service.store.articles.enqueue), claims due pages with leases, and
fetches them concurrently on the event loop (waiting on a server costs the poller
nothing), with its database work on a thread of its own and the extraction in a process
of its own (trafilatura is Python and lxml: on the event loop's thread it would hold up
every feed in flight). Each page, in order: robots.txt (cached per host in the
database; its Crawl-delay spaces the host's claims), the conditional GET, a look at what
came back (an HTML page, or refused with its type), the extraction, and the outcome with
the new revision in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import random
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

import httpx
from sqlalchemy import Engine

from service import db
from service.articles import rules
from service.articles.extract import Extracted, as_html, extract_text
from service.articles.fetch import AGENT, ArticleFetcher
from service.config import Settings
from service.errors import BlockedAddressError, FetchError
from service.models import utcnow
from service.parse import text_hash
from service.store import articles as store
from service.store.articles import ClaimedArticle, Finished
from service.worker import limits_from

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class ArticleRun:
    """What one run of the stage did, by outcome, and the time spent extracting."""

    outcomes: dict[str, int] = field(default_factory=dict)
    revisions: int = 0
    extract_seconds: float = 0.0

    def count(self, state: str) -> None:
        self.outcomes[state] = self.outcomes.get(state, 0) + 1

    def summary(self) -> str:
        """In a few words, as the one-shot commands print it: "3 article page(s) read, 2
        stored (1 not_html)"."""
        others = ", ".join(f"{n} {state}" for state, n in sorted(self.outcomes.items())
                           if state != "done")
        return (f"{sum(self.outcomes.values())} article page(s) read, {self.revisions} stored"
                + (f" ({others})" if others else ""))


class ArticleStage:
    """Reads article pages for one worker process. Use as an async context manager."""

    def __init__(self, settings: Settings, engine: Engine, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self._rng = rng
        self._fetcher = ArticleFetcher(limits_from(settings), settings.article_max_bytes,
                                       transport=transport, clock=clock)
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tollwatch-articles")
        self._extract_pool: Executor | None = None
        self._stopped = False
        # robots.txt read by this process since its entries were claimed, and one lock per
        # host, so pages of one host claimed together wait for one fetch of it
        self._robots: dict[str, tuple[int, str, datetime]] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    async def __aenter__(self) -> ArticleStage:
        self._extract_pool = _extract_pool()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
        await self._idle.wait()  # the run in flight, if any, stores what it fetched
        await self._fetcher.close()
        if self._extract_pool is not None:
            self._extract_pool.shutdown(wait=False, cancel_futures=True)
        self._db_pool.shutdown(wait=True)

    def stop(self) -> None:
        """Claim nothing more; the pages in flight finish and are stored."""
        self._stopped = True

    async def run_due(self) -> ArticleRun:
        """Queue what the stored items want, then read every due page until none is left."""
        run = ArticleRun()
        if self._stopped:
            return run
        self._idle.clear()
        try:
            await self._db(self._enqueue)
            started: set[asyncio.Task[None]] = set()
            while True:
                free = self.settings.article_concurrency - len(started)
                if free > 0 and not self._stopped:
                    for claimed in await self._db(self._claim, free):
                        started.add(asyncio.create_task(self._one(claimed, run)))
                if not started:
                    return run
                done, started = await asyncio.wait(started, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task.exception() is not None:  # its transaction rolled back; it is retried
                        log.error("storing an article failed", exc_info=task.exception())
        finally:
            self._idle.set()

    async def _db(self, function: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._db_pool, partial(function, *args))

    def _enqueue(self) -> int:
        with db.session_scope(self.engine) as session:
            return store.enqueue(session, self.clock(),
                                 max_age=timedelta(hours=self.settings.article_max_age_hours),
                                 short_chars=self.settings.article_short_chars)

    def _claim(self, limit: int) -> list[ClaimedArticle]:
        s = self.settings
        with db.session_scope(self.engine) as session:
            return store.claim(session, s.worker_id, self.clock(), limit=limit,
                               per_host=s.fetch_per_host, budget=s.article_hourly_per_host,
                               lease_seconds=s.lease_seconds,
                               robots_ttl=timedelta(seconds=s.robots_ttl))

    async def _one(self, claimed: ClaimedArticle, run: ArticleRun) -> None:
        try:
            outcome = await self._read(claimed, run)
        except BlockedAddressError as exc:
            outcome = Finished("blocked", error=exc.reason)
        except FetchError as exc:
            outcome = await self._failed(claimed, exc)
        number = await self._db(self._finish, claimed, outcome)
        run.count(outcome.state)
        run.revisions += number is not None
        failed = outcome.state in ("failed", "blocked", "not_html")
        log.log(logging.WARNING if failed else logging.INFO, "read article",
                extra={"url": claimed.url, "outcome": outcome.state, "status": outcome.status,
                       "reason": outcome.error or "-"})

    async def _read(self, claimed: ClaimedArticle, run: ArticleRun) -> Finished:
        if not await self._robots_allow(claimed):
            return Finished("robots", error="disallowed by robots.txt")
        result = await self._fetcher.page(claimed.url, claimed.etag, claimed.last_modified)
        if result.not_modified:
            return Finished("unchanged", status=304, etag=claimed.etag,
                            last_modified=claimed.last_modified)
        refused = rules.not_a_page(result.headers.get("content-type"), result.body)
        if refused is not None:
            return Finished("not_html", status=result.status, error=refused)
        etag, last_modified = result.headers.get("etag"), result.headers.get("last-modified")
        extracted = await self._extract(result.body, result.url)
        run.extract_seconds += extracted.seconds
        if not rules.adds_text(extracted.text, claimed.feed_text, self.settings.article_min_chars):
            return Finished("no_text", status=result.status,
                            error=f"{len(extracted.text)} characters of article text")
        digest = text_hash(extracted.text)
        if digest == claimed.text_hash:
            return Finished("unchanged", status=result.status, etag=etag,
                            last_modified=last_modified)
        return Finished("done", status=result.status, text=extracted.text,
                        content=as_html(extracted.text), text_hash=digest, etag=etag,
                        last_modified=last_modified)

    async def _robots_allow(self, claimed: ClaimedArticle) -> bool:
        ttl = timedelta(seconds=self.settings.robots_ttl)
        async with self._robots_locks.setdefault(claimed.host, asyncio.Lock()):
            status, body, fetched = self._robots.get(claimed.host) or (
                claimed.robots_status, claimed.robots, claimed.robots_fetched_at)
            now = self.clock()
            if rules.robots_stale(fetched, status, now, ttl):
                status, body = await self._fetcher.robots(claimed.url)
                self._robots[claimed.host] = (status, body, now)
                await self._db(self._save_robots, claimed.host, status, body,
                               rules.crawl_delay(status, body, AGENT))
        return rules.robots_allows(status, body, claimed.url, AGENT)

    async def _extract(self, page: bytes, url: str) -> Extracted:
        assert self._extract_pool is not None
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._extract_pool, extract_text, page, url)
        except BrokenProcessPool:
            self._extract_pool = _extract_pool()
            return Extracted("", 0.0)  # the extractor died on this page: no text from it
        except Exception as exc:  # an extractor bug must not stop the stage
            log.warning("extraction failed", extra={"url": url, "reason": repr(exc)})
            return Extracted("", 0.0)

    async def _failed(self, claimed: ClaimedArticle, exc: FetchError) -> Finished:
        now = self.clock()
        attempts = claimed.attempts + 1
        retry = rules.after_failure(attempts, now, base=self.settings.article_retry_base,
                                    max_attempts=self.settings.article_max_attempts,
                                    retry_after=exc.retry_after, rng=self._rng)
        if exc.status in (429, 503):
            pause = max(exc.retry_after or 0.0, self.settings.article_retry_base)
            await self._db(self._pause, claimed.host, now + timedelta(seconds=pause))
        if retry.due_at is None:
            return Finished("failed", attempts=attempts, status=exc.status, error=exc.reason)
        return Finished(store.PENDING, due_at=retry.due_at, attempts=attempts,
                        status=exc.status, error=exc.reason)

    def _finish(self, claimed: ClaimedArticle, outcome: Finished) -> int | None:
        with db.session_scope(self.engine) as session:
            return store.finish(session, claimed, self.settings.worker_id, outcome, self.clock())

    def _save_robots(self, host: str, status: int, body: str, delay: int | None) -> None:
        with db.session_scope(self.engine) as session:
            store.save_robots(session, host, status, body, delay, self.clock())

    def _pause(self, host: str, until: datetime) -> None:
        with db.session_scope(self.engine) as session:
            store.pause_host(session, host, until)


def _extract_pool() -> Executor:
    # spawn, not fork: the worker has threads (database, event loop) that fork would copy.
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
