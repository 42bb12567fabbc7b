"""/api/outlets and /api/feeds: who is followed, and each feed's health. Writes need the key."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from service.bounds import redacted
from service.api.deps import (FeedId, Probe, ProbeDep, SessionDep, decode_cursor, encode_cursor,
                              require_writer)
from service.api.schemas import FeedIn, FeedOut, FeedPatch, OutletOut, Page, utc
from service.discover import choose
from service.errors import FeedError, TollwatchError
from service.store import feeds as store
from service.store import queries
from service.store.feeds import FeedStatus

router = APIRouter(tags=["feeds"])
WRITE = [Depends(require_writer)]
_AUTH: dict[int | str, dict[str, Any]] = {401: {"description": "Missing or wrong X-API-Key."},
         403: {"description": "The server has no API key: writes are disabled."}}
# what a write with a body can meet before any field is read
_BODY: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body could not be read as JSON text (e.g. not UTF-8)."},
    413: {"description": "The body is over TOLLWATCH_API_MAX_BODY_BYTES."}}


def _out(status: FeedStatus) -> FeedOut:
    fields = asdict(status)
    fields["url"] = redacted(status.url)
    fields["last_error"] = redacted(status.last_error) if status.last_error else None
    fields["next_fetch_at"] = utc(status.next_fetch_at)
    fields["last_fetched_at"] = utc(status.last_fetched_at) if status.last_fetched_at else None
    return FeedOut(**fields)


def _one(session: SessionDep, feed_id: int) -> FeedOut:
    return _out(store.feed_statuses(session, after_id=feed_id - 1, limit=1)[0])


@router.get("/api/outlets", response_model=list[OutletOut])
def outlets(session: SessionDep) -> list[OutletOut]:
    """Every outlet, with its number of feeds and stored items."""
    return [OutletOut(id=o.id, name=o.name, homepage=o.homepage, kind=o.kind,  # type: ignore[arg-type]
                      feeds=f, items=i) for o, f, i in queries.outlets_with_counts(session)]


@router.get("/api/feeds", response_model=Page[FeedOut])
def list_feeds(session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
               cursor: str | None = None) -> Page[FeedOut]:
    """Feeds with their health: last status and error, next fetch."""
    after = decode_cursor(cursor, 1)
    rows = store.feed_statuses(session, after_id=after[0] if after else None, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page[FeedOut](items=[_out(r) for r in rows],
                         next_cursor=encode_cursor((rows[-1].id,)) if more else None)


@router.post("/api/feeds", status_code=201, response_model=FeedOut, dependencies=WRITE,
             responses={409: {"description": "The URL is already followed."},
                        422: {"description": "With discover: the URL could not be fetched, "
                                             "is no feed and links to none, or has no feed "
                                             "numbered pick."},
                        **_AUTH, **_BODY})
def add_feed(body: FeedIn, session: SessionDep, probe: ProbeDep) -> FeedOut:
    """Follow a feed; its outlet is created if new. It is polled at the next tick.

    With ``discover`` the URL is fetched first: a web page's feeds (its ``<link
    rel="alternate">``) are followed instead, all of them or the ``pick``-th; the
    first one followed is returned, the others are listed by GET /api/feeds."""
    urls = _discovered(str(body.url), body.pick, probe) if body.discover or body.pick \
        else [str(body.url)]
    try:
        feeds = [store.add_feed(session, url, body.outlet, body.full_text) for url in urls]
    except TollwatchError as exc:
        raise HTTPException(409, str(exc)) from None
    session.commit()
    return _one(session, feeds[0].id)  # type: ignore[arg-type]


def _discovered(url: str, pick: int | None, probe: Probe) -> list[str]:
    try:
        return [link.url for link in choose(probe(url), pick)]
    except (FeedError, ValueError) as exc:  # fetched nothing, or nothing to follow
        raise HTTPException(422, str(exc)) from None


@router.patch("/api/feeds/{feed_id}", response_model=FeedOut, dependencies=WRITE,
              responses={404: {"description": "No such feed."}, **_AUTH, **_BODY})
def change_feed(feed_id: FeedId, body: FeedPatch, session: SessionDep) -> FeedOut:
    """Pause or resume a feed, set its polling interval, move it to another outlet, or
    choose whether its items' article pages are read (``full_text``)."""
    feed = store.find_feed(session, str(feed_id))
    if body.enabled is not None:
        feed.enabled = body.enabled
    if body.interval_seconds is not None:
        feed.interval_seconds = body.interval_seconds
    if body.full_text is not None:
        feed.full_text = body.full_text
    if body.outlet is not None:
        feed.outlet_id = store.get_or_create_outlet(session, body.outlet).id  # type: ignore[assignment]
    session.add(feed)
    session.commit()
    return _one(session, feed_id)


@router.delete("/api/feeds/{feed_id}", status_code=204, response_class=Response,
               dependencies=WRITE, responses={404: {"description": "No such feed."}, **_AUTH})
def delete_feed(feed_id: FeedId, session: SessionDep) -> Response:
    """Stop following a feed. Its items stay: they are the outlet's record."""
    store.remove_feed(session, str(feed_id))
    session.commit()
    return Response(status_code=204)
