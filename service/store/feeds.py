"""Outlets and feeds: adding, removing, listing, syncing from a sources file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service import db
from service.articles.rules import MODES, is_mode
from service.bounds import feed_address, url_problem
from service.errors import NotFoundError, TollwatchError
from service.models import Feed, Outlet
from service.sources import FeedListing, OutletSpec


@dataclass(frozen=True)
class FeedStatus:
    """A feed and its health, as `feeds list`/`feeds status` and the API show it."""

    id: int
    outlet: str
    url: str
    enabled: bool
    gone: bool
    last_status: int | None
    last_outcome: str | None
    last_fetched_at: datetime | None
    next_fetch_at: datetime
    error_count: int
    last_error: str | None
    full_text: str = "never"

    @property
    def failing(self) -> bool:
        """Followed, and its last polls failed (or it is gone): someone should look."""
        return self.enabled and (self.gone or self.error_count > 0)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def get_or_create_outlet(session: Session, name: str, *, kind: str | None = None,
                         homepage: str | None = None) -> Outlet:
    """The outlet of that name, created if new: by a savepoint, so that when another
    writer creates it at the same moment its row is taken, not a unique violation."""
    outlet = session.exec(select(Outlet).where(Outlet.name == name)).first()
    if outlet is not None:
        return outlet
    outlet = Outlet(name=name, kind=kind or None, homepage=homepage or None)
    try:
        with session.begin_nested():
            session.add(outlet)
    except IntegrityError:
        return session.exec(select(Outlet).where(Outlet.name == name)).one()
    return outlet


def check_feed_url(url: str) -> None:
    """Raise TollwatchError unless ``url`` can be a feed's address (:func:`is_feed_url`)."""
    problem = url_problem(url)
    if problem is not None:
        raise TollwatchError(f"cannot follow {url[:200]}: {problem}")


def add_feed(session: Session, url: str, outlet_name: str, full_text: str = "never") -> Feed:
    """Add a feed; raise TollwatchError if its URL is not one or is already followed
    (by its address: :func:`service.bounds.feed_address`)."""
    check_feed_url(url)
    url = feed_address(url)
    check_full_text(full_text)
    existing = session.exec(select(Feed).where(Feed.url == url)).first()
    if existing is not None:
        raise TollwatchError(f"feed {url} is already followed (id {existing.id})")
    outlet = get_or_create_outlet(session, outlet_name)
    feed = Feed(outlet_id=outlet.id, url=url, host=host_of(url),  # type: ignore[arg-type]
                full_text=full_text)
    try:
        with session.begin_nested():  # another writer may add the same URL meanwhile
            session.add(feed)
    except IntegrityError:
        raise TollwatchError(f"feed {url} is already followed") from None
    return feed


def check_full_text(mode: str) -> None:
    """Raise TollwatchError unless ``mode`` is a full_text mode (always, when_short, never)."""
    if not is_mode(mode):
        raise TollwatchError(f"full_text must be one of {', '.join(MODES)}, not {mode!r}")


def find_feed(session: Session, ref: str) -> Feed:
    """A feed by id or URL."""
    query = select(Feed).where(Feed.id == int(ref)) if ref.isdigit() else select(Feed).where(
        Feed.url == ref
    )
    feed = session.exec(query).first()
    if feed is None:
        raise NotFoundError(f"no feed {ref!r} (give its id or URL; see `tollwatch feeds list`)")
    return feed


def remove_feed(session: Session, ref: str) -> Feed:
    """Stop following a feed. Its items stay: they are the outlet's record."""
    feed = find_feed(session, ref)
    session.delete(feed)
    session.flush()
    return feed


def sync_sources(session: Session, specs: list[OutletSpec]) -> tuple[int, int]:
    """Add the outlets and feeds in ``specs`` that are missing; return (outlets, feeds) added."""
    known_urls = set(session.exec(select(Feed.url)).all())
    known_outlets = set(session.exec(select(Outlet.name)).all())
    feeds_added = 0
    for spec in specs:
        outlet = get_or_create_outlet(session, spec.name, kind=spec.kind, homepage=spec.homepage)
        for url in spec.feeds:
            if url not in known_urls:
                session.add(Feed(outlet_id=outlet.id, url=url, host=host_of(url),  # type: ignore[arg-type]
                                 full_text=spec.full_text.get(url, "never")))
                known_urls.add(url)
                feeds_added += 1
    outlets_added = len({spec.name for spec in specs} - known_outlets)
    session.flush()
    return outlets_added, feeds_added


# Any fixed number (not the migration lock's): workers starting together take turns.
_FIRST_SYNC_LOCK = 0x746F6C73


def sync_sources_if_none(session: Session,
                         read: Callable[[], list[OutletSpec]]) -> tuple[int, int] | None:
    """First start: follow the specs ``read`` returns unless some feed is followed already
    (then the sources file is not even read); return what :func:`sync_sources` added, or
    None. Workers starting together on an empty database take turns here, so one adds
    the feeds and the others find them."""
    db.serialize(session, _FIRST_SYNC_LOCK)
    if session.exec(select(Feed.id)).first() is not None:
        return None
    return sync_sources(session, read())


def feed_statuses(session: Session, *, after_id: int | None = None,
                  limit: int | None = None) -> list[FeedStatus]:
    """Every feed by outlet; or, given ``limit``, one page in id order after ``after_id``."""
    query = select(Feed, Outlet.name).join(Outlet)
    if limit is None:
        query = query.order_by(col(Outlet.name), col(Feed.id))
    else:
        query = query.where(col(Feed.id) > (after_id or 0)).order_by(col(Feed.id)).limit(limit)
    rows = session.exec(query).all()
    return [
        FeedStatus(
            id=feed.id,  # type: ignore[arg-type]
            outlet=outlet,
            url=feed.url,
            enabled=feed.enabled,
            gone=feed.gone,
            last_status=feed.last_status,
            last_outcome=feed.last_outcome,
            last_fetched_at=feed.last_fetched_at,
            next_fetch_at=feed.next_fetch_at,
            error_count=feed.error_count,
            last_error=feed.last_error,
            full_text=feed.full_text,
        )
        for feed, outlet in rows
    ]


def feed_listings(session: Session) -> list[FeedListing]:
    rows = session.exec(
        select(Feed.url, Outlet.name, Outlet.homepage, Feed.full_text).join(Outlet)
        .order_by(col(Outlet.name))
    ).all()
    return [FeedListing(outlet=name, url=url, homepage=home, full_text=mode)
            for url, name, home, mode in rows]
