"""Alembic environment: runs against the engine tollwatch hands over (service.db)."""

from alembic import context
from sqlmodel import SQLModel

import service.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from service.search import include_object

target_metadata = SQLModel.metadata


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:  # service.db.upgrade: its transaction, its lock
        _configure_and_run(connection)
        return
    engine = context.config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line: build one from the settings
        from service.config import load_settings
        from service.db import make_engine

        engine = make_engine(load_settings().database_url)
    with engine.begin() as connection:
        _configure_and_run(connection)


run_migrations()
