"""The API against hostile clients: nothing read before the key is checked, bodies
bounded, every bad parameter a 422 (on SQLite and PostgreSQL), credentials never shown,
pages and documents behind the read key when it is on, HEAD answered, and concurrent
writers that race for one new outlet all served."""

from __future__ import annotations

import asyncio
import base64
import json
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from service.api.app import create_app
from service.config import load_settings

KEY = "k" * 24


def app_for(engine: Engine, **settings: object):  # type: ignore[no-untyped-def]
    return create_app(load_settings(database_url=str(engine.url.render_as_string(
        hide_password=False)), **settings), engine)


def client(engine: Engine, **settings: object) -> TestClient:
    return TestClient(app_for(engine, **settings))


@pytest.fixture(scope="module")
def locked(demo_engine: Engine) -> TestClient:
    return client(demo_engine, api_key=KEY, api_read_requires_key=True)


def _event_id(api: TestClient) -> int:
    return api.get("/api/events", params={"limit": 1},
                   headers={"X-API-Key": KEY}).json()["items"][0]["id"]


def test_the_read_key_covers_pages_metrics_and_documents(locked: TestClient) -> None:
    event = _event_id(locked)
    for path in ("/", f"/events/{event}", "/metrics", "/docs", "/openapi.json",
                 "/api/events", f"/api/events/{event}", "/api/feeds", "/no-such-page"):
        refused = locked.get(path)
        assert refused.status_code == 401, path
        assert refused.headers["content-type"] == "application/problem+json"
        assert locked.get(path, headers={"X-API-Key": KEY}).status_code in (200, 404), path
        assert locked.get(path, headers={"X-API-Key": KEY + "x"}).status_code == 401, path
    assert locked.get("/health").status_code == 200  # a probe carries no key


def _asgi(app, method: str, path: str, headers: list[tuple[bytes, bytes]],  # type: ignore[no-untyped-def]
          chunks: list[bytes]) -> tuple[int, int, bytes]:
    """Call the app directly: (status, body chunks the app asked for, response body)."""
    asked = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        if asked <= len(chunks):
            return {"type": "http.request", "body": chunks[asked - 1],
                    "more_body": asked < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], asked, body


def test_a_huge_body_without_the_key_is_refused_unread(demo_copy: Engine) -> None:
    app = app_for(demo_copy, api_key=KEY)
    huge = [b"x" * 1_000_000] * 400  # 400 MB, were it read
    status, asked, _ = _asgi(app, "POST", "/api/feeds", [
        (b"content-type", b"application/json"), (b"content-length", b"400000000")], huge)
    assert (status, asked) == (401, 0)
    status, asked, _ = _asgi(app, "POST", "/api/feeds",  # chunked: no length declared
                             [(b"content-type", b"application/json")], huge)
    assert (status, asked) == (401, 0)


def test_a_body_over_the_limit_is_cut_off_even_with_the_key(demo_copy: Engine) -> None:
    app = app_for(demo_copy, api_key=KEY, api_max_body_bytes=10_000)
    key = (b"x-api-key", KEY.encode())
    status, asked, _ = _asgi(app, "POST", "/api/feeds", [key, (b"content-length", b"20000")],
                             [b"{" * 20_000])
    assert (status, asked) == (413, 0)
    status, asked, _ = _asgi(app, "POST", "/api/feeds", [key], [b" " * 4096] * 100)
    assert status == 413 and asked <= 4  # stopped as soon as it passed the limit


def test_invalid_json_without_the_key_is_401_not_422(demo_copy: Engine) -> None:
    api = client(demo_copy, api_key=KEY)
    response = api.post("/api/feeds", content=b"{not json",
                        headers={"content-type": "application/json"})
    assert response.status_code == 401


def _cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


