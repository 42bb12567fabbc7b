"""What stands and what is history, the words of each figure, and whose figure it is:
the timeline's rules as a table, then on the seed event as the demo replays it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from service.store.analysis import event_figures, events_by_size
from service.timeline import (FigureRow, Point, claims, daily_disagreements, disagreement,
                              same_name, spread, timelines)

T0 = datetime(2016, 5, 23, 6, tzinfo=timezone.utc)
EVENING = datetime(2016, 5, 23, 20, 59, tzinfo=timezone.utc)  # 23:59 in Syria


def row(outlet: str, source: str | None, minute: int, count: int | None, *, item: int,
        revision: int, kind: str = "killed", **words: object) -> FigureRow:
    fields: dict[str, object] = {"count_max": None, "qualifier": "exact", "vague": False,
                                 "derived": False}
    fields.update(words)
    return FigureRow(outlet=outlet, source=source, observed_at=T0 + timedelta(minutes=minute),
                     kind=kind, count=count, item_id=item, revision_id=revision,
                     **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed_rows(demo_engine: Engine) -> list[FigureRow]:
    with Session(demo_engine) as session:
        event = events_by_size(session, 1)[0]
        assert "Jableh" in event.title
        return event_figures(session, event.id)  # type: ignore[arg-type]


# --- current or history ---------------------------------------------------------------

def test_an_items_later_version_replaces_what_only_the_earlier_one_said() -> None:
    rows = [row("SANA", "interior ministry", 20, 20, item=1, revision=1),
            row("SANA", "state media", 150, 65, item=1, revision=2),
            row("SANA", None, 420, 78, item=1, revision=3),
            row("SOHR", None, 660, 148, item=2, revision=4)]
    status = {(c.series.source, c.point.count): c.status for c in claims(rows)}
    assert status == {("interior ministry", 20): "superseded", ("state media", 65): "superseded",
                      (None, 78): "current", (None, 148): "current"}
    assert spread(rows) == (78, 148)


def test_a_later_report_of_the_same_outlet_and_source_supersedes_across_items() -> None:
    rows = [row("AFP", "SOHR", 100, 46, item=1, revision=1),
            row("AFP", "SOHR", 400, 101, item=2, revision=2)]
    assert [(c.point.count, c.status) for c in claims(rows)] == [(101, "current")]
    history = timelines(rows)[0]
    assert [p.count for p in history.points] == [46, 101]  # history, still shown


def test_a_figure_nobody_repeats_goes_stale_against_the_newest_report() -> None:
    rows = [row("RT", "local media", 200, 60, item=1, revision=1, qualifier="more than"),
            row("SANA", None, 420, 78, item=2, revision=2),
            row("SOHR", None, 660, 148, item=3, revision=3)]
    found = {c.series.outlet: c for c in claims(rows, stale_after=timedelta(hours=6))}
    assert found["RT"].status == "stale" and found["RT"].behind == timedelta(hours=7, minutes=40)
    assert found["SANA"].status == "current" and found["SOHR"].behind == timedelta(0)
    assert spread(rows, stale_after=timedelta(hours=6)) == (78, 148)
    assert spread(rows, stale_after=timedelta(hours=8)) == (60, 148)  # the window is the rule
    # as of noon, before anyone else reported, RT's figure still stood
    assert spread(rows, now=T0 + timedelta(hours=6), stale_after=timedelta(hours=6)) == (60, 60)


def test_repeating_a_figure_keeps_it_current_and_ages_from_the_repeat() -> None:
    rows = [row("SANA", None, 420, 78, item=1, revision=1),
            row("SANA", None, 1500, 78, item=2, revision=2),
            row("SOHR", None, 1845, 154, item=3, revision=3)]
    sana = next(c for c in claims(rows) if c.series.outlet == "SANA")
    assert sana.current and sana.behind == timedelta(minutes=345)
    assert [p.count for p in timelines(rows)[0].points] == [78]  # a repeat is not a change


def test_parts_and_vague_figures_never_compete_as_tolls() -> None:
    rows = [row("UN News", "WHO", 100, 43, item=1, revision=1, partial=True),
            row("Yahoo News", "state media", 110, None, item=2, revision=2, vague=True,
                words="dozens"),
            row("SOHR", None, 120, 148, item=3, revision=3)]
    assert spread(rows) == (148, 148)
    assert disagreement(rows, share=0.2) is None
    assert {c.series.outlet for c in claims(rows) if c.current} == {"UN News", "Yahoo News",
                                                                    "SOHR"}


def test_a_whole_toll_is_a_revisions_headline_before_a_larger_part() -> None:
    rows = [row("AP", "government", 60, 80, item=1, revision=1),
            row("AP", "government", 60, 90, item=1, revision=1, partial=True)]
    assert timelines(rows)[0].latest.count == 80


# --- the seed event -------------------------------------------------------------------

def test_the_dispute_on_23_may_is_state_medias_78_against_the_observatorys_148(
        seed_rows: list[FigureRow]) -> None:
    found = disagreement(seed_rows, now=EVENING, share=0.2)
    assert found is not None and found.counts == (78, 148)
    assert found.low.series.source in ("state media", "SANA")
    found_claims = {c.series.outlet: c for c in claims(seed_rows, EVENING) if
                    c.series.kind == "killed" and c.series.outlet == "RT"}
    assert found_claims["RT"].status == "stale"  # "over 60 feared dead", 11 hours old
    days = dict(daily_disagreements(seed_rows, share=0.2))
    assert days[EVENING.date()].counts == (78, 148)
    assert all(d.low.point.count != 60 for d in days.values())


def test_after_the_final_count_the_60_is_not_the_low_end(seed_rows: list[FigureRow]) -> None:
    low, high = spread(seed_rows) or (0, 0)
    assert high == 184 and low != 60


# --- the words ------------------------------------------------------------------------

@pytest.mark.parametrize(("point", "label"), [
    (Point(T0, None, None, "exact", True, 1, words="dozens"), "dozens"),
    (Point(T0, 60, None, "more than", False, 1, hedged=True, words="over 60"),
     "more than 60 (feared)"),
    (Point(T0, 40, 50, "exact", False, 1), "40–50"),
    (Point(T0, 78, None, "at least", False, 1), "at least 78"),
    (Point(T0, 100, None, "up to", False, 1), "up to 100"),
    (Point(T0, 43, None, "exact", False, 1, partial=True), "43 (part of the toll)"),
    (Point(T0, None, None, "exact", True, 1), "an unstated number"),
])
def test_a_points_label_keeps_the_words(point: Point, label: str) -> None:
    assert point.label() == label


# --- whose figure it is ---------------------------------------------------------------

@pytest.mark.parametrize(("outlet", "source", "same"), [
    ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights", True),
    ("Syrian Observatory for Human Rights", "SOHR", True),
    ("Syrian Observatory for Human Rights", "the Observatory", True),
    ("SOHR", "Syrian Observatory for Human Rights", True),
    ("SANA", "Syrian Arab News Agency", True),
    ("The Guardian", "Guardian", True),
    ("AFP", "Syrian Observatory for Human Rights", False),
    ("SANA", "state media", False),
    ("CBS News", "officials", False),
    ("BBC News", "News", False),
])
def test_a_source_names_its_outlet_by_name_alias_or_acronym(outlet: str, source: str,
                                                            same: bool) -> None:
    assert same_name(outlet, source) is same


def test_an_outlet_citing_itself_is_one_series_with_its_unattributed_figures() -> None:
    rows = [row("SOHR", "Syrian Observatory for Human Rights", 100, 46, item=1, revision=1),
            row("SOHR", None, 100, 120, item=1, revision=1, kind="injured"),
            row("SOHR", "the Observatory", 360, 101, item=1, revision=2),
            row("SOHR", None, 660, 148, item=2, revision=3),
            row("SOHR", "state media", 660, 78, item=2, revision=3)]
    found = {(s.source, s.kind): [p.count for p in s.points] for s in timelines(rows)}
    assert found == {(None, "killed"): [46, 101, 148], (None, "injured"): [120],
                     ("state media", "killed"): [78]}
    assert all(s.own for s in timelines(rows) if s.source is None)
