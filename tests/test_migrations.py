"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from service import db, search


def test_migrations_match_models(engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": search.include_object}),
            SQLModel.metadata,
        )
    assert diff == []


def test_upgrade_is_idempotent(engine) -> None:
    before = db.current_revision(engine)
    db.upgrade(engine)
    assert db.current_revision(engine) == before
    assert db.pending_migrations(engine) == []


def test_upgrade_creates_every_table(engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
