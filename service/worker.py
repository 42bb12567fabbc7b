"""The poller: claims due feeds, fetches them concurrently, parses off the event loop,
and stores what each feed held.

Up to ``fetch_concurrency`` feeds are in flight at once; as soon as one finishes the
next due feed is claimed, so a few slow servers never hold up the rest. When claims
come up short (the per-host caps bind), a finished poll hands its slot over to its
host's next due feeds, a few at once, in the transaction that stores it
(:func:`service.store.polling.hand_over`) instead of a claim of its own, and the polls
of those feeds are written together with the last one's (:meth:`Poller._poll_chain`). Parsing runs
in separate processes with a time limit per feed (:mod:`service.parse_process`),
database work in a small thread pool (one thread on
SQLite, which has a single writer anyway). Each feed's result is written all or
nothing; the results of polls that finish together share a transaction.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from service import db
from service.config import Settings
from service.errors import BlockedAddressError, FetchError, LeaseLostError, ParseError
from service import metrics
from service.fetch.decide import Outcome, decide
from service.fetch.http import Fetcher, FetchResult, Limits
from service.fetch.schedule import Bounds
from service.ingest import guids_look_unstable, keyed_by_link, links_to_check
from service.models import utcnow
from service.parse import ParsedFeed
from service.parse_process import Headers, ParsePool
from service.store.items import Stored, known_items, known_links
from service.store.polling import (Claimed, PollRecord, claim_due, finish_poll, hand_over,
                                   release)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollSummary:
    """One feed's poll, as `tollwatch poll` prints it."""

    feed_id: int
    url: str
    outcome: str
    status: int | None
    new: int
    updated: int
    error: str | None


def limits_from(settings: Settings) -> Limits:
    return Limits(
        connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout,
        total_timeout=settings.total_timeout, max_response_bytes=settings.max_response_bytes,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        max_redirects=settings.max_redirects,
        allow_private_addresses=settings.allow_private_addresses,
    )


def bounds_from(settings: Settings) -> Bounds:
    return Bounds(minimum=settings.poll_min_interval, default=settings.poll_default_interval,
                  maximum=settings.poll_max_interval)


STALLED_FACTOR = 4  # at most this many times fetch_concurrency in flight, stalled ones included
# A fetch is stalled once it has run this many times longer than most fetches take
# lately (their 90th percentile), but never sooner than STALL_FLOOR seconds and never
# later than fetch_stall_seconds.
STALL_OVER_TYPICAL = 3.0
STALL_FLOOR = 0.5
RECENT_FETCHES = 100
GROUP_COMMIT = 50  # finished polls written in one transaction, at most
HAND_OVER_AHEAD = 16  # feeds leased per hand-over while the per-host caps bind


