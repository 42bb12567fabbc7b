"""The database engine, sessions and the migration runner.

SQLite is the zero-set-up default (WAL mode, so the API reads while a worker
writes); PostgreSQL is for several workers. Both are migrated by Alembic, whose
scripts live in ``migrations/`` (shipped as ``service.migrations``).
"""

from __future__ import annotations

import ast
import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from service.errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(str(files("service.migrations")))


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_in_memory(url: str) -> bool:
    """An SQLite database that lives only in the process that opened it."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and (
        parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory")


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; raises ConfigError if no driver can serve it."""
    try:  # a file needs no liveness check before each transaction; a server may have gone
        engine = create_engine(url, pool_pre_ping=make_url(url).get_backend_name() != "sqlite")
    except (NoSuchModuleError, ImportError) as exc:
        hint = (" (it comes with: pip install 'tollwatch[postgres]')"
                if make_url(url).get_driver_name() == "psycopg" else "")
        raise ConfigError(f"no database driver for {safe_url(url)}: {exc}{hint}") from None
    if is_sqlite(engine):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_begin_before_savepoint)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_before_savepoint(connection, _name) -> None:
    """Open the transaction a SAVEPOINT is meant to nest in.

    Python's sqlite3 module begins a transaction only before INSERT, UPDATE or DELETE.
    A SAVEPOINT issued before any of those opens a transaction of its own, which its
    RELEASE then commits: the items of a poll would be committed before, and whatever
    happened to, the rest of its transaction."""
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def serialize(session: Session, key: int) -> None:
    """Make transactions that call this with the same ``key`` run one after another, so
    a check made at their start still holds when they write (workers starting together).

    PostgreSQL: an advisory lock, held until the transaction ends. SQLite: the database's
    write lock, taken now (``BEGIN IMMEDIATE``) rather than at the first write."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif connection.dialect.name == "sqlite":
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is not None and not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN IMMEDIATE")


@contextmanager
def sole_worker(engine: Engine) -> Iterator[None]:
    """On an SQLite file, hold a lock beside it for as long as this worker runs, so that a
    second worker on the same file stops at once with one line: SQLite has one writer,
    and its workers would spend their time waiting for each other. PostgreSQL takes many."""
    database = engine.url.database
    if not is_sqlite(engine) or is_in_memory(str(engine.url)) or not database:
        yield
        return
    with open(f"{database}-worker.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseError(
                f"another tollwatch worker is running on {database}: SQLite runs one worker; "
                "for more, use PostgreSQL (TOLLWATCH_DATABASE_URL=postgresql://...)") from None
        yield


def check_connection(engine: Engine) -> None:
    """Raise DatabaseError with one clear line if the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot reach database {engine.url!r}: {reason}") from None


def _alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


# Any fixed number: workers starting together on PostgreSQL take turns to migrate.
_MIGRATION_LOCK = 0x746F6C6C


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every pending migration (idempotent, safe when several workers start at once).

    Every command starts here, and Alembic takes longer to import than most commands take
    to run: a database already at the head is told by one query, without it."""
    check_connection(engine)
    if revision == "head" and _at_scripted_head(engine):
        return
    from alembic import command

    config = _alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@cache
def scripted_head(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The newest migration, read from the scripts' own ``revision`` and ``down_revision``
    assignments without importing Alembic; None (ask Alembic) when the scripts are not that
    plain: an assignment missing or not a literal, a merge, or more than one head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("*.py"):
        if script.name == "__init__.py":
            continue
        names = _literal_assignments(script)
        revision, parent = names.get("revision"), names.get("down_revision", _NOT_LITERAL)
        if not isinstance(revision, str) or not isinstance(parent, str | None):
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


_NOT_LITERAL = object()


def _literal_assignments(script: Path) -> dict[str, object]:
    """A script's top-level ``name = value`` assignments; a value that is not a literal
    is _NOT_LITERAL."""
    values: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                values[target.id] = _NOT_LITERAL
    return values


def _at_scripted_head(engine: Engine) -> bool:
    head = scripted_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version"))
            return list(current.scalars()) == [head]
    except DBAPIError:  # no such table yet: a new database
        return False


def pending_migrations(engine: Engine) -> list[str]:
    """Revisions not yet applied, oldest first."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    check_connection(engine)
    script = ScriptDirectory.from_config(_alembic_config(engine))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    head = script.get_current_head()
    if head is None or head in current:
        return []
    pending = []
    for rev in script.iterate_revisions(head, "base"):
        if rev.revision in current:
            break
        pending.append(rev.revision)
    return list(reversed(pending))


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    check_connection(engine)
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
