"""Full-text search over items' titles and text, in the database's own index.

SQLite: the FTS5 table ``item_fts`` (porter stemming, diacritics folded), kept in step
with ``item`` by triggers, ranked by BM25 with the title weighing more than the text.
PostgreSQL: the generated ``item.search`` tsvector (title weight A, text weight B) with
a GIN index, matched with ``websearch_to_tsquery`` and ranked by ``ts_rank_cd``. Both
follow every revision, since a revision rewrites the item's title and text. The index
lives in the migration only (0003): the models cannot describe a virtual table or a
generated tsvector on both backends, so schema comparisons skip these names.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, Float, Integer, Subquery, text

IN_MIGRATIONS_ONLY = frozenset({"item_fts", "item_fts_data", "item_fts_idx", "item_fts_docsize",
                                "item_fts_config", "search", "ix_item_search"})
TITLE_WEIGHT = 4.0  # a word in the title counts this many times one in the text (SQLite)
# Matches ranked per search: the newest this many. Ranking every match of a word that
# every item holds took 0.7-1.6 s at 200,000 items (SQLite); ranking the newest 5,000
# takes ~25 ms, and in a news store the newest matches are the ones looked for.
CANDIDATES = 5000
_WORD = re.compile(r"\w+", re.UNICODE)


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """For schema comparisons (alembic): leave out the search index's objects."""
    return not (reflected and compare_to is None and name in IN_MIGRATIONS_ONLY)


def fts5_query(words: str) -> str | None:
    """The user's words as an FTS5 query: each word quoted (no operators can be
    injected), all required. None when there is no word to look for."""
    tokens = _WORD.findall(words)
    return " ".join(f'"{token}"' for token in tokens) if tokens else None


def matches(engine_or_dialect: Engine | str, words: str, *, ranked: bool = True
            ) -> Subquery | None:
    """(item_id, rank) of the newest CANDIDATES items matching ``words``, higher rank =
    better match; None when ``words`` holds nothing to search for. ``ranked=False``
    gives item_id alone, for a caller that only filters by the matches (events holding
    one): ranking is most of a search's cost (SQLite's bm25 reads every match of each
    word to weigh it, 6-7 ms for a word in all of 200,000 items; listing the newest
    5,000 matches takes about 1 ms)."""
    dialect = engine_or_dialect if isinstance(engine_or_dialect, str) \
        else engine_or_dialect.dialect.name
    if dialect == "sqlite":
        query = fts5_query(words)
        if query is None:
            return None
        rank = ", -bm25(item_fts, :title_weight, 1.0) AS rank" if ranked else ""
        statement = text(f"SELECT rowid AS item_id{rank} "
                         "FROM item_fts WHERE item_fts MATCH :query "
                         "ORDER BY rowid DESC LIMIT :candidates").bindparams(
            query=query, candidates=CANDIDATES)
        if ranked:
            statement = statement.bindparams(title_weight=TITLE_WEIGHT)
    else:
        if not _WORD.search(words):
            return None
        # ranked in the same SELECT: a join back to item for the vector was planned as a
        # sequential scan of the whole table
        rank = (", CAST(ts_rank_cd(search, websearch_to_tsquery('english', :query)) "
                "AS float8) AS rank") if ranked else ""
        statement = text(
            f"SELECT id AS item_id{rank} FROM item "
            "WHERE search @@ websearch_to_tsquery('english', :query) "
            "ORDER BY id DESC LIMIT :candidates").bindparams(query=words, candidates=CANDIDATES)
    if ranked:
        return statement.columns(item_id=Integer, rank=Float).subquery("matches")
    return statement.columns(item_id=Integer).subquery("matches")
