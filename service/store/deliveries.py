"""Digest deliveries: one row per (day, recipient), claimed before sending, so that a
restart or several workers never send twice and never lose a day.

A row is claimed by inserting it (the unique constraint picks one winner) or, when a
previous attempt left it ``pending`` (a temporary failure) or ``claimed`` by a worker
that died, by a compare-and-set update that only one worker can win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.models import DigestDelivery

STALE_CLAIM = timedelta(minutes=15)  # longer than any send with its retries takes


class DeliveryStatus(StrEnum):
    """Where a day's digest to one recipient stands, as stored on its row (the values
    are the column's strings)."""

    CLAIMED = "claimed"  # being sent
    SENT = "sent"
    PENDING = "pending"  # a temporary failure, retried on the next round
    FAILED = "failed"  # a permanent failure, kept until someone resends
    SKIPPED = "skipped"  # a quiet day


@dataclass(frozen=True)
class Claim:
    id: int
    message_id: str  # the same on every attempt for the day and recipient


def claim(session: Session, day: date, recipient: str, worker: str, now: datetime,
          message_id: str, *, resend: bool = False
          ) -> tuple[Claim | None, DeliveryStatus | None]:
    """(the claim, None), or (None, the status that stopped it) when the day is done or
    another worker holds it."""
    row = session.exec(select(DigestDelivery).where(DigestDelivery.digest_date == day,
                                                    DigestDelivery.recipient == recipient)
                       ).first()
    if row is None:
        fresh = DigestDelivery(digest_date=day, recipient=recipient,
                               status=DeliveryStatus.CLAIMED,
                               message_id=message_id, claimed_by=worker, claimed_at=now)
        try:
            with session.begin_nested():
                session.add(fresh)
        except IntegrityError:
            return None, DeliveryStatus.CLAIMED
        return Claim(fresh.id, message_id), None  # type: ignore[arg-type]
    status = DeliveryStatus(row.status)
    stale = status is DeliveryStatus.CLAIMED and _aware(row.claimed_at) < now - STALE_CLAIM
    if not (status is DeliveryStatus.PENDING or stale
            or resend and status is not DeliveryStatus.CLAIMED):
        return None, status
    won = session.exec(
        update(DigestDelivery)
        .where(col(DigestDelivery.id) == row.id, col(DigestDelivery.status) == row.status,
               col(DigestDelivery.claimed_at) == row.claimed_at)
        .values(status=DeliveryStatus.CLAIMED, claimed_by=worker, claimed_at=now)).rowcount
    if won != 1:
        return None, DeliveryStatus.CLAIMED
    return Claim(row.id, row.message_id), None  # type: ignore[arg-type]


def finish(session: Session, claim_id: int, status: DeliveryStatus, now: datetime,
           error: str | None = None, attempts: int = 0) -> None:
    row = session.get(DigestDelivery, claim_id)
    assert row is not None
    row.status = status
    row.attempts += attempts
    row.last_error = error[:2000] if error else None
    if status is DeliveryStatus.SENT:
        row.sent_at = now
    session.add(row)


def recent(session: Session, limit: int = 50) -> list[DigestDelivery]:
    return list(session.exec(select(DigestDelivery).order_by(
        col(DigestDelivery.digest_date).desc(), col(DigestDelivery.recipient)).limit(limit)))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
