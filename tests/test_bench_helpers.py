"""The benchmarks' own helpers, run small: a broken bench must fail here, not later."""

from __future__ import annotations

import os
import random
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
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


def test_startup_timers_measure_a_command_and_a_server(tmp_path: Path) -> None:
    from startup import BARE_API, best_wall_times, seconds_to_first_health

    took = best_wall_times({"pass": [sys.executable, "-c", "pass"]}, {}, 2, tmp_path)
    assert 0 < took["pass"] < 60
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert 0 < seconds_to_first_health([sys.executable, "-c", BARE_API, str(port)], port,
                                       dict(os.environ), tmp_path) < 120


def test_a_quick_run_never_makes_the_readers_venv(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import peer

    monkeypatch.setattr(peer, "VENV", tmp_path / "reader-venv")
    python, why_not = peer.reader_python(build=False)
    assert python is None and "--quick" in why_not
    assert not (tmp_path / "reader-venv").exists()
