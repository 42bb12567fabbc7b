"""Step charts of casualty figures over time (pure: series in, PNG or SVG bytes out).

A figure holds until the outlet reports another one, so each line is drawn as steps,
not slopes, up to the outlet's last report; after that it goes on faint, since nobody
has said it again. The figure is written at each step, and each line is labelled at
the right with its outlet, source and last figure in the outlet's words ("RT / local
media: more than 60"), so the chart reads without a legend.

How a reader tells the lines apart: one colour per outlet for the outlets with the most
changes (the rest grey), one line style per source (the most cited solid, the next
dashed...). The time axis adapts: when the figures moved fast at the start and the
story went on for days, the first hours get two thirds of the width, by the hour, and
the days after get the rest (the seed event's climb 46 → 101 → 148 on 23 May would
otherwise be a quarter of the width). SVGs keep their text as text, so a browser draws
it sharp at any size and a reader can select it; the page's table carries the same
figures for those who cannot see the chart.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from service.labels import series_label  # noqa: E402
from service.timeline import KINDS, Point, Series  # noqa: E402

Format = Literal["png", "svg"]
LineStyle = Literal["-", "--", "-.", ":"]
Layout = Literal["wide", "narrow"]
DPI = 110  # of the PNG; an SVG is drawn at 72 (label offsets are in points, so both agree)
# Well apart for most forms of colour blindness (Okabe and Ito), then two more; never grey.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#8C564B")
GREY = "#9A9A9A"
STYLES: tuple[LineStyle, ...] = ("-", "--", "-.", ":")
FAST = timedelta(hours=24)  # how long after the first report the hours may run
# per layout: the figure's width in inches, its right margin (at most: a wide chart makes
# room for its longest label), the labels' and the steps' text sizes in points. The narrow one is for a phone: drawn 4.2 in (302 pt) wide and
# shown about 358 px wide (a 390 px screen less the page's margins), its 9-point text is
# 10.7 px, its smallest (8 points) 9.5 px; its key sits under the plot.
SIZES: dict[Layout, tuple[float, float, float, float]] = {
    "wide": (9.0, 0.70, 8.0, 6.5), "narrow": (4.2, 0.97, 9.0, 8.0)}


@dataclass(frozen=True)
class Look:
    colour: str
    style: LineStyle


def looks(series: Sequence[Series]) -> dict[tuple[str, str | None, str], Look]:
    """Each series' colour (its outlet's: the outlets with the most changes first, the
    rest grey) and line style (its source's, the most cited first)."""
    changes = Counter[str]()
    cited = Counter[str | None]()
    for s in series:
        changes[s.outlet] += len(s.points)
        cited[s.source] += 1
    outlets = sorted(changes, key=lambda o: (-changes[o], o))
    colour = {o: PALETTE[i] if i < len(PALETTE) else GREY for i, o in enumerate(outlets)}
    sources = sorted(cited, key=lambda c: (-cited[c], c or ""))
    style = {c: STYLES[min(i, len(STYLES) - 1)] for i, c in enumerate(sources)}
    return {s.key: Look(colour[s.outlet], style[s.source]) for s in series}


def split_time(times: Sequence[datetime]) -> datetime | None:
    """Where the hours end and the days begin: an hour after the last change within
    ``FAST`` of the first report, when the story went on for at least as long again
    after it; None when one scale fits all."""
    if not times:
        return None
    first, last = min(times), max(times)
    fast = max(t for t in times if t - first <= FAST)
    split = fast + timedelta(hours=1)
    return split if last - split >= (split - first) else None


def _drawable(series: Series) -> list[Point]:
    return [p for p in series.points if p.count is not None]


def render(series: Sequence[Series], title: str, fmt: Format = "png",
           until: datetime | None = None, *, kinds: Sequence[str] = KINDS,
           width: float | None = None, layout: Layout = "wide") -> bytes:
    """A chart with one row of panels per kind (of ``kinds``) that has figures; ``until``
    extends the lines (faint) to the end of the period shown (by default the last
    report). ``layout="narrow"`` is for a phone: the killed only (the page's table has
    the rest), with a key under the plot instead of labels beside it."""
    size, right, label_pt, step_pt = SIZES[layout]
    width = width or size
    if layout == "narrow":
        kinds = [k for k in kinds if k == "killed"]
    kinds = [k for k in kinds if any(s.kind == k and _drawable(s) for s in series)] or ["killed"]
    shown = [s for s in series if s.kind in kinds and _drawable(s)]
    times = [p.observed_at for s in shown for p in _drawable(s)]
    start = min(times, default=None)
    end = max([*times, *([until] if until else [])], default=None)
    split = split_time(times)
    if layout == "wide":  # room at the right for the longest label, as wide as drawn
        longest = max((len(f"{series_label(s)}: {s.latest.label()}") for s in shown), default=0)
        right = max(0.45, min(right, 1 - (longest * 0.6 * label_pt + 14) / (width * 72)))
    rows = len(kinds)
    key = (len(shown) + 1) * label_pt * 1.45 / 72 if layout == "narrow" else 0.0
    plot = width * (0.40 if layout == "wide" else 0.62)
    height = plot * rows + 0.35 * (rows - 1) + 0.95 + key
    figure = plt.figure(figsize=(width, height), dpi=DPI)
    grid = figure.add_gridspec(rows, 2 if split else 1, width_ratios=[2, 1] if split else [1],
                               left=0.08 if layout == "wide" else 0.15, right=right,
                               top=1 - 0.4 / height, bottom=(0.55 + key) / height,
                               wspace=0.03, hspace=0.35 * rows / max(plot * rows, 1))
    style = looks(series)
    labels: list[Annotation] = []
    for row, kind in enumerate(kinds):
        first = figure.add_subplot(grid[row, 0])
        axes = [first] + ([figure.add_subplot(grid[row, 1], sharey=first)] if split else [])
        drawn = [s for s in shown if s.kind == kind]
        if not drawn or start is None or end is None:
            first.text(0.5, 0.5, "no figures reported yet", ha="center", va="center",
                       transform=first.transAxes, color="#666")
            first.set_axis_off()
            continue
        labels += _panel(axes, drawn, kind, (start, end), split, style, label_pt)
        _time_axes(axes, start, end, split, layout)
    room = 90 if layout == "wide" else 40
    title = " ".join(title.split())  # a feed's line breaks and tabs have no glyph in the font
    figure.axes[0].set_title(title if len(title) <= room else title[:room - 1] + "…",
                             loc="left", fontsize=label_pt + (3 if layout == "wide" else 1))
    if layout == "wide":
        _place_labels(figure, labels, label_pt)
    else:
        _key(figure, labels, label_pt, key / height)
    _write_steps(figure, shown, style, step_pt)
    buffer = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    plt.close(figure)
    return buffer.getvalue()


@dataclass(frozen=True)
class Annotation:
    axis: Axes
    at: datetime
    count: int
    text: str
    look: Look


def _panel(axes: list[Axes], series: list[Series], kind: str,
           period: tuple[datetime, datetime], split: datetime | None,
           style: dict[tuple[str, str | None, str], Look],
           label_pt: float) -> list[Annotation]:
    top = max(p.count or 0 for s in series for p in _drawable(s))
    end = period[1]
    labels: list[Annotation] = []
    for s in sorted(series, key=lambda s: -(s.latest.count or 0)):
        points = _drawable(s)
        look = style[s.key]
        # matplotlib's units take datetimes, which its annotations do not say
        times: Any = [p.observed_at for p in points]
        counts = [p.count or 0 for p in points]
        for part, axis in enumerate(axes):
            name = f"{kind}-{len(labels)}-{part}"  # ids the tests find the lines by
            axis.step(times, counts, where="post", color=look.colour, linestyle=look.style,
                      linewidth=1.8, gid=f"series-{name}")
            axis.plot(times, counts, "o", color=look.colour, markersize=3.5)
            if end > times[-1]:  # said no more: faint to the end
                axis.plot([times[-1], end], [counts[-1]] * 2, color=look.colour,
                          linestyle=look.style, linewidth=1.2, alpha=0.3, gid=f"faint-{name}")
        labels.append(Annotation(axes[-1], end, counts[-1],
                                 f"{series_label(s)}: {points[-1].label()}", look))
    for axis in axes:
        axis.set_ylim(0, top * 1.12 + 1)
        axis.grid(True, alpha=0.3)
        axis.tick_params(labelsize=label_pt)
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    axes[0].set_ylabel(kind, fontsize=label_pt + 1)
    return labels


def _time_axes(axes: list[Axes], start: datetime, end: datetime,
               split: datetime | None, layout: Layout) -> None:
    """Hours on the left (the fast part), days on the right, each day's name starting at
    its midnight; one adaptive axis without a split."""
    ticks = 6 if layout == "wide" else 3
    size = 7.5 if layout == "wide" else 8.5
    pad = max(end - start, timedelta(hours=2)) * 0.02
    if split is None:
        axes[0].set_xlim(start - pad, end + pad)  # type: ignore[arg-type]
        locator = mdates.AutoDateLocator(minticks=2, maxticks=ticks + 1)
        axes[0].xaxis.set_major_locator(locator)
        axes[0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axes[0].tick_params(axis="x", labelsize=size)
        return
    hours, days = axes
    hours.set_xlim(start - timedelta(minutes=30), split)  # type: ignore[arg-type]
    days.set_xlim(split, end + (end - split) * 0.03)  # type: ignore[arg-type]
    span = (split - start).total_seconds() / 3600
    hours.xaxis.set_major_locator(mdates.HourLocator(interval=max(1, round(span / ticks))))
    hours.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    hours.set_xlabel(f"{start:%d %b}, by the hour (UTC)", fontsize=size, loc="left")
    days.xaxis.set_major_locator(mdates.DayLocator())
    days.xaxis.set_major_formatter(mdates.DateFormatter("%d %b" if layout == "wide" else "%d"))
    for tick in days.get_xticklabels():
        tick.set_horizontalalignment("left")  # a day's name starts at its midnight
    days.set_xlabel("then by the day", fontsize=size, loc="left")
    days.tick_params(axis="y", left=False, labelleft=False)
    days.spines["left"].set_linestyle((0, (2, 2)))  # where the scale changes
    for axis in axes:
        axis.tick_params(axis="x", which="both", labelsize=size)


def _key(figure: Figure, labels: list[Annotation], size: float, height: float) -> None:
    """The narrow layout's key: each line's look, name and last figure, one a row."""
    handles = [Line2D([], [], color=a.look.colour, linestyle=a.look.style, linewidth=1.8)
               for a in labels]
    figure.legend(handles, [a.text for a in labels], loc="upper left",
                  bbox_to_anchor=(0.02, height),
                  fontsize=size, frameon=False, handlelength=2.2, borderaxespad=0,
                  labelspacing=0.3)


def _place_labels(figure: Figure, labels: list[Annotation], size: float) -> None:
    """Label each line at the right, pushing labels apart so that equal figures
    (several outlets at 148) stay readable, while each stays as close to its line as it can.
    Offsets are in points, not pixels: the SVG backend draws at 72 dpi, not the figure's,
    and offsets in pixels worked out at one dpi put labels on top of each other at the other."""
    to_points = 72 / figure.dpi
    gap = size + 1.5  # points: one line of text
    by_axis: dict[int, list[Annotation]] = {}
    for label in labels:
        by_axis.setdefault(id(label.axis), []).append(label)
    for group in by_axis.values():
        placed: list[float] = []
        for label in sorted(group, key=lambda a: -a.count):
            axis = label.axis
            target = axis.transData.transform((mdates.date2num(label.at), label.count))[1]
            target *= to_points
            at = min(target, placed[-1] - gap) if placed else target
            placed.append(at)
            axis.annotate(label.text, (mdates.date2num(label.at), label.count),
                          xytext=(8, at - target), textcoords="offset points", va="center",
                          fontsize=size, color=label.look.colour, annotation_clip=False,
                          gid=f"end-label-{labels.index(label)}")


def _write_steps(figure: Figure, series: Sequence[Series],
                 style: dict[tuple[str, str | None, str], Look], size: float) -> None:
    """The figure at each step, beside its point, where it does not cover another text:
    the first steps of a busy hour win, the table has them all."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    taken: list[Bbox] = [t.get_window_extent(renderer) for axis in figure.axes
                         for t in axis.texts]
    for s in series:
        for point in _drawable(s):
            for axis in _axes_of(figure, s.kind):
                low, high = axis.get_xlim()
                if not low <= mdates.date2num(point.observed_at) <= high:
                    continue
                text = axis.annotate(f"{point.count}", (point.observed_at, point.count),
                                     xytext=(2, 3), textcoords="offset points", fontsize=size,
                                     color=style[s.key].colour,
                                     gid=f"step-{len(taken)}")
                box = text.get_window_extent(renderer)
                if box.x1 > figure.bbox.x1 or any(box.overlaps(other) for other in taken):
                    text.remove()
                else:
                    taken.append(box)


def _axes_of(figure: Figure, kind: str) -> list[Axes]:
    """The panels of one kind's row: the first carries the kind as its label, the other
    shares its y axis."""
    rows = [a for a in figure.axes if a.get_ylabel() == kind]
    return [a for a in figure.axes
            if any(a is b or a.get_shared_y_axes().joined(a, b) for b in rows)]


def _metadata(fmt: Format) -> dict[str, str | None]:
    # no creation date, so the same figures always give the same bytes (cacheable)
    return {"Date": None} if fmt == "svg" else {"Software": "tollwatch"}
