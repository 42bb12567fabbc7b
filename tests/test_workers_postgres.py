"""Several worker processes share the feeds through PostgreSQL leases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from service import db
from service.models import Feed, FetchLog, Item, ItemRevision
from service.store.feeds import add_feed
from tests.feedserver import Reply, feed_server, rss

FEEDS = 300
# All feeds share one host, so the per-host cap binds across workers; each worker alone
# (PER_WORKER in flight) cannot fill it, so a worker that starts late still finds work.
PER_HOST = 6
PER_WORKER = 4
DELAY = 0.1  # one worker alone would need FEEDS * DELAY / PER_WORKER = 7.5 s


@pytest.mark.postgres
def test_three_workers_fetch_each_due_feed_exactly_once(tmp_path, postgres_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    engine = postgres_engine
    url = engine.url.render_as_string(hide_password=False)

    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def route(request):  # type: ignore[no-untyped-def]
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(DELAY)
        number = request.path.strip("/f")
        with lock:
            active["now"] -= 1
        return Reply(200, rss((f"g{number}-1", f"Story {number}", "text"),
                              (f"g{number}-2", f"Other {number}", "text")))

    with feed_server() as server:
        with db.session_scope(engine) as session:
            for i in range(FEEDS):
                server.routes[f"/f{i}"] = route
                add_feed(session, server.url(f"/f{i}"), f"Outlet {i % 37}")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
               "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
               "TOLLWATCH_FETCH_PER_HOST": str(PER_HOST), "TOLLWATCH_FETCH_CONCURRENCY": str(PER_WORKER)}
        workers = [
            subprocess.Popen([sys.executable, "-m", "service", "worker", "--once"], cwd=tmp_path,
                             env={**env, "TOLLWATCH_WORKER_ID": f"w{n}"},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n in range(3)
        ]
        outputs = [w.communicate(timeout=300) for w in workers]
        assert all(w.returncode == 0 for w in workers), outputs
        hits = [len(server.hits(f"/f{i}")) for i in range(FEEDS)]

    assert hits == [1] * FEEDS
    assert active["max"] <= PER_HOST
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Item)).one() == 2 * FEEDS
        assert session.exec(select(func.count()).select_from(ItemRevision)).one() == 2 * FEEDS
        assert session.exec(select(func.count()).select_from(Feed)
                            .where(Feed.lease_owner.is_not(None))).one() == 0
        per_worker = dict(session.exec(select(FetchLog.worker, func.count())
                                       .group_by(FetchLog.worker)).all())
    assert sum(per_worker.values()) == FEEDS
    assert len(per_worker) >= 2, per_worker  # the work was shared


# How many cycles fit in RUN depends on the machine (four workers, their parsers and
# their analysis processes sharing two cores, maybe with other jobs): the test asserts
# what must hold at any speed, not how much work got done.
SCALE_FEEDS, SCALE_WORKERS, INTERVAL, LEASE = 1000, 4, 20, 10
KILL_AFTER = 100  # fetches: w0 is killed once the work is under way, however long start-up took
RUN_AFTER_ALL = 2 * INTERVAL  # seconds of running on once every feed has been fetched
MOST = 300.0  # seconds of running at most, however slow the machine


@pytest.mark.postgres
def test_four_workers_a_thousand_feeds_one_killed(tmp_path, postgres_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """1,000 feeds shared by four daemon workers, one SIGKILLed midway, the others stopped
    with SIGTERM: no feed is fetched twice within its interval (except to redo a fetch
    the dead worker never recorded, once its lease expired), the dead worker's leases are
    taken over, the stopped workers leave none, nothing is stored twice."""
    engine = postgres_engine
    url = engine.url.render_as_string(hide_password=False)
    with feed_server() as server:
        with db.session_scope(engine) as session:
            for i in range(SCALE_FEEDS):
                server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss(
                    (f"g{i}-1", f"Story {i}", "text"), (f"g{i}-2", f"Other {i}", "text")))
                add_feed(session, server.url(f"/f{i}"), f"Outlet {i % 37}")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
               "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
               "TOLLWATCH_FETCH_PER_HOST": "40", "TOLLWATCH_FETCH_CONCURRENCY": "10",
               "TOLLWATCH_POLL_TICK": "1", "TOLLWATCH_LEASE_SECONDS": str(LEASE),
               "TOLLWATCH_POLL_MIN_INTERVAL": str(INTERVAL),
               "TOLLWATCH_POLL_DEFAULT_INTERVAL": str(INTERVAL), "TOLLWATCH_LOG_LEVEL": "WARNING"}
        started = time.monotonic()
        workers = [subprocess.Popen([sys.executable, "-m", "service", "worker"], cwd=tmp_path,
                                    env={**env, "TOLLWATCH_WORKER_ID": f"w{n}"},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for n in range(SCALE_WORKERS)]
        while len(server.requests) < KILL_AFTER and time.monotonic() - started < MOST:
            time.sleep(0.05)
        workers[0].send_signal(signal.SIGKILL)
        killed_at = time.monotonic() - started
        paths = {f"/f{i}" for i in range(SCALE_FEEDS)}
        while {r.path for r in server.requests} != paths and time.monotonic() - started < MOST:
            time.sleep(0.5)
        time.sleep(min(RUN_AFTER_ALL, max(0.0, MOST - (time.monotonic() - started))))
        for w in workers[1:]:
            w.send_signal(signal.SIGTERM)
        errors = [w.communicate(timeout=120)[1] for w in workers[1:]]
        assert all(w.returncode == 0 for w in workers[1:]), errors
        hits = {i: [r.at - started for r in server.hits(f"/f{i}")] for i in range(SCALE_FEEDS)}

    with Session(engine) as session:
        feed_ids = {url: feed_id for feed_id, url in session.exec(select(Feed.id, Feed.url))}
        logged = dict(session.exec(select(FetchLog.feed_id, func.count())  # type: ignore[arg-type]
                                   .group_by(FetchLog.feed_id)).all())
    too_soon = []
    for feed, times in hits.items():
        unrecorded = len(times) - logged.get(feed_ids[server.url(f"/f{feed}")], 0)
        # Only a fetch never recorded may be redone early, once its lease expired (the
        # lease was taken a little before the fetch began): one w0 made before it died,
        # or one that took longer than its lease on a loaded machine and lost it.
        early = [(earlier, later) for earlier, later in zip(times, times[1:])
                 if later - earlier < INTERVAL * 0.95]
        if len(early) > unrecorded or any(later - earlier < LEASE / 2 for earlier, later in early):
            too_soon.append((feed, times, unrecorded))
    assert not too_soon, (killed_at, too_soon[:5])
    with Session(engine) as session:
        # each feed's two items once, for every feed whose fetch was recorded (a fetch w0
        # made just before it died may be unrecorded, and redone later or not yet)
        recorded = session.exec(select(func.count(func.distinct(FetchLog.feed_id)))
                                .where(FetchLog.outcome == "ok")).one()
        assert recorded > 0
        assert session.exec(select(func.count()).select_from(Item)).one() == 2 * recorded
        assert session.exec(select(func.count()).select_from(ItemRevision)).one() == \
            2 * recorded
        assert session.exec(select(func.count()).select_from(Feed)
                            .where(Feed.lease_owner == "w0")).one() == 0  # taken over
        # the stopped workers let their polls in flight finish and release their leases
        assert session.exec(select(func.count()).select_from(Feed)
                            .where(Feed.lease_owner.is_not(None))).one() == 0  # type: ignore[union-attr]
