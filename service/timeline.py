"""Per-outlet, per-source figure timelines of an event, and which figures stand (pure).

Input: the casualty figures stored for an event's items, one row per figure. Output:
for each (outlet, source, kind) the sequence of *changes* of the headline figure: the
figure an item's revision states for that kind (a derived total when the text gave only
parts, else the largest stated figure that is not a part of a larger toll). A repeated
figure is not a change.

An outlet that credits a figure to itself ("the Observatory said" in the Observatory's
own report) speaks in its own name: those figures join its unattributed ones in one
series (:func:`same_name` says when a source names the outlet).

Current or history, as of a reference time ``now`` (:func:`claims`):

1. An item's later version replaces its earlier one: what only an earlier version said
   is history (SANA's story said 20, then 65, then 78: only 78 stands).
2. A figure superseded by a later report from the same outlet and source is history.
3. A figure that still stands is *stale* once the newest report on the event (up to
   ``now``) is more than ``stale_after`` newer than it: on a breaking story tolls move
   within hours, and a figure nobody has repeated for that long is no longer a claim
   anyone is making (RT's early "over 60 feared dead", never updated). Age is measured
   against the newest report, not the clock, so a story that went quiet keeps its last
   claims rather than losing them all.

Only current figures with a number that are not parts of a larger toll (the 43 who
died at one hospital) are compared in :func:`spread` and :func:`disagreement`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from service.casualties.attribution import canonical_source

KINDS = ("killed", "injured")
STALE_AFTER = timedelta(hours=6)  # the default of TOLLWATCH_STALE_AFTER_HOURS
Status = Literal["current", "stale", "superseded"]


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
    hedged: bool = False
    partial: bool = False
    words: str | None = None
    revision_id: int = 0

    @property
    def comparable(self) -> bool:
        """Whether this figure may stand against other outlets' tolls: it has a number
        and is not a part of a larger toll."""
        return self.count is not None and not self.partial

    def amount(self) -> str:
        """The quantity with its qualifier: "at least 46", "40–50", "dozens"."""
        return amount(self.count, self.count_max, self.qualifier, self.vague, self.words)

    def label(self) -> str:
        """The figure as a reader should see it, with its hedge and whether it is a part:
        "more than 60 (feared)", "43 (part of the toll)"."""
        return label(self.amount(), hedged=self.hedged, partial=self.partial)


def amount(count: int | None, count_max: int | None, qualifier: str, vague: bool,
           words: str | None) -> str:
    """A quantity with its qualifier, as every surface writes it: "at least 46",
    "40–50", "dozens" (a vague quantity keeps its words: the text gave no number)."""
    if count is None or vague:
        return words or ("an unstated number" if count is None else f"{count}+")
    text = f"{count}" if count_max is None else f"{count}–{count_max}"
    return f"{qualifier} {text}" if qualifier not in ("exact", "") else text


def label(amount: str, *, hedged: bool, partial: bool) -> str:
    """``amount`` with its hedge and whether it is a part of a larger toll."""
    notes = [note for flag, note in ((hedged, "feared"), (partial, "part of the toll")) if flag]
    return amount + (f" ({', '.join(notes)})" if notes else "")


@dataclass(frozen=True)
class Series:
    outlet: str
    source: str | None  # None: the outlet's own figures, or no source given
    kind: str
    points: tuple[Point, ...]
    own: bool = False  # the outlet credited some of these figures to itself by name

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.outlet, self.source, self.kind)


# --- whose figure it is -------------------------------------------------------------

_ARTICLES = {"the", "a", "an"}


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+", name.lower()) if w not in _ARTICLES]


def acronym(name: str) -> str:
    """"Syrian Observatory for Human Rights" -> "sohr": the initials of its capitalised
    words, lower-cased; "" for a name of fewer than two such words."""
    initials = [w[0] for w in name.split() if w[:1].isupper()]
    return "".join(initials).lower() if len(initials) >= 2 else ""


@lru_cache(maxsize=4096)
def same_name(outlet: str, source: str) -> bool:
    """Whether ``source`` names ``outlet`` itself: the same words (articles aside), one
    the other's acronym ("SOHR"), or the same canonical name in the reader's table of
    aliases ("the Observatory", "Syrian Arab News Agency" for SANA). Remembered: a
    timeline asks it of every figure, of the same few pairs (60% of the time an API
    answer took)."""
    ours, theirs = _words(outlet), _words(source)
    if not ours or not theirs:
        return False
    if ours == theirs:
        return True
    if "".join(theirs) == acronym(outlet) or "".join(ours) == acronym(source):
        return True
    return canonical_source(outlet) == canonical_source(source)


def series_source(outlet: str, source: str | None) -> str | None:
    """The source a figure's series is kept under: None for the outlet's own voice,
    whether it named itself or no one."""
    return None if source is None or same_name(outlet, source) else source


# --- series ---------------------------------------------------------------------------

def _rank(row: FigureRow) -> tuple[int, int, int, int]:
    return (not row.partial, row.derived, row.count if row.count is not None else -1,
            -row.vague)


def headline(rows: Iterable[FigureRow]) -> FigureRow:
    """The figure one revision states for one kind: a whole toll before a part of one,
    a derived total before a stated figure, else the largest."""
    return max(rows, key=_rank)


def _point(row: FigureRow) -> Point:
    return Point(row.observed_at, row.count, row.count_max, row.qualifier, row.vague,
                 row.item_id, row.hedged, row.partial, row.words, row.revision_id)


def _heads(rows: Iterable[FigureRow]) -> dict[tuple[str, str | None, str], list[FigureRow]]:
    """Each series' headline figure per revision, keyed by (outlet, source, kind)."""
    per_revision: dict[tuple[str, str | None, str, int], list[FigureRow]] = defaultdict(list)
    for row in rows:
        key = (row.outlet, series_source(row.outlet, row.source), row.kind, row.revision_id)
        per_revision[key].append(row)
    heads: dict[tuple[str, str | None, str], list[FigureRow]] = defaultdict(list)
    for (outlet, source, kind, _), group in per_revision.items():
        heads[(outlet, source, kind)].append(headline(group))
    for group in heads.values():
        group.sort(key=lambda r: (r.observed_at, r.revision_id))
    return heads


