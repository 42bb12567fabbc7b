"""The per-host limit on fetches in flight, shared by feed and article fetches.

A fetch in flight is a live lease: a feed's (service.store.polling) or an article page's
(service.store.articles). Both claims count the leases of both tables on the host, and
take the same lock while they count and lease, so that neither kind of claim can
overshoot the cap between the other's count and its write, across every worker.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import Session, col, func, select

from service import db
from service.models import Article, Feed

CLAIM_LOCK = 0x636C6169  # "clai": one feed or article claim at a time


def lock_hosts(session: Session) -> None:
    """Hold the claim lock for the rest of the transaction (an advisory lock on
    PostgreSQL; on SQLite the write lock, taken before the counts are read)."""
    db.serialize(session, CLAIM_LOCK)


def leases_by_host(session: Session, model: type[Feed] | type[Article],
                   now: datetime) -> Counter[str]:
    """Live leases of ``model`` (feeds or articles) per host."""
    return Counter(dict(session.exec(
        select(model.host, func.count()).where(col(model.lease_expires_at) > now)
        .group_by(col(model.host))).all()))


def in_flight(session: Session, now: datetime) -> Counter[str]:
    """Fetches in flight per host: feed and article fetches together."""
    return leases_by_host(session, Feed, now) + leases_by_host(session, Article, now)
