"""Charts as drawn: labels readable in both formats the pages and emails use."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from service import charts
from service.timeline import Point, Series

T0 = datetime(2016, 5, 23, 6, tzinfo=timezone.utc)
# Latest killed figures as the Jableh and Tartus outlets reported them: crowds at 148
# and at 78 that the labels must be pushed apart for.
LATEST = [184, 154, 148, 148, 148, 145, 120, 100, 80, 78, 78, 78, 60, 20]


def _series() -> list[Series]:
    return [Series(f"Outlet {n}", "a source", "killed", (
        Point(T0 + timedelta(hours=n), max(count - 40, 1), None, "exact", False, n),
        Point(T0 + timedelta(hours=20 + n), count, None, "exact", False, n)))
        for n, count in enumerate(LATEST)]


@pytest.mark.parametrize("dpi", [charts.DPI, 72, 200])
def test_line_labels_do_not_overlap_in_the_svg(dpi: int, monkeypatch) -> None:
    """The SVG is drawn at 72 dpi whatever the figure's: label offsets worked out in
    pixels at the figure's dpi put labels on top of each other there."""
    monkeypatch.setattr(charts, "DPI", dpi)
    svg = charts.render(_series(), "Bombings", "svg").decode()
    # matplotlib writes each text's string as a comment before the glyphs it places
    labels = sorted((float(y), text) for text, y in re.findall(
        r"<!-- (Outlet \d+ / a source: \d+) -->\s*<g [^>]*translate\([\d.]+ ([\d.]+)\)", svg))
    assert len(labels) == len(LATEST)
    gaps = [below[0] - above[0] for above, below in zip(labels, labels[1:])]
    assert min(gaps) >= 8, list(zip(gaps, labels))
    assert [int(text.rsplit(" ", 1)[1]) for _, text in labels] == LATEST  # in figure order
