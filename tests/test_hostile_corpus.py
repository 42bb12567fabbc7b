"""feedparser's own test suite (thousands of odd, broken and hostile feeds, from its
source distribution, downloaded once from PyPI and cached) served over loopback to the
real poller and analysis: nothing may crash, and every failure is recorded on its feed
with a reason."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from service import db
from service.analyze import Analyzer
from service.config import load_settings
from service.models import Feed, Item
from service.worker import Poller
from tests.feedserver import Reply, feed_server

CACHE = Path(os.environ.get("TOLLWATCH_TEST_CACHE", Path.home() / ".cache" / "tollwatch-tests"))


def feedparser_sdist() -> bytes:
    """The sdist of the installed feedparser, fetched with pip (so from the index pip is
    configured for) the first time, then from the cache."""
    version = feedparser.__version__
    cached = CACHE / f"feedparser-{version}.tar.gz"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", f"feedparser=={version}", "-d", str(CACHE)],
                       check=True, capture_output=True, timeout=300)
    return cached.read_bytes()


def corpus() -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(feedparser_sdist())) as archive:
        return {m.name.split("/tests/", 1)[1]: archive.extractfile(m).read()  # type: ignore[union-attr]
                for m in archive.getmembers()
                if m.isfile() and "/tests/" in m.name and not m.name.endswith(".py")}


def test_feedparser_test_suite_through_the_poller(sqlite_engine: Engine) -> None:
    try:
        files = corpus()
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"could not download feedparser's sdist: {exc.stderr.decode()[-500:]}")
    assert len(files) > 1000
    settings = load_settings(database_url=str(sqlite_engine.url), allow_private_addresses=True,
                             fetch_concurrency=32, fetch_per_host=32, total_timeout=20)
    with feed_server() as server:
        with db.session_scope(sqlite_engine) as session:
            for n, (name, body) in enumerate(sorted(files.items())):
                path = f"/corpus/{n}"
                server.routes[path] = lambda r, body=body: Reply(
                    200, body, {"Content-Type": "application/xml"})
                session.add(Feed(outlet_id=_outlet(session, name), url=server.url(path),
                                 host="127.0.0.1"))

        async def run():  # type: ignore[no-untyped-def]
            async with Poller(settings, sqlite_engine) as poller:
                return await poller.poll_due()

        summaries = asyncio.run(run())
    assert len(summaries) == len(files)  # every feed polled, none crashed the worker
    Analyzer(sqlite_engine).run()  # and their text read and clustered without a crash
    with Session(sqlite_engine) as session:
        feeds = session.exec(select(Feed)).all()
        assert all(f.last_outcome for f in feeds)
        failed = [f for f in feeds if f.error_count]
        assert all(f.last_error for f in failed)  # each failure says why
        with_entries = session.exec(select(func.count(func.distinct(Item.feed_id)))).one()
        unanalysed = session.exec(select(func.count()).select_from(Item)
                                  .where(col(Item.event_id).is_(None))).one()
    assert unanalysed == 0
    print(f"\nfeedparser {feedparser.__version__} test suite: {len(files)} files, "
          f"{with_entries} yielded entries, {len(failed)} recorded as failures")
    assert with_entries > len(files) // 2


def _outlet(session: Session, name: str) -> int:
    from service.store.feeds import get_or_create_outlet
    return get_or_create_outlet(session, f"corpus {name}"[:200]).id  # type: ignore[return-value]
