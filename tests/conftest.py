"""Shared fixtures: a migrated database on SQLite and, when configured, PostgreSQL.

Tests that take ``database_url``/``engine`` run once per backend. PostgreSQL runs
where TOLLWATCH_TEST_DATABASE_URL is set; with ``--require-postgres`` (what .ci/run
passes) a skipped PostgreSQL test is an error, so CI cannot go green without it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from service import db

PG_URL_ENV = "TOLLWATCH_TEST_DATABASE_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--require-postgres", action="store_true",
                     help="fail, rather than skip, PostgreSQL tests that cannot run")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and item.config.getoption("--require-postgres")
            and "postgres" in item.keywords):
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL test skipped but --require-postgres is set: {report.longrepr}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        params = getattr(item, "callspec", None)
        if params is not None and "postgresql" in params.params.values():
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def root_logging() -> Iterator[logging.Logger]:
    """The root logger as it was before the test: a CLI run in-process configures logging
    for the whole process, and its handler must not outlive the test that ran it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def reset_postgres(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_postgres_url() -> str:
    """The PostgreSQL test database, emptied (not yet migrated); the test is skipped
    when none is configured (and `--require-postgres` turns that skip into a failure)."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"{PG_URL_ENV} is not set")
    reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database (not yet migrated) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return empty_postgres_url()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database, for tests of several workers sharing one."""
    engine = db.make_engine(empty_postgres_url())
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database on each backend."""
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated SQLite database, for tests whose subject is not the backend."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def merged_pair(sqlite_engine: Engine) -> tuple[int, int]:
    """Two events in ``sqlite_engine``, the second merged into the first ("kept"): their
    ids (survivor, merged)."""
    from sqlalchemy import update

    from service.models import Event

    with db.session_scope(sqlite_engine) as session:
        survivor, merged = Event(title="kept"), Event(title="merged")
        session.add_all([survivor, merged])
        session.flush()
        session.exec(update(Event).where(Event.id == merged.id)  # type: ignore[call-overload]
                     .values(merged_into_id=survivor.id))
        return survivor.id, merged.id  # type: ignore[return-value]


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A SQLite store filled by replaying the seed event through the real pipeline (shared
    by the read-only API, page and digest tests)."""
    import asyncio

    from service.config import load_settings
    from service.demo.replay import replay

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    asyncio.run(replay(load_settings(database_url=url, allow_private_addresses=True), engine,
                       step_minutes=30))
    return engine


@pytest.fixture
def demo_copy(demo_engine: Engine, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A private copy of the replayed store, for tests that write to it."""
    import shutil

    with demo_engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    copy = tmp_path / "demo-copy.db"
    shutil.copy(demo_engine.url.database, copy)  # type: ignore[arg-type]
    engine = db.make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()
