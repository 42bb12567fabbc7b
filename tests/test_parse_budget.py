"""The parse budget: a feed the sanitiser would chew on for minutes (200,000 nested
``<div>``s) is stopped at its limit, recorded and backed off, while the other feeds are
parsed meanwhile; and parse processes die with a worker killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from service import db
from service.store.feeds import add_feed
from tests.feedserver import Reply, feed_server, rss
from tests.test_poller import NOW, Harness

DEPTH = 200_000


def nested_divs() -> bytes:
    description = "<![CDATA[" + "<div>" * DEPTH + "x" + "</div>" * DEPTH + "]]>"
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item>'
            f"<guid>deep-1</guid><title>Deep</title><description>{description}</description>"
            "</item></channel></rss>").encode()


def test_a_feed_over_the_parse_budget_is_stopped_and_the_rest_go_on(sqlite_engine: Engine) -> None:
    with feed_server() as server:
        harness = Harness(sqlite_engine, server, parse_timeout=8.0, fetch_concurrency=6,
                          fetch_per_host=6)
        deep = nested_divs()
        server.routes["/deep"] = lambda r: Reply(200, deep)
        ids = [harness.add("/deep", "Deep")]
        for i in range(4):
            server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss((f"g{i}", f"Story {i}", "x")))
            ids.append(harness.add(f"/f{i}", f"Outlet {i}"))
        started = time.monotonic()
        results = harness.poll(*ids)
        took = time.monotonic() - started
    finished = list(results)  # in the order the polls finished
    assert finished[-1] == ids[0]  # the others did not wait for it
    assert all(results[i].outcome == "ok" and results[i].new == 1 for i in ids[1:])
    assert results[ids[0]].outcome == "error" and "longer than 8s" in (results[ids[0]].error or "")
    feed = harness.feed(ids[0])
    assert feed.error_count == 1 and feed.next_fetch_at > NOW and feed.lease_owner is None
    assert took < 100  # the limit held: unbounded, this parse runs for minutes


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    for child in list(found):
        try:
            found |= _children(child)
        except FileNotFoundError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_parse_processes_die_with_a_sigkilled_worker(sqlite_engine: Engine) -> None:
    with feed_server() as server:
        deep = nested_divs()
        server.routes["/deep"] = lambda r: Reply(200, deep)
        for i in range(3):
            server.routes[f"/f{i}"] = lambda r, i=i: Reply(200, rss((f"g{i}", "Story", "x")))
        with db.session_scope(sqlite_engine) as session:
            add_feed(session, server.url("/deep"), "Deep")
            for i in range(3):
                add_feed(session, server.url(f"/f{i}"), f"Outlet {i}")
        env = {**os.environ, "TOLLWATCH_DATABASE_URL": str(sqlite_engine.url),
               "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true", "TOLLWATCH_PARSE_TIMEOUT": "300",
               "TOLLWATCH_FETCH_PER_HOST": "4", "TOLLWATCH_LOG_LEVEL": "WARNING"}
        worker = subprocess.Popen([sys.executable, "-m", "service", "worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 90
            # the analysis process and two parse processes, one of them deep in the feed
            while len(children := _children(worker.pid)) < 3 or len(server.requests) < 4:
                assert worker.poll() is None and time.monotonic() < deadline, children
                time.sleep(0.2)
            time.sleep(1.0)
            children = _children(worker.pid)
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            deadline = time.monotonic() + 15
            while any(_alive(p) for p in children) and time.monotonic() < deadline:
                time.sleep(0.2)
            survivors = [p for p in children if _alive(p)]
        finally:
            if worker.poll() is None:
                worker.kill()
        for pid in survivors:  # leave nothing behind, whatever the outcome
            os.kill(pid, signal.SIGKILL)
        assert survivors == [], f"{len(survivors)} of {len(children)} children outlived the worker"
