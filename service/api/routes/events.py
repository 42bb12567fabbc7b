"""/api/events: events, their casualty figures over time (JSON, CSV) and their charts."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.api import answers, views
from service.api.deps import Moment, EventId, SessionDep, SettingsDep, decode_cursor, encode_cursor
from service.api.schemas import CasualtiesOut, EventOut, EventSummary, Page, utc
from service.store import queries
from service.store.analysis import event_figures
from service.timeline import Series, timelines

router = APIRouter(prefix="/api/events", tags=["events"])
CSV_COLUMNS = ("outlet", "source", "observed_at", "kind", "count", "count_max", "qualifier",
               "item_id", "vague", "words", "hedged", "partial", "label")


@router.get("", response_model=Page[EventSummary])
def list_events(session: SessionDep,
                since: Moment | None = None, until: Moment | None = None,
                q: Annotated[str | None, Query(max_length=200)] = None,
                outlet: Annotated[str | None, Query(max_length=200)] = None,
                min_outlets: Annotated[int, Query(ge=1, le=1000)] = 1,
                sort: Literal["recent", "size"] = "recent",
                limit: Annotated[int, Query(ge=1, le=200)] = 50,
                cursor: str | None = None) -> Page[EventSummary]:
    """Events, most recent (or, with ``sort=size``, most covered) first."""
    where = queries.EventFilter(since, until, q, outlet, min_outlets)
    after = decode_cursor(cursor, 3 if sort == "size" else 2)
    rows = queries.list_events(session, where, sort, limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page[EventSummary](
        items=[views.event_summary(e) for e in rows],
        next_cursor=encode_cursor(queries.event_sort_key(rows[-1], sort)) if more else None)


def _resolve(session: SessionDep, event_id: int, request: Request) -> Response | None:
    """A redirect to the surviving event when ``event_id`` was merged into another."""
    event = queries.get_event(session, event_id)
    return None if event.merged_into_id is None else _moved(request, event.merged_into_id)


def _moved(request: Request, survivor: int) -> Response:
    # The route's own path with the survivor's id: the id as the client wrote it
    # ("01", say) may not appear in the path as its number does.
    route = request.scope["route"]
    target = route.url_path_for(route.name, **{**request.path_params, "event_id": survivor})
    return RedirectResponse(f"{target}?{request.url.query}" if request.url.query else target,
                            status_code=308)


@router.get("/{event_id}", response_model=EventOut,
            responses={308: {"description": "Merged: the event it was merged into."},
                       404: {"description": "No such event."}})
def get_event(event_id: EventId, session: SessionDep, request: Request):
    """One event: its keywords, time span, outlets and latest items."""
    if (redirect := _resolve(session, event_id, request)) is not None:
        return redirect
    return views.event_detail(session, queries.get_event(session, event_id))


@router.get("/{event_id}/casualties", response_model=CasualtiesOut,
            responses={200: {"content": {"text/csv": {}}}, 404: {"description": "No such event."}})
def casualties(event_id: EventId, session: SessionDep, config: SettingsDep, request: Request,
               format: Literal["json", "csv"] = "json"):
    """Per outlet and attributed source, each change of its figures over time; the
    latest, the spread across outlets and whether they disagree. ``format=csv`` gives one
    row per change."""
    state = answers.event_state(request, session, event_id)
    if state.merged_into_id is not None:
        return _moved(request, state.merged_into_id)
    share, stale = config.disagreement_share, config.stale_after
    current = answers.tag("casualties", format, event_id, state.figures, share, stale)

    def compute() -> bytes:
        rows = event_figures(session, event_id)
        if format == "csv":
            return _csv(timelines(rows)).encode()
        return views.casualties(event_id, rows, share, stale).model_dump_json().encode()

    if format == "csv":
        return answers.answer(request, ("csv", event_id), current, "text/csv; charset=utf-8",
                              compute, {"Content-Disposition":
                                        f'attachment; filename="event-{event_id}-casualties.csv"'})
    return answers.answer(request, ("json", event_id), current, "application/json", compute)


def _csv(series: list[Series]) -> str:
    """One row per change. A vague figure has no count and no qualifier of its own: its
    qualifier is left empty, ``vague`` is true and ``words`` says what the text said."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = [(s.outlet, s.source or "", utc(p.observed_at).isoformat(), s.kind,
             "" if p.count is None else p.count, "" if p.count_max is None else p.count_max,
             "" if p.vague or p.count is None else p.qualifier, p.item_id,
             str(p.vague).lower(), p.words or "", str(p.hedged).lower(),
             str(p.partial).lower(), p.label())
            for s in series for p in s.points]
    rows.sort(key=lambda r: (r[2], r[0], r[1], r[3]))  # time, outlet, source, kind
    writer.writerows(rows)
    return out.getvalue()


@router.get("/{event_id}/casualties.{fmt}", response_class=Response,
            responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}},
                       404: {"description": "No such event."}})
def chart(event_id: EventId, fmt: Literal["png", "svg"], session: SessionDep,
          request: Request, layout: Literal["wide", "narrow"] = "wide") -> Response:
    """A step chart of killed (and injured) over time, one labelled line per outlet and
    source; ``layout=narrow`` draws the killed for a phone's width, with a key below."""
    from service import charts  # matplotlib loads with the first chart, not with the API

    state = answers.event_state(request, session, event_id)
    if state.merged_into_id is not None:
        return _moved(request, state.merged_into_id)
    current = answers.tag("chart", fmt, layout, event_id, state.title, state.figures)
    return answers.answer(
        request, ("chart", fmt, layout, event_id), current,
        "image/png" if fmt == "png" else "image/svg+xml",
        lambda: charts.render(timelines(event_figures(session, event_id)), state.title, fmt,
                              layout=layout))
