"""The HTML pages: current events, and one event's chart, figures and items."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from service.api.schemas import utc
from service.store import queries
from service.store.analysis import event_figures
from service.timeline import KINDS, FigureRow, disagreement, spread, timelines
from service.api.deps import EventId, SessionDep, SettingsDep
from service.charts import series_label
from service.web import safe_link

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parents[2] / "web" / "templates")
PAGE_EVENTS = 50


def when(value: datetime | None) -> str:
    return utc(value).strftime("%d %b %Y %H:%M UTC") if value else ""


templates.env.filters["safe_link"] = safe_link
templates.env.filters["when"] = when
templates.env.filters["short"] = lambda value: utc(value).strftime("%d %b %H:%M")
templates.env.filters["label"] = series_label


def figure_range(rows: list[FigureRow], kind: str = "killed") -> str | None:
    """"60–184 killed", or None when no outlet has given a figure of that kind."""
    found = spread(rows, kind)
    if found is None:
        return None
    low, high = found
    return f"{low} {kind}" if low == high else f"{low}–{high} {kind}"


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: SessionDep) -> Response:
    events = queries.list_events(session, queries.EventFilter(), "recent", PAGE_EVENTS)
    rows = [(e, figure_range(event_figures(session, e.id))) for e in events]  # type: ignore[arg-type]
    return templates.TemplateResponse(request, "index.html", {"rows": rows})


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(event_id: EventId, request: Request, session: SessionDep,
               config: SettingsDep) -> Response:
    event = queries.get_event(session, event_id)
    if event.merged_into_id is not None:
        return RedirectResponse(f"/events/{event.merged_into_id}", status_code=308)
    figures = event_figures(session, event_id)
    items = queries.list_items(session, queries.ItemFilter(event_id=event_id), 200)
    return templates.TemplateResponse(request, "event.html", {
        "event": event, "series": timelines(figures), "items": items,
        "ranges": {k: figure_range(figures, k) for k in KINDS},
        "disagree": {k: disagreement(figures, k, share=config.disagreement_share)
                     for k in KINDS},
        "outlets": queries.event_outlets(session, event_id)})
