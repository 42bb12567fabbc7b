"""SIGTERM to a real worker process while its fetches are in flight: they finish and
commit, the process exits by itself within a bounded time, and no lease is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import Engine
from sqlmodel import Session, select

from service import db
from service.models import Feed, Item
from service.store.feeds import add_feed
from tests.feedserver import Reply, feed_server, rss

SLOW = 3.0  # seconds each feed's server takes to answer


def test_sigterm_lets_the_polls_in_flight_finish_and_commit(sqlite_engine: Engine) -> None:
    with feed_server() as server:
        def slow(request):  # type: ignore[no-untyped-def]
            time.sleep(SLOW)
            path = request.path.strip("/")
            return Reply(200, rss((f"{path}-1", f"Story of {path}", "x")))

        with db.session_scope(sqlite_engine) as session:
            for i in range(6):
                server.routes[f"/f{i}"] = slow
                add_feed(session, server.url(f"/f{i}"), f"Outlet {i}")
        env = {**os.environ, "TOLLWATCH_DATABASE_URL": str(sqlite_engine.url),
               "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true", "TOLLWATCH_FETCH_CONCURRENCY": "6",
               "TOLLWATCH_FETCH_PER_HOST": "6", "TOLLWATCH_TOTAL_TIMEOUT": "20",
               "TOLLWATCH_READ_TIMEOUT": "20", "TOLLWATCH_LOG_LEVEL": "INFO"}
        process = subprocess.Popen([sys.executable, "-m", "service", "worker"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while len(server.requests) < 6:  # every feed's fetch is in flight
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            process.send_signal(signal.SIGTERM)
            _, errors = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    log = errors.decode()
    assert process.returncode == 0, log
    assert "cannot schedule new futures" not in log and "Traceback" not in log, log
    assert "stopped cleanly" in log
    with Session(sqlite_engine) as session:
        feeds = session.exec(select(Feed)).all()
        assert all(f.lease_owner is None and f.last_outcome == "ok" for f in feeds), \
            [(f.url, f.last_outcome, f.lease_owner) for f in feeds]
        assert len(session.exec(select(Item)).all()) == 6
