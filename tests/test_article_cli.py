"""The one-shot commands read article pages too: `tollwatch worker --once` and `tollwatch
poll` fetch the feeds, then the due pages. A page that hangs in one worker holds up no
feed poll of another on the same host, and the two keep under the host's one cap (on both
backends, the workers in processes of their own)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from service import db
from service.models import CasualtyReport, ItemRevision, utcnow
from service.store import articles as store
from service.store.feeds import add_feed
from tests.feedserver import FeedServer, Reply
from tests.test_article_hosts import Load
from tests.test_articles import feed, page, server  # noqa: F401 (fixture)

PAGES = 2
OTHERS = 4


def _environment(engine: Engine) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    return {**environment,
            "TOLLWATCH_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true", "TOLLWATCH_FETCH_PER_HOST": "2",
            "TOLLWATCH_READ_TIMEOUT": "90", "TOLLWATCH_TOTAL_TIMEOUT": "90",
            "TOLLWATCH_LOG_LEVEL": "WARNING"}


def _tollwatch(engine: Engine, cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "service", *args], cwd=cwd,
                            env=_environment(engine), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _article_revisions(engine: Engine) -> tuple[int, int]:
    """Article revisions stored, and the figures read from them."""
    with Session(engine) as session:
        revisions = session.exec(select(ItemRevision.id)
                                 .where(ItemRevision.source == "article")).all()
        figures = session.exec(select(CasualtyReport)
                               .where(col(CasualtyReport.revision_id).in_(revisions))).all()
    return len(revisions), len(figures)


def test_poll_reads_the_pages_of_the_feeds_it_fetched(sqlite_engine: Engine, server: FeedServer,
                                                      tmp_path: Path) -> None:
    server.routes["/full"] = lambda r: Reply(200, feed(server, ("s-0", "Syria: blasts", "Short.")))
    server.routes["/a/s-0"] = lambda r: page("broadcaster.html")
    with db.session_scope(sqlite_engine) as session:
        feed_id = add_feed(session, server.url("/full"), "BBC", "always").id
    _out, err = _tollwatch(sqlite_engine, tmp_path, "poll", str(feed_id)).communicate(timeout=120)
    assert "1 feed(s) polled, 0 with errors; 1 article page(s) read, 1 stored" in err, err
    assert _article_revisions(sqlite_engine)[0] == 1


def test_a_hanging_page_in_one_worker_holds_up_no_feed_poll_on_its_host(
        engine: Engine, server: FeedServer, tmp_path: Path) -> None:
    """`worker --once` hangs on its pages; meanwhile `poll` fetches four other feeds of the
    same host, under a cap of two fetches in flight there, feeds and pages together. The
    pages leave the host's last slot to the feeds (were the worker to take both, the poll
    would find its feeds held), and the feed claims count the pages in flight (else the
    poll would add two feeds to the page)."""
    release = threading.Event()
    load = Load()

    def hang() -> Reply:
        release.wait(timeout=120)
        return page("broadcaster.html")

    server.routes["/full"] = load.route("feed", lambda: Reply(200, feed(server, *[
        (f"s-{n}", f"Syria: blasts {n}", "Short.") for n in range(PAGES)])), 0.0)
    for n in range(PAGES):
        server.routes[f"/a/s-{n}"] = load.route("article", hang, 0.0)
    for n in range(OTHERS):
        server.routes[f"/o{n}"] = load.route(
            "feed", lambda n=n: Reply(200, feed(server, (f"o-{n}", "Other", "Text."))), 0.3)
    with db.session_scope(engine) as session:
        add_feed(session, server.url("/full"), "BBC", "always")
        others = [str(add_feed(session, server.url(f"/o{n}"), f"Other {n}").id)
                  for n in range(OTHERS)]
        # robots.txt known: the worker could claim both pages at once, were it allowed to
        store.save_robots(session, "127.0.0.1", 404, "", None, utcnow())

    worker = _tollwatch(engine, tmp_path, "worker", "--once")
    try:
        assert load.started.wait(timeout=120), worker.stderr
        _out, err = _tollwatch(engine, tmp_path, "poll", *others).communicate(timeout=120)
        assert load.pages() == 1  # the page still hung while the poll ran and ended
        assert f"{OTHERS} feed(s) polled, 0 with errors" in err, err
    finally:
        release.set()
        _out, worker_err = worker.communicate(timeout=120)
    assert worker.returncode == 0, worker_err
    assert (f"{1 + OTHERS} due feed(s) polled, 0 with errors; {PAGES} article page(s) read, "
            f"{PAGES} stored" in worker_err), worker_err
    (host,) = load.most
    assert load.mixed and load.most[host] == 2
    revisions, figures = _article_revisions(engine)
    assert revisions == PAGES and figures > 0  # `worker --once` analysed what the pages said
