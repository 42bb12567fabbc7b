"""The HTML pages: current events, one event's chart, figures and items, one item's
versions, the feeds' health, and a page for what does not exist."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from service.api.schemas import utc
from service.store import queries
from service.store.analysis import event_figures
from service.timeline import (KINDS, FigureRow, claims, daily_disagreements, disagreement,
                              spread)
from service.api.deps import EventId, ItemId, SessionDep, SettingsDep
from service.labels import headline, series_label
from service.models import CasualtyReport, ItemRevision
from service.store import feeds as feed_store
from service.web import safe_link
from service.web.edits import Version, edits, figure_label

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parents[2] / "web" / "templates")
PAGE_EVENTS = 50
HEADLINES = 200


def when(value: datetime | None) -> str:
    return utc(value).strftime("%d %b %Y %H:%M UTC") if value else ""


templates.env.filters["safe_link"] = safe_link
templates.env.filters["when"] = when
templates.env.filters["short"] = lambda value: utc(value).strftime("%d %b %H:%M")
templates.env.filters["label"] = series_label
templates.env.filters["headline"] = headline
templates.env.filters["ago"] = lambda delta: age(delta.total_seconds())


def age(seconds: float) -> str:
    """"7 h", "2 days": how far a figure is behind the event's newest report."""
    hours = seconds / 3600
    if hours < 1:
        return f"{round(seconds / 60)} min"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def figure_range(rows: list[FigureRow], kind: str = "killed", *,
                 stale_after: timedelta) -> str | None:
    """"78–148 killed" (the current figures), or None when no outlet states one."""
    found = spread(rows, kind, stale_after=stale_after)
    if found is None:
        return None
    low, high = found
    return f"{low} {kind}" if low == high else f"{low}–{high} {kind}"


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: SessionDep, config: SettingsDep) -> Response:
    events = queries.list_events(session, queries.EventFilter(), "recent", PAGE_EVENTS)
    rows = [(e, figure_range(event_figures(session, e.id),  # type: ignore[arg-type]
                             stale_after=config.stale_after)) for e in events]
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
        figure_label(f.kind, f.count, f.count_max, f.qualifier, f.source, vague=f.vague,
                     words=f.words, hedged=f.hedged, partial=f.partial) for f in figures))


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
    share, stale = config.disagreement_share, config.stale_after
    return templates.TemplateResponse(request, "event.html", {
        "event": event, "claims": claims(figures, stale_after=stale),
        "headlines": queries.event_headlines(session, event_id, HEADLINES),
        "as_of": max((r.observed_at for r in figures), default=None),
        "ranges": {k: figure_range(figures, k, stale_after=stale) for k in KINDS},
        "disagree": {k: disagreement(figures, k, share=share, stale_after=stale)
                     for k in KINDS},
        "days": daily_disagreements(figures, share=share, stale_after=stale),
        "outlets": queries.event_outlets(session, event_id)})
