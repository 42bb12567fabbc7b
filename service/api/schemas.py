"""The API's response bodies: what clients may rely on (they make the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field,
                      HttpUrl)

from service import bounds

from service.articles.rules import FullText


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
    full_text: FullText = Field(
        "never", description="Whether each item's article page is fetched and read: always, "
                             "when_short (when the feed's own text is short), or never.")


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


def _not_text(value: object) -> object:
    """A JSON number, not a string of digits; 60.0 is still 60, as JSON Schema has it (a
    strict int would refuse it)."""
    if isinstance(value, str):
        raise ValueError("a number, not text")
    return value


class FeedIn(BaseModel):
    # a field the API does not take ("url" in a PATCH, a misspelt "full-text") is a 422,
    # not a 200 that silently changed nothing
    model_config = ConfigDict(extra="forbid")

    url: Annotated[HttpUrl, AfterValidator(_feed_url)]
    outlet: OutletName
    # fetch the URL first: a web page's <link rel="alternate"> feeds are followed instead
    # as the document says: 0 for a boolean or "1" for a number is refused, not guessed
    discover: bool = Field(False, strict=True)
    pick: Annotated[int | None, BeforeValidator(_not_text)] = Field(
        None, ge=1, description="Follow only the page's N-th feed.")
    full_text: FullText = "never"


class FeedPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")  # as FeedIn's

    enabled: bool | None = Field(None, strict=True)
    interval_seconds: Annotated[int | None, BeforeValidator(_not_text)] = Field(
        None, ge=60, le=7 * 86400)
    outlet: OutletName | None = None
    full_text: FullText | None = None


class EventSummary(BaseModel):
    id: int
    title: str
    keywords: list[str]
    first_seen_at: AwareDatetime
    last_seen_at: AwareDatetime
    items: int
    outlets: int


class EnclosureOut(BaseModel):
    url: str
    type: str | None
    length: int | None


class ItemOut(BaseModel):
    id: int
    outlet: str
    event_id: int | None
    title: str
    url: str | None
    published_at: AwareDatetime | None
    first_seen_at: AwareDatetime
    summary: str = Field("", description="Sanitised HTML.")
    content: str = Field("", description="Sanitised HTML; empty when the feed gave only a summary.")
    authors: list[str] = []
    categories: list[str] = []
    enclosures: list[EnclosureOut] = []
    language: str | None = None
    rank: float | None = Field(default=None, description="With q: how well the item matches, higher "
                                                 "is better.")


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
    hedged: bool = Field(False, description='"feared dead", "believed killed": not confirmed.')
    partial: bool = Field(False, description="A part of a larger toll; never compared as one.")
    words: str | None = Field(None, description='The quantity as written: "dozens".')


class SeriesOut(BaseModel):
    outlet: str
    source: str | None = Field(description="Who the outlet credits; null for its own figures "
                                            "(named as itself, or no source given).")
    kind: str
    points: list[PointOut]
    latest: PointOut
    label: str = Field("", description='How pages name the series: "AFP / SOHR".')
    status: Literal["current", "stale", "superseded"] = Field(
        "current", description="Whether the latest figure still stands: superseded by a "
        "later version of its item; stale when the event's newest report is more than "
        "TOLLWATCH_STALE_AFTER_HOURS newer.")
    behind_hours: float = Field(0.0, description="How much older the latest figure (as last "
                                                  "said) is than the event's newest report.")


class Spread(BaseModel):
    lowest: int
    highest: int


class CasualtiesOut(BaseModel):
    event_id: int
    series: list[SeriesOut]
    spread: dict[str, Spread | None] = Field(
        description="Per kind, the lowest and highest current figure across outlets (not "
                    "stale, superseded, vague or partial).")
    disagreement: dict[str, bool] = Field(
        description="Per kind, whether outlets' current figures differ by more than "
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
    hedged: bool = Field(default=False, description="Said with a hedge: \"feared dead\".")
    partial: bool = Field(default=False, description="A part of a larger toll, not a toll.")
    words: str | None = Field(default=None, description="The quantity as written.")
    rule: str = Field(default="", description="The reader's shape that found it.")


class RevisionOut(BaseModel):
    number: int
    source: str = Field("feed", description="Where the text came from: feed (the feed's "
                                            "entry) or article (the page it links to).")
    seen_at: AwareDatetime
    published_at: AwareDatetime | None
    title: str
    text: str
    figures: list[FigureOut]


class RevisionsOut(BaseModel):
    item: ItemOut
    revisions: list[RevisionOut]
