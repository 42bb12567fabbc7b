"""Charts as drawn: read back from the SVG the pages show (its text is kept as text, with
its position and size), checked for what a reader needs: every label inside the chart,
no label on another, an outlet's own colour, hours where the figures moved fast."""

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
# The seed event's killed figures (facts sheet), minutes after 06:00 UTC on 23 May:
# (outlet, source, [(minute, count)]).
SEED = [
    ("Syrian Observatory for Human Rights", None, [(100, 46), (360, 101), (660, 148),
                                                   (1845, 154), (4380, 184)]),
    ("AFP", "Syrian Observatory for Human Rights", [(110, 46), (240, 72), (400, 101),
                                                    (680, 148), (1845, 154)]),
    ("AFP", "state media", [(680, 78)]),
    ("SANA", None, [(420, 78), (1500, 78)]),
    ("SANA", "health ministry", [(600, 100)]),
    ("SANA", "interior ministry", [(20, 20)]),
    ("Reuters", "Syrian Observatory for Human Rights", [(360, 70), (720, 148)]),
    ("Reuters", "state media", [(720, 78)]),
    ("CBS News", "officials", [(480, 80)]),
    ("CBS News", "Syrian Observatory for Human Rights", [(840, 148)]),
    ("The Guardian", "Syrian Observatory for Human Rights", [(560, 120)]),
    ("BBC News", "Syrian Observatory for Human Rights", [(620, 145)]),
    ("Yahoo News", "Syrian Observatory for Human Rights", [(780, 148)]),
    ("RT", "local media", [(200, 60)]),
    ("UN News", "WHO", [(1700, 43)]),
]


def seed_series() -> list[Series]:
    return [Series(outlet, source, "killed", tuple(
        Point(T0 + timedelta(minutes=m), c, None, "exact", False, n) for m, c in steps),
        own=source is None) for n, (outlet, source, steps) in enumerate(SEED)]


def _series() -> list[Series]:
    return [Series(f"Outlet {n}", "a source", "killed", (
        Point(T0 + timedelta(hours=n), max(count - 40, 1), None, "exact", False, n),
        Point(T0 + timedelta(hours=20 + n), count, None, "exact", False, n)))
        for n, count in enumerate(LATEST)]


TEXT = re.compile(r'<text style="font-size: ([\d.]+)px;[^"]*?text-anchor: (\w+)[^"]*" '
                  r'x="([-\d.]+)" y="([-\d.]+)" transform="rotate\(([-\d.]+)[^"]*">([^<]*)</text>')


