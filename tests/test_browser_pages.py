"""Pages for a person in a browser: an item's versions and what changed, the feeds'
health, the front page's warning about failing feeds, and an HTML 404 (the API keeps
problem+json)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from service.api.app import create_app
from service.config import load_settings
from service.models import Feed, Item
from service.web.edits import figure_label
from tests.serving import serving

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def site(demo_copy: Engine) -> Iterator[str]:
    with serving(create_app(load_settings(database_url=str(demo_copy.url)), demo_copy)) as url:
        yield url


def _edited_item(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(Item.id).where(col(Item.revision_count) > 1)
                            .order_by(col(Item.id))).first()  # type: ignore[return-value]


def test_unknown_event_is_an_html_page_for_a_browser_and_problem_json_for_the_api(
        site: str) -> None:
    page = httpx.get(f"{site}/events/999999", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and "999999" in page.text
    assert httpx.get(f"{site}/nowhere", headers=BROWSER).headers["content-type"].startswith(
        "text/html")
    api = httpx.get(f"{site}/api/events/999999", headers=BROWSER)
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    plain = httpx.get(f"{site}/events/999999")  # a script asking for anything
    assert plain.headers["content-type"] == "application/problem+json"


def test_item_page_shows_every_version_its_figures_and_what_changed(
        site: str, demo_copy: Engine) -> None:
    item_id = _edited_item(demo_copy)
    revisions = httpx.get(f"{site}/api/items/{item_id}/revisions").json()["revisions"]
    html = httpx.get(f"{site}/items/{item_id}", headers=BROWSER).text
    assert len(revisions) > 1
    for revision in revisions:
        assert f"Version {revision['number']} " in html
        for f in revision["figures"]:
            assert figure_label(f["kind"], f["count"], f["count_max"], f["qualifier"],
                                f["source"], vague=f["vague"], words=f["words"],
                                hedged=f["hedged"], partial=f["partial"]) in html
        assert f"from the {'article page' if revision['source'] == 'article' else 'feed'}" in html
    assert f"Changed from version {len(revisions) - 1}:" in html
    assert "<script" not in html


def test_event_page_links_each_item_to_its_page(site: str, demo_copy: Engine) -> None:
    events = httpx.get(f"{site}/api/events", params={"sort": "size", "limit": 1}).json()
    html = httpx.get(f"{site}/events/{events['items'][0]['id']}").text
    assert re.search(r'href="/items/\d+">', html)  # each headline leads to its item page
    assert "/api/items/" not in html


def test_front_page_says_when_feeds_are_failing(site: str, demo_copy: Engine) -> None:
    assert "failing" not in httpx.get(site + "/").text
    with Session(demo_copy) as session:
        total = session.exec(select(func.count()).select_from(Feed)).one()
        session.exec(update(Feed).where(col(Feed.id) <= 3)  # type: ignore[call-overload]
                     .values(error_count=2, last_error="connection refused",
                             last_outcome="error"))
        session.commit()
    assert "3 feeds failing — see <a href=\"/feeds\">/feeds</a>" in httpx.get(site + "/").text
    feeds = httpx.get(site + "/feeds").text
    assert f"{total} feeds, <strong>3 failing</strong>" in feeds
    assert feeds.count("connection refused") == 3
    rows = re.findall(r'<tr( class="warn")?>\n<td>', feeds)
    assert len(rows) == total and rows[:3] == [' class="warn"'] * 3  # the failing first
    assert set(rows[3:]) == {""}


def test_a_page_address_with_an_impossible_id_is_the_404_page_for_a_browser(site: str) -> None:
    """/items/abc or /events/0 names no page: a browser gets the HTML 404 as for an id
    that does not exist; a script, and the API, keep their 422 problem document."""
    for path in ("/items/abc", "/events/0", "/events/1e3"):
        page = httpx.get(f"{site}{path}", headers=BROWSER)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in page.text
        assert httpx.get(f"{site}{path}").status_code == 422
    api = httpx.get(f"{site}/api/items/abc/revisions", headers=BROWSER)
    assert api.status_code == 422 and api.headers["content-type"] == "application/problem+json"
