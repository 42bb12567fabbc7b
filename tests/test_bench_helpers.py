"""The benchmarks' own helpers, run small: a broken bench must fail here, not later."""

from __future__ import annotations

import random
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from service.models import CasualtyReport, Event, Item, ItemRevision

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from feeds import item_text  # noqa: E402
from populate import populate  # noqa: E402


def test_populate_fills_every_table(sqlite_engine: Engine) -> None:
    populate(sqlite_engine, 300, 6, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(Item)).one() == 300
        assert session.exec(select(func.count()).select_from(Event)).one() == 6
        revisions = session.exec(select(func.count()).select_from(ItemRevision)).one()
        assert revisions == 300 + 100  # every third item has a second version
        reports = session.exec(select(func.count()).select_from(CasualtyReport)).one()
        assert reports == revisions


def test_item_text_is_about_a_kilobyte_and_shares_an_events_names() -> None:
    rng = random.Random(1)
    (title_a, text_a), (_, text_b) = item_text(rng, event=3), item_text(rng, event=3)
    assert 1000 <= len(text_a) < 1100 and title_a
    place = text_a.split(" in ", 1)[1].split()[0]
    assert place in text_b
