"""Storage for the analysis stage: revisions waiting to be read, figures, events.

Figures are read by every analysis process at once: each leases a batch of revisions
(:func:`claim_unread`), reads them outside any transaction, and stores what it read only
for the revisions still leased to it (:func:`save_figures`). A process that dies lets its
leases expire, and the next claim after that takes the revisions over. Events are
decided by one process at a time (the holder of the clustering lock, service.analyze).

Each transaction that changes what an event's figures are (figures added, items placed
in events, events merged) raises the analysis version as its last statement
(:func:`_raise_version`): API processes keep what they read of an event for as long as
that number stands (service.api.answers). Last, so that its row's lock is held only
while the transaction commits: the holder waits on nothing else, and no two analysis
processes can deadlock over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, text, update
from sqlalchemy import select as select_columns  # typed past sqlmodel's four columns
from sqlmodel import Session, col, select

from service.casualties import Figure
from service.models import AnalysisVersion, CasualtyReport, Event, Item, ItemRevision, Outlet, utcnow
from service.timeline import FigureRow


@dataclass(frozen=True)
class PendingRevision:
    id: int
    item_id: int
    outlet_id: int
    number: int
    title: str
    text: str
    observed_at: datetime


def unclustered(session: Session, limit: int) -> list[PendingRevision]:
    """Revisions not yet placed in an event, oldest first."""
    return _pending(session, _PENDING.where(~col(ItemRevision.clustered)).limit(limit))


def claim_unread(session: Session, owner: str, now: datetime, limit: int,
                 lease_seconds: int) -> list[PendingRevision]:
    """Lease up to ``limit`` revisions whose figures are not read yet, oldest first, to
    ``owner``: unleased ones, or ones whose lease expired. On PostgreSQL the candidates
    are read ``FOR UPDATE SKIP LOCKED``, so concurrent claims take disjoint batches
    without waiting for each other; the UPDATE checks the lease again row by row, so a
    revision leased meanwhile is not returned."""
    free = or_(col(ItemRevision.lease_expires_at).is_(None),
               col(ItemRevision.lease_expires_at) <= now)
    query = _PENDING.where(~col(ItemRevision.extracted), free)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=ItemRevision)
    candidates = _pending(session, query.limit(limit))
    if not candidates:
        return []
    leased = set(session.exec(
        update(ItemRevision)
        .where(col(ItemRevision.id).in_([r.id for r in candidates]), free,
               ~col(ItemRevision.extracted))
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
        .returning(col(ItemRevision.id)).execution_options(synchronize_session=False)
    ).scalars())
    return [r for r in candidates if r.id in leased]


# The columns the analysis reads, not whole revisions: their summary and HTML content
# would be loaded (and an ORM object built per row) only to be dropped.
_PENDING = select_columns(*map(col, (
    ItemRevision.id, ItemRevision.item_id, Item.outlet_id, ItemRevision.number,
    ItemRevision.title, ItemRevision.text, ItemRevision.published_at, ItemRevision.seen_at)))


def _pending(session: Session, query: Any) -> list[PendingRevision]:
    rows = session.execute(query.join(Item, col(Item.id) == ItemRevision.item_id)
                           .order_by(col(ItemRevision.id))).all()
    # text holds title, summary and content as plain text (service.parse)
    return [PendingRevision(id_, item_id, outlet_id, number, title, text, published or seen)
            for id_, item_id, outlet_id, number, title, text, published, seen in rows]


def save_figures(session: Session, owner: str,
                 batch: Iterable[tuple[PendingRevision, list[Figure]]]) -> tuple[int, int]:
    """Store the figures of the revisions of ``batch`` still leased to ``owner`` and mark
    them read, in the caller's transaction; a revision whose lease another process has
    taken over (this one was too slow, and its lease expired) is that process's to
    store. Returns (revisions stored, figures stored). The mark comes first: its
    conditional UPDATE, row-locked, is what makes a revision read exactly once. Plain
    rows in one executemany: a model object per figure cost more than the insert."""
    read = list(batch)
    held = set(session.exec(
        update(ItemRevision)
        .where(col(ItemRevision.id).in_([r.id for r, _ in read]),
               col(ItemRevision.lease_owner) == owner, ~col(ItemRevision.extracted))
        .values(extracted=True).returning(col(ItemRevision.id))
        .execution_options(synchronize_session=False)
    ).scalars()) if read else set()
    rows: list[dict[str, object]] = []
    for revision, figures in read:
        if revision.id not in held:
            continue
        rows.extend(dict(
            revision_id=revision.id, item_id=revision.item_id, outlet_id=revision.outlet_id,
            ordinal=ordinal, kind=f.kind, count=f.count, count_max=f.count_max,
            qualifier=f.qualifier, vague=f.vague, derived=f.derived, hedged=f.hedged,
            partial=f.partial, words=f.words[:100] if f.words else None, rule=f.rule[:40],
            source=f.source[:300] if f.source else None, place=f.place[:200] if f.place else None,
            evidence=f.sentence, start=f.start, end=f.end, observed_at=revision.observed_at)
            for ordinal, f in enumerate(figures))
    if rows:  # Core, on the connection: the ORM's bulk insert visits each row in Python
        session.connection().execute(_REPORTS_INSERT, rows)
        _raise_version(session)
    return len(held), len(rows)


_REPORTS_INSERT = insert(CasualtyReport.__table__)  # type: ignore[attr-defined]
_VERSION = AnalysisVersion.__table__  # type: ignore[attr-defined]
_RAISE_VERSION = update(_VERSION).values(version=_VERSION.c.version + 1)


def _raise_version(session: Session) -> None:
    """The caller's transaction changes some event's figures: the number every API
    process checks its kept states against goes up when it commits. The caller's last
    statement (see the module's docstring)."""
    session.connection().execute(_RAISE_VERSION)


def _mark(session: Session, revision_ids: list[int], **flag: bool) -> None:
    session.exec(update(ItemRevision).where(col(ItemRevision.id).in_(revision_ids))
                 .values(**flag).execution_options(synchronize_session=False))


class NewEvents:
    """Ids for the events a clustering batch creates, handed out in memory (the next
    after the highest stored), and the rows written together by :meth:`write` once the
    batch is decided. Only the holder of the clustering lock creates events, so no
    other writer takes these ids meanwhile. Written at the end, not as each is
    created: on SQLite the first write of a transaction takes the database's one write
    lock until the commit, and an INSERT at the batch's first new event held it while
    the rest of the batch was clustered in Python, stalling the poller's writes and
    the other analysis processes' for as long."""

    def __init__(self, session: Session) -> None:
        self._next = (session.connection().execute(_MAX_EVENT).scalar() or 0) + 1
        self._rows: list[dict[str, object]] = []

    def new(self, title: str, seen: datetime) -> int:
        """The id of a new event first seen in an item titled ``title`` at ``seen``."""
        self._rows.append(dict(
            id=self._next, title=title[:500], keywords="", first_seen_at=seen,
            last_seen_at=seen, item_count=0, outlet_count=0, merged_into_id=None,
            created_at=utcnow()))
        self._next += 1
        return self._next - 1

    def write(self, session: Session) -> None:
        """Insert the batch's new events (before its merges and assignments, which
        name them); on PostgreSQL, set the id sequence to the last of them, for any
        insert that takes its id from it."""
        if not self._rows:
            return
        connection = session.connection()
        connection.execute(_EVENT_INSERT, self._rows)
        if connection.dialect.name == "postgresql":
            connection.execute(_EVENT_SEQUENCE, {"last": self._next - 1})


_EVENTS = Event.__table__  # type: ignore[attr-defined]
_EVENT_INSERT = insert(_EVENTS)
_MAX_EVENT = select_columns(func.max(_EVENTS.c.id))
# the ids stored are all the batch's or below (no other process creates events), so the
# sequence's next value after this is free whatever it was before
_EVENT_SEQUENCE = text("SELECT setval(pg_get_serial_sequence('event', 'id'), :last)")


def merge_events(session: Session, gone: int, into: int) -> None:
    """Event ``gone`` was merged into ``into`` (the clusterer found their profiles had
    converged): its items (and so their figures) join ``into``, whose time span widens to
    cover both; ``gone``, and any event merged into it before, now redirect to ``into``.
    Counts and keywords are brought up to date by :func:`assign`, which follows."""
    session.exec(update(Item).where(col(Item.event_id) == gone)
                 .values(event_id=into).execution_options(synchronize_session=False))
    spans = session.exec(select(Event.first_seen_at, Event.last_seen_at)
                         .where(col(Event.id).in_((gone, into)))).all()
    session.exec(update(Event).where(col(Event.id) == into)
                 .values(first_seen_at=min(first for first, _ in spans),
                         last_seen_at=max(last for _, last in spans))
                 .execution_options(synchronize_session=False))
    session.exec(update(Event)
                 .where((col(Event.id) == gone) | (col(Event.merged_into_id) == gone))
                 .values(merged_into_id=into).execution_options(synchronize_session=False))


@dataclass(frozen=True)
class Assigned:
    revision: PendingRevision
    event_id: int | None  # None: an edit, which keeps its item's event


def assign(session: Session, batch: list[Assigned], keywords: dict[int, list[str]]) -> None:
    """Put a batch of items in their events and mark the revisions clustered; each touched
    event is recounted once per batch (one grouped query), not once per item. The last
    call of a clustering transaction: a merge comes only with a new item placed, so the
    version raised here covers the batch's merges too."""
    placed = [a for a in batch if a.event_id is not None]
    if placed:
        session.connection().execute(
            update(Item).where(col(Item.id) == bindparam("item")).values(event_id=bindparam("event")),
            [{"item": a.revision.item_id, "event": a.event_id} for a in placed])
        touched = {a.event_id for a in batch if a.event_id is not None}
        counts = {e: (n, o) for e, n, o in session.exec(
            select(Item.event_id, func.count(), func.count(func.distinct(Item.outlet_id)))
            .where(col(Item.event_id).in_(touched)).group_by(col(Item.event_id))).all()}
        current = {row[0]: row[1:] for row in session.exec(
            select(Event.id, Event.first_seen_at, Event.last_seen_at, Event.keywords)
            .where(col(Event.id).in_(touched))).all()}
        changes = []
        for event_id in touched:
            first, last, words = current[event_id]
            times = [a.revision.observed_at for a in placed if a.event_id == event_id]
            items, outlets = counts[event_id]
            changes.append({"event": event_id, "item_count": items, "outlet_count": outlets,
                            "first_seen_at": min(first, *times), "last_seen_at": max(last, *times),
                            "keywords": " ".join(keywords.get(event_id, words.split()))})
        # one executemany for every touched event, not an ORM object (and a query) each
        session.connection().execute(
            update(Event).where(col(Event.id) == bindparam("event"))
            .values({name: bindparam(name) for name in changes[0] if name != "event"}),
            changes)
    _mark(session, [a.revision.id for a in batch], clustered=True)
    if placed:  # items joined events (and the batch's merges, if any, moved theirs)
        _raise_version(session)


def recent_documents(session: Session, since: datetime
                     ) -> list[tuple[int, int, str, str, datetime]]:
    """(item id, event id, title, text, time) of clustered items seen since ``since``, each
    as its latest clustered revision: the state a restarted clusterer rebuilds, bounded by
    the dormancy window, not by the store."""
    latest = (select(ItemRevision.item_id, func.max(ItemRevision.number).label("number"))
              .where(col(ItemRevision.clustered)).group_by(col(ItemRevision.item_id)).subquery())
    rows = session.execute(
        select_columns(*map(col, (Item.id, Item.event_id, ItemRevision.title,
                                  ItemRevision.text, Item.first_seen_at, Item.published_at)))
        .join(latest, latest.c.item_id == Item.id)
        .join(ItemRevision, (col(ItemRevision.item_id) == Item.id)
              & (col(ItemRevision.number) == latest.c.number))
        .where(col(Item.event_id).is_not(None), col(Item.last_seen_at) >= since)
        .order_by(col(Item.id))
    ).all()
    return [(i, e, t, x, p or f) for i, e, t, x, f, p in rows]


def previous_version(session: Session, revision: PendingRevision) -> tuple[str, str, int | None]:
    """The title and text an edit replaces, and the event its item is in."""
    title, text, event_id = session.exec(
        select(ItemRevision.title, ItemRevision.text, Item.event_id)
        .join(Item, col(Item.id) == ItemRevision.item_id)
        .where(ItemRevision.item_id == revision.item_id,
               ItemRevision.number == revision.number - 1)).one()
    return title, text, event_id


def event_figures(session: Session, event_id: int) -> list[FigureRow]:
    """Every figure of the event's items: the columns a timeline needs, not whole rows
    (the API's hottest query; the evidence text stays in the database)."""
    report = CasualtyReport
    rows = session.execute(
        select_columns(*map(col, (Outlet.name, report.source, report.observed_at, report.kind,
                                  report.count, report.count_max, report.qualifier,
                                  report.vague, report.derived, report.item_id,
                                  report.revision_id, report.hedged, report.partial,
                                  report.words)))
        .join(Item, col(Item.id) == report.item_id)
        .join(Outlet, col(Outlet.id) == report.outlet_id)
        .where(col(Item.event_id) == event_id)
    ).all()
    return [FigureRow(*row) for row in rows]


def events_by_size(session: Session, limit: int = 20) -> list[Event]:
    return list(session.exec(
        select(Event).where(col(Event.merged_into_id).is_(None))
        .order_by(col(Event.outlet_count).desc(), col(Event.item_count).desc()).limit(limit)
    ).all())
