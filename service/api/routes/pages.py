"""The HTML pages: current events, one event's chart, figures and items, one item's
versions, the feeds' health, and a page for what does not exist."""

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
from service.api.deps import EventId, ItemId, SessionDep, SettingsDep
from service.charts import series_label
from service.models import CasualtyReport, ItemRevision
from service.store import feeds as feed_store
from service.web import safe_link
from service.web.edits import Version, edits, figure_label

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
    failing = sum(row.failing for row in feed_store.feed_statuses(session))
    return templates.TemplateResponse(request, "index.html", {"rows": rows, "failing": failing})


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, session: SessionDep) -> Response:
    rows = feed_store.feed_statuses(session)
    rows.sort(key=lambda row: (not row.failing, row.outlet, row.id))  # the failing first
    return templates.TemplateResponse(request, "feeds.html", {
        "rows": rows, "failing": sum(row.failing for row in rows)})


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(item_id: ItemId, request: Request, session: SessionDep) -> Response:
    item, history = queries.item_revisions(session, item_id)
    versions = [(revision, _version(revision, figures)) for revision, figures in history]
    shown = [(revision, version.figures, edits(before, version) if before else ([], 0))
             for (revision, version), before
             in zip(versions, [None, *(version for _, version in versions)])]
    return templates.TemplateResponse(request, "item.html", {
        "item": item, "outlet": queries.outlet_name(session, item.outlet_id),
        "versions": shown})


def _version(revision: ItemRevision, figures: list[CasualtyReport]) -> Version:
    return Version(revision.title, revision.text, tuple(
        figure_label(f.kind, f.count, f.count_max, f.qualifier, f.source) for f in figures))


def not_found_page(request: Request, detail: str) -> Response:
    """A browser's 404 (the API answers problem+json): what was missing, and a way on."""
    return templates.TemplateResponse(request, "not_found.html", {"detail": detail},
                                      status_code=404)


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
