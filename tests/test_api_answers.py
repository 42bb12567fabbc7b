"""Computed answers (an event's timeline as JSON and CSV, its chart) are kept and
revalidated by ETag, and what analysis adds shows at once in every API process."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from service import db
from service.analyze import Analyzer
from service.api.answers import Answers
from service.entries import Value, build_entry
from service.models import Event
from service.store.feeds import get_or_create_outlet
from service.store.items import store_entries
from service.store.queries import analysis_version
from tests.test_api import client

NOW = datetime(2016, 5, 23, 12, 0, tzinfo=timezone.utc)
ANSWERS = ("/casualties", "/casualties?format=csv", "/casualties.svg",
           "/casualties.png?layout=narrow")


def report(engine: Engine, guid: str, outlet: str, text: str, hour: int) -> None:
    """An item (or a new version of it) stored and analysed, as the worker does."""
    seen = NOW.replace(hour=hour)
    entry = build_entry(guid=guid, url=f"https://news.example/{guid}",
                        title=Value("Blasts in Jableh", False), summary=Value(text, False),
                        content=Value("", False), published=seen, updated=None)
    with db.session_scope(engine) as session:
        owner = get_or_create_outlet(session, outlet)
        store_entries(session, owner.id, None, [entry], seen)  # type: ignore[arg-type]
    Analyzer(engine, clock=lambda: seen).run()  # its own time: no event is dormant yet


def _event_id(engine: Engine) -> int:
    with Session(engine) as session:
        [event] = session.exec(select(Event)).all()
        return event.id  # type: ignore[return-value]


def _latest(api: TestClient, event_id: int) -> dict[str, int]:
    series = api.get(f"/api/events/{event_id}/casualties").json()["series"]
    return {s["outlet"]: s["latest"]["count"] for s in series if s["kind"] == "killed"}


@pytest.fixture
def reported(engine: Engine) -> int:
    report(engine, "sana-1", "SANA", "Two blasts in Jableh killed 20 people.", hour=9)
    return _event_id(engine)


def test_an_answer_carries_an_etag_and_a_repeat_with_it_is_a_304(
        engine: Engine, reported: int) -> None:
    api = client(engine)
    for path in ANSWERS:
        url = f"/api/events/{reported}{path}"
        first = api.get(url)
        assert first.status_code == 200 and first.content
        tag = first.headers["etag"]
        assert tag.startswith('"') and first.headers["cache-control"] == "no-cache"
        again = api.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        listed = api.get(url, headers={"If-None-Match": f'"other", W/{tag}'})
        assert listed.status_code == 304
        assert api.get(url, headers={"If-None-Match": '"other"'}).content == first.content
        assert api.head(url, headers={"If-None-Match": tag}).status_code == 304
    # each variant has its own tag: a client's JSON tag never validates the CSV
    tags = {api.get(f"/api/events/{reported}{path}").headers["etag"] for path in ANSWERS}
    assert len(tags) == len(ANSWERS)


def test_a_new_figure_shows_at_once_in_every_api_process(engine: Engine, reported: int) -> None:
    # two apps over one database stand for two API processes, each with its own store
    one, two = client(engine), client(engine)
    assert _latest(one, reported) == _latest(two, reported) == {"SANA": 20}
    before = {path: one.get(f"/api/events/{reported}{path}") for path in ANSWERS}
    report(engine, "sana-1", "SANA", "Two blasts in Jableh killed 78 people.", hour=11)
    assert _event_id(engine) == reported  # an edit keeps its item's event
    assert _latest(one, reported) == _latest(two, reported) == {"SANA": 78}
    for path, old in before.items():
        url = f"/api/events/{reported}{path}"
        now = one.get(url, headers={"If-None-Match": old.headers["etag"]})
        assert now.status_code == 200 and now.headers["etag"] != old.headers["etag"]
        assert now.content != old.content
    csv = two.get(f"/api/events/{reported}/casualties?format=csv").text
    assert ",20," in csv and ",78," in csv  # the history, and the new figure


def _version(engine: Engine) -> int | None:
    with engine.connect() as connection:
        return analysis_version(connection)


def test_an_item_joining_the_event_shows_at_once_in_every_api_process(
        engine: Engine, reported: int) -> None:
    one, two = client(engine), client(engine)
    assert _latest(one, reported) == _latest(two, reported) == {"SANA": 20}
    before = _version(engine)
    report(engine, "afp-1", "AFP", "Two blasts in Jableh killed 22 people.", hour=10)
    assert _event_id(engine) == reported  # the new item joined the event
    assert before is not None and _version(engine) == before + 2  # its figures, its event
    assert _latest(one, reported) == _latest(two, reported) == {"SANA": 20, "AFP": 22}


def test_analysis_without_a_change_to_figures_leaves_the_version(
        engine: Engine, reported: int) -> None:
    before = _version(engine)
    report(engine, "sana-2", "SANA", "Two blasts in Jableh: the city mourns.", hour=10)
    assert _event_id(engine) == reported
    assert _version(engine) == before + 1  # its item joined the event; it had no figure


def test_a_kept_answer_costs_one_statement(engine: Engine, reported: int) -> None:
    api = client(engine)
    url = f"/api/events/{reported}/casualties"
    first = api.get(url)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        again = api.get(url)
        revalidated = api.get(url, headers={"If-None-Match": first.headers["etag"]})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again.content == first.content and revalidated.status_code == 304
    # the analysis version's read alone: no aggregate over the event's figures
    assert len(statements) == 2 and all("analysisversion" in s for s in statements)


def test_answers_to_a_keyed_reader_are_private(engine: Engine, reported: int) -> None:
    api = client(engine, api_key="k" * 32, api_read_requires_key=True)
    answer = api.get(f"/api/events/{reported}/casualties", headers={"X-API-Key": "k" * 32})
    assert answer.headers["cache-control"] == "private, no-cache"


def test_the_store_keeps_within_its_bytes_and_drops_the_least_recently_used() -> None:
    held = Answers(max_bytes=10)
    held.put("a", "t1", b"aaaa")
    held.put("b", "t1", b"bbbb")
    assert held.get("a", "t1") == b"aaaa"  # now the most recently used
    held.put("c", "t1", b"cccc")  # 12 bytes: "b" goes
    assert held.get("b", "t1") is None and held.get("a", "t1") == b"aaaa"
    assert held.get("a", "t2") is None  # kept for another state of the figures
    held.put("a", "t2", b"a2")
    assert held.get("a", "t1") is None and held.get("a", "t2") == b"a2"
    held.put("big", "t1", b"x" * 11)  # larger than the whole store: not kept
    assert held.get("big", "t1") is None and held.get("c", "t1") == b"cccc"
