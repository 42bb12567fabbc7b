"""What a digest says (pure): a period's events, each outlet's figure changes, where
outlets disagree; rendered as a subject, a plain-text part and an HTML part.

The HTML uses inline styles and tables only, which is what mail clients keep.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from service.labels import headline, source_label
from service.timeline import Change, Claim, Dispute, Point

_TEMPLATES = Path(__file__).parents[1] / "web" / "templates"
_html = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
_text = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=False,
                    keep_trailing_newline=True)
for _env in (_html, _text):
    _env.filters["headline"] = headline


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None
    outlet: str


@dataclass(frozen=True)
class DigestEvent:
    id: int
    title: str
    outlets: list[str]
    changes: list[Change]
    disagreement: Dispute | None
    items: list[Link]
    chart_png: bytes | None = None

    @property
    def chart_cid(self) -> str:
        return f"chart-{self.id}@tollwatch"


@dataclass(frozen=True)
class Digest:
    day: date
    start: datetime
    end: datetime
    public_url: str
    events: list[DigestEvent] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not self.events


def _at(point: Point, zone: tzinfo, *, day: bool = False) -> str:
    when = point.observed_at
    when = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(zone)
    return when.strftime("%d %b %H:%M" if day else "%H:%M")


def describe(change: Change, zone: tzinfo = timezone.utc) -> str:
    """One series over the day, each step at its time (in the digest's zone):
    "SOHR: 46 (07:40) → 101 (12:00) → 148 (17:00) killed (new)",
    "AFP / SOHR: 101 → 148 (17:20) killed", "SANA: 78 killed, unchanged since 23 May 13:00"."""
    label = source_label(change.outlet, change.source, change.own)
    steps = " → ".join(f"{p.label()} ({_at(p, zone)})" for p in change.steps)
    notes = (["new"] if change.before is None else []) + (
        [] if change.status == "current" else [f"{change.status} by the end"])
    note = f" ({', '.join(notes)})" if notes else ""
    if change.before is None:
        return f"{label}: {steps} {change.kind}{note}"
    if not change.changed:
        return (f"{label}: {change.before.label()} {change.kind}, unchanged since "
                f"{_at(change.before, zone, day=True)}{note}")
    return f"{label}: {change.before.label()} → {steps} {change.kind}{note}"


def claim_text(claim: Claim, zone: tzinfo = timezone.utc) -> str:
    """"78 (Reuters / state media, 23 May 18:00)": a figure in a dispute, whose and when."""
    return (f"{claim.point.label()} ({source_label(claim.series.outlet, claim.series.source, claim.series.own)}, "
            f"{_at(claim.point, zone, day=True)})")


def subject(digest: Digest) -> str:
    when = digest.day.strftime("%d %b %Y")
    if digest.quiet:
        return f"tollwatch digest, {when}: a quiet day"
    top = headline(digest.events[0].title)
    more = f" and {len(digest.events) - 1} more" if len(digest.events) > 1 else ""
    return f"tollwatch digest, {when}: {top[:90]}{more}"


def _helpers(digest: Digest) -> dict[str, object]:
    zone = digest.end.tzinfo or timezone.utc
    return {"describe": lambda c: describe(c, zone), "claim": lambda c: claim_text(c, zone)}


def render_text(digest: Digest) -> str:
    return _text.get_template("digest.txt").render(d=digest, **_helpers(digest))


def render_html(digest: Digest, *, embed_charts: bool = False) -> str:
    """The HTML part. In a message its charts are attachments it names by Content-ID;
    ``embed_charts`` puts them in the page itself (data: URLs), for an HTML file a
    browser opens on its own, where a Content-ID names nothing."""
    def chart_src(event: DigestEvent) -> str:
        if embed_charts and event.chart_png:
            return "data:image/png;base64," + base64.b64encode(event.chart_png).decode()
        return f"cid:{event.chart_cid}"
    return _html.get_template("digest.html").render(d=digest, chart_src=chart_src,
                                                    **_helpers(digest))
