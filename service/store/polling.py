"""Claiming due feeds (leases) and recording what a poll found, in one transaction.

Several workers share the feeds through these two functions. A claim is a lease:
``lease_owner`` and ``lease_expires_at`` set by a conditional UPDATE that only
succeeds on an unleased (or expired) feed, so two workers can never both hold one;
on PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED`` so workers do not
queue behind each other, and claims take a short lock so the per-host limit (live
leases per host, article fetches included: service.store.hosts) is counted exactly.
A worker that dies simply lets its leases expire; the next claim after expiry takes
the feeds back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (BindParameter, ColumnElement, Integer, Row, Update, and_, bindparam,
                        delete, insert, or_, update)
from sqlalchemy import select as select_columns  # Core: typed past sqlmodel's four columns
from sqlalchemy.sql.base import Executable
from sqlmodel import Session, col, select

from service import bounds
from service.errors import LeaseLostError
from service.fetch.decide import FeedState, FeedUpdate, FetchOutcome
from service.ingest import Known
from service.models import Feed, FetchLog
from service.parse import Entry
from service.store.feeds import host_of
from service.store.hosts import in_flight, lock_hosts
from service.store.items import Stored, rekey_by_link, store_entries


@dataclass(frozen=True)
class Claimed:
    """A feed this worker holds the lease on, until ``leased_until``."""

    state: FeedState
    outlet_id: int
    host: str
    guid_unstable: bool
    leased_until: datetime


def claim_due(session: Session, owner: str, now: datetime, *, limit: int, per_host: int,
              lease_seconds: int, feed_ids: list[int] | None = None) -> list[Claimed]:
    """Lease up to ``limit`` due feeds (or the given ones, due or not) for ``owner``.

    The statements are built once (:func:`_claim_statements`) and run on the session's
    connection: a worker claims after nearly every finished poll when the per-host cap
    binds, and building ORM statements cost several times the SQL."""
    postgres = session.get_bind().dialect.name == "postgresql"
    candidates_query, lease = _claim_statements(postgres, feed_ids is not None)
    lock_hosts(session)  # the per-host cap is shared with article claims
    connection = session.connection()
    wanted: dict[str, object] = {"b_now": now, "b_limit": limit * 4}
    if feed_ids is not None:
        wanted["b_ids"] = feed_ids
    candidates = connection.execute(candidates_query, wanted).all()
    busy = in_flight(session, now)  # article fetches on the host count too
    chosen: list[Row[Any]] = []
    for feed in candidates:
        if len(chosen) < limit and busy[feed.host] < per_host:
            busy[feed.host] += 1
            chosen.append(feed)
    if not chosen:
        return []
    # One statement leases them all; the condition is checked again row by row, so a
    # feed another worker leased in the meantime is simply not returned.
    expires = now + timedelta(seconds=lease_seconds)
    leased = set(connection.execute(lease, {
        "b_ids": [f.id for f in chosen], "b_now": now, "b_owner": owner,
        "b_expires": expires}).scalars())
    return [_claimed(feed, expires) for feed in chosen if feed.id in leased]


def hand_over(session: Session, done: Claimed, owner: str, now: datetime, *,
              lease_seconds: int, count: int = 1) -> list[Claimed]:
    """Lease up to ``count`` of the next due feeds of ``done``'s host in the transaction
    that releases ``done`` (:func:`finish_poll`, called first): one statement, and no
    claim. Ordered by id.

    The caller must still hold ``done``'s lease live (``now`` before ``leased_until``),
    or the lease it gives up would already be counted as free. Its fetches in flight
    stay as many as they were: it fetches the feeds leased here one after another, in
    the slot ``done`` held. So the host's leases may outnumber its cap while a worker
    holds feeds ahead; other workers, and article fetches, then leave the host alone
    until they are polled, which keeps its requests in flight within the cap. A worker
    whose claims come up short (its per-host caps bind) hands each finished slot over
    like this rather than claim again after every fetch: with a cap of 2 on a host of
    500 feeds, that was a claim and a transaction per feed."""
    expires = now + timedelta(seconds=lease_seconds)
    postgres = session.get_bind().dialect.name == "postgresql"
    feeds = session.connection().execute(_hand_over_statement(postgres), {
        "b_host": done.host, "b_done": done.state.id, "b_now": now, "b_owner": owner,
        "b_expires": expires, "b_count": count}).all()
    return sorted((_claimed(feed, expires) for feed in feeds), key=lambda c: c.state.id)


def release(session: Session, feeds: list[Claimed], owner: str) -> None:
    """Give up the leases of feeds held ahead and not polled (the worker is stopping):
    free at once for others, rather than when the leases expire."""
    session.connection().execute(
        update(_FEEDS).where(_FEEDS.c.id.in_([f.state.id for f in feeds]),
                             _FEEDS.c.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None))


def _claimed(feed: Row[Any], expires: datetime) -> Claimed:
    return Claimed(
        state=FeedState(id=feed.id, url=feed.url, etag=feed.etag,
                        last_modified=feed.last_modified, interval=feed.interval_seconds,
                        error_count=feed.error_count, throttle_count=feed.throttle_count,
                        redirect_url=feed.redirect_url, redirect_count=feed.redirect_count),
        outlet_id=feed.outlet_id, host=feed.host, guid_unstable=feed.guid_unstable,
        leased_until=expires)


_CLAIMED_COLUMNS = [col(c) for c in (
    Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.interval_seconds, Feed.error_count,
    Feed.throttle_count, Feed.redirect_url, Feed.redirect_count, Feed.outlet_id, Feed.host,
    Feed.guid_unstable)]


def _free(now: BindParameter[datetime]) -> ColumnElement[bool]:
    """A feed no live lease holds, that is due to be polled (enabled, not gone)."""
    feeds = _FEEDS.c
    return and_(feeds.enabled, ~feeds.gone,
                or_(feeds.lease_expires_at.is_(None), feeds.lease_expires_at <= now))


@lru_cache(maxsize=2)
def _hand_over_statement(postgres: bool) -> Executable:
    feeds = _FEEDS.c
    now: BindParameter[datetime] = bindparam("b_now")
    successors = (select_columns(feeds.id)
                  .where(feeds.host == bindparam("b_host"), feeds.id != bindparam("b_done"),
                         _free(now), feeds.next_fetch_at <= now)
                  .order_by(feeds.next_fetch_at, feeds.id)
                  .limit(bindparam("b_count", type_=Integer)))
    if postgres:
        successors = successors.with_for_update(skip_locked=True)
    return (update(_FEEDS).where(feeds.id.in_(successors), _free(now))
            .values(lease_owner=bindparam("b_owner"), lease_expires_at=bindparam("b_expires"))
            .returning(*_CLAIMED_COLUMNS))


@lru_cache(maxsize=4)
def _claim_statements(postgres: bool, by_ids: bool) -> tuple[Executable, Executable]:
    """The candidates (read ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers do not
    queue behind each other) and the lease itself."""
    feeds = _FEEDS.c
    now: BindParameter[datetime] = bindparam("b_now")
    free = or_(feeds.lease_expires_at.is_(None), feeds.lease_expires_at <= now)
    candidates = select_columns(*_CLAIMED_COLUMNS).where(_free(now))
    if by_ids:
        candidates = candidates.where(feeds.id.in_(bindparam("b_ids", expanding=True))) \
            .order_by(feeds.id)
    else:
        candidates = candidates.where(feeds.next_fetch_at <= now) \
            .order_by(feeds.next_fetch_at, feeds.id)
    candidates = candidates.limit(bindparam("b_limit", type_=Integer))
    if postgres:
        candidates = candidates.with_for_update(skip_locked=True)
    lease = (update(_FEEDS).where(feeds.id.in_(bindparam("b_ids", expanding=True)), free)
             .values(lease_owner=bindparam("b_owner"), lease_expires_at=bindparam("b_expires"))
             .returning(feeds.id))
    return candidates, lease


@dataclass(frozen=True)
class PollRecord:
    """Everything one poll of one feed wants written."""

    update: FeedUpdate
    status: int | None
    started_at: datetime
    duration_ms: int
    title: str | None = None
    entries: tuple[Entry, ...] = ()
    guid_unstable: bool = False


def finish_poll(session: Session, claimed: Claimed, record: PollRecord, owner: str,
                now: datetime, keep_logs: int, known: dict[str, Known] | None = None) -> Stored:
    """Update the feed, store the items, log the fetch and release the lease: all or
    nothing. Raise LeaseLostError, writing nothing, when the feed is no longer this
    worker's (removed while it was fetched, or its lease expired and was taken).
    ``known``: the entries' stored items, if the caller read them in this transaction."""
    values = _feed_values(session, claimed, record, now)
    # The feed first: its UPDATE is conditional on the lease, so it tells whether the
    # poll may be written at all before anything else is.
    connection = session.connection()
    updated = connection.execute(_feed_update(frozenset(values)),
                                 {**values, "b_feed_id": claimed.state.id, "b_owner": owner})
    if updated.rowcount != 1:
        raise LeaseLostError("the feed was removed, or its lease taken, while it was polled",
                             url=claimed.state.url)
    entries = list(record.entries)
    if record.guid_unstable:
        rekey_by_link(session, claimed.outlet_id, entries)
    stored = store_entries(session, claimed.outlet_id, claimed.state.id, entries, now,
                           known=known) if entries else Stored()
    # Core statements built once per shape and executed on the session's connection:
    # a poll of an unchanged feed is nothing but these three, and building ORM
    # statements cost more than the SQL.
    error = bounds.optional_text(record.update.last_error, bounds.ERROR_MAX)
    connection.execute(_LOG_INSERT, dict(
        feed_id=claimed.state.id, started_at=record.started_at, duration_ms=record.duration_ms,
        status=record.status, outcome=record.update.label, error=error or None,
        new_items=stored.new, updated_items=stored.updated, worker=owner))
    connection.execute(_TRIM_LOG, {"b_feed_id": claimed.state.id, "b_keep": keep_logs})
    return stored


