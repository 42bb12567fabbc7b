"""Workers starting together on an empty database: one follows the sources file's feeds,
the others find them; nobody crashes on a duplicate and no feed is added twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func
from sqlmodel import select

from service import db
from service.models import Feed, Outlet
from service.sources import OutletSpec
from service.store.feeds import sync_sources_if_none

SPECS = [OutletSpec(name=f"Outlet {n}", feeds=(f"https://news{n}.example/rss",
                                               f"https://news{n}.example/atom"))
         for n in range(20)]
WORKERS = 6


def test_workers_starting_together_sync_the_sources_once(engine: Engine) -> None:
    start = threading.Barrier(WORKERS)

    def first_start() -> tuple[int, int] | None:
        start.wait()
        with db.session_scope(engine) as session:
            return sync_sources_if_none(session, lambda: SPECS)

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda _: first_start(), range(WORKERS)))
    assert sorted(results, key=str) == [(20, 40)] + [None] * (WORKERS - 1)
    with db.session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Feed)).one() == 40
        assert session.exec(select(func.count()).select_from(Outlet)).one() == 20


def test_sources_are_not_read_once_feeds_are_followed(sqlite_engine: Engine) -> None:
    with db.session_scope(sqlite_engine) as session:
        assert sync_sources_if_none(session, lambda: SPECS[:1]) == (1, 2)

    def unreadable() -> list[OutletSpec]:
        raise AssertionError("the sources file was read although feeds are followed")

    with db.session_scope(sqlite_engine) as session:
        assert sync_sources_if_none(session, unreadable) is None