def timelines(rows: Iterable[FigureRow]) -> list[Series]:
    """Series per outlet, source and kind, each a list of changes in time order."""
    rows = list(rows)
    own = {r.outlet for r in rows if r.source and same_name(r.outlet, r.source)}
    result = []
    for (outlet, source, kind), heads in _heads(rows).items():
        points: list[Point] = []
        for row in heads:
            point = _point(row)
            if points and _same_figure(points[-1], point):
                continue
            points.append(point)
        result.append(Series(outlet, source, kind, tuple(points),
                             own=source is None and outlet in own))
    return sorted(result, key=lambda s: (s.outlet, s.source or "", s.kind))


def _same_figure(a: Point, b: Point) -> bool:
    return a.label() == b.label()


# --- what stands now ------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A series' last figure as of a reference time (when it was last said, repeated
    or not), and whether it still stands."""

    series: Series
    point: Point
    status: Status
    behind: timedelta  # how much older it is than the newest report on the event

    @property
    def current(self) -> bool:
        return self.status == "current"


def claims(rows: Iterable[FigureRow], now: datetime | None = None, *,
           stale_after: timedelta = STALE_AFTER) -> list[Claim]:
    """Each series' last figure up to ``now`` (default: the newest report), and its
    status by the rules in the module's docstring."""
    seen = [r for r in rows if now is None or r.observed_at <= now]
    if not seen:
        return []
    newest = max(r.observed_at for r in seen)
    last_version: dict[int, tuple[datetime, int]] = {}
    for row in seen:
        version = (row.observed_at, row.revision_id)
        last_version[row.item_id] = max(last_version.get(row.item_id, version), version)
    series = {s.key: s for s in timelines(seen)}
    found = []
    for key, heads in _heads(seen).items():
        point = _point(heads[-1])  # the last time it was said, repeated or not
        standing = last_version[point.item_id][1] == point.revision_id
        behind = newest - point.observed_at
        status: Status = ("superseded" if not standing
                          else "stale" if behind > stale_after else "current")
        found.append(Claim(series[key], point, status, behind))
    return sorted(found, key=lambda c: (c.series.outlet, c.series.source or "", c.series.kind))


