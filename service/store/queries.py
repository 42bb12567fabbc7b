"""Read queries behind the API and the pages: events, items, revisions, outlets.

Lists are paged by keyset (the sort key of the last row seen), not by offset, so a page
boundary does not move when new items arrive while a client walks the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Subquery, and_, bindparam, func, or_, text
from sqlalchemy import select as select_columns  # typed past sqlmodel's four columns
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from service import search
from service.errors import NotFoundError
from service.models import AnalysisVersion, CasualtyReport, Event, Feed, Item, ItemRevision, Outlet

EventSort = Literal["recent", "size"]


@dataclass(frozen=True)
class EventFilter:
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None
    outlet: str | None = None
    min_outlets: int = 1


@dataclass(frozen=True)
class ItemFilter:
    event_id: int | None = None
    outlet: str | None = None
    since: datetime | None = None
    query: str | None = None


def list_events(session: Session, where: EventFilter, sort: EventSort, limit: int,
                after: tuple | None = None) -> list[Event]:
    """Live (not merged) events; ``after`` is the sort key of the previous page's last row."""
    query = select(Event).where(col(Event.merged_into_id).is_(None),
                                Event.outlet_count >= where.min_outlets)
    if where.since is not None:
        query = query.where(Event.last_seen_at >= where.since)
    if where.until is not None:
        query = query.where(Event.first_seen_at <= where.until)
    if where.query:  # its title or keywords, or one of its items' title or text, match
        found = search.events(_planned_for_words(session), where.query)
        if found is None:
            return []
        query = query.where(col(Event.id).in_(select(found.c.event_id)))
    if where.outlet:
        query = query.where(col(Event.id).in_(
            select(Item.event_id).join(Outlet).where(Outlet.name == where.outlet)))
    keys: tuple[Mapped[Any], ...]
    if sort == "size":
        keys = (col(Event.outlet_count), col(Event.item_count), col(Event.id))
    else:
        keys = (col(Event.last_seen_at), col(Event.id))
    if after is not None:
        query = query.where(_before(keys, after))
    return list(session.exec(query.order_by(*(k.desc() for k in keys)).limit(limit)).all())


def _before(keys: tuple, values: tuple):
    """Rows strictly after ``values`` in descending order of ``keys`` (a row comparison
    spelled out, since SQLite and PostgreSQL differ on tuple comparisons with NULLs)."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j] == values[j] for j in range(i)]
        clauses.append(and_(*equal, key < values[i]))
    return or_(*clauses)


def event_sort_key(event: Event, sort: EventSort) -> tuple:
    if sort == "size":
        return (event.outlet_count, event.item_count, event.id)
    return (event.last_seen_at, event.id)


def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError(f"no event {event_id}")
    return event


@dataclass(frozen=True)
class EventState:
    """What an answer computed from an event's figures depends on, besides them: where
    the event went if it was merged, its title; and ``figures``, (how many, highest id,
    sum of ids) of its items' figures. Figures are inserted, never updated in place, and
    an item leaves an event only when the event is merged away, so whatever changes an
    event's figures (a new figure, an item joining it) changes that triple. Read from
    the database, it holds in every API process (service.api.answers)."""

    merged_into_id: int | None
    title: str
    figures: tuple[int, int, int]


_figure = col(CasualtyReport.id)
# built once: on the API's hottest path, building it cost more than running it
_EVENT_STATE = (
    select_columns(col(Event.merged_into_id), col(Event.title), func.count(_figure),
                   func.max(_figure), func.sum(_figure))
    .select_from(Event).outerjoin(Item, col(Item.event_id) == Event.id)
    .outerjoin(CasualtyReport, col(CasualtyReport.item_id) == Item.id)
    .where(col(Event.id) == bindparam("event"))
    .group_by(col(Event.id), col(Event.merged_into_id), col(Event.title)))


def event_state(session: Session, event_id: int) -> EventState:
    """In one query, without loading the event as a model: NotFoundError if none."""
    row = session.connection().execute(_EVENT_STATE, {"event": event_id}).one_or_none()
    if row is None:
        raise NotFoundError(f"no event {event_id}")
    merged_into_id, title, count, highest, total = row
    return EventState(merged_into_id, title, (count, highest or 0, int(total or 0)))


_ANALYSIS_VERSION = select_columns(col(AnalysisVersion.version))


def analysis_version(connection: Connection) -> int | None:
    """The number analysis raises with every change to events' figures
    (service.store.analysis); None in a store without its row."""
    return connection.execute(_ANALYSIS_VERSION).scalar()


def event_outlets(session: Session, event_id: int) -> list[str]:
    return list(session.exec(
        select(Outlet.name).join(Item).where(Item.event_id == event_id)
        .group_by(col(Outlet.name)).order_by(col(Outlet.name))).all())


def list_items(session: Session, where: ItemFilter, limit: int,
               before_id: int | None = None) -> list[tuple[Item, str]]:
    """Items newest first, with their outlet's name."""
    query = _filtered(select(Item, Outlet.name).join(Outlet), where)
    if where.query:
        found = _matches(session, where.query, ranked=False)
        if found is None:
            return []
        query = query.where(col(Item.id).in_(select(found.c.item_id)))
    if before_id is not None:
        query = query.where(col(Item.id) < before_id)
    return list(session.exec(query.order_by(col(Item.id).desc()).limit(limit)).all())


