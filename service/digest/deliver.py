"""Sending the digest: which days are due, what goes in, and each recipient served once.

The order for one (day, recipient): claim its delivery row (committed), send, mark it
sent. A crash between the server accepting the message and the row being marked leaves
a stale claim; the next round reclaims it and sends again with the same Message-ID, so
mail systems can recognise the copy. That one window cannot be closed without the mail
server taking part in the transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from service import charts, db, metrics
from service.config import Settings
from service.digest import message, smtp
from service.digest.compose import Digest, DigestEvent, Link
from service.errors import DeliveryError
from service.models import utcnow
from service.store import deliveries, queries
from service.store.deliveries import DeliveryStatus
from service.store.analysis import event_figures
from service.timeline import changes, disagreement, timelines
from service.web import safe_link

log = logging.getLogger(__name__)
ITEMS_PER_EVENT = 6


@dataclass(frozen=True)
class Result:
    recipient: str
    day: date
    status: DeliveryStatus
    detail: str = ""
    already: bool = False  # nothing was done: the day was already in this status

    @property
    def summary(self) -> str:
        """The status as the command line says it ("sent", "already sent")."""
        return f"already {self.status}" if self.already else str(self.status)


def send_time(day: date, settings: Settings) -> datetime:
    """When ``day``'s digest goes out, as an aware datetime in the configured zone."""
    return datetime.combine(day, settings.digest_time, ZoneInfo(settings.digest_timezone))


def due_days(now: datetime, settings: Settings) -> list[date]:
    """Today, once its send time has passed, and the catch-up days before it."""
    today = now.astimezone(ZoneInfo(settings.digest_timezone)).date()
    days = [today - timedelta(days=n) for n in range(settings.digest_catch_up_days, -1, -1)]
    return [d for d in days if send_time(d, settings) <= now]


def assemble(session: Session, day: date, settings: Settings, *, charts_on: bool = True
             ) -> Digest:
    """The digest of ``day``: the window that ends at its send time."""
    end = send_time(day, settings)
    start = end - timedelta(hours=settings.digest_window_hours)
    found = []
    for event in queries.events_between(session, start, end, settings.digest_max_events):
        rows = [r for r in event_figures(session, event.id) if _utc(r.observed_at) < end]  # type: ignore[arg-type]
        series = timelines(rows)
        moved = sorted(changes(rows, start, end, stale_after=settings.stale_after),
                       key=lambda c: (c.kind != "killed", c.status != "current",
                                      -(c.after.count or 0)))
        items = [(i, o) for i, o in queries.list_items(
            session, queries.ItemFilter(event_id=event.id), 50)
            if _utc(i.published_at or i.first_seen_at) < end][:ITEMS_PER_EVENT]
        # the narrow layout (a key under the plot) reads on a phone as on a desktop:
        # mail clients keep no media queries to pick one of two charts
        chart = charts.render(series, event.title, "png", until=end,
                              layout="narrow") if charts_on and rows else None
        found.append(DigestEvent(
            id=event.id, title=event.title,  # type: ignore[arg-type]
            outlets=queries.event_outlets(session, event.id),  # type: ignore[arg-type]
            changes=moved, disagreement=disagreement(rows, now=end,
                                                     share=settings.disagreement_share,
                                                     stale_after=settings.stale_after),
            items=[Link(i.title, safe_link(i.url), outlet) for i, outlet in items],
            chart_png=chart))
    return Digest(day=day, start=start, end=end, public_url=settings.public_url.rstrip("/"),
                  events=found)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))


class Sender:
    """Sends digests for one process; ``sleep`` and ``clock`` are replaceable in tests."""

    def __init__(self, settings: Settings, engine: Engine, *,
                 clock: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.sleep = sleep

    def send_due(self) -> list[Result]:
        """What the daemon runs every minute: every due day not yet done, per recipient."""
        return [r for day in due_days(self.clock(), self.settings) for r in self.send(day)]

    def send(self, day: date, recipients: list[str] | None = None, *,
             resend: bool = False) -> list[Result]:
        targets = recipients or self.settings.digest_to
        if not targets:
            return []
        digest: Digest | None = None
        results = []
        for recipient in targets:
            msgid = message.message_id(day.isoformat(), recipient, self.settings.digest_from)
            with db.session_scope(self.engine) as session:
                claimed, status = deliveries.claim(session, day, recipient,
                                                   self.settings.worker_id, self.clock(), msgid,
                                                   resend=resend)
            if claimed is None:
                assert status is not None
                results.append(Result(recipient, day, status, already=True))
                continue
            try:
                if digest is None:
                    with Session(self.engine) as session:
                        digest = assemble(session, day, self.settings)
                results.append(self._deliver(digest, recipient, claimed))
            except Exception as exc:  # a bug or the database: never leave the claim behind
                log.exception("digest not delivered", extra={"recipient": recipient,
                                                             "day": str(day)})
                reason = f"{type(exc).__name__}: {exc}"
                self._finish(claimed, DeliveryStatus.PENDING, reason, 1)
                results.append(Result(recipient, day, DeliveryStatus.PENDING, reason))
        return results

    def _deliver(self, digest: Digest, recipient: str, claimed: deliveries.Claim) -> Result:
        if digest.quiet and self.settings.digest_skip_quiet:
            self._finish(claimed, DeliveryStatus.SKIPPED, None, 0)
            return Result(recipient, digest.day, DeliveryStatus.SKIPPED, "a quiet day")
        email = message.build(digest, self.settings.digest_from, recipient, claimed.message_id)
        error: DeliveryError | None = None
        attempts = 0
        # Every attempt, with the waits between them, ends before the claim could be
        # taken as stale by another worker: that one would send the message again.
        give_up = time.monotonic() + deliveries.STALE_CLAIM.total_seconds() * 2 / 3
        for attempt in range(self.settings.smtp_retries + 1):
            attempts += 1
            try:
                smtp.send(email, self.settings)
            except DeliveryError as exc:
                error = exc
                metrics.DIGESTS.labels("temporary" if exc.temporary else "permanent").inc()
                log.warning("digest not delivered", extra={
                    "recipient": recipient, "day": str(digest.day), "attempt": attempts,
                    "temporary": exc.temporary, "reason": exc.reason})
                if not exc.temporary:
                    break
                wait = self.settings.smtp_retry_backoff * 2 ** attempt
                if time.monotonic() + wait + self.settings.smtp_deadline > give_up:
                    break  # released as pending: the next round tries again
                if attempt < self.settings.smtp_retries:
                    self.sleep(wait)
                continue
            metrics.DIGESTS.labels("sent").inc()
            self._finish(claimed, DeliveryStatus.SENT, None, attempts)
            log.info("digest sent", extra={"recipient": recipient, "day": str(digest.day),
                                           "events": len(digest.events)})
            return Result(recipient, digest.day, DeliveryStatus.SENT,
                          f"{len(digest.events)} events")
        assert error is not None
        # temporary: released for the next round; permanent: kept, visible, not retried
        status = DeliveryStatus.PENDING if error.temporary else DeliveryStatus.FAILED
        self._finish(claimed, status, error.reason, attempts)
        return Result(recipient, digest.day, status, error.reason)

    def _finish(self, claimed: deliveries.Claim, status: DeliveryStatus, error: str | None,
                attempts: int) -> None:
        with db.session_scope(self.engine) as session:
            deliveries.finish(session, claimed.id, status, self.clock(), error, attempts)
