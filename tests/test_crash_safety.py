"""A worker killed with SIGKILL at random moments, 20 times, while it ingests from a
local feed server whose items keep being edited; then allowed to finish. Every served
item must be stored exactly once, every version once, the database must pass its
integrity checks, and extraction and clustering must have caught up."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import Engine, func, text, update
from sqlmodel import Session, col, select

from service import db
from service.models import Feed, Item, ItemRevision, utcnow
from service.store.feeds import add_feed
from tests.feedserver import Reply, feed_server, rss

FEEDS, ITEMS, KILLS = 50, 30, 20
LEASE = 10  # seconds: a killed worker's feeds are free again after this


def story(feed: int, item: int, round_: int) -> tuple[str, str, str]:
    """Every third story is edited every other round: edits are where tolls rise."""
    version = round_ // 2 if item % 3 == 0 else 0
    return (f"f{feed}-i{item}", f"Blast in town {feed} number {item}, version {version}",
            f"A car bomb in town {feed} killed {item + version} people, officials said.")


def worker(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": database_url,
           "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true", "TOLLWATCH_FETCH_CONCURRENCY": "4",
           "TOLLWATCH_LOG_LEVEL": "WARNING", "TOLLWATCH_LEASE_SECONDS": str(LEASE)}
    return subprocess.Popen([sys.executable, "-m", "service", "worker", "--once"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_all_due(engine: Engine) -> None:
    with db.session_scope(engine) as session:
        session.exec(update(Feed).values(next_fetch_at=utcnow()))  # type: ignore[call-overload]


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(sqlite_engine: Engine) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    state = {"round": 0}

    def serve(feed: int):  # type: ignore[no-untyped-def]
        def reply(request):  # type: ignore[no-untyped-def]
            time.sleep(0.03)  # a little latency, so kills land mid-poll too
            return Reply(200, rss(*(story(feed, i, state["round"]) for i in range(ITEMS))))
        return reply

    url = str(sqlite_engine.url)
    kills = 0
    with feed_server() as server:
        with db.session_scope(sqlite_engine) as session:
            for feed in range(FEEDS):
                server.routes[f"/f{feed}"] = serve(feed)
                add_feed(session, server.url(f"/f{feed}"), f"Outlet {feed}")
        latest = 5.0  # start-up takes ~2 s, the work a few more
        for round_ in range(KILLS):
            state["round"] = round_
            make_all_due(sqlite_engine)
            process = worker(url)
            delay = rng.uniform(0.5, latest)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            else:  # a faster machine (or worker) than assumed: aim earlier from now on
                latest = max(1.0, delay * 0.9)
            process.wait(30)
        state["round"] = final = KILLS
        time.sleep(LEASE + 1)  # the last killed worker's leases expire, as they would
        for _ in range(2):  # undisturbed: the work left over, then what its edits reveal
            make_all_due(sqlite_engine)
            finished = worker(url)
            _, errors = finished.communicate(timeout=300)
            assert finished.returncode == 0, errors.decode()

    assert kills >= KILLS // 2, f"only {kills} kills landed (seed {seed})"
    with Session(sqlite_engine) as session:
        items = {i.guid: i for i in session.exec(select(Item)).all()}
        assert len(items) == FEEDS * ITEMS, f"seed {seed}"
        for feed in range(FEEDS):
            for n in range(ITEMS):
                guid, title, _ = story(feed, n, final)
                assert items[guid].title == title, f"seed {seed}: {guid} not at its last version"
        revisions = session.exec(select(ItemRevision.item_id, ItemRevision.number,
                                        ItemRevision.content_hash)).all()
        by_item: dict[int, list[tuple[int, str]]] = {}
        for item_id, number, digest in revisions:
            by_item.setdefault(item_id, []).append((number, digest))
        for versions in by_item.values():
            numbers = sorted(n for n, _ in versions)
            assert numbers == list(range(1, len(numbers) + 1)), f"seed {seed}: gap or repeat"
            assert len({d for _, d in versions}) == len(versions), f"seed {seed}: a duplicate"
        behind = session.exec(select(func.count()).select_from(ItemRevision).where(
            ~col(ItemRevision.extracted) | ~col(ItemRevision.clustered))).one()
        assert behind == 0, f"seed {seed}: analysis did not catch up"
        assert all(i.event_id is not None for i in items.values())
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
    print(f"crash test: {kills} kills, seed {seed}, {len(revisions)} revisions")
