"""The database tables (SQLModel).

One row per real thing, and unique constraints that make duplicates impossible rather
than unlikely: an item is unique per (outlet, identity), a revision per (item, number),
a casualty report per (revision, ordinal), a digest delivery per (date, recipient).
Times are aware UTC datetimes (SQLModel's UTCDateTime stores them as such on both
SQLite and PostgreSQL); ``utcnow()`` makes them.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now, as the aware UTC datetime every table stores."""
    return datetime.now(timezone.utc)


def _text() -> Column:
    return Column(Text, nullable=False, default="")


def _json() -> Column:
    return Column(JSON, nullable=False, default=list)


class Outlet(SQLModel, table=True):
    """A publisher: SANA, the Syrian Observatory, Yahoo News, ..."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    homepage: Optional[str] = Field(default=None, max_length=2000)
    kind: Optional[str] = Field(default=None, max_length=50)  # state media, monitor, wire, ...
    created_at: datetime = Field(default_factory=utcnow)


class Feed(SQLModel, table=True):
    """One RSS/Atom URL of an outlet, with its polling state.

    The schedule lives here (``next_fetch_at``), not in APScheduler, so it survives
    restarts and is shared by every worker; ``lease_owner``/``lease_expires_at`` let
    PostgreSQL workers claim feeds with ``FOR UPDATE SKIP LOCKED``.
    """

    __table_args__ = (Index("ix_feed_due", "enabled", "next_fetch_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    outlet_id: int = Field(foreign_key="outlet.id", index=True)
    url: str = Field(max_length=2000, unique=True)
    host: str = Field(default="", max_length=300, index=True)  # per-host limits across workers
    title: Optional[str] = Field(default=None, max_length=500)
    enabled: bool = True
    # conditional GET validators, stored exactly as the server sent them
    etag: Optional[str] = Field(default=None, max_length=1000)
    last_modified: Optional[str] = Field(default=None, max_length=200)
    # schedule
    interval_seconds: Optional[int] = None  # None: the configured default
    next_fetch_at: datetime = Field(default_factory=utcnow)
    last_fetched_at: Optional[datetime] = None
    last_status: Optional[int] = None
    last_outcome: Optional[str] = Field(default=None, max_length=30)
    # health
    error_count: int = 0  # consecutive failures; drives the backoff
    throttle_count: int = 0  # consecutive 429/503 answers, counted apart from failures
    last_error: Optional[str] = Field(default=None, max_length=2000)
    last_error_at: Optional[datetime] = None
    gone: bool = False  # 410: kept, visible, no longer polled
    # 301/308: the target, adopted as url after enough consecutive permanent redirects
    redirect_url: Optional[str] = Field(default=None, max_length=2000)
    redirect_count: int = 0
    guid_unstable: bool = False  # the feed's GUIDs change on every fetch
    # lease
    lease_owner: Optional[str] = Field(default=None, max_length=200)
    lease_expires_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    # fetch each item's article page: always | when_short (the feed's text is short) | never
    full_text: str = Field(default="never", max_length=20)


class Item(SQLModel, table=True):
    """An article as an outlet published it; its text history is in ItemRevision."""

    __table_args__ = (
        UniqueConstraint("outlet_id", "identity", name="uq_item_outlet_identity"),
        Index("ix_item_event_published", "event_id", "published_at"),
        Index("ix_item_outlet_published", "outlet_id", "published_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    outlet_id: int = Field(foreign_key="outlet.id")
    # the feed it was first seen in; None for imported items or once the feed is removed
    feed_id: Optional[int] = Field(
        default=None, foreign_key="feed.id", ondelete="SET NULL", index=True
    )
    # guid, else link, else a hash of title+published: see service.parse.identity
    identity: str = Field(max_length=2000)
    guid: Optional[str] = Field(default=None, max_length=2000)
    external_id: Optional[str] = Field(default=None, max_length=500)  # id given on import
    url: Optional[str] = Field(default=None, max_length=2000)
    title: str = Field(default="", sa_column=_text())
    summary: str = Field(default="", sa_column=_text())
    content: str = Field(default="", sa_column=_text())  # sanitised HTML
    text: str = Field(default="", sa_column=_text())  # plain text, for analysis
    published_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    first_seen_at: datetime = Field(default_factory=utcnow, index=True)
    last_seen_at: datetime = Field(default_factory=utcnow)
    revision_count: int = 1
    event_id: Optional[int] = Field(default=None, foreign_key="event.id")
    # as the latest version gave them (service.entries.Entry)
    authors: list[str] = Field(default_factory=list, sa_column=_json())
    categories: list[str] = Field(default_factory=list, sa_column=_json())
    enclosures: list[dict[str, object]] = Field(default_factory=list, sa_column=_json())  # url, type, length
    language: Optional[str] = Field(default=None, max_length=35)


class ItemRevision(SQLModel, table=True):
    """One distinct version of an item's text. Edited articles are where tolls rise."""

    __table_args__ = (
        UniqueConstraint("item_id", "number", name="uq_revision_item_number"),
        Index("ix_revision_unextracted", "extracted"),
        Index("ix_revision_unclustered", "clustered"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id")
    number: int  # 1, 2, ... per item
    title: str = Field(default="", sa_column=_text())
    summary: str = Field(default="", sa_column=_text())
    content: str = Field(default="", sa_column=_text())
    text: str = Field(default="", sa_column=_text())
    content_hash: str = Field(max_length=64)
    published_at: Optional[datetime] = None  # the item's updated/published time in this version
    seen_at: datetime = Field(default_factory=utcnow)
    extracted: bool = False  # casualty figures read from it
    clustered: bool = False  # assigned to an event
    # the extraction lease: the analysis process reading its figures (and, once read,
    # the one that read them), and until when no other may take it over
    lease_owner: Optional[str] = Field(default=None, max_length=200)
    lease_expires_at: Optional[datetime] = None
    # where the text came from: "feed" (the entry), or "article" (the page it links to,
    # fetched and extracted; its content_hash is the feed revision's it stands for)
    source: str = Field(default="feed", max_length=20)


class FetchLog(SQLModel, table=True):
    """One poll of one feed; housekeeping keeps the last few per feed."""

    __table_args__ = (Index("ix_fetchlog_feed_started", "feed_id", "started_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
    duration_ms: int = 0
    status: Optional[int] = None
    outcome: str = Field(max_length=30)  # ok, not_modified, error, throttled, gone, blocked
    error: Optional[str] = Field(default=None, max_length=2000)
    new_items: int = 0
    updated_items: int = 0
    worker: Optional[str] = Field(default=None, max_length=200)


class Event(SQLModel, table=True):
    """A real-world event: a cluster of items. Merged events point at the survivor."""

    __table_args__ = (Index("ix_event_last_seen", "last_seen_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(default="", sa_column=_text())
    keywords: str = Field(default="", sa_column=_text())  # space-separated, best first
    first_seen_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    item_count: int = 0
    outlet_count: int = 0
    merged_into_id: Optional[int] = Field(default=None, foreign_key="event.id")
    created_at: datetime = Field(default_factory=utcnow)


class AnalysisVersion(SQLModel, table=True):
    """One row, whose number every transaction that adds figures or puts items in events
    (or merges them) raises as its last statement (service.store.analysis). An API
    process that read an event's state at this number needs not read it again while the
    number stands (service.api.answers)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class CasualtyReport(SQLModel, table=True):
    """One casualty figure read from one revision of one item."""

    __table_args__ = (
        UniqueConstraint("revision_id", "ordinal", name="uq_casualty_revision_ordinal"),
        Index("ix_casualty_item_observed", "item_id", "observed_at"),
        Index("ix_casualty_outlet", "outlet_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="itemrevision.id")
    item_id: int = Field(foreign_key="item.id")
    outlet_id: int = Field(foreign_key="outlet.id")
    ordinal: int  # position among the revision's figures
    kind: str = Field(max_length=10)  # killed | injured
    count: Optional[int] = None  # None for vague quantities ("dozens")
    count_max: Optional[int] = None
    qualifier: str = Field(default="exact", max_length=20)
    vague: bool = False
    derived: bool = False  # a total computed from per-place parts
    hedged: bool = False  # "feared dead", "believed killed": not a confirmed figure
    partial: bool = False  # a part of a larger total ("43 of them at the hospital")
    words: Optional[str] = Field(default=None, max_length=100)  # the quantity as written
    rule: str = Field(default="", max_length=40)  # the reader's shape that found it
    source: Optional[str] = Field(default=None, max_length=300)
    place: Optional[str] = Field(default=None, max_length=200)
    evidence: str = Field(default="", sa_column=_text())
    start: int = 0
    end: int = 0
    observed_at: datetime  # revision's published time, else when it was first seen


class DigestDelivery(SQLModel, table=True):
    """One digest for one recipient on one date, claimed before sending."""

    __table_args__ = (
        UniqueConstraint("digest_date", "recipient", name="uq_digest_date_recipient"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    digest_date: date
    recipient: str = Field(max_length=320)
    status: str = Field(default="claimed", max_length=20)  # a store.deliveries.DeliveryStatus
    message_id: str = Field(max_length=300)
    claimed_by: Optional[str] = Field(default=None, max_length=200)
    claimed_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None
    attempts: int = 0
    last_error: Optional[str] = Field(default=None, max_length=2000)


class Article(SQLModel, table=True):
    """The article page behind one item of a full-text feed: a queue entry and its state.

    The article stage claims due rows with a lease, as the poller claims feeds.
    ``want_revision`` is the item's feed revision the page is fetched for; a feed edit
    re-queues the page. The validators and the extracted text's hash make a refetch
    conditional, and an unchanged page adds no revision.
    """

    __table_args__ = (Index("ix_article_due", "state", "due_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", unique=True)
    url: str = Field(max_length=2000)
    host: str = Field(default="", max_length=300, index=True)
    # pending | done | unchanged | skipped | robots | no_text | not_html | blocked | failed
    state: str = Field(default="pending", max_length=20)
    want_revision: int = 0
    due_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0  # consecutive failures; drives the backoff
    etag: Optional[str] = Field(default=None, max_length=1000)
    last_modified: Optional[str] = Field(default=None, max_length=200)
    text_hash: Optional[str] = Field(default=None, max_length=64)
    last_status: Optional[int] = None
    last_error: Optional[str] = Field(default=None, max_length=2000)
    fetched_at: Optional[datetime] = None
    lease_owner: Optional[str] = Field(default=None, max_length=200)
    lease_expires_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


class ArticleHost(SQLModel, table=True):
    """Per-host politeness for article fetches, shared by every worker: the hourly
    budget (a fixed window and its count), the cached robots.txt and its Crawl-delay, and
    a pause (after a 429 or 503, and for the Crawl-delay after each page claimed)."""

    host: str = Field(primary_key=True, max_length=300)
    window_start: datetime = Field(default_factory=utcnow)
    window_count: int = 0
    robots: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    robots_status: Optional[int] = None  # None: never fetched; 0: the fetch failed
    robots_fetched_at: Optional[datetime] = None
    crawl_delay: Optional[int] = None  # seconds between page fetches robots.txt asks for
    paused_until: Optional[datetime] = None
