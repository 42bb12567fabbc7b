"""The API's response bodies: what clients may rely on (they make the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, HttpUrl

from service import bounds


def utc(value: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back without a zone."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page.")


class Problem(BaseModel):
    """An error, as RFC 9457 describes (served as application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, object]] | None = None


class OutletOut(BaseModel):
    id: int
    name: str
    homepage: str | None
    kind: str | None
    feeds: int
    items: int


class FeedOut(BaseModel):
    id: int
    outlet: str
    url: str
    enabled: bool
    gone: bool
    last_status: int | None
    last_outcome: str | None
    last_fetched_at: AwareDatetime | None
    next_fetch_at: AwareDatetime
    error_count: int
    last_error: str | None


def _storable(value: str) -> str:
    if bounds.clean(value) != value:
        raise ValueError("must not contain NUL or unpaired surrogate characters")
    return value


def _feed_url(value: HttpUrl) -> HttpUrl:
    problem = bounds.url_problem(str(value))
    if problem is not None:
        raise ValueError(problem)
    return value


OutletName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable)]


class FeedIn(BaseModel):
    url: Annotated[HttpUrl, AfterValidator(_feed_url)]
    outlet: OutletName


class FeedPatch(BaseModel):
    enabled: bool | None = None
    interval_seconds: int | None = Field(None, ge=60, le=7 * 86400)
    outlet: OutletName | None = None


class EventSummary(BaseModel):
    id: int
    title: str
    keywords: list[str]
    first_seen_at: AwareDatetime
    last_seen_at: AwareDatetime
    items: int
    outlets: int


class ItemOut(BaseModel):
    id: int
    outlet: str
    event_id: int | None
    title: str
    url: str | None
    published_at: AwareDatetime | None
    first_seen_at: AwareDatetime


class EventOut(EventSummary):
    outlet_names: list[str]
    latest_items: list[ItemOut]


class PointOut(BaseModel):
    observed_at: AwareDatetime
    count: int | None
    count_max: int | None
    qualifier: str
    vague: bool
    label: str
    item_id: int


class SeriesOut(BaseModel):
    outlet: str
    source: str | None
    kind: str
    points: list[PointOut]
    latest: PointOut


class Spread(BaseModel):
    lowest: int
    highest: int


class CasualtiesOut(BaseModel):
    event_id: int
    series: list[SeriesOut]
    spread: dict[str, Spread | None] = Field(
        description="Per kind, the lowest and highest latest figure across outlets.")
    disagreement: dict[str, bool] = Field(
        description="Per kind, whether outlets' latest figures differ by more than "
                    "TOLLWATCH_DISAGREEMENT_SHARE (default 0.2) of the highest.")


class FigureOut(BaseModel):
    kind: str
    count: int | None
    count_max: int | None
    qualifier: str
    vague: bool
    derived: bool
    source: str | None
    place: str | None
    evidence: str


class RevisionOut(BaseModel):
    number: int
    seen_at: AwareDatetime
    published_at: AwareDatetime | None
    title: str
    text: str
    figures: list[FigureOut]


class RevisionsOut(BaseModel):
    item: ItemOut
    revisions: list[RevisionOut]
