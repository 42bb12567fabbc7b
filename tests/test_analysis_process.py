"""The long-running worker analyses in child processes beside its poller: what it polls
gets figures (each revision read once, by whichever child leased it) and events without
a poll round waiting for them, SIGTERM stops them all, and a worker killed outright
leaves no analysis process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import select

from service import db
from service.models import CasualtyReport, Item, ItemRevision
from service.store.feeds import add_feed
from tests.feedserver import Reply, feed_server, rss

FEEDS, ITEMS = 5, 8
CHILDREN = 2  # analysis processes: one clusters and reads figures, one reads figures


def _worker(database_url: str, cwd: Path) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
           "TOLLWATCH_DATABASE_URL": database_url, "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
           "TOLLWATCH_POLL_TICK": "1", "TOLLWATCH_ANALYSIS_TICK": "0.2",
           "TOLLWATCH_ANALYSIS_PROCESSES": str(CHILDREN),
           "TOLLWATCH_SOURCES_FILE": str(cwd / "sources.toml")}
    (cwd / "sources.toml").write_text("")
    with open(cwd / "worker.log", "w") as log:  # a file, not a pipe nobody reads yet
        return subprocess.Popen([sys.executable, "-m", "service", "worker"], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)


def _analysis_pids(cwd: Path) -> list[int]:
    """The children's pids, from the line each logs when it starts."""
    return [int(pid) for pid in re.findall(r"analysis process started pid=(\d+)",
                                           (cwd / "worker.log").read_text())]


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except FileNotFoundError:
        return False


def _analysed(engine: Engine) -> tuple[int, int, int]:
    """(items, items in an event, revisions not yet extracted or clustered)."""
    with db.session_scope(engine) as session:
        items = session.exec(select(func.count()).select_from(Item)).one()
        placed = session.exec(select(func.count()).where(Item.event_id.is_not(None))).one()  # type: ignore[union-attr]
        behind = session.exec(select(func.count()).where(
            ~ItemRevision.extracted | ~ItemRevision.clustered)).one()  # type: ignore[operator]
    return items, placed, behind


def _wait(predicate, seconds: float, why: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, why
        time.sleep(0.2)


def _started(server, engine: Engine, cwd: Path) -> tuple[subprocess.Popen, list[int]]:  # type: ignore[no-untyped-def]
    """A worker polling FEEDS feeds of ITEMS items, and its analysis children's pids."""
    _serving(server, engine)
    process = _worker(str(engine.url), cwd)
    try:
        _wait(lambda: len(_analysis_pids(cwd)) == CHILDREN, 30,
              "the analysis processes did not start")
    except BaseException:
        process.kill()
        raise
    children = _analysis_pids(cwd)
    assert process.pid not in children and all(map(_running, children))
    return process, children


def _serving(server, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        for feed in range(FEEDS):
            body = rss(*((f"f{feed}-{i}", f"Shelling of town {feed}, report {i}",
                          f"Shelling in town {feed} killed {i + 2} people, medics said.")
                         for i in range(ITEMS)))
            server.routes[f"/f{feed}"] = lambda request, body=body: Reply(200, body)
            add_feed(session, server.url(f"/f{feed}"), f"Outlet {feed}")


def test_the_worker_analyses_in_child_processes_and_stops_them_on_sigterm(
        sqlite_engine: Engine, tmp_path: Path) -> None:
    with feed_server() as server:
        process, children = _started(server, sqlite_engine, tmp_path)
        try:
            _wait(lambda: _analysed(sqlite_engine) == (FEEDS * ITEMS, FEEDS * ITEMS, 0), 60,
                  "the items were not all analysed")
            process.send_signal(signal.SIGTERM)
            process.wait(60)
        finally:
            process.kill()
    err = (tmp_path / "worker.log").read_text()
    assert process.returncode == 0, err
    assert "stopped cleanly" in err
    assert not any(map(_running, children))  # the worker stopped them before it exited
    with db.session_scope(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(CasualtyReport)).one() == FEEDS * ITEMS


def test_a_worker_killed_outright_leaves_no_analysis_process(
        sqlite_engine: Engine, tmp_path: Path) -> None:
    with feed_server() as server:
        process, children = _started(server, sqlite_engine, tmp_path)
        try:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            process.kill()
        # the orphan notices its parent is gone after its batch and exits
        _wait(lambda: not any(map(_running, children)), 30,
              "an analysis process outlived its worker")
