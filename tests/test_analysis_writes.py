"""A clustering batch decides in memory and writes at its end: on SQLite no other writer
(the poller, the worker's other analysis processes) waits while items are clustered,
and the events it creates take ids that nothing else takes, on both backends."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta

from sqlalchemy import Engine, func, insert
from sqlmodel import col, select

from service import db
from service.analyze import Analyzer
from service.clustering import Clusterer
from service.models import Event, Item, ItemRevision
from tests.test_extraction_leases import T0, _store, _texts


def _writable_now(path: str) -> bool:
    """Whether another connection can take the database's write lock at once."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_no_write_lock_is_held_while_a_batch_is_clustered(sqlite_engine: Engine,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _store(sqlite_engine, _texts(40))
    path = sqlite_engine.url.database
    assert path
    free: list[bool] = []
    add = Clusterer.add

    def watched(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        assignment = add(self, *args, **kwargs)
        free.append(_writable_now(path))
        return assignment

    monkeypatch.setattr(Clusterer, "add", watched)
    progress = Analyzer(sqlite_engine).run()
    assert progress.clustered == 40 and progress.new_events >= 1  # the first item's, at once
    assert len(free) == 40 and all(free)


def test_events_created_by_batches_and_by_others_never_share_an_id(engine: Engine) -> None:
    texts = _texts(30)
    _store(engine, texts[:15])
    Analyzer(engine).run()
    with db.session_scope(engine) as session:  # an event made elsewhere takes the next id
        outside = Event(title="made by hand", first_seen_at=T0, last_seen_at=T0)
        session.add(outside)
        session.flush()
        made = outside.id
        clustered = session.exec(select(func.max(Event.id)).where(Event.id != made)).one()
    assert made is not None and clustered is not None and made > clustered
    with engine.begin() as connection:  # more items, in later batches
        connection.execute(insert(Item), [
            {"id": 100 + i, "outlet_id": 1, "identity": f"later{i}", "title": f"Later {i}",
             "text": t, "first_seen_at": T0 + timedelta(hours=1),
             "last_seen_at": T0 + timedelta(hours=1)} for i, t in enumerate(texts[15:])])
        connection.execute(insert(ItemRevision), [
            {"item_id": 100 + i, "number": 1, "title": f"Later {i}", "text": t,
             "content_hash": hashlib.sha256(t.encode()).hexdigest(),
             "seen_at": T0 + timedelta(hours=1)} for i, t in enumerate(texts[15:])])
    assert Analyzer(engine).run().clustered == 15
    with db.session_scope(engine) as session:
        ids = session.exec(select(Event.id)).all()
        placed = session.exec(select(func.count()).where(col(Item.event_id).is_not(None))).one()
        again = Event(title="made by hand, later", first_seen_at=T0, last_seen_at=T0)
        session.add(again)
        session.flush()
        assert again.id is not None and again.id > max(i for i in ids if i is not None)
    assert len(ids) == len(set(ids)) and placed == 30
