"""Full-text search over items' titles and text, and events' titles and keywords, in the
database's own index.

SQLite: the FTS5 tables ``item_fts`` and ``event_fts`` (porter stemming, diacritics
folded), kept in step with ``item`` and ``event`` by triggers; items ranked by BM25 with
the title weighing more than the text (a word in most of the newest items is left out of
the weighing, as BM25 gives it no weight; when every word is, by how many the title holds,
then recency: ``_sqlite``). PostgreSQL: the generated ``search`` tsvectors (title weight
A, text or keywords B) with GIN indexes, matched with ``websearch_to_tsquery``, items
ranked by ``ts_rank_cd``. Both follow every revision, since a revision rewrites the item's
title and text, and every change of an event's title or keywords. The indexes live in the
migrations only (0003, 0007): the models cannot describe a virtual table or a generated
tsvector on both backends, so schema comparisons skip these names.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Float, Integer, Subquery, TextClause, text

IN_MIGRATIONS_ONLY = frozenset(
    {f"{table}_fts{part}" for table in ("item", "event")
     for part in ("", "_data", "_idx", "_docsize", "_config")}
    | {"search", "ix_item_search", "ix_event_search"})
TITLE_WEIGHT = 4.0  # a word in the title counts this many times one in the text (SQLite)
# Matches ranked per search: the newest this many. Ranking every match of a word that
# every item holds took 0.7-1.6 s at 200,000 items (SQLite); ranking the newest 5,000
# with bm25 took 7-9 ms, and in a news store the newest matches are the ones looked for.
CANDIDATES = 5000
# Where a search's words are judged common (SQLite): the newest this many items.
WINDOW = 2 * CANDIDATES
_WORD = re.compile(r"\w+", re.UNICODE)
_TSQUERY = "websearch_to_tsquery('english', :query)"


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """For schema comparisons (alembic): leave out the search index's objects."""
    return not (reflected and compare_to is None and name in IN_MIGRATIONS_ONLY)


def fts5_tokens(words: str) -> list[str]:
    """The user's words as FTS5 phrases, all required: each word quoted, so no operator
    can be injected."""
    return [f'"{token}"' for token in _WORD.findall(words)]


def title_queries(tokens: list[str]) -> list[str]:
    """For each word, an FTS5 query for the items holding every word and that one in
    the title: the column filter narrows a single phrase, the others stay required
    anywhere."""
    queries = []
    for n, token in enumerate(tokens):
        rest = tokens[:n] + tokens[n + 1:]
        queries.append(f"{{title}} : {token}" + (f" AND ({' '.join(rest)})" if rest else ""))
    return queries


def matches(connection: Connection, words: str, *, ranked: bool = True) -> Subquery | None:
    """(item_id, rank) of the newest CANDIDATES items matching ``words``, higher rank =
    better match; None when ``words`` holds nothing to search for. ``ranked=False``
    gives item_id alone, for a caller that only filters by the matches (events holding
    one): ranking is most of a search's cost."""
    if connection.dialect.name == "sqlite":
        statement = _sqlite(connection, words, ranked)
    else:
        statement = _postgresql(words, ranked)
    if statement is None:
        return None
    if ranked:
        return statement.columns(item_id=Integer, rank=Float).subquery("matches")
    return statement.columns(item_id=Integer).subquery("matches")


_NEWEST = "SELECT rowid AS item_id FROM item_fts WHERE item_fts MATCH :query " \
          "ORDER BY rowid DESC LIMIT :candidates"


def events(connection: Connection, words: str) -> Subquery | None:
    """(event_id) of the events whose title or keywords hold every one of ``words`` or
    that hold one of the newest CANDIDATES items matching them, in one statement; None
    when ``words`` holds nothing to search for. Unranked: events are listed in the
    order their caller asks for."""
    if connection.dialect.name == "sqlite":
        tokens = fts5_tokens(words)
        if not tokens:
            return None
        statement = text(
            "SELECT rowid AS event_id FROM event_fts WHERE event_fts MATCH :query UNION "
            f"SELECT item.event_id FROM item JOIN ({_NEWEST}) AS newest "
            "ON item.id = newest.item_id").bindparams(query=" ".join(tokens),
                                                     candidates=CANDIDATES)
    elif _WORD.search(words):
        # the items' events read in the scan that finds the items (a join back to item
        # for them looked each one up again)
        statement = text(
            f"SELECT id AS event_id FROM event WHERE search @@ {_TSQUERY} UNION "
            f"SELECT event_id FROM (SELECT event_id FROM item WHERE search @@ {_TSQUERY} "
            "ORDER BY id DESC LIMIT :candidates) AS newest").bindparams(
            query=words, candidates=CANDIDATES)
    else:
        return None
    return statement.columns(event_id=Integer).subquery("found")


