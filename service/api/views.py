"""Stored rows and timelines turned into the API's response bodies."""

from __future__ import annotations

from sqlmodel import Session

from service.api.schemas import (
    CasualtiesOut,
    EnclosureOut,
    EventOut,
    EventSummary,
    FigureOut,
    ItemOut,
    PointOut,
    RevisionOut,
    SeriesOut,
    Spread,
    utc,
)
from service.models import CasualtyReport, Event, Item, ItemRevision
from service.store import queries
from datetime import timedelta

from service.labels import series_label
from service.timeline import KINDS, Claim, FigureRow, Point, claims, disagrees, spread

LATEST_ITEMS = 50


def event_summary(event: Event) -> EventSummary:
    return EventSummary(id=event.id, title=event.title,  # type: ignore[arg-type]
                        keywords=event.keywords.split(), first_seen_at=utc(event.first_seen_at),
                        last_seen_at=utc(event.last_seen_at), items=event.item_count,
                        outlets=event.outlet_count)


def item(row: Item, outlet: str) -> ItemOut:
    return ItemOut(id=row.id, outlet=outlet, event_id=row.event_id,  # type: ignore[arg-type]
                   title=row.title, url=row.url,
                   published_at=utc(row.published_at) if row.published_at else None,
                   first_seen_at=utc(row.first_seen_at), summary=row.summary,
                   content=row.content, authors=row.authors, categories=row.categories,
                   enclosures=[EnclosureOut.model_validate(e) for e in row.enclosures],
                   language=row.language)


def event_detail(session: Session, event: Event) -> EventOut:
    items = queries.list_items(session, queries.ItemFilter(event_id=event.id), LATEST_ITEMS)
    return EventOut(**event_summary(event).model_dump(),
                    outlet_names=queries.event_outlets(session, event.id),  # type: ignore[arg-type]
                    latest_items=[item(i, name) for i, name in items])


def point(p: Point) -> PointOut:
    return PointOut(observed_at=utc(p.observed_at), count=p.count, count_max=p.count_max,
                    qualifier=p.qualifier, vague=p.vague, label=p.label(), item_id=p.item_id,
                    hedged=p.hedged, partial=p.partial, words=p.words)


def series(claim: Claim) -> SeriesOut:
    s = claim.series
    return SeriesOut(outlet=s.outlet, source=s.source, kind=s.kind,
                     points=[point(p) for p in s.points], latest=point(s.latest),
                     label=series_label(s), status=claim.status,
                     behind_hours=round(claim.behind.total_seconds() / 3600, 2))


def casualties(event_id: int, rows: list[FigureRow], share: float,
               stale_after: timedelta) -> CasualtiesOut:
    ranges = {k: spread(rows, k, stale_after=stale_after) for k in KINDS}
    return CasualtiesOut(
        event_id=event_id,
        series=[series(c) for c in claims(rows, stale_after=stale_after)],
        spread={k: Spread(lowest=r[0], highest=r[1]) if (r := ranges[k]) else None
                for k in KINDS},
        disagreement={k: r is not None and disagrees(*r, share) for k, r in ranges.items()})


def figure(report: CasualtyReport) -> FigureOut:
    return FigureOut(kind=report.kind, count=report.count, count_max=report.count_max,
                     qualifier=report.qualifier, vague=report.vague, derived=report.derived,
                     source=report.source, place=report.place, evidence=report.evidence,
                     hedged=report.hedged, partial=report.partial, words=report.words,
                     rule=report.rule)


def revision(row: ItemRevision, figures: list[CasualtyReport]) -> RevisionOut:
    return RevisionOut(number=row.number, source=row.source, seen_at=utc(row.seen_at),
                       published_at=utc(row.published_at) if row.published_at else None,
                       title=row.title, text=row.text, figures=[figure(f) for f in figures])