BAD_PARAMETERS = [
    ("/api/events", {"since": "9999-12-31T23:59:59-14:00"}),
    ("/api/events", {"until": "0001-01-01T00:00:00+14:00"}),
    ("/api/items", {"since": "9999-12-31T23:59:59-14:00"}),
    ("/api/events", {"cursor": _cursor([True, 1])}),
    ("/api/events", {"cursor": _cursor([{"t": "0001-01-01T00:00:00+05:00"}, 1])}),
    ("/api/events", {"cursor": _cursor([{"t": "0001-01-01T00:00:00"}, 1])}),
    ("/api/events", {"cursor": base64.urlsafe_b64encode(b"[" * 30_000).decode()}),
    ("/api/items", {"cursor": _cursor([True])}),
    ("/api/feeds", {"cursor": _cursor([False])}),
    ("/api/events", {"q": "\x00"}),
    ("/api/events", {"outlet": "\x00"}),
    ("/api/items", {"q": "a\x00b"}),
    ("/api/items", {"outlet": "\x00"}),
]


@pytest.mark.parametrize(("path", "params"), BAD_PARAMETERS)
def test_every_bad_parameter_is_a_422(engine: Engine, path: str, params: dict) -> None:
    response = client(engine).get(path, params=params)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("outlet", ["bad\x00name", "x" * 201, "\ud800"])
def test_a_bad_outlet_name_is_a_422(engine: Engine, outlet: str) -> None:
    api = client(engine, api_key=KEY)
    body = json.dumps({"url": "https://news.example/rss", "outlet": outlet}).encode()
    response = api.post("/api/feeds", content=body, headers={
        "X-API-Key": KEY, "content-type": "application/json"})
    assert response.status_code == 422, response.text


def test_feed_credentials_are_never_shown(demo_copy: Engine) -> None:
    api = client(demo_copy, api_key=KEY)
    created = api.post("/api/feeds", headers={"X-API-Key": KEY}, json={
        "url": "https://reader:s3cret-pw@news.example/private.rss", "outlet": "Private"})
    assert created.status_code == 201 and "s3cret-pw" not in created.text
    assert created.json()["url"] == "https://***@news.example/private.rss"
    listed = api.get("/api/feeds", params={"limit": 1000})
    assert "s3cret-pw" not in listed.text and "***@news.example" in listed.text


def test_head_is_answered_like_get_without_a_body(demo_engine: Engine) -> None:
    api = client(demo_engine)
    for path in ("/health", "/api/events", "/", "/metrics"):
        got, head = api.get(path), api.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


def test_concurrent_adds_with_one_new_outlet_all_succeed(engine: Engine) -> None:
    app = app_for(engine, api_key=KEY)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def add(i: int) -> None:
        with TestClient(app) as api:
            barrier.wait()
            statuses.append(api.post("/api/feeds", headers={"X-API-Key": KEY}, json={
                "url": f"https://news.example/{i}.rss", "outlet": "Brand New Outlet"}).status_code)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert statuses == [201] * 20
    outlets = TestClient(app).get("/api/outlets").json()
    assert [(o["name"], o["feeds"]) for o in outlets] == [("Brand New Outlet", 20)]


def test_the_same_url_added_concurrently_is_one_feed_and_409s(engine: Engine) -> None:
    app = app_for(engine, api_key=KEY)
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def add() -> None:
        with TestClient(app) as api:
            barrier.wait()
            statuses.append(api.post("/api/feeds", headers={"X-API-Key": KEY}, json={
                "url": "https://news.example/same.rss", "outlet": "Same"}).status_code)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(statuses) == [201] + [409] * 7


def test_a_merged_event_written_with_a_leading_zero_redirects_to_the_survivor(
        sqlite_engine: Engine, merged_pair: tuple[int, int]) -> None:
    ids = merged_pair
    api = client(sqlite_engine)
    response = api.get(f"/api/events/0{ids[1]}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/api/events/{ids[0]}"
    chart = api.get(f"/api/events/00{ids[1]}/casualties.svg", follow_redirects=False)
    assert chart.headers["location"] == f"/api/events/{ids[0]}/casualties.svg"
