"""Items and their revisions: applying an ingest plan, and reading items back."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import String, and_, bindparam, cast, insert, literal, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service import bounds
from service.importer import ImportRow
from service.ingest import (Intent, Known, NewItem, NewRevision, SeenAgain, plan,
                            storable_entries)
from service.models import Item, ItemRevision, Outlet
from service.parse import Entry
from service.store.feeds import get_or_create_outlet

CHUNK = 500


@dataclass(frozen=True)
class Stored:
    new: int = 0
    updated: int = 0
    seen: int = 0


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def known_items(session: Session, outlet_id: int, identities: Iterable[str]) -> dict[str, Known]:
    """The stored items of an outlet with these identities, with their latest text hash."""
    found: dict[str, Known] = {}
    for chunk in _chunks(sorted(set(identities))):
        rows = session.exec(
            select(Item.id, Item.identity, Item.revision_count, ItemRevision.content_hash)
            .join(ItemRevision, and_(col(ItemRevision.item_id) == col(Item.id),
                                     col(ItemRevision.number) == col(Item.revision_count)))
            .where(col(Item.outlet_id) == outlet_id, col(Item.identity).in_(chunk))
        ).all()
        for item_id, identity, revisions, content_hash in rows:
            assert item_id is not None  # a stored row's key
            found[identity] = Known(item_id, identity, content_hash, revisions)
    return found


def known_links(session: Session, outlet_id: int, urls: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(urls))):
        found.update(url for url in session.exec(
            select(Item.url).where(col(Item.outlet_id) == outlet_id, col(Item.url).in_(chunk))
        ).all() if url is not None)
    return found


def rekey_by_link(session: Session, outlet_id: int, entries: list[Entry]) -> None:
    """Give the items these (link-keyed) entries point at the entries' new identities."""
    for entry in entries:
        if entry.url is None:
            continue
        session.exec(
            update(Item)
            .where(col(Item.outlet_id) == outlet_id, col(Item.url) == entry.url,
                   col(Item.identity) != entry.identity)
            .values(identity=entry.identity)
            .execution_options(synchronize_session=False)
        )


def store_entries(session: Session, outlet_id: int, feed_id: int | None, entries: list[Entry],
                  now: datetime, external_ids: dict[str, str] | None = None,
                  known: dict[str, Known] | None = None) -> Stored:
    """Store entries (already one per identity, each :func:`storable`): new items, new
    revisions, or last-seen bumps. ``known``: what :func:`known_items` read of these
    entries earlier in the same transaction, if the caller did (it is not read twice).

    Runs inside the caller's transaction. An insert that loses a race with another
    writer (same outlet and identity, or same revision number) is re-planned against
    what that writer stored, inside a savepoint, so nothing is duplicated or lost.
    """
    if known is None:
        known = known_items(session, outlet_id, (e.identity for e in entries))
    intents = plan(entries, known)
    try:  # the common case, with no other writer on this outlet: the feed in a few statements
        with session.begin_nested():
            kinds = _apply_all(session, outlet_id, feed_id, intents, now, external_ids or {})
    except IntegrityError:  # lost a race: one by one, each re-planned if it must be
        kinds = [_apply_with_retry(session, outlet_id, feed_id, intent, now, external_ids or {})
                 for intent in intents]
    return Stored(kinds.count("new"), kinds.count("updated"), kinds.count("seen"))


def _apply_all(session: Session, outlet_id: int, feed_id: int | None, intents: list[Intent],
               now: datetime, external_ids: dict[str, str]) -> list[str]:
    """All intents with batched statements: the new items in one executemany, their first
    revisions in another, the last-seen bumps in a third. Plain rows and Core statements
    built once, run on the session's connection: an ORM bulk insert still visits each
    row in Python (and a model object per row cost more than the inserts themselves)."""
    connection = session.connection()
    new = [i for i in intents if isinstance(i, NewItem)]
    if new:
        rows = [dict(outlet_id=outlet_id, feed_id=feed_id, identity=i.entry.identity,
                     guid=i.entry.guid, external_id=external_ids.get(i.entry.identity),
                     first_seen_at=now, last_seen_at=now, revision_count=1, event_id=None,
                     **_fields(i.entry)) for i in new]
        ids: dict[str, int] = {identity: id_ for identity, id_ in connection.execute(_ITEM_INSERT, rows)}
        connection.execute(_REVISION_INSERT, [
            _revision_row(ids[i.entry.identity], 1, i.entry, now) for i in new])
    seen = [i.known.item_id for i in intents if isinstance(i, SeenAgain)]
    if seen:
        connection.execute(_SEEN_UPDATE, [{"b_id": item_id, "b_now": now} for item_id in seen])
    for intent in intents:
        if isinstance(intent, NewRevision):
            _apply(session, outlet_id, feed_id, intent, now, external_ids)
    session.flush()
    return ["new" if isinstance(i, NewItem) else "seen" if isinstance(i, SeenAgain)
            else "updated" for i in intents]


_ITEMS, _REVISIONS = Item.__table__, ItemRevision.__table__  # type: ignore[attr-defined]
_ITEM_INSERT = insert(_ITEMS).returning(_ITEMS.c.identity, _ITEMS.c.id)
_REVISION_INSERT = insert(_REVISIONS)
_SEEN_UPDATE = (update(_ITEMS).where(_ITEMS.c.id == bindparam("b_id"))
                .values(last_seen_at=bindparam("b_now")))


