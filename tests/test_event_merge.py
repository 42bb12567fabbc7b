"""Events that converge are merged, end to end: the analysis stage merges them in the
store, the merged id redirects (API and page), the survivor's timeline holds both events'
figures, the digest lists the survivor alone, and a restarted analysis continues it."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from service import db
from service.analyze import Analyzer
from service.api.app import create_app
from service.clustering import Params
from service.config import load_settings
from service.digest.deliver import assemble
from service.importer import parse_row
from service.models import Event, Item, utcnow
from service.store.items import store_imported

DAY = date(2016, 5, 25)  # the digest of 24 May 07:00 to 25 May 07:00 UTC
# The same quake reached from two angles (the island, the province, whose first report
# names no quake: "tremor" would be "earthquake"), then reports naming both. A merge threshold below the default makes the merge certain with so few reports;
# what it takes to merge is the clusterer's own test's business.
PARAMS = Params(merge_threshold=0.3)
REPORTS = (
    ("island", "Qeshm island earthquake damages port",
     "A quake struck Qeshm island, damaging the port. Officials said 4 people were killed."),
    ("province", "Hormozgan villages report damage",
     "Villages in Hormozgan province reported damage to houses. Seven people were killed."),
    ("both-1", "Hormozgan villages report tremor damage near Qeshm", ""),
    ("both-2", "Qeshm island earthquake: Hormozgan villages and port damaged",
     "The death toll rose to 12, officials in Hormozgan said."),
    ("both-3", "Hormozgan earthquake damages Qeshm port and villages", ""),
)


def _import(engine: Engine, reports: tuple[tuple[str, str, str], ...], hour: int) -> None:
    rows = [parse_row(json.dumps({
        "id": ident, "outlet": f"Outlet {ident}", "title": title, "text": text,
        "published": datetime(2016, 5, 24, hour + n, tzinfo=timezone.utc).isoformat()}))
        for n, (ident, title, text) in enumerate(reports)]
    with db.session_scope(engine) as session:
        store_imported(session, rows, utcnow())


def _events(engine: Engine) -> tuple[list[Event], dict[str, int]]:
    with Session(engine) as session:
        events = list(session.exec(select(Event).order_by(col(Event.id))).all())
        placed = {i.external_id: i.event_id for i in session.exec(select(Item)).all()}
    return events, placed  # type: ignore[return-value]


def test_converging_events_are_merged_and_the_merged_id_redirects(engine: Engine) -> None:
    _import(engine, REPORTS, hour=6)
    progress = Analyzer(engine, PARAMS).run()
    assert progress.new_events == 2 and progress.merged == 1
    events, placed = _events(engine)
    survivor = next(e for e in events if e.merged_into_id is None)
    gone = next(e for e in events if e.merged_into_id is not None)
    assert gone.merged_into_id == survivor.id and set(placed.values()) == {survivor.id}
    assert survivor.item_count == len(REPORTS) and survivor.outlet_count == len(REPORTS)
    assert survivor.first_seen_at.replace(tzinfo=timezone.utc) == datetime(  # type: ignore[union-attr]
        2016, 5, 24, 6, tzinfo=timezone.utc)

    settings = load_settings(database_url=str(engine.url))
    api = TestClient(create_app(settings, engine))
    for path in (f"/api/events/{gone.id}", f"/events/{gone.id}",
                 f"/api/events/{gone.id}/casualties?format=csv"):
        response = api.get(path, follow_redirects=False)
        assert response.status_code in (301, 308), path
        assert response.headers["location"] == path.replace(f"/{gone.id}", f"/{survivor.id}", 1)
    listed = [e["id"] for e in api.get("/api/events").json()["items"]]
    assert listed == [survivor.id]

    timeline = api.get(f"/api/events/{gone.id}/casualties").json()  # followed
    killed = {s["outlet"]: [p["count"] for p in s["points"]]
              for s in timeline["series"] if s["kind"] == "killed"}
    assert killed["Outlet island"] == [4] and killed["Outlet province"] == [7]
    assert killed["Outlet both-2"] == [12]

    with Session(engine) as session:
        digest = assemble(session, DAY, settings, charts_on=False)
    assert [e.id for e in digest.events] == [survivor.id]
    assert {"Outlet island", "Outlet province"} <= set(digest.events[0].outlets)


def test_a_restarted_analysis_continues_the_merged_event(engine: Engine) -> None:
    _import(engine, REPORTS, hour=6)
    Analyzer(engine, PARAMS, clock=lambda: datetime(2016, 5, 24, 12, tzinfo=timezone.utc)).run()
    _import(engine, (("later", "Qeshm earthquake: Hormozgan counts the damage", ""),), hour=13)
    restarted = Analyzer(engine, PARAMS, clock=lambda: datetime(2016, 5, 24, 14, tzinfo=timezone.utc))
    assert restarted.run().new_events == 0
    events, placed = _events(engine)
    survivor = next(e for e in events if e.merged_into_id is None)
    assert placed["later"] == survivor.id


def test_the_seed_event_holds_every_story_about_the_bombings(demo_engine: Engine) -> None:
    """In the demo store (replayed 30 minutes at a time, unlike the demo test's 10), the
    seed event holds every story about the bombings, the WHO's statement on the Jableh
    hospital included, and nothing else."""
    from service.demo.corpus import MAIN, stories
    from service.store.analysis import events_by_size

    with Session(demo_engine) as session:
        main = events_by_size(session, limit=1)[0]
        members = set(session.exec(select(Item.guid).where(Item.event_id == main.id)).all())
    assert members == {s.guid for s in stories() if s.event == MAIN}
