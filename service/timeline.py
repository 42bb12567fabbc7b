"""Per-outlet, per-source figure timelines of an event (pure).

Input: the casualty figures stored for an event's items, one row per figure. Output:
for each (outlet, source, kind) the sequence of *changes* of the headline figure: the
figure an item's revision states for that kind (a derived total when the text gave only
parts, else the largest stated figure, since per-place parts and subsets are smaller
than the toll they belong to). A repeated figure is not a change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

KINDS = ("killed", "injured")


@dataclass(frozen=True)
class FigureRow:
    outlet: str
    source: str | None
    observed_at: datetime
    kind: str
    count: int | None
    count_max: int | None
    qualifier: str
    vague: bool
    derived: bool
    item_id: int
    revision_id: int
    hedged: bool = False
    partial: bool = False
    words: str | None = None


@dataclass(frozen=True)
class Point:
    observed_at: datetime
    count: int | None
    count_max: int | None
    qualifier: str
    vague: bool
    item_id: int

    def label(self) -> str:
        if self.vague or self.count is None:
            # "dozens", "scores", "hundreds": the text gave no number, only a lower bound
            return "unstated (vague)" if self.count is None else f"{self.count}+"
        text = f"{self.count}" if self.count_max is None else f"{self.count}-{self.count_max}"
        return f"{self.qualifier} {text}" if self.qualifier not in ("exact", "") else text


@dataclass(frozen=True)
class Series:
    outlet: str
    source: str | None
    kind: str
    points: tuple[Point, ...]

    @property
    def latest(self) -> Point:
        return self.points[-1]


def _rank(row: FigureRow) -> tuple[int, int, int]:
    return (row.derived, row.count if row.count is not None else -1, -row.vague)


def headline(rows: Iterable[FigureRow]) -> FigureRow:
    """The figure one revision states for one kind: a derived total, else the largest."""
    return max(rows, key=_rank)


def timelines(rows: Iterable[FigureRow]) -> list[Series]:
    """Series per outlet, source and kind, each a list of changes in time order."""
    per_revision: dict[tuple[str, str | None, str, int], list[FigureRow]] = defaultdict(list)
    for row in rows:
        per_revision[(row.outlet, row.source, row.kind, row.revision_id)].append(row)
    series: dict[tuple[str, str | None, str], list[FigureRow]] = defaultdict(list)
    for (outlet, source, kind, _), group in per_revision.items():
        series[(outlet, source, kind)].append(headline(group))
    result = []
    for (outlet, source, kind), heads in series.items():
        points: list[Point] = []
        for row in sorted(heads, key=lambda r: (r.observed_at, r.revision_id)):
            point = Point(row.observed_at, row.count, row.count_max, row.qualifier, row.vague,
                          row.item_id)
            if points and (points[-1].count, points[-1].count_max, points[-1].vague) == (
                    point.count, point.count_max, point.vague):
                continue
            points.append(point)
        result.append(Series(outlet, source, kind, tuple(points)))
    return sorted(result, key=lambda s: (s.outlet, s.source or "", s.kind))


def spread(rows: Iterable[FigureRow], kind: str = "killed") -> tuple[int, int] | None:
    """(lowest, highest) of the figures of ``kind`` that outlets state now; None without any.

    What an outlet states now is its latest revision that gives such a figure, with every
    source it credits there: AFP's last report citing the Observatory's 148 and state
    media's 78 states both, while SANA's dawn figure of 20, replaced by 78 in later
    versions, is no longer stated.
    """
    latest: dict[str, tuple[datetime, int]] = {}
    for row in rows:
        if row.kind == kind and row.count is not None:
            key = (row.observed_at, row.revision_id)
            latest[row.outlet] = max(latest.get(row.outlet, key), key)
    stated = [headline(group).count
              for (outlet, _, revision), group in _by_revision(rows, kind).items()
              if latest.get(outlet, (None, None))[1] == revision]
    counts = [c for c in stated if c is not None]
    return (min(counts), max(counts)) if counts else None


def _by_revision(rows: Iterable[FigureRow], kind: str
                 ) -> dict[tuple[str, str | None, int], list[FigureRow]]:
    groups: dict[tuple[str, str | None, int], list[FigureRow]] = defaultdict(list)
    for row in rows:
        if row.kind == kind and row.count is not None:
            groups[(row.outlet, row.source, row.revision_id)].append(row)
    return groups


def disagrees(lowest: int, highest: int, share: float) -> bool:
    """Whether the lowest current figure is more than ``share`` below the highest: 46
    against 148 is a disagreement worth a flag, 145 against 148 is rounding and timing."""
    return highest > 0 and (highest - lowest) / highest > share


def disagreement(rows: Iterable[FigureRow], kind: str = "killed", *,
                 share: float) -> tuple[int, int] | None:
    """(lowest, highest) current figure of ``kind`` when outlets disagree by more than
    ``share`` of the highest (TOLLWATCH_DISAGREEMENT_SHARE)."""
    found = spread(rows, kind)
    return found if found is not None and disagrees(*found, share) else None


@dataclass(frozen=True)
class Change:
    """One series over a period: its figure before the period and at its end."""

    outlet: str
    source: str | None
    kind: str
    before: Point | None
    after: Point

    @property
    def changed(self) -> bool:
        return self.before is None or self.before.label() != self.after.label()


def changes(series: Iterable[Series], start: datetime, end: datetime) -> list[Change]:
    """Each series' figure before ``start`` and at ``end``: what moved in the period, and
    what held ("unchanged"). Series first heard after ``end`` are left out."""
    found = []
    for s in series:
        earlier = [p for p in s.points if p.observed_at < start]
        upto = [p for p in s.points if p.observed_at < end]
        if upto:
            found.append(Change(s.outlet, s.source, s.kind, earlier[-1] if earlier else None,
                                upto[-1]))
    return found
