"""End to end: the seed event replayed through the real poller, extractor and clusterer."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, col, select

from service import db
from service.config import load_settings
from service.demo.corpus import MAIN, stories
from service.demo.replay import replay
from service.models import CasualtyReport, Item, ItemRevision, Outlet
from service.store.analysis import event_figures, events_by_size
from service.timeline import timelines

SOHR = "Syrian Observatory for Human Rights"


def test_replay_finds_the_event_and_each_outlets_timeline(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    settings = load_settings(database_url=url, allow_private_addresses=True)
    engine = db.make_engine(url)
    db.upgrade(engine)
    result = asyncio.run(replay(settings, engine))

    corpus = stories()
    assert result.new_items == len(corpus)  # every story stored once
    assert result.updated_items == sum(len(s.versions) - 1 for s in corpus)  # every edit once
    with Session(engine) as session:
        assert len(session.exec(select(ItemRevision).where(ItemRevision.source == "feed")).all()) \
            == sum(len(s.versions) for s in corpus)
        main = events_by_size(session, limit=1)[0]
        members = session.exec(select(Item.guid).where(Item.event_id == main.id)).all()
        labels = {s.guid: s.event for s in corpus}
        assert all(labels[guid] == MAIN for guid in members)  # nothing unrelated merged in
        # every story about the bombings, the WHO's statement on the Jableh hospital too
        assert set(members) == {s.guid for s in corpus if s.event == MAIN}
        other_events = {e for e in session.exec(select(Item.event_id)).all() if e != main.id}
        assert len(other_events) >= 14  # the unrelated events stay apart
        by_source = {source: {(outlet, kind, count) for outlet, kind, count in session.exec(
            select(Outlet.name, CasualtyReport.kind, CasualtyReport.count)
            .join(Outlet, col(Outlet.id) == CasualtyReport.outlet_id)
            .join(ItemRevision, col(ItemRevision.id) == CasualtyReport.revision_id)
            .join(Item, col(Item.id) == ItemRevision.item_id)
            .where(ItemRevision.source == source, Item.event_id == main.id)).all()}
            for source in ("feed", "article")}
        lines = timelines(event_figures(session, main.id))  # type: ignore[arg-type]
        series = {s.key: [p.count for p in s.points] for s in lines}
        pages = set(session.exec(select(ItemRevision.id).where(ItemRevision.source == "article")))
        from_pages = {(s.key, p.count) for s in lines for p in s.points if p.revision_id in pages}
        from_feeds = {s.key for s in lines for p in s.points if p.revision_id not in pages}
        assert session.exec(select(Outlet)).all()

    assert series[(SOHR, None, "killed")][-3:] == [148, 154, 184]  # its own, credited to itself
    assert series[("AFP", SOHR, "killed")] == [46, 72, 101, 148, 154]
    assert series[("Reuters", SOHR, "killed")] == [70, 148]
    assert series[("Reuters", "state media", "killed")] == [78]
    assert series[("SANA", "interior ministry", "killed")] == [20]
    assert series[("SANA", "state media", "killed")] == [65, 78]
    # 148 in the headline, then "about 100 in Jableh and another 48 in Tartus" in the article
    assert {count for count in series[("Yahoo News", SOHR, "killed")]} == {148}
    assert series[("BBC News", SOHR, "killed")] == [145]
    # Headline-only outlets: their feeds give the headline, the pages the story.
    assert result.articles >= 4
    only_in_articles = by_source["article"] - by_source["feed"]
    assert {("BBC News", "killed", 97), ("BBC News", "killed", 48),
            ("CBS News", "injured", 200), ("Yahoo News", "killed", 48)} <= only_in_articles
    # ... and the event's timeline shows what the pages said, where the feeds said nothing
    assert {(("BBC News", SOHR, "killed"), 145), (("CBS News", "officials", "injured"), 200),
            (("CBS News", "officials", "killed"), 80)} <= from_pages
    assert not {key for key, _count in from_pages if key[0] in ("BBC News", "CBS News")} & from_feeds
