"""full-text search over events' titles and keywords; the search indexes write straight
into PostgreSQL's GIN trees

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

As items' (0003): an FTS5 table kept in step with ``event`` by triggers on SQLite, a
generated ``tsvector`` column with a GIN index on PostgreSQL (service.search reads both;
neither is in the models: see service.search.IN_MIGRATIONS_ONLY). The clusterer rewrites
an event's keywords with each batch it adds to the event, mostly to the same words: the
SQLite trigger reindexes an event only when its title or keywords changed.

Both GIN indexes are built with ``fastupdate`` off: with it on, new entries wait in a
pending list until a vacuum, and every search reads the whole list (20,000 new items left
295 pages there; one city's items took a median 3.8 ms against 1.1 ms without them, at
200,000 items), for about 10 us less per inserted item.
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_CHANGED = "WHEN old.title IS NOT new.title OR old.keywords IS NOT new.keywords"
_SQLITE_TRIGGERS = {
    "event_fts_insert": "AFTER INSERT ON event BEGIN "
                        "INSERT INTO event_fts(rowid, title, keywords) "
                        "VALUES (new.id, new.title, new.keywords); END",
    "event_fts_delete": "AFTER DELETE ON event BEGIN "
                        "INSERT INTO event_fts(event_fts, rowid, title, keywords) "
                        "VALUES ('delete', old.id, old.title, old.keywords); END",
    "event_fts_update": f"AFTER UPDATE OF title, keywords ON event {_CHANGED} BEGIN "
                        "INSERT INTO event_fts(event_fts, rowid, title, keywords) "
                        "VALUES ('delete', old.id, old.title, old.keywords); "
                        "INSERT INTO event_fts(rowid, title, keywords) "
                        "VALUES (new.id, new.title, new.keywords); END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE event_fts USING fts5(title, keywords, content='event', "
                   "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
        for name, body in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO event_fts(event_fts) VALUES ('rebuild')")
    else:
        op.execute("ALTER TABLE event ADD COLUMN search tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', coalesce(keywords, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_event_search ON event USING gin (search) "
                   "WITH (fastupdate = off)")
        op.execute("ALTER INDEX ix_item_search SET (fastupdate = off)")
        # the setting stops new entries going to the pending list; those there stay
        op.execute("SELECT gin_clean_pending_list('ix_item_search')")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS event_fts")
    else:
        op.execute("ALTER INDEX ix_item_search RESET (fastupdate)")
        op.execute("DROP INDEX IF EXISTS ix_event_search")
        op.execute("ALTER TABLE event DROP COLUMN IF EXISTS search")
