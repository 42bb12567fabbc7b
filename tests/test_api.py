"""The REST API over a store the real pipeline filled (the seed event replayed)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from service import db
from service.api.app import create_app
from service.config import load_settings

SOHR = "Syrian Observatory for Human Rights"


def client(engine: Engine, **settings: object) -> TestClient:
    return TestClient(create_app(load_settings(database_url=str(engine.url), **settings), engine))


@pytest.fixture(scope="module")
def api(demo_engine: Engine) -> TestClient:
    return client(demo_engine)


def main_event(api: TestClient) -> dict:
    return api.get("/api/events", params={"sort": "size", "limit": 1}).json()["items"][0]


def test_event_list_pages_with_a_cursor_without_gaps_or_repeats(api: TestClient) -> None:
    everything = api.get("/api/events", params={"limit": 200}).json()["items"]
    seen, cursor = [], None
    while True:
        page = api.get("/api/events", params={"limit": 4, "cursor": cursor}).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["id"] for e in everything] and len(seen) == len(set(seen)) > 4
    times = [e["last_seen_at"] for e in everything]
    assert times == sorted(times, reverse=True)


def test_event_filters(api: TestClient) -> None:
    found = api.get("/api/events", params={"q": "jableh", "min_outlets": 5}).json()["items"]
    assert found and all("jableh" in (e["title"] + " ".join(e["keywords"])).lower()
                         for e in found)
    by_outlet = api.get("/api/events", params={"outlet": "SANA"}).json()["items"]
    assert main_event(api)["id"] in [e["id"] for e in by_outlet]
    assert api.get("/api/events", params={"outlet": "Nobody"}).json()["items"] == []


def test_event_detail_and_casualties(api: TestClient) -> None:
    event = main_event(api)
    detail = api.get(f"/api/events/{event['id']}").json()
    assert {"SANA", "AFP", SOHR} <= set(detail["outlet_names"])
    assert len(detail["latest_items"]) == event["items"]
    figures = api.get(f"/api/events/{event['id']}/casualties").json()
    series = {(s["outlet"], s["source"], s["kind"]): [p["count"] for p in s["points"]]
              for s in figures["series"]}
    # the Observatory's own figures, credited to itself in words, are one series of its own
    assert series[("AFP", SOHR, "killed")][0] == 46 and series[(SOHR, None, "killed")][-1] == 184
    assert (SOHR, SOHR, "killed") not in series
    status = {(s["outlet"], s["kind"]): s["status"] for s in figures["series"]}
    # as of the final count on 26 May, the other outlets' figures are days old
    assert status[(SOHR, "killed")] == "current" and status[("RT", "killed")] == "stale"
    assert figures["disagreement"]["killed"] is False
    assert figures["spread"]["killed"] == {"lowest": 184, "highest": 184}
    rt = next(s for s in figures["series"] if s["outlet"] == "RT" and s["kind"] == "killed")
    assert rt["latest"]["qualifier"] == "more than" and rt["latest"]["label"].startswith(
        "more than 60") and rt["behind_hours"] > 48


def test_casualties_as_csv(api: TestClient) -> None:
    event = main_event(api)
    response = api.get(f"/api/events/{event['id']}/casualties", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["outlet", "source", "observed_at", "kind", "count", "count_max",
                             "qualifier", "item_id", "vague", "words", "hedged", "partial",
                             "label"]
    # a vague figure says so, and does not pass for an exact one with no count
    vague = [r for r in rows if r["count"] == ""]
    assert vague and all(r["vague"] == "true" and r["qualifier"] == "" for r in vague)
    assert all(r["label"] for r in rows)
    assert {r["label"] for r in rows if r["outlet"] == "CBS News"} >= {"more than 80"}
    sohr = [int(r["count"]) for r in rows if r["outlet"] == SOHR and r["kind"] == "killed"]
    assert sohr[-1] == 184 and sohr == sorted(sohr)


def test_charts_are_images(api: TestClient) -> None:
    event = main_event(api)
    png = api.get(f"/api/events/{event['id']}/casualties.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = api.get(f"/api/events/{event['id']}/casualties.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"SOHR" in svg.content


def test_items_and_revisions(api: TestClient) -> None:
    sohr = api.get("/api/items", params={"outlet": SOHR, "q": "toll"}).json()["items"]
    first = next(i for i in sohr if "148" in i["title"])
    history = api.get(f"/api/items/{first['id']}/revisions").json()["revisions"]
    assert [r["number"] for r in history] == list(range(1, len(history) + 1))
    killed = [max(f["count"] for f in r["figures"] if f["kind"] == "killed" and f["count"])
              for r in history]
    assert killed[0] == 46 and killed[-1] == 148
    page = api.get("/api/items", params={"limit": 5}).json()
    rest = api.get("/api/items", params={"limit": 5, "cursor": page["next_cursor"]}).json()
    ids = [i["id"] for i in page["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 10


def test_errors_are_problem_documents(api: TestClient) -> None:
    for path, status in (("/api/events/999999", 404), ("/api/items/999999/revisions", 404),
                         ("/api/events?limit=0", 422), ("/api/events?cursor=%21%21", 422),
                         ("/api/events?since=yesterday", 422), ("/api/events/abc", 422)):
        response = api.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status and response.json()["detail"]


def test_merged_event_redirects_to_the_survivor(sqlite_engine: Engine,
                                               merged_pair: tuple[int, int]) -> None:
    ids = merged_pair
    api = client(sqlite_engine)
    response = api.get(f"/api/events/{ids[1]}/casualties?format=csv", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/api/events/{ids[0]}/casualties?format=csv"
    assert api.get(f"/api/events/{ids[1]}").json()["title"] == "kept"


def test_feed_writes_need_the_key_and_compare_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    db.upgrade(engine)
    body = {"url": "https://example.org/feed.xml", "outlet": "Example"}
    assert client(engine).post("/api/feeds", json=body).status_code == 403  # no key configured
    api = client(engine, api_key="s3cret")
    assert api.post("/api/feeds", json=body).status_code == 401
    assert api.post("/api/feeds", json=body, headers={"X-API-Key": "s3cres"}).status_code == 401
    key = {"X-API-Key": "s3cret"}
    created = api.post("/api/feeds", json=body, headers=key)
    assert created.status_code == 201 and created.json()["outlet"] == "Example"
    assert api.post("/api/feeds", json=body, headers=key).status_code == 409
    for variant in ("https://example.org/feed.xml#top", "https://example.org/feed.xml?"):
        # the same address: a fragment is never sent, an empty query asks for nothing
        assert api.post("/api/feeds", json={**body, "url": variant},
                        headers=key).status_code == 409, variant
    feed_id = created.json()["id"]
    changed = api.patch(f"/api/feeds/{feed_id}", json={"enabled": False}, headers=key).json()
    assert changed["enabled"] is False
    assert api.get("/api/feeds").json()["items"][0]["id"] == feed_id  # reads stay open
    assert api.delete(f"/api/feeds/{feed_id}", headers=key).status_code == 204
    assert api.delete(f"/api/feeds/{feed_id}", headers=key).status_code == 404
    assert api.get("/api/outlets").json()[0]["name"] == "Example"
    closed = client(engine, api_key="s3cret", api_read_requires_key=True)
    assert closed.get("/api/feeds").status_code == 401
    assert closed.get("/api/feeds", headers=key).status_code == 200


def test_metrics_show_store_totals(api: TestClient) -> None:
    text = api.get("/metrics").text
    items = next(line for line in text.splitlines() if line.startswith("tollwatch_items "))
    assert float(items.split()[1]) > 100
    assert "tollwatch_analysis_seconds_bucket" in text


def test_a_feed_write_with_a_field_the_api_does_not_take_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """PATCH {"url": ...} (a feed's URL is not writable) or a misspelt field is a 422 that
    names the field, not a 200 that silently left the feed as it was."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    db.upgrade(engine)
    api, key = client(engine, api_key="s3cret"), {"X-API-Key": "s3cret"}
    body = {"url": "https://example.org/feed.xml", "outlet": "Example"}
    refused = api.post("/api/feeds", json={**body, "fulltext": "always"}, headers=key)
    assert refused.status_code == 422 and "fulltext" in refused.json()["detail"]
    assert api.get("/api/feeds").json()["items"] == []
    feed = api.post("/api/feeds", json=body, headers=key).json()
    moved = api.patch(f"/api/feeds/{feed['id']}", json={"url": "https://example.org/other.xml"},
                      headers=key)
    assert moved.status_code == 422 and "url" in moved.json()["detail"]
    assert api.get("/api/feeds").json()["items"][0]["url"] == body["url"]
