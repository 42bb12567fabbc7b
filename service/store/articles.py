"""The article queue and per-host politeness state, shared by every worker.

- ``enqueue``: items of full-text feeds whose latest revision is the feed's and has not
  been answered by an article fetch get a queue entry (or have theirs re-armed).
- ``claim``: due entries leased like feeds are (a conditional UPDATE; on PostgreSQL the
  candidates read ``FOR UPDATE SKIP LOCKED``), under the feed claims' own lock and within
  the per-host limits (service.articles.rules): the fetches in flight on the host, feed
  fetches included (service.store.hosts), with its last slot left to its feeds; one page
  at a time while its robots.txt is unknown or when it asks for a Crawl-delay (the host
  then paused for that long after each claim); and one unit of the host's hourly budget
  taken for each entry claimed.
- ``finish``: the fetch's outcome written, and the article stored as a new revision of
  its item (source ``article``), all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service import db
from service.articles.rules import (
    WINDOW, Window, one_at_a_time, room_for_article, take_budget, wants_article)
from service.models import Article, ArticleHost, Feed, Item, ItemRevision
from service.sources import is_feed_url
from service.store.feeds import host_of
from service.store.hosts import leases_by_host, lock_hosts

_ENQUEUE_LOCK = 0x61727469  # "arti": one enqueuer at a time, or two would queue one item twice
ENQUEUE_BATCH = 500
PENDING = "pending"


def enqueue(session: Session, now: datetime, *, max_age: timedelta, short_chars: int) -> int:
    """Queue (or re-arm) the articles that items of full-text feeds want; returns how many
    entries were written, wanted or not (those not wanted are kept as ``skipped`` so the
    item is not looked at again until its feed text changes)."""
    db.serialize(session, _ENQUEUE_LOCK)
    rows = session.exec(
        select(Item.id, Item.url, Item.revision_count, Feed.full_text,  # type: ignore[call-overload]
               ItemRevision.text, Article.id)
        .join(Feed, col(Feed.id) == Item.feed_id)
        .join(ItemRevision, and_(col(ItemRevision.item_id) == Item.id,
                                 col(ItemRevision.number) == Item.revision_count))
        .outerjoin(Article, col(Article.item_id) == Item.id)
        .where(Feed.full_text != "never", col(Item.first_seen_at) >= now - max_age,
               col(Item.url).is_not(None), ItemRevision.source == "feed",
               or_(col(Article.id).is_(None), col(Article.want_revision) < Item.revision_count))
        .order_by(col(Item.id)).limit(ENQUEUE_BATCH)
    ).all()
    new, again = [], []
    for item_id, url, revision, mode, feed_text, article_id in rows:
        wanted = wants_article(mode, feed_text, short_chars) and is_feed_url(url)
        values = dict(state=PENDING if wanted else "skipped", want_revision=revision,
                      due_at=now, attempts=0)
        if article_id is None:
            new.append(dict(item_id=item_id, url=url, host=host_of(url), created_at=now, **values))
        else:
            again.append(dict(b_id=article_id, url=url, host=host_of(url), **values))
    if new:
        session.execute(insert(Article), new)
    if again:
        session.connection().execute(
            update(_ARTICLES).where(_ARTICLES.c.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in again[0] if name != "b_id"}), again)
    return len(rows)


_ARTICLES = Article.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClaimedArticle:
    """An article this worker holds the lease on, with what its fetch needs."""

    id: int
    item_id: int
    url: str
    host: str
    etag: str | None
    last_modified: str | None
    text_hash: str | None
    attempts: int
    feed_text: str  # the text of the feed revision it answers
    robots_status: int | None
    robots: str | None
    robots_fetched_at: datetime | None


def claim(session: Session, owner: str, now: datetime, *, limit: int, per_host: int,
          budget: int, lease_seconds: int, robots_ttl: timedelta) -> list[ClaimedArticle]:
    """Lease up to ``limit`` due articles for ``owner``, each taking one unit of its host's
    hourly budget; the pages of hosts paused, out of budget or without room for a page
    (``per_host`` fetches in flight, feeds included) wait."""
    lock_hosts(session)
    free = or_(col(Article.lease_expires_at).is_(None), col(Article.lease_expires_at) <= now)
    hosts = {h.host: h for h in session.exec(select(ArticleHost)).all()}
    blocked = [h for h, row in hosts.items()
               if (row.paused_until is not None and row.paused_until > now)
               or take_budget(Window(row.window_start, row.window_count), now, budget) is None]
    query = (select(Article.id, Article.host)
             .where(Article.state == PENDING, col(Article.due_at) <= now, free,
                    col(Article.host).not_in(blocked))
             .order_by(col(Article.due_at), col(Article.id)).limit(limit * 4))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    candidates = session.exec(query).all()
    reading = leases_by_host(session, Article, now)
    busy = reading + leases_by_host(session, Feed, now)
    windows = {h: Window(row.window_start, row.window_count) for h, row in hosts.items()}
    chosen: list[int] = []
    for article_id, host in candidates:
        row = hosts.get(host)
        serial = row is None or one_at_a_time(row.robots_fetched_at, row.robots_status,
                                              row.crawl_delay, now, robots_ttl)
        taken = take_budget(windows.get(host, Window(now, 0)), now, budget)
        if (len(chosen) >= limit or not room_for_article(busy[host], per_host)
                or (serial and reading[host]) or taken is None):
            continue
        busy[host] += 1
        reading[host] += 1
        windows[host] = taken
        chosen.append(article_id)  # type: ignore[arg-type]
    if not chosen:
        return []
    leased = set(session.exec(
        update(Article).where(col(Article.id).in_(chosen), free)
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
        .returning(col(Article.id)).execution_options(synchronize_session=False)).scalars())
    for host in {host for article_id, host in candidates if article_id in leased}:
        _spend(session, host, hosts.get(host), windows[host], now)
    return _claimed(session, sorted(leased), hosts)


def _spend(session: Session, host: str, row: ArticleHost | None, window: Window,
           now: datetime) -> None:
    """Record the window after the claim (its start and count already include the pages
    claimed), and the pause its Crawl-delay asks for before the next page."""
    if row is None:
        row = ArticleHost(host=host)
    row.window_start, row.window_count = window.start, window.count
    if row.crawl_delay:
        row.paused_until = max(now + timedelta(seconds=row.crawl_delay), row.paused_until or now)
    session.add(row)
    session.flush()


def _claimed(session: Session, ids: list[int], hosts: dict[str, ArticleHost]
             ) -> list[ClaimedArticle]:
    if not ids:
        return []
    rows = session.exec(
        select(Article, ItemRevision.text)
        .join(Item, col(Item.id) == Article.item_id)
        .join(ItemRevision, and_(col(ItemRevision.item_id) == Item.id,
                                 col(ItemRevision.number) == Article.want_revision))
        .where(col(Article.id).in_(ids)).order_by(col(Article.id))).all()
    claimed = []
    for article, feed_text in rows:
        host = hosts.get(article.host)
        claimed.append(ClaimedArticle(
            id=article.id, item_id=article.item_id, url=article.url,  # type: ignore[arg-type]
            host=article.host, etag=article.etag, last_modified=article.last_modified,
            text_hash=article.text_hash, attempts=article.attempts, feed_text=feed_text,
            robots_status=host.robots_status if host else None,
            robots=host.robots if host else None,
            robots_fetched_at=host.robots_fetched_at if host else None))
    return claimed


def save_robots(session: Session, host: str, status: int, body: str, delay: int | None,
                now: datetime) -> None:
    """Cache a host's robots.txt (its status, text and the Crawl-delay it asks of us) for
    every worker. A page is fetched right after its robots.txt is read: a Crawl-delay
    pauses the host from now on."""
    row = session.get(ArticleHost, host) or ArticleHost(host=host, window_start=now)
    row.robots, row.robots_status, row.robots_fetched_at = body, status, now
    row.crawl_delay = delay
    if row.crawl_delay:
        row.paused_until = max(now + timedelta(seconds=row.crawl_delay), row.paused_until or now)
    session.add(row)


def pause_host(session: Session, host: str, until: datetime) -> None:
    """No article fetch from ``host`` before ``until`` (it answered 429 or 503)."""
    row = session.get(ArticleHost, host) or ArticleHost(host=host, window_start=until - WINDOW)
    row.paused_until = max(until, row.paused_until or until)
    session.add(row)


@dataclass(frozen=True)
class Finished:
    """What an article fetch comes to: the queue entry's new values, and the article's
    text when it is to be stored as a revision."""

    # done | unchanged | no_text | not_html | robots | blocked | failed | pending (a retry)
    state: str
    due_at: datetime | None = None
    attempts: int = 0
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    text: str | None = None  # the article's plain text, when stored
    content: str = ""  # the same as sanitised HTML
    text_hash: str | None = None


def finish(session: Session, claimed: ClaimedArticle, owner: str, outcome: Finished,
           now: datetime) -> int | None:
    """Write the outcome and release the lease; store the text as the item's next revision
    when there is one. Returns that revision's number, or None. Nothing is written if the
    lease was lost (expired and taken by another worker)."""
    values: dict[str, object] = dict(
        state=outcome.state, attempts=outcome.attempts, last_status=outcome.status,
        last_error=(outcome.error or "")[:2000] or None, fetched_at=now,
        lease_owner=None, lease_expires_at=None)
    if outcome.due_at is not None:
        values["due_at"] = outcome.due_at
    if outcome.state in ("done", "unchanged"):
        values.update(etag=outcome.etag, last_modified=outcome.last_modified)
    if outcome.text_hash is not None:
        values["text_hash"] = outcome.text_hash
    released = session.exec(
        update(Article).where(col(Article.id) == claimed.id, col(Article.lease_owner) == owner)
        .values(**values).execution_options(synchronize_session=False))
    if released.rowcount != 1 or outcome.text is None:
        return None
    return _add_revision(session, claimed.item_id, outcome, now)


def _add_revision(session: Session, item_id: int, outcome: Finished, now: datetime) -> int:
    """The article as the item's next revision: the latest feed revision's title, summary
    and content hash (so the feed's own change detection compares feed text with feed
    text), the article as content and text, no published time (its figures are dated when
    the article was read). A feed poll storing a revision of the same item at the same
    moment takes the number first; this one then takes the next."""
    for _attempt in range(3):
        title, summary, content_hash = session.exec(
            select(ItemRevision.title, ItemRevision.summary, ItemRevision.content_hash)
            .where(ItemRevision.item_id == item_id, ItemRevision.source == "feed")
            .order_by(col(ItemRevision.number).desc()).limit(1)).one()
        number = session.exec(select(Item.revision_count).where(Item.id == item_id)).one() + 1
        try:
            with session.begin_nested():
                session.execute(insert(ItemRevision).values(
                    item_id=item_id, number=number, title=title, summary=summary,
                    content=outcome.content, text=f"{title}\n\n{outcome.text}",
                    content_hash=content_hash, published_at=None, seen_at=now,
                    extracted=False, clustered=False, source="article"))
                session.execute(update(Item).where(col(Item.id) == item_id)
                                .values(revision_count=number))
            return number
        except IntegrityError:
            continue
    raise RuntimeError(f"could not store the article of item {item_id} after 3 attempts")
