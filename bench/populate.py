"""Fill a store quickly with a realistic shape (for the API and memory benchmarks):
outlets, events of many items, one or two revisions per item, and their figures.
Rows go in with bulk inserts; the pipeline's own speed is measured elsewhere."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, insert, text

from service.models import CasualtyReport, Event, Item, ItemRevision, Outlet

OUTLETS = 40
SOURCES = (None, "Syrian Observatory for Human Rights", "health ministry", "state media",
           "United Nations", "police")
CHUNK = 5000


def populate(engine: Engine, items: int, events: int, *, now: datetime | None = None) -> None:
    rng = random.Random(1)
    now = now or datetime.now(timezone.utc)
    start = now - timedelta(days=30)
    with engine.begin() as connection:
        connection.execute(insert(Outlet), [{"id": o + 1, "name": f"Outlet {o}"}
                                            for o in range(OUTLETS)])
        event_rows = []
        for e in range(events):
            first = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
            event_rows.append({"id": e + 1, "title": f"Event {e}: blasts in city {e}",
                               "keywords": f"city{e} blast kill", "first_seen_at": first,
                               "last_seen_at": first + timedelta(days=2),
                               "item_count": items // events, "outlet_count": OUTLETS})
        connection.execute(insert(Event), event_rows)
        batch_items, batch_revisions, batch_reports = [], [], []
        revision_id = report_id = 0
        for i in range(items):
            event = event_rows[i % events]
            outlet = rng.randrange(OUTLETS) + 1
            seen = event["first_seen_at"] + timedelta(minutes=rng.randrange(2 * 24 * 60))
            sentence = f"A blast in city {i % events} killed {rng.randint(5, 200)} people."
            batch_items.append({"id": i + 1, "outlet_id": outlet, "identity": f"guid:{i}",
                                "guid": str(i), "url": f"https://news.example/{i}",
                                "title": f"Blast in city {i % events}", "summary": sentence,
                                "content": "", "text": sentence, "published_at": seen,
                                "first_seen_at": seen, "last_seen_at": seen,
                                "event_id": event["id"]})
            for number in range(1, 2 + (i % 3 == 0)):
                revision_id += 1
                when = seen + timedelta(hours=number - 1)
                batch_revisions.append({
                    "id": revision_id, "item_id": i + 1, "number": number,
                    "title": f"Blast in city {i % events}", "summary": sentence, "content": "",
                    "text": sentence, "content_hash": hashlib.sha256(f"{i}-{number}".encode())
                    .hexdigest(), "published_at": when, "seen_at": when, "extracted": True,
                    "clustered": True})
                report_id += 1
                batch_reports.append({
                    "id": report_id, "revision_id": revision_id, "item_id": i + 1,
                    "outlet_id": outlet, "ordinal": 0, "kind": "killed",
                    "count": 10 * number + rng.randint(0, 150), "qualifier": "exact",
                    "source": rng.choice(SOURCES), "evidence": sentence, "start": 0,
                    "end": len(sentence), "observed_at": when})
            if len(batch_items) >= CHUNK:
                _flush(connection, batch_items, batch_revisions, batch_reports)
        _flush(connection, batch_items, batch_revisions, batch_reports)
    # planner statistics, as autovacuum (PostgreSQL) or `tollwatch` after a migration
    # would gather them; without, PostgreSQL plans a bulk-loaded table as empty. On
    # PostgreSQL before migration 0007 (GIN fastupdate on), VACUUM also moved the search
    # index's pending entries into the index, as autovacuum does on a running store: left
    # there, every search read all of them (16 ms of 30 for one city's items at 200,000)
    postgres = engine.dialect.name == "postgresql"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))


def _flush(connection, items: list, revisions: list, reports: list) -> None:  # type: ignore[no-untyped-def]
    for model, rows in ((Item, items), (ItemRevision, revisions), (CasualtyReport, reports)):
        if rows:
            connection.execute(insert(model), rows)
            rows.clear()