def _sqlite(connection: Connection, words: str, ranked: bool) -> TextClause | None:
    """SQLite's bm25 reads every match of each word to weigh it (3 ms for a word in
    all of 200,000 items) and each ranked row's sizes and positions (~1.5 us a row),
    where listing the newest 5,000 matches of a word takes 1 ms. A word in at least half
    of the newest WINDOW items is one bm25 weighs at nothing there (its idf is clamped
    from half of the items on): it is left out of the ranking, which weighs the other
    words, among the newest matches of all of them. When every word is that common, the
    matches are ranked by how many of the words their title holds, then by recency (the
    title's weight, as bm25 would)."""
    tokens = fts5_tokens(words)
    if not tokens:
        return None
    query = " ".join(tokens)
    if not ranked:
        return text(_NEWEST).bindparams(query=query, candidates=CANDIDATES)
    common = _common(connection, tokens)
    if len(common) == len(set(tokens)):
        titled = title_queries(tokens)
        rank = " + ".join(
            f"(newest.item_id IN (SELECT rowid FROM item_fts WHERE item_fts MATCH :title{n} "
            "ORDER BY rowid DESC LIMIT :candidates))" for n in range(len(titled)))
        return text(f"SELECT item_id, CAST({rank} AS REAL) AS rank FROM ({_NEWEST}) AS newest"
                    ).bindparams(query=query, candidates=CANDIDATES,
                                 **{f"title{n}": q for n, q in enumerate(titled)})
    bm25 = "SELECT rowid AS item_id, -bm25(item_fts, :title_weight, 1.0) AS rank FROM item_fts "
    if not common:
        return text(bm25 + "WHERE item_fts MATCH :query ORDER BY rowid DESC LIMIT :candidates"
                    ).bindparams(query=query, candidates=CANDIDATES, title_weight=TITLE_WEIGHT)
    # "+rowid": a rowid IN (...) handed to FTS5 ran the whole query once per candidate
    return text(f"WITH newest AS ({_NEWEST}) {bm25}WHERE item_fts MATCH :weighed "
                "AND rowid >= (SELECT min(item_id) FROM newest) "
                "AND +rowid IN (SELECT item_id FROM newest)").bindparams(
        query=query, candidates=CANDIDATES, title_weight=TITLE_WEIGHT,
        weighed=" ".join(token for token in tokens if token not in common))


def _common(connection: Connection, tokens: list[str]) -> set[str]:
    """The words in at least half of the newest WINDOW items (bm25's idf,
    log((N - n + 0.5) / (n + 0.5)), is nothing from half of N on), in one statement:
    counting stops at half, so a word every item holds costs one pass over that many
    of its matches."""
    words = sorted(set(tokens))
    counts = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM item_fts WHERE item_fts MATCH :word{n} "
        "AND rowid > (SELECT newest - :window FROM store) LIMIT (SELECT half FROM store))) "
        f">= (SELECT half FROM store)" for n in range(len(words)))
    found = connection.execute(text(
        "WITH store AS (SELECT max(id) AS newest, (min(:window, max(id)) + 1) / 2 AS half "
        f"FROM item) SELECT {counts}"), {"window": WINDOW, **{f"word{n}": word for n, word
                                                             in enumerate(words)}}).one()
    return {word for word, common in zip(words, found) if common}


def _postgresql(words: str, ranked: bool) -> TextClause | None:
    if not _WORD.search(words):
        return None
    # ranked in the same SELECT: a join back to item for the vector was planned as a
    # sequential scan of the whole table
    rank = f", CAST(ts_rank_cd(search, {_TSQUERY}) AS float8) AS rank" if ranked else ""
    return text(f"SELECT id AS item_id{rank} FROM item WHERE search @@ {_TSQUERY} "
                "ORDER BY id DESC LIMIT :candidates").bindparams(query=words,
                                                                  candidates=CANDIDATES)