def texts(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Each horizontal text's box (left, top, right, bottom) in the SVG's units, from its
    anchor, size and length (DejaVu Sans averages under 0.62 em a character), and its text."""
    boxes = []
    for size, anchor, x, y, angle, text in TEXT.findall(svg):
        if float(angle) != 0:
            continue  # the axis' name, written upwards at the side
        s, width = float(size), len(text) * 0.62 * float(size)
        left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
        boxes.append((left, float(y) - 0.75 * s, left + width, float(y) + 0.2 * s, text))
    return boxes


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _size(svg: str) -> tuple[float, float]:
    width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()  # type: ignore[union-attr]
    return float(width), float(height)


@pytest.mark.parametrize("dpi", [charts.DPI, 72, 200])
def test_line_labels_do_not_overlap_in_the_svg(dpi: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The SVG is drawn at 72 dpi whatever the figure's: label offsets worked out in
    pixels at the figure's dpi put labels on top of each other there."""
    monkeypatch.setattr(charts, "DPI", dpi)
    svg = charts.render(_series(), "Bombings", "svg").decode()
    labels = sorted((box[1], box[4]) for box in texts(svg) if " / a source: " in box[4])
    assert len(labels) == len(LATEST)
    gaps = [below[0] - above[0] for above, below in zip(labels, labels[1:])]
    assert min(gaps) >= 8, list(zip(gaps, labels))
    assert [int(text.rsplit(" ", 1)[1]) for _, text in labels] == LATEST  # in figure order


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_every_text_is_inside_the_chart_and_none_covers_another(layout: str) -> None:
    svg = charts.render(seed_series(), "Bombings hit Jableh and Tartus", "svg",
                        layout=layout).decode()  # type: ignore[arg-type]
    width, height = _size(svg)
    boxes = texts(svg)
    assert len(boxes) > 20
    outside = [b for b in boxes if b[0] < 0 or b[2] > width or b[1] < 0 or b[3] > height]
    assert not outside
    covered = [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _overlap(a, b)]
    assert not covered
    # the figure is written at the steps, and each line's last figure is named
    written = {b[4] for b in boxes}
    assert {"46", "101"} <= written and "Syrian Observatory for Human Rights" not in written
    assert any(t.startswith("SOHR: 184") for t in written)


def test_the_top_outlets_each_have_their_own_colour_and_sources_their_own_style() -> None:
    series = seed_series()
    look = charts.looks(series)
    outlets = {s.outlet for s in series}
    colour = {s.outlet: look[s.key].colour for s in series}
    named = [c for c in colour.values() if c != charts.GREY]
    assert len(named) == len(set(named)) == min(len(outlets), len(charts.PALETTE))
    assert all(look[s.key].colour == colour[s.outlet] for s in series)  # one per outlet
    afp = {look[s.key].style for s in series if s.outlet == "AFP"}
    assert len(afp) == 2  # AFP citing the Observatory, and citing state media
    # and so drawn: as many line colours in the SVG as outlets with a colour (and grey)
    svg = charts.render(series, "Bombings", "svg").decode()
    drawn = set(re.findall(r'<g id="series-killed-\d+-0">\s*<path [^>]*stroke: (#[0-9a-f]+)',
                           svg))
    assert len(drawn) == len(set(colour.values()))
    assert charts.GREY.lower() in drawn and len(outlets) > len(charts.PALETTE)


def test_the_fast_day_gets_hours_and_most_of_the_width() -> None:
    series = seed_series()
    split = charts.split_time([p.observed_at for s in series for p in s.points])
    assert split == T0 + timedelta(minutes=840 + 60)  # an hour after CBS's 148 that evening
    svg = charts.render(series, "Bombings", "svg").decode()
    ticks = {b[4]: b for b in texts(svg)}
    assert {"08:00", "12:00", "16:00", "24 May", "26 May"} <= set(ticks)
    width, _ = _size(svg)
    # 46 at 07:40 to 148 at 17:00 spans more than a third of the plotting area (on one
    # scale over three days it would be an eighth)
    hour = (ticks["16:00"][0] - ticks["12:00"][0]) / 4
    plot = width * (charts.SIZES["wide"][1] - 0.08)
    assert hour * (17 - 7.67) > plot / 3


def test_each_line_goes_faint_after_its_last_report() -> None:
    series = seed_series()
    svg = charts.render(series, "Bombings", "svg").decode()
    faint = re.findall(r'<g id="faint-killed-\d+-\d">\s*<path [^>]*stroke-opacity: 0.3', svg)
    last = max(p.observed_at for s in series for p in s.points)
    # every line but the one that reported last, once in each of the two panels
    assert len(faint) == 2 * sum(1 for s in series if s.latest.observed_at < last)


def test_the_narrow_chart_has_a_key_a_phone_can_read() -> None:
    svg = charts.render(seed_series(), "Bombings", "svg", layout="narrow").decode()
    width, _ = _size(svg)
    sizes = [float(s) for s in re.findall(r'font-size: ([\d.]+)px', svg)]
    # shown on a 390 px screen (358 px inside the page's margins), no text under 9 px
    assert min(sizes) * 358 / width >= 9
    key = [b[4] for b in texts(svg)]
    assert "SOHR: 184" in key and "RT / local media: 60" in key


def test_a_title_s_line_breaks_and_tabs_are_drawn_as_spaces() -> None:
    """A feed's title may hold a carriage return or a tab: the font has no glyph for them
    (matplotlib drew a box and warned), so the chart's title reads them as one space."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = charts.render(_series(), "Bombings\r\nhit\tJableh", "svg").decode()
    assert "Bombings hit Jableh" in svg