def _apply_with_retry(session: Session, outlet_id: int, feed_id: int | None, intent: Intent,
                      now: datetime, external_ids: dict[str, str]) -> str:
    for _attempt in range(3):
        try:
            with session.begin_nested():
                return _apply(session, outlet_id, feed_id, intent, now, external_ids)
        except IntegrityError:
            entry = intent.entry
            intent = plan([entry], known_items(session, outlet_id, [entry.identity]))[0]
    raise RuntimeError(f"could not store {intent.entry.identity} after 3 attempts")


def link_to_item_pages(session: Session, site: str) -> None:
    """Point every item's link at its page on ``site``: for the demo, whose replayed
    outlets' server is gone once it serves, so the originals cannot be opened."""
    session.exec(update(Item).values(
        url=literal(f"{site.rstrip('/')}/items/") + cast(col(Item.id), String)))


def _apply(session: Session, outlet_id: int, feed_id: int | None, intent: Intent,
           now: datetime, external_ids: dict[str, str]) -> str:
    entry = intent.entry
    if isinstance(intent, SeenAgain):
        session.exec(
            update(Item).where(col(Item.id) == intent.known.item_id).values(last_seen_at=now)
        )
        return "seen"
    if isinstance(intent, NewItem):
        item = Item(outlet_id=outlet_id, feed_id=feed_id, identity=entry.identity,
                    guid=entry.guid, external_id=external_ids.get(entry.identity),
                    first_seen_at=now, last_seen_at=now, revision_count=1, **_fields(entry))
        session.add(item)
        session.flush()
        session.add(_revision(item.id, 1, entry, now))  # type: ignore[arg-type]
        session.flush()
        return "new"
    assert isinstance(intent, NewRevision)
    number = intent.known.revisions + 1
    session.add(_revision(intent.known.item_id, number, entry, now))
    session.flush()
    session.exec(
        update(Item).where(col(Item.id) == intent.known.item_id)
        .values(last_seen_at=now, revision_count=number, **_fields(entry))
    )
    return "updated"


class _ItemFields(TypedDict):
    """The columns an item takes from its latest entry."""

    url: str | None
    title: str
    summary: str
    content: str
    text: str
    published_at: datetime | None
    updated_at: datetime | None
    authors: list[str]
    categories: list[str]
    language: str | None
    enclosures: list[dict[str, object]]


class _RevisionRow(TypedDict):
    item_id: int
    number: int
    title: str
    summary: str
    content: str
    text: str
    content_hash: str
    published_at: datetime | None
    seen_at: datetime
    extracted: bool
    clustered: bool


def _fields(entry: Entry) -> _ItemFields:
    return _ItemFields(url=entry.url, title=entry.title, summary=entry.summary, content=entry.content,
                text=entry.text, published_at=entry.published or entry.updated,
                updated_at=entry.updated, authors=list(entry.authors),
                categories=list(entry.categories), language=entry.language,
                enclosures=[{"url": e.url, "type": e.type, "length": e.length}
                            for e in entry.enclosures])


def _revision_row(item_id: int, number: int, entry: Entry, now: datetime) -> _RevisionRow:
    return _RevisionRow(item_id=item_id, number=number, title=entry.title, summary=entry.summary,
                content=entry.content, text=entry.text, content_hash=entry.content_hash,
                published_at=entry.updated or entry.published, seen_at=now, extracted=False,
                clustered=False)


def _revision(item_id: int, number: int, entry: Entry, now: datetime) -> ItemRevision:
    return ItemRevision(**_revision_row(item_id, number, entry, now))


@dataclass(frozen=True)
class ItemRow:
    id: int
    external_id: str | None
    guid: str | None
    outlet: str
    url: str | None
    title: str
    published: datetime | None
    revisions: int
    event_id: int | None
    summary: str = ""
    content: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    enclosures: tuple[dict[str, object], ...] = ()
    language: str | None = None


def iter_items(session: Session) -> Iterator[ItemRow]:
    """Every item, oldest first, streamed."""
    query = (select(Item, Outlet.name).join(Outlet).order_by(col(Item.id))
             .execution_options(yield_per=1000))
    for item, outlet in session.exec(query):
        yield ItemRow(id=item.id, external_id=item.external_id, guid=item.guid,  # type: ignore[arg-type]
                      outlet=outlet, url=item.url, title=item.title,
                      published=item.published_at, revisions=item.revision_count,
                      event_id=item.event_id, summary=item.summary, content=item.content,
                      authors=tuple(item.authors), categories=tuple(item.categories),
                      enclosures=tuple(item.enclosures), language=item.language)


def store_imported(session: Session, rows: list[ImportRow], now: datetime) -> Counter[str]:
    """Backfilled rows, through the store path polled items take: new, updated, seen."""
    by_outlet: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_outlet[row.outlet].append(row)
    counts: Counter[str] = Counter()
    for outlet_name, outlet_rows in by_outlet.items():
        outlet = get_or_create_outlet(session, outlet_name)
        ids = {bounds.identity(row.entry.identity): row.external_id for row in outlet_rows}
        stored = store_entries(session, outlet.id, None,  # type: ignore[arg-type]
                               storable_entries(row.entry for row in outlet_rows), now, ids)
        counts.update(new=stored.new, updated=stored.updated, seen=stored.seen)
    return counts
