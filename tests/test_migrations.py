"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from sqlmodel import Session, SQLModel

from service import db, search
from service.models import Event
from service.store.queries import EventFilter, list_events


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


def test_head_read_without_alembic_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert db.scripted_head() == ScriptDirectory(str(db.MIGRATIONS_DIR)).get_current_head()


SCRIPT = "revision = {revision}\ndown_revision = {parent}\n\ndef upgrade() -> None: ...\n"


@pytest.mark.parametrize(("scripts", "head"), [
    ({"a": ("'a1'", "None"), "b": ("'b2'", "'a1'"), "c": ("'c3'", "'b2'")}, "c3"),
    # two branches (as helpers' migrations are before they are chained): Alembic decides
    ({"a": ("'a1'", "None"), "b": ("'b2'", "'a1'"), "c": ("'c3'", "'a1'")}, None),
    ({"a": ("'a1'", "None"), "m": ("'m2'", "('a1', 'x1')")}, None),  # a merge
    ({"a": ("'a1'", "None"), "b": ("'b2'", "PARENT")}, None),  # not a literal
])
def test_head_read_without_alembic_defers_to_it_unless_plain(tmp_path, scripts, head) -> None:
    for name, (revision, parent) in scripts.items():
        (tmp_path / f"{name}.py").write_text(SCRIPT.format(revision=revision, parent=parent))
    assert db.scripted_head(tmp_path) == head


def test_head_read_without_alembic_needs_both_assignments(tmp_path) -> None:
    (tmp_path / "a.py").write_text("revision = 'a1'\n")
    assert db.scripted_head(tmp_path) is None


def test_event_search_covers_the_events_stored_before_its_migration(database_url) -> None:
    engine = db.make_engine(database_url)
    try:
        db.upgrade(engine, "0006")
        with engine.begin() as connection:
            connection.execute(insert(Event.__table__), [  # type: ignore[attr-defined]
                {"title": "Blasts at the harbour", "keywords": "port bomb", "outlet_count": 1},
                {"title": "Market fire", "keywords": "fire market", "outlet_count": 1}])
        db.upgrade(engine)
        with Session(engine) as session:
            found = list_events(session, EventFilter(query="harbour bombs"), "recent", 10)
        assert [event.title for event in found] == ["Blasts at the harbour"]
        if engine.dialect.name == "postgresql":  # no pending list for searches to read
            with engine.connect() as connection:
                options = dict(connection.execute(text(
                    "SELECT relname, reloptions FROM pg_class "
                    "WHERE relname IN ('ix_item_search', 'ix_event_search')")).all())
            assert options == {"ix_item_search": ["fastupdate=off"],
                               "ix_event_search": ["fastupdate=off"]}
    finally:
        engine.dispose()
