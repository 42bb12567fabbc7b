"""How a line of figures is named to a reader: its outlet and the source it credits
("AFP / SOHR"). The chart, the pages, the API and the digest all say it the same way;
this module is kept apart from the chart's drawing so that naming a line never loads
matplotlib."""

from __future__ import annotations

from service.timeline import Series, acronym


def short_name(name: str) -> str:
    """"Syrian Observatory for Human Rights" -> "SOHR": long names crowd a chart."""
    if len(name) <= 18 or len(name.split()) < 3:
        return name
    return acronym(name).upper() or name


def source_label(outlet: str, source: str | None, own: bool = False) -> str:
    """Outlet and the source it credits ("AFP / SOHR"); just the outlet when the figures
    are its own (it named itself as their source)."""
    if source == outlet or (source is None and own):
        return short_name(outlet)
    return f"{short_name(outlet)} / {short_name(source) if source else 'no source given'}"


def series_label(series: Series) -> str:
    return source_label(series.outlet, series.source, series.own)


UNTITLED = "(no headline)"


def headline(title: str | None) -> str:
    """What a page or digest shows for an item's or event's title. Feeds may leave an
    entry untitled (RSS needs only a title or a description), and tollwatch stores what
    the feed said rather than inventing one; shown as is, it would be an empty link."""
    return title.strip() if title and title.strip() else UNTITLED