@dataclass(frozen=True)
class Dispute:
    """The lowest and the highest current figure of a kind, with who stated them."""

    low: Claim
    high: Claim

    @property
    def counts(self) -> tuple[int, int]:
        return (self.low.point.count or 0, self.high.point.count or 0)


def dispute(rows: Iterable[FigureRow], kind: str = "killed", now: datetime | None = None,
            *, stale_after: timedelta = STALE_AFTER) -> Dispute | None:
    """The range of current, comparable figures of ``kind``; None without any. Among
    equal figures, the one stated last is named."""
    standing = [c for c in claims(rows, now, stale_after=stale_after)
                if c.series.kind == kind and c.current and c.point.comparable]
    if not standing:
        return None
    low = min(standing, key=lambda c: (c.point.count or 0, -c.point.observed_at.timestamp()))
    high = max(standing, key=lambda c: (c.point.count or 0, c.point.observed_at))
    return Dispute(low, high)


def spread(rows: Iterable[FigureRow], kind: str = "killed", now: datetime | None = None,
           *, stale_after: timedelta = STALE_AFTER) -> tuple[int, int] | None:
    """(lowest, highest) current figure of ``kind`` (see :func:`dispute`)."""
    found = dispute(rows, kind, now, stale_after=stale_after)
    return found.counts if found else None


def disagrees(lowest: int, highest: int, share: float) -> bool:
    """Whether the lowest current figure is more than ``share`` below the highest: 46
    against 148 is a disagreement worth a flag, 145 against 148 is rounding and timing."""
    return highest > 0 and (highest - lowest) / highest > share


def disagreement(rows: Iterable[FigureRow], kind: str = "killed", now: datetime | None = None,
                 *, share: float, stale_after: timedelta = STALE_AFTER) -> Dispute | None:
    """The current range of ``kind`` when outlets disagree by more than ``share`` of the
    highest (TOLLWATCH_DISAGREEMENT_SHARE)."""
    found = dispute(rows, kind, now, stale_after=stale_after)
    return found if found is not None and disagrees(*found.counts, share) else None


def daily_disagreements(rows: Sequence[FigureRow], kind: str = "killed", *, share: float,
                        stale_after: timedelta = STALE_AFTER) -> list[tuple[date, Dispute]]:
    """Per UTC day with reports, the disagreement as of that day's last report: how a
    dispute looked while it lasted (23 May: 78 against 148), after the story moved on."""
    last: dict[date, datetime] = {}
    for row in rows:
        day = row.observed_at.date()
        last[day] = max(last.get(day, row.observed_at), row.observed_at)
    found = []
    for day in sorted(last):
        today = disagreement(rows, kind, last[day], share=share, stale_after=stale_after)
        if today is not None:
            found.append((day, today))
    return found


# --- what moved in a period -----------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One series over a period: its figure before the period, and each figure it
    reported in the period in time order (the last is where it ended)."""

    outlet: str
    source: str | None
    kind: str
    before: Point | None
    steps: tuple[Point, ...]
    own: bool = False
    status: Status = "current"  # of its last figure at the end of the period

    @property
    def after(self) -> Point:
        return self.steps[-1] if self.steps else self.before  # type: ignore[return-value]

    @property
    def changed(self) -> bool:
        return bool(self.steps) and (self.before is None
                                     or self.before.label() != self.after.label())


def changes(rows: Sequence[FigureRow], start: datetime, end: datetime, *,
            stale_after: timedelta = STALE_AFTER) -> list[Change]:
    """Each series' figure before ``start`` and every change in [start, end): the day's
    sequence (46 → 101 → 148), and what held ("unchanged"), with the status of its last
    figure at ``end``. Series first heard after ``end``, and figures that were already
    history before ``start`` and did not move, are left out."""
    upto = [r for r in rows if r.observed_at < end]
    status = {c.series.key: c.status for c in claims(upto, stale_after=stale_after)}
    found = []
    for s in timelines(upto):
        earlier = [p for p in s.points if p.observed_at < start]
        steps = tuple(p for p in s.points if p.observed_at >= start)
        if steps or status[s.key] == "current":
            found.append(Change(s.outlet, s.source, s.kind, earlier[-1] if earlier else None,
                                steps, s.own, status[s.key]))
    return found
