"""Step charts of casualty figures over time (pure: series in, PNG or SVG bytes out).

A figure holds until the outlet reports another one, so each line is drawn as steps,
not slopes. Each line is labelled at its end with its outlet, source and latest figure,
so the chart reads without a legend.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from service.timeline import KINDS, Series  # noqa: E402

Format = Literal["png", "svg"]
DPI = 110  # of the PNG; an SVG is drawn at 72 (label offsets are in points, so both agree)


def short_name(name: str) -> str:
    """"Syrian Observatory for Human Rights" -> "SOHR": long names crowd a chart."""
    words = name.split()
    if len(name) <= 18 or len(words) < 3:
        return name
    return "".join(w[0] for w in words if w[0].isupper()) or name


def source_label(outlet: str, source: str | None, own: bool = False) -> str:
    """Outlet and the source it credits ("AFP / SOHR"); just the outlet when the figures
    are its own (it named itself as their source)."""
    if source == outlet or (source is None and own):
        return short_name(outlet)
    return f"{short_name(outlet)} / {short_name(source) if source else 'no source given'}"


def series_label(series: Series) -> str:
    return source_label(series.outlet, series.source, series.own)


def _drawable(series: Series) -> list[tuple[datetime, int]]:
    return [(p.observed_at, p.count) for p in series.points if p.count is not None]


def render(series: Sequence[Series], title: str, fmt: Format = "png",
           until: datetime | None = None, *, kinds: Sequence[str] = KINDS,
           width: float = 9.0) -> bytes:
    """A chart with one panel per kind (of ``kinds``) that has figures; ``until`` extends
    the lines to the end of the period shown (by default the last report)."""
    kinds = [k for k in kinds if any(s.kind == k and _drawable(s) for s in series)]
    panels = max(len(kinds), 1)
    figure, axes = plt.subplots(panels, 1, figsize=(width, width * 0.4 * panels), dpi=DPI,
                                squeeze=False)
    figure.subplots_adjust(left=0.08, right=0.72, top=0.92, bottom=0.1, hspace=0.35)
    end = until or max((p.observed_at for s in series for p in s.points), default=None)
    for axis, kind in zip(axes[:, 0], kinds or ["killed"]):
        _panel(axis, [s for s in series if s.kind == kind], kind, end)
    axes[0, 0].set_title(title[:90], loc="left", fontsize=11)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    plt.close(figure)
    return buffer.getvalue()


def _place_labels(axis, labels: list) -> None:  # type: ignore[no-untyped-def]
    """Label each line at its end, pushing labels apart so that equal figures
    (several outlets at 148) stay readable, while each stays as close to its line as it can.
    Offsets are in points, not pixels: the SVG backend draws at 72 dpi, not the figure's,
    and offsets in pixels worked out at one dpi put labels on top of each other at the other."""
    to_points = 72 / axis.figure.dpi
    gap = 8.5  # points: one line of 8-point text
    placed: list[float] = []
    for x, y, text, colour in sorted(labels, key=lambda label: -label[1]):
        target = axis.transData.transform((mdates.date2num(x), y))[1] * to_points
        at = min(target, placed[-1] - gap) if placed else target
        placed.append(at)
        axis.annotate(text, (x, y), xytext=(6, at - target), textcoords="offset points",
                      va="center", fontsize=8, color=colour, annotation_clip=False,
                      arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.5, "alpha": 0.5}
                      if abs(at - target) > gap / 2 else None)


def _metadata(fmt: Format) -> dict[str, str | None]:
    # no creation date, so the same figures always give the same bytes (cacheable)
    return {"Date": None} if fmt == "svg" else {"Software": "tollwatch"}


def _panel(axis, series: list[Series], kind: str, end: datetime | None) -> None:  # type: ignore[no-untyped-def]
    drawn = [(s, _drawable(s)) for s in series]
    drawn = [(s, points) for s, points in drawn if points]
    if not drawn:
        axis.text(0.5, 0.5, "no figures reported yet", ha="center", va="center",
                  transform=axis.transAxes, color="#666")
        axis.set_axis_off()
        return
    ordered = sorted(drawn, key=lambda d: -d[1][-1][1])
    axis.set_ylim(0, max(c for _, points in ordered for _, c in points) * 1.1 + 1)
    palette = plt.get_cmap("tab10")
    labels = []
    for index, (s, points) in enumerate(ordered):
        times = [t for t, _ in points] + ([end] if end and end > points[-1][0] else [])
        counts = [c for _, c in points] + ([points[-1][1]] if len(times) > len(points) else [])
        colour = palette(index % 10)
        style = ("-", "--", ":")[index // 10 % 3]  # beyond ten lines, colours repeat
        axis.step(times, counts, where="post", color=colour, linewidth=2, linestyle=style)
        axis.plot([t for t, _ in points], [c for _, c in points], "o", color=colour, markersize=4)
        labels.append((times[-1], counts[-1], f"{series_label(s)}: {points[-1][1]}", colour))
    axis.margins(x=0.02)
    _place_labels(axis, labels)
    axis.set_ylabel(kind)
    axis.grid(True, alpha=0.3)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
