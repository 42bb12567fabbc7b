"""Full-text search: ranked, stemmed, in step with revisions, safe with any input; and the
fields feeds give (authors, categories, enclosures, language) out through the API."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from service import db
from service.search import fts5_tokens, title_queries
from service.entries import Enclosure, Value, build_entry
from service.models import Event, Item
from service.store.analysis import Assigned, NewEvents, assign, unclustered
from service.store.feeds import get_or_create_outlet
from service.store.items import store_entries
from service.store.queries import EventFilter, ItemFilter, list_events, list_items, search_items
from tests.test_api import client
from tests.test_cli_foundation import tollwatch

NOW = datetime(2016, 5, 23, 12, 0, tzinfo=timezone.utc)


def _entry(guid: str, title: str, text: str, **fields):  # type: ignore[no-untyped-def]
    return build_entry(guid=guid, url=f"https://news.example/{guid}", title=Value(title, False),
                       summary=Value(text, False), content=Value("", False), published=NOW,
                       updated=None, **fields)


def _store(engine: Engine, *entries) -> None:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        outlet = get_or_create_outlet(session, "Coast")
        store_entries(session, outlet.id, None, list(entries), NOW)  # type: ignore[arg-type]


def _found(engine: Engine, words: str) -> list[str]:
    with Session(engine) as session:
        return [item.guid for item, _, _ in search_items(session, ItemFilter(query=words), 50)]


def _events(engine: Engine, words: str, sort: str = "recent",
            **filters) -> list[str]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return [event.title for event in list_events(
            session, EventFilter(query=words, **filters), sort, 50)]  # type: ignore[arg-type]


STORIES = (
    _entry("a", "Blasts kill dozens in Jableh", "Bombs hit the bus station."),
    _entry("b", "Markets reopen", "Traders in Jableh said blasts were heard a day earlier."),
    _entry("c", "Weather", "Sunny on the coast."),
)


def test_search_ranks_title_matches_first_and_stems(engine: Engine) -> None:
    _store(engine, *STORIES)
    assert _found(engine, "jableh blasts") == ["a", "b"]
    assert _found(engine, "blast") == ["a", "b"]  # stemmed: "blasts" is found by "blast"
    assert _found(engine, "killed")[:1] == ["a"]  # "kill" and "killed" share a stem
    assert _found(engine, "jableh weather") == []  # every word must be there


@pytest.mark.parametrize("words", ['"', "a OR", "NEAR(x y)", "title:*", "-", "((", "' ;--",
                                   "\x00", "ج", "", "   ", "_", "blast _"])
def test_any_input_is_words_never_syntax(engine: Engine, words: str) -> None:
    _store(engine, *STORIES)
    assert isinstance(_found(engine, words), list)
    assert isinstance(_events(engine, words), list)


def test_search_follows_revisions(engine: Engine) -> None:
    _store(engine, _entry("r", "Toll rises", "At least 48 killed in Tartus."))
    assert _found(engine, "Tartus") == ["r"]
    _store(engine, _entry("r", "Toll rises", "At least 101 killed in Jableh and Tartus."))
    assert _found(engine, "101") == ["r"]
    _store(engine, _entry("r", "Toll rises", "At least 148 killed in Jableh."))
    assert _found(engine, "Tartus") == [] and _found(engine, "148") == ["r"]


def test_each_words_title_query_keeps_the_others_required() -> None:
    tokens = fts5_tokens('jableh "blasts" OR')
    assert tokens == ['"jableh"', '"blasts"', '"OR"']  # quoted: OR is a word, not syntax
    assert title_queries(tokens[:2]) == ['{title} : "jableh" AND ("blasts")',
                                         '{title} : "blasts" AND ("jableh")']
    assert title_queries(['"blast"']) == ['{title} : "blast"']


# a word every item holds: in most items, so no weight of its own to rank by
COMMON = (
    _entry("old", "Blast at the port", "Windows broke on the quay."),
    *(_entry(f"n{n}", f"Market day {n}", f"A blast was heard in town {n}.") for n in range(5)),
)


def test_a_common_word_ranks_title_matches_first_then_newest(engine: Engine) -> None:
    _store(engine, *COMMON)
    assert _found(engine, "blast") == ["old", "n4", "n3", "n2", "n1", "n0"]
    assert _found(engine, "blasts heard") == ["n4", "n3", "n2", "n1", "n0"]


def test_a_common_word_follows_revisions(engine: Engine) -> None:
    _store(engine, *COMMON)
    _store(engine, _entry("n1", "Second blast in town 1", "A blast was heard in town 1."))
    assert _found(engine, "blast")[:2] == ["n1", "old"]  # both in the title: newest first
    _store(engine, _entry("old", "Port reopens", "Windows broke on the quay after a blast."))
    # out of the title, among the text's matches: the item first seen longest ago
    assert _found(engine, "blast") == ["n1", "n4", "n3", "n2", "n0", "old"]


def test_common_word_search_pages_hold_every_match_once(engine: Engine) -> None:
    _store(engine, *COMMON)
    api, seen, cursor, ranks = client(engine), [], None, []
    while True:
        page = api.get("/api/items", params={"q": "blast", "limit": 2,
                                             **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        ranks += [item["rank"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(set(seen)) and len(seen) == len(COMMON)
    assert ranks == sorted(ranks, reverse=True)


def test_a_rare_word_decides_beside_a_common_one(sqlite_engine: Engine) -> None:
    """SQLite weighs each word by how few items hold it (bm25's idf); PostgreSQL's
    ts_rank_cd does not, so this holds on SQLite only."""
    _store(sqlite_engine, *COMMON,
           _entry("j1", "Jableh market", "A blast was heard."),
           _entry("j2", "Blast at the station", "Heard in Jableh."))
    assert _found(sqlite_engine, "blast jableh") == ["j1", "j2"]  # the rare word's title
    assert _found(sqlite_engine, "jableh") == ["j1", "j2"]


def test_item_list_and_events_filter_by_search(engine: Engine) -> None:
    _store(engine, *STORIES)
    with db.session_scope(engine) as session:
        event = Event(title="Coastal attacks", keywords="coast attack", item_count=1,
                      outlet_count=1)
        session.add(event)
        session.flush()
        session.execute(update(Item).where(Item.guid == "b").values(event_id=event.id))
    with Session(engine) as session:
        listed = [i.guid for i, _ in list_items(session, ItemFilter(query="jableh"), 10)]
        assert sorted(listed) == ["a", "b"]  # list_items keeps its newest-first order
        found = list_events(session, EventFilter(query="traders"), "recent", 10)
        assert [e.title for e in found] == ["Coastal attacks"]  # by its item's text
        assert list_events(session, EventFilter(query="weather"), "recent", 10) == []


def test_api_searches_ranked_pages_and_shows_the_fields(engine: Engine) -> None:
    extra = dict(authors=("Field reporter",), categories=("Syria",), language="en",
                 enclosures=(Enclosure("https://news.example/a.jpg", "image/jpeg", 1200),))
    # the newest, and the only one with the word in its title and its text: the best
    # match whether the word is weighed (bm25) or, in most items, ranked by where it is
    _store(engine, *STORIES, _entry("x", "Jableh blasts", "Bombs in Jableh.", **extra))
    api = client(engine)
    first = api.get("/api/items", params={"q": "Jableh", "limit": 2}).json()
    second = api.get("/api/items", params={"q": "Jableh", "limit": 2,
                                           "cursor": first["next_cursor"]}).json()
    pages = first["items"] + second["items"]
    assert len(pages) == 3 and second["next_cursor"] is None
    ranks = [item["rank"] for item in pages]
    assert ranks == sorted(ranks, reverse=True)
    top = pages[0]
    assert top["title"] == "Jableh blasts" and top["authors"] == ["Field reporter"]
    assert top["categories"] == ["Syria"] and top["language"] == "en"
    assert top["enclosures"] == [{"url": "https://news.example/a.jpg", "type": "image/jpeg",
                                  "length": 1200}]
    assert top["summary"] == "<p>Bombs in Jableh.</p>"


def test_cli_search(sqlite_engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _store(sqlite_engine, *STORIES)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    found = tollwatch("items", "search", "Jableh blasts", cwd=tmp_path,
                      env={"TOLLWATCH_DATABASE_URL": url})
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert len(lines) == 2 and "Blasts kill dozens in Jableh" in lines[0]
    assert "<https://news.example/a>" in lines[0] and "2 item(s)" in found.stderr


def _event(session: Session, title: str, keywords: str, outlets: int = 1,
           seen: datetime = NOW) -> int:
    event = Event(title=title, keywords=keywords, item_count=outlets, outlet_count=outlets,
                  first_seen_at=seen, last_seen_at=seen)
    session.add(event)
    session.flush()
    return event.id  # type: ignore[return-value]


def test_events_are_found_by_the_words_of_their_title_and_keywords(engine: Engine) -> None:
    _store(engine, *STORIES)
    with db.session_scope(engine) as session:
        _event(session, "Blasts at the harbour", "port bomb", outlets=3)
        _event(session, "Market fire", "fire market", seen=NOW.replace(hour=13))
    assert _events(engine, "harbour blast") == ["Blasts at the harbour"]  # stemmed, each word
    assert _events(engine, "bombings") == ["Blasts at the harbour"]  # a keyword, stemmed
    assert _events(engine, "harb") == []  # words, not parts of words
    assert _events(engine, "harbour fire") == []  # every word, in the same event
    assert _events(engine, "fire", min_outlets=2) == []  # and the other filters still hold
    assert _events(engine, "-") == []  # nothing to search for: nothing found


def test_events_found_by_title_or_by_items_follow_the_asked_order(engine: Engine) -> None:
    _store(engine, *STORIES)
    with db.session_scope(engine) as session:
        coast = _event(session, "Coastal attacks", "coast attack", outlets=1,
                       seen=NOW.replace(hour=14))
        _event(session, "Jableh bombings", "bomb jableh", outlets=4)
        session.execute(update(Item).where(col(Item.guid) == "b").values(event_id=coast))
    # one by its title, one by its item's text ("Traders in Jableh ...")
    assert _events(engine, "jableh") == ["Coastal attacks", "Jableh bombings"]  # last seen first
    assert _events(engine, "jableh", "size") == ["Jableh bombings", "Coastal attacks"]
    api, seen, cursor = client(engine), [], None
    while True:
        page = api.get("/api/events", params={"q": "jableh", "limit": 1,
                                              **({"cursor": cursor} if cursor else {})}).json()
        seen += [event["title"] for event in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == ["Coastal attacks", "Jableh bombings"]


def test_event_search_follows_the_events_new_keywords(engine: Engine) -> None:
    _store(engine, *STORIES)
    with db.session_scope(engine) as session:
        pending = unclustered(session, 10)
        events = NewEvents(session)
        event = events.new("Coast news", NOW)
        events.write(session)
        assign(session, [Assigned(pending[0], event)], {event: ["harbour", "bomb"]})
    assert _events(engine, "harbour") == ["Coast news"]
    with db.session_scope(engine) as session:  # the same words again: still found
        assign(session, [Assigned(pending[1], event)], {event: ["harbour", "bomb"]})
    assert _events(engine, "bombed") == ["Coast news"]
    with db.session_scope(engine) as session:
        assign(session, [Assigned(pending[2], event)], {event: ["quay", "storm"]})
    assert _events(engine, "harbour") == [] and _events(engine, "storms") == ["Coast news"]
    assert _events(engine, "news") == ["Coast news"]  # the title, kept
