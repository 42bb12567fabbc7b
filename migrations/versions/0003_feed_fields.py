"""items keep what feeds give: authors, categories, enclosures, language; full-text search

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

The search index is the database's own: an FTS5 table kept in step with ``item`` by
triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL
(service.search reads both). Neither is in the models: see service.search.IN_MIGRATIONS_ONLY.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = {
    "item_fts_insert": "AFTER INSERT ON item BEGIN "
                       "INSERT INTO item_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "item_fts_delete": "AFTER DELETE ON item BEGIN "
                       "INSERT INTO item_fts(item_fts, rowid, title, text) "
                       "VALUES ('delete', old.id, old.title, old.text); END",
    "item_fts_update": "AFTER UPDATE OF title, text ON item BEGIN "
                       "INSERT INTO item_fts(item_fts, rowid, title, text) "
                       "VALUES ('delete', old.id, old.title, old.text); "
                       "INSERT INTO item_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
}


def upgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        for name in ('authors', 'categories', 'enclosures'):
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35),
                                      nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE item_fts USING fts5(title, text, content='item', "
                   "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
        for name, body in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO item_fts(item_fts) VALUES ('rebuild')")
    else:
        op.execute("ALTER TABLE item ADD COLUMN search tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_item_search ON item USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS item_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_item_search")
        op.execute("ALTER TABLE item DROP COLUMN IF EXISTS search")
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('enclosures')
        batch_op.drop_column('categories')
        batch_op.drop_column('authors')