class Poller:
    """Polls feeds for one worker process. Use as an async context manager."""

    def __init__(self, settings: Settings, engine: Engine, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self._rng = rng  # schedule jitter; seeded only where a run must be reproducible
        self._transport = transport
        self._bounds = bounds_from(settings)
        self._parse_pool = ParsePool(settings.parse_timeout)
        self._stopped = False
        self._recent: deque[float] = deque(maxlen=RECENT_FETCHES)  # fetch durations, seconds
        self._fetching: dict[int, float] = {}  # feed -> when its fetch began, while it runs
        self._db_workers = 1 if db.is_sqlite(engine) else 4
        self._db_pool = ThreadPoolExecutor(max_workers=self._db_workers,
                                           thread_name_prefix="tollwatch-db")
        self._waiting: list[_Waiting] = []  # finished polls not yet written
        self._hand_over = False  # the caps bind: finished polls hand their slots over
        self._writers = 0  # transactions of them being written
        self._flushes: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> Poller:
        self._fetcher = Fetcher(limits_from(self.settings), transport=self._transport,
                                clock=self.clock)
        await asyncio.to_thread(self._parse_pool.start)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._fetcher.__aexit__(*exc)
        await asyncio.to_thread(self._parse_pool.close)
        self._db_pool.shutdown(wait=True)

    def stop(self) -> None:
        """Claim nothing more; the feeds in flight finish and are stored."""
        self._stopped = True

    async def poll_due(self, feed_ids: list[int] | None = None) -> list[PollSummary]:
        """Poll every due feed (or exactly ``feed_ids``, due or not) until none is left."""
        pending: list[int] | None = list(feed_ids) if feed_ids is not None else None
        summaries: list[PollSummary] = []
        started: set[asyncio.Task[list[PollSummary]]] = set()
        try:
            await self._poll_all(pending, started, summaries)
        except asyncio.CancelledError:  # no poll outlives its round (nor the pools it uses)
            for task in started:
                task.cancel()
            await asyncio.gather(*started, return_exceptions=True)
            raise
        return summaries

    async def _poll_all(self, pending: list[int] | None,
                        started: set[asyncio.Task[list[PollSummary]]],
                        summaries: list[PollSummary]) -> None:
        concurrency = self.settings.fetch_concurrency
        # After a claim that got fewer feeds than it asked for (the per-host caps bind, or
        # few are due), only the slots this worker's own finished polls have freed since
        # can be filled: the next claim asks for that many, and reads as few candidates.
        # None: no such limit (nothing was short, or time has passed, in which other
        # workers may have freed slots of their own).
        room: int | None = None
        while True:
            # A fetch waiting on its server longer than `stall` stops counting against the
            # concurrency, so a few slow servers cannot hold up every other feed; the
            # total in flight stays bounded all the same.
            stall = self._stall_after()
            now = time.monotonic()
            stalled = sum(1 for began in self._fetching.values() if now - began >= stall)
            free = min(concurrency - (len(started) - stalled),
                       concurrency * STALLED_FACTOR - len(started))
            want = free if room is None else min(free, room)
            if want > 0 and not self._stopped and (pending is None or pending):
                claimed = await self._db(self._claim, want, pending)
                room = None if len(claimed) == want else 0
                for one in claimed:
                    if pending is not None:
                        pending.remove(one.state.id)
                    started.add(asyncio.create_task(self._poll_chain(one)))
            # Hand over only while claims come up short: then no other feed could have
            # had the slot (explicit feed lists are polled as listed, never handed over).
            self._hand_over = room is not None and pending is None
            if not started:
                return
            done, _ = await asyncio.wait(started, return_when=asyncio.FIRST_COMPLETED,
                                         timeout=stall / 2)
            if room is not None:
                room = room + len(done) if done else None
            for task in done:
                started.discard(task)
                summaries.extend(task.result())

    def _stall_after(self) -> float:
        """Seconds after which a fetch in flight no longer holds a slot: relative to how
        long fetches take lately, so that on a fast network a server answering in 10 s
        gives its slot up well before that, and on a slow one nothing is cut short."""
        ceiling = self.settings.fetch_stall_seconds
        if len(self._recent) < 10:
            return ceiling
        typical = sorted(self._recent)[int(len(self._recent) * 0.9)]
        return min(ceiling, max(STALL_FLOOR, STALL_OVER_TYPICAL * typical))

    def _claim(self, limit: int, feed_ids: list[int] | None) -> list[Claimed]:
        with db.session_scope(self.engine) as session:
            return claim_due(session, self.settings.worker_id, self.clock(), limit=limit,
                             per_host=self.settings.fetch_per_host,
                             lease_seconds=self.settings.lease_seconds, feed_ids=feed_ids)

    async def _db(self, function: Callable[..., object], *args: object):
        return await asyncio.get_running_loop().run_in_executor(
            self._db_pool, partial(function, *args))

    async def _poll_chain(self, claimed: Claimed) -> list[PollSummary]:
        """Poll a feed, then each feed its slot is handed over to, one after another.

        While the caps bind, a hand-over leases up to HAND_OVER_AHEAD of the host's due
        feeds at once. The chain fetches them one by one (no more requests in flight
        than before) and queues each result without waiting for it to be written; the
        last one's write, which leases the next few, takes the queued ones with it. At
        a cap of 2, a transaction and a thread hand-off per feed had cost the re-poll
        of 500 unchanged feeds ~1.45 times the CPU of a cap of 32. A result waits in
        memory only while its feed's lease holds: a worker dying meanwhile loses no
        stored state, and the feed is polled again once the lease expires."""
        ahead: deque[Claimed] = deque([claimed])
        stores: list[asyncio.Task[tuple[PollSummary, list[Claimed]]]] = []
        try:
            while ahead:
                feed = ahead.popleft()
                if feed is not claimed and self._stopped:
                    await self._db(self._release, [feed, *ahead])  # free them for others now
                    break
                if feed is not claimed and not self._time_left(feed):
                    continue  # its lease may run out mid-fetch: leave it to expire
                last = not ahead
                polled = await self._poll_one(feed)
                stores.append(asyncio.create_task(self._finish(feed, *polled, urgent=last)))
                if last:
                    ahead.extend((await stores[-1])[1])
            self._kick()  # results queued before a feed skipped or released: write them
            return [(await store)[0] for store in stores]
        except asyncio.CancelledError:
            for store in stores:
                store.cancel()
            await asyncio.gather(*stores, return_exceptions=True)
            raise

    def _time_left(self, feed: Claimed) -> bool:
        """Whether a feed held ahead still has its lease for a whole fetch."""
        margin = min(self.settings.total_timeout, self.settings.lease_seconds / 2)
        return self.clock() + timedelta(seconds=margin) < feed.leased_until

    def _release(self, feeds: list[Claimed]) -> None:
        with db.session_scope(self.engine) as session:
            release(session, feeds, self.settings.worker_id)

    async def _poll_one(self, claimed: Claimed
                        ) -> tuple[PollRecord, ParsedFeed | None, datetime, datetime, float]:
        """Fetch and parse one feed: its record, and when the poll began and ended.
        Never raises (but for cancellation): whatever goes wrong, of whatever type, is
        this feed's outcome, recorded against it and backed off, and costs the other
        feeds of the round nothing."""
        started, tick = self.clock(), time.monotonic()
        parsed: ParsedFeed | None = None
        try:
            outcome, parsed = await self._fetch_and_parse(claimed)
        except Exception as exc:  # a bug of ours on this feed's input: this feed's failure
            log.exception("polling a feed failed unexpectedly", extra={"feed": claimed.state.url})
            outcome = Outcome(status=None, headers={}, error=_reason("internal error", exc))
        now = self.clock()
        return self._record(claimed, outcome, parsed, now, started, tick), parsed, now, \
            started, tick

    async def _finish(self, claimed: Claimed, record: PollRecord, parsed: ParsedFeed | None,
                      now: datetime, started: datetime, tick: float, *,
                      urgent: bool) -> tuple[PollSummary, list[Claimed]]:
        """Store one poll (``urgent``: written at once, with the hand-over of its slot
        if the caps bind; else with the next write that is); its summary, and the
        feeds its slot was handed over to."""
        url = claimed.state.url
        ahead = HAND_OVER_AHEAD if urgent and self._hand_over else 0
        try:
            stored, successors = await self._store(claimed, record, now, ahead, urgent)
        except LeaseLostError as exc:
            log.warning("poll not stored", extra={"feed": url, "reason": exc.reason})
            return PollSummary(claimed.state.id, url, "lost", record.status, 0, 0,
                               exc.reason), []
        except Exception as exc:  # its data could not be written: record that alone
            log.warning("poll could not be stored; recording the failure alone",
                        extra={"feed": url, "reason": _reason("", exc)})
            failed = Outcome(status=record.status, headers={},
                             error=_reason("could not store the feed's data", exc))
            record = self._record(claimed, failed, None, now, started, tick)
            try:
                stored, successors = await self._store(claimed, record, now, 0, True)
            except Exception as again:  # the database itself is failing: the lease expires
                reason = _reason("could not record the failure", again)
                log.error("poll not stored", extra={"feed": url, "reason": reason})
                return PollSummary(claimed.state.id, url, "error", record.status, 0, 0,
                                   reason), []
        update = record.update
        metrics.FETCHES.labels(update.label).inc()
        metrics.FETCH_SECONDS.observe(time.monotonic() - tick)
        error = update.last_error or (parsed.warning if parsed else None)
        log.log(logging.WARNING if update.last_error else logging.INFO, "polled feed",
                extra={"feed": url, "outcome": update.label, "status": record.status,
                       "new": stored.new, "updated": stored.updated, "reason": error or "-"})
        return PollSummary(claimed.state.id, url, update.label, record.status, stored.new,
                           stored.updated, update.last_error), successors

    async def _fetch_and_parse(self, claimed: Claimed) -> tuple[Outcome, ParsedFeed | None]:
        """What the feed's server answered, as an Outcome (a failure is one too)."""
        parsed: ParsedFeed | None = None
        try:
            result = await self._fetch(claimed)
            if not result.not_modified:
                parsed = await self._parse(result)
            return Outcome(status=result.status, headers=result.headers,
                           ttl_minutes=parsed.ttl_minutes if parsed else None,
                           moved_to=result.moved_to), parsed
        except FetchError as exc:
            return Outcome(status=exc.status, headers={}, error=exc.reason,
                           retry_after=exc.retry_after,
                           blocked=isinstance(exc, BlockedAddressError)), None
        except ParseError as exc:
            return Outcome(status=200, headers={}, error=exc.reason), None

    def _record(self, claimed: Claimed, outcome: Outcome, parsed: ParsedFeed | None,
                now: datetime, started: datetime, tick: float) -> PollRecord:
        update = decide(claimed.state, outcome, now, self._bounds,
                        self.settings.permanent_redirect_threshold, self._rng)
        return PollRecord(update=update, status=outcome.status, started_at=started,
                          duration_ms=int((time.monotonic() - tick) * 1000),
                          title=parsed.title if parsed else None,
                          entries=parsed.entries if parsed else ())

    async def _fetch(self, claimed: Claimed) -> FetchResult:
        """The HTTP part of a poll, the only part that waits on someone else's server:
        only here can a poll be stalled, and only its duration tells what is typical."""
        state = claimed.state
        began = self._fetching[state.id] = time.monotonic()
        try:
            return await self._fetcher.fetch(state.url, etag=state.etag,
                                             last_modified=state.last_modified)
        finally:
            del self._fetching[state.id]
            self._recent.append(time.monotonic() - began)

    async def _parse(self, result: FetchResult) -> ParsedFeed:
        headers = result.headers.get
        return await self._parse_pool.parse(
            result.body, Headers(headers("content-type"), headers("content-location"),
                                 headers("content-language")), url=result.url)

    async def _store(self, claimed: Claimed, record: PollRecord, now: datetime,
                     ahead: int, urgent: bool) -> tuple[Stored, list[Claimed]]:
        """Queue the poll's result for a transaction and wait until it is written; with
        ``ahead``, up to that many feeds its slot went to as well (none: none was due).

        Group commit: while one transaction is being written, the polls finishing
        meanwhile wait, and the next transaction writes them all; a poll not
        ``urgent`` waits for the next one that is (or for a full batch). An unchanged
        feed's poll is three small statements, and a transaction of its own cost more
        than they did."""
        done: asyncio.Future[tuple[Stored, list[Claimed]]] = \
            asyncio.get_running_loop().create_future()
        # Only a lease still live may be handed over: one expired is already free to
        # others' counts, and a successor leased for it would exceed the per-host cap.
        ahead = ahead if not self._stopped and now < claimed.leased_until else 0
        self._waiting.append(_Waiting(claimed, record, now, ahead, done))
        if urgent or len(self._waiting) >= GROUP_COMMIT:
            self._kick()
        return await done

    def _kick(self) -> None:
        """Write the polls waiting, unless every database thread is writing already
        (each writes on until none is left)."""
        if self._waiting and self._writers < self._db_workers:
            self._writers += 1
            self._flushes.add(task := asyncio.create_task(self._flush()))
            task.add_done_callback(self._flushes.discard)

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:GROUP_COMMIT]
                del self._waiting[:GROUP_COMMIT]
                try:
                    results = await self._db(self._write, batch)
                except asyncio.CancelledError:  # the loop is shutting down
                    for waiting in batch:
                        waiting.done.cancel()
                    raise
                except Exception as exc:  # the executor is gone: nothing was written
                    results = [exc] * len(batch)
                for waiting, result in zip(batch, results):
                    if waiting.done.done():
                        continue  # its poll was cancelled
                    if isinstance(result, BaseException):
                        waiting.done.set_exception(result)
                    else:
                        waiting.done.set_result(result)
        finally:
            self._writers -= 1

    def _write(self, batch: list[_Waiting]) -> list[tuple[Stored, list[Claimed]] | Exception]:
        """All of ``batch`` in one transaction; if that fails, each poll in its own, so
        that one feed's bad data costs no other feed its poll."""
        if len(batch) > 1:
            try:
                with db.session_scope(self.engine) as session:
                    return [self._write_one(session, w) for w in batch]
            except Exception as exc:
                log.warning("a shared transaction failed; writing its polls one by one",
                            extra={"polls": len(batch), "reason": f"{type(exc).__name__}: {exc}"})
        results: list[tuple[Stored, list[Claimed]] | Exception] = []
        for waiting in batch:
            try:
                with db.session_scope(self.engine) as session:
                    results.append(self._write_one(session, waiting))
            except Exception as exc:
                results.append(exc)
        return results

    def _write_one(self, session: Session,
                   waiting: _Waiting) -> tuple[Stored, list[Claimed]]:
        """One poll's writes, and the hand-over of its slot if asked for. Its entries
        came storable from the parse process (:func:`service.parse_process.parse_job`);
        the items they name are read once, for the GUID check and the plan alike."""
        claimed, record = waiting.claimed, waiting.record
        entries = list(record.entries)
        unstable, known = claimed.guid_unstable, None
        if entries and not unstable:
            known = known_items(session, claimed.outlet_id, (e.identity for e in entries))
            links = links_to_check(entries, set(known))
            unstable = bool(links) and guids_look_unstable(
                entries, set(known), known_links(session, claimed.outlet_id, links))
            if unstable:
                log.warning("feed GUIDs change on every fetch; keying items by link",
                            extra={"feed": claimed.state.url})
        if unstable:
            entries, known = keyed_by_link(entries), None
        record = replace(record, entries=tuple(entries), guid_unstable=unstable)
        owner = self.settings.worker_id
        stored = finish_poll(session, claimed, record, owner, waiting.now,
                             self.settings.fetch_log_keep, known=known)
        successors = hand_over(session, claimed, owner, waiting.now,
                               lease_seconds=self.settings.lease_seconds,
                               count=waiting.ahead) if waiting.ahead else []
        return stored, successors


@dataclass(frozen=True)
class _Waiting:
    """A finished poll waiting for its transaction."""

    claimed: Claimed
    record: PollRecord
    now: datetime
    ahead: int  # lease up to this many of the host's next due feeds in the same transaction
    done: asyncio.Future[tuple[Stored, list[Claimed]]]


def _reason(what: str, exc: BaseException) -> str:
    return f"{what}: {type(exc).__name__}: {exc}".lstrip(": ")