def search_items(session: Session, where: ItemFilter, limit: int,
                 after: tuple[float, int] | None = None) -> list[tuple[Item, str, float]]:
    """Items matching ``where.query``, best match first, with their outlet and rank;
    ``after`` is the (rank, id) of the previous page's last row."""
    found = _matches(session, where.query or "")
    if found is None:
        return []
    narrowed = where.event_id is not None or where.outlet or where.since is not None
    if not narrowed:  # the page is cut from the matches alone, before any join to item:
        # joining all of them first was planned as a scan of the whole table (PostgreSQL)
        page = select(found.c.item_id, found.c.rank)
        if after is not None:
            page = page.where(_before((found.c.rank, found.c.item_id), after))
        found = page.order_by(found.c.rank.desc(), found.c.item_id.desc()).limit(limit) \
            .subquery("page")
    rank = found.c.rank
    query = _filtered(select(Item, Outlet.name, rank).join(Outlet)
                      .join(found, found.c.item_id == Item.id), where)
    if after is not None and narrowed:
        query = query.where(_before((rank, col(Item.id)), after))
    rows = session.exec(query.order_by(rank.desc(), col(Item.id).desc()).limit(limit)).all()
    return [(item, outlet, float(score)) for item, outlet, score in rows]


def _filtered(query, where: ItemFilter):
    """``query`` (over Item joined with Outlet) narrowed by event, outlet and time."""
    if where.event_id is not None:
        query = query.where(Item.event_id == where.event_id)
    if where.outlet:
        query = query.where(Outlet.name == where.outlet)
    if where.since is not None:
        query = query.where(Item.first_seen_at >= where.since)
    return query


def _matches(session: Session, words: str, *, ranked: bool = True) -> Subquery | None:
    return search.matches(_planned_for_words(session), words, ranked=ranked)


def _planned_for_words(session: Session) -> Connection:
    """The session's connection, its statements planned for their very words on
    PostgreSQL: a generic plan (which the driver's prepared statements lead to after a
    few runs) cannot tell a rare word from a common one, and scanned the whole table
    backwards for a rare one (1.4 s at 200,000 items, against 26 ms planned for the
    words)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    return connection


def item_revisions(session: Session, item_id: int
                   ) -> tuple[Item, list[tuple[ItemRevision, list[CasualtyReport]]]]:
    item = session.get(Item, item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id}")
    revisions = session.exec(select(ItemRevision).where(ItemRevision.item_id == item_id)
                             .order_by(col(ItemRevision.number))).all()
    figures: dict[int, list[CasualtyReport]] = {}
    for report in session.exec(select(CasualtyReport).where(CasualtyReport.item_id == item_id)
                               .order_by(col(CasualtyReport.ordinal))).all():
        figures.setdefault(report.revision_id, []).append(report)
    return item, [(r, figures.get(r.id, [])) for r in revisions]  # type: ignore[arg-type]


def outlets_with_counts(session: Session) -> list[tuple[Outlet, int, int]]:
    """Each outlet with its number of feeds and items."""
    feeds = dict(session.exec(select(Feed.outlet_id, func.count()).group_by(col(Feed.outlet_id)))
                 .all())
    items = dict(session.exec(select(Item.outlet_id, func.count()).group_by(col(Item.outlet_id)))
                 .all())
    outlets = session.exec(select(Outlet).order_by(col(Outlet.name))).all()
    return [(o, feeds.get(o.id, 0), items.get(o.id, 0)) for o in outlets if o.id is not None]


def outlet_name(session: Session, outlet_id: int) -> str:
    outlet = session.get(Outlet, outlet_id)
    return outlet.name if outlet else ""


def events_between(session: Session, start: datetime, end: datetime, limit: int) -> list[Event]:
    """Live events reported on in ``[start, end)``, most covered first."""
    return list(session.exec(
        select(Event).where(col(Event.merged_into_id).is_(None), Event.last_seen_at >= start,
                            Event.first_seen_at < end)
        .order_by(col(Event.outlet_count).desc(), col(Event.item_count).desc(), col(Event.id))
        .limit(limit)).all())


@dataclass(frozen=True)
class Headline:
    """An item's current title and when the version that first said it came out."""

    item_id: int
    outlet: str
    title: str
    url: str | None
    said_at: datetime


def event_headlines(session: Session, event_id: int, limit: int) -> list[Headline]:
    """The event's items in the order their current titles came out, newest last: the
    Observatory's "rises to 148" at the time of the version that said 148, not of its
    first version."""
    rows = session.exec(  # sqlmodel's select is typed for at most four columns
        select(Item.id, Outlet.name, Item.url, ItemRevision.title,  # type: ignore[call-overload]
               ItemRevision.published_at, ItemRevision.seen_at)
        .join(Outlet, col(Outlet.id) == Item.outlet_id)
        .join(ItemRevision, col(ItemRevision.item_id) == Item.id)
        .where(Item.event_id == event_id)
        .order_by(col(Item.id), col(ItemRevision.number))).all()
    latest: dict[int, Headline] = {}
    for item_id, outlet, url, title, published, seen in rows:
        held = latest.get(item_id)
        if held is None or held.title != title:
            latest[item_id] = Headline(item_id, outlet, title, url, published or seen)
    return sorted(latest.values(), key=lambda h: (h.said_at, h.item_id))[-limit:]
