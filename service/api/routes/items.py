"""/api/items: stored items, and every revision of one with the figures read from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.api import views
from service.api.deps import Moment, MAX_ID, ItemId, SessionDep, decode_cursor, encode_cursor
from service.api.schemas import ItemOut, Page, RevisionsOut
from service.store import queries

router = APIRouter(prefix="/api/items", tags=["items"])


@router.get("", response_model=Page[ItemOut])
def list_items(session: SessionDep,
               event: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
               outlet: Annotated[str | None, Query(max_length=200)] = None,
               since: Moment | None = None,
               q: Annotated[str | None, Query(max_length=200)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               cursor: str | None = None) -> Response:
    """Items, newest first; with ``q``, those whose title or text holds all its words,
    best match first (full-text: stemmed words, not substrings)."""
    where = queries.ItemFilter(event, outlet, since, q)
    if q:
        return _search(session, where, limit, cursor)
    after = decode_cursor(cursor, 1)
    rows = queries.list_items(session, where, limit + 1, before_id=after[0] if after else None)
    more = len(rows) > limit
    rows = rows[:limit]
    return _json(Page[ItemOut](items=[views.item(i, name) for i, name in rows],
                               next_cursor=encode_cursor((rows[-1][0].id,)) if more else None))


def _json(page: Page[ItemOut]) -> Response:
    """The page serialised once. Returned as a model, it was validated again against
    the response model first, in a thread hand-off of its own (a sync route's output
    is validated in the thread pool), before being serialised."""
    return Response(page.model_dump_json(), media_type="application/json")


def _search(session: SessionDep, where: queries.ItemFilter, limit: int,
            cursor: str | None) -> Response:
    after = decode_cursor(cursor, 2)
    rows = queries.search_items(session, where, limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    return _json(Page[ItemOut](
        items=[views.item(i, name).model_copy(update={"rank": rank}) for i, name, rank in rows],
        next_cursor=encode_cursor((rows[-1][2], rows[-1][0].id)) if more else None))


@router.get("/{item_id}/revisions", response_model=RevisionsOut,
            responses={404: {"description": "No such item."}})
def revisions(item_id: ItemId, session: SessionDep) -> RevisionsOut:
    """Each version of the item as it was seen, with the figures extracted from it."""
    item, history = queries.item_revisions(session, item_id)
    outlet = queries.outlet_name(session, item.outlet_id)
    return RevisionsOut(item=views.item(item, outlet),
                        revisions=[views.revision(r, figures) for r, figures in history])