def _feed_values(session: Session, claimed: Claimed, record: PollRecord,
                 now: datetime) -> dict[str, object]:
    """The feed's new columns, each bounded (:mod:`service.bounds`): a validator or a
    redirect target that no column could hold is forgotten, not cut."""
    upd = record.update
    url = upd.url
    if url != claimed.state.url and (
            bounds.url_problem(url) is not None
            or session.exec(select(Feed.id).where(Feed.url == url)).first()):
        url = claimed.state.url  # not a URL a feed can have, or already followed as another
    redirect_url = upd.redirect_url
    if redirect_url is not None and bounds.url_problem(redirect_url) is not None:
        redirect_url = None
    values: dict[str, object] = dict(
        url=url, etag=bounds.exact(upd.etag, bounds.ETAG_MAX),
        last_modified=bounds.exact(upd.last_modified, bounds.LAST_MODIFIED_MAX),
        next_fetch_at=upd.next_fetch_at, error_count=upd.error_count,
        throttle_count=upd.throttle_count, gone=upd.gone, redirect_url=redirect_url,
        redirect_count=upd.redirect_count if redirect_url == upd.redirect_url else 0,
        last_status=record.status, last_outcome=upd.label, last_fetched_at=now,
        lease_owner=None, lease_expires_at=None,
    )
    if url != claimed.state.url:
        values["host"] = host_of(url)
    if upd.last_error is not None:
        values.update(last_error=bounds.text(upd.last_error, bounds.ERROR_MAX), last_error_at=now)
    elif upd.label in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED):
        values["last_error"] = None
    if record.title:
        values["title"] = bounds.text(record.title, bounds.TITLE_MAX)
    if record.guid_unstable:
        values["guid_unstable"] = True
    return values


_FEEDS, _LOGS = Feed.__table__, FetchLog.__table__  # type: ignore[attr-defined]
_LOG_INSERT = insert(_LOGS)
# Keep the feed's newest ``keep`` fetch-log rows, in one statement.
_TRIM_LOG = delete(_LOGS).where(
    _LOGS.c.feed_id == bindparam("b_feed_id"),
    _LOGS.c.id <= select(_LOGS.c.id).where(_LOGS.c.feed_id == bindparam("b_feed_id"))
    .order_by(_LOGS.c.id.desc()).offset(bindparam("b_keep")).limit(1).scalar_subquery())


@lru_cache(maxsize=64)
def _feed_update(columns: frozenset[str]) -> Update:
    """The UPDATE of these columns of a leased feed (a handful of shapes, one per outcome)."""
    return (update(_FEEDS)
            .where(_FEEDS.c.id == bindparam("b_feed_id"), _FEEDS.c.lease_owner == bindparam("b_owner"))
            .values({name: bindparam(name) for name in sorted(columns)}))
