"""An entry its feed left untitled (RSS needs only a title or a description) is stored
untitled, as the feed said; the pages and the digest still give it something to click."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from service.api.app import create_app
from service.config import load_settings
from service.labels import UNTITLED, headline
from service.models import Event, Item, ItemRevision


def test_headline_falls_back_only_for_a_blank_title() -> None:
    assert headline("Blasts in Jableh") == "Blasts in Jableh"
    assert headline("  ") == headline("") == headline(None) == UNTITLED


def test_pages_show_an_untitled_item_and_event_with_a_visible_link(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        item = session.exec(select(Item).where(Item.event_id.is_not(None))).first()  # type: ignore[union-attr]
        assert item is not None and item.id is not None and item.event_id is not None
        item_id, event_id = item.id, item.event_id
        session.execute(update(Item).where(Item.id == item_id).values(title=""))
        session.execute(update(ItemRevision).where(ItemRevision.item_id == item_id).values(title=""))
        session.execute(update(Event).where(Event.id == event_id).values(title=""))
        session.commit()
    client = TestClient(create_app(load_settings(database_url=str(demo_copy.url)), demo_copy))
    for path in (f"/items/{item_id}", f"/events/{event_id}", "/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert UNTITLED in page.text, path
        assert not re.search(r"<a [^>]*>\s*</a>", page.text), path  # no empty link
        assert "<h1></h1>" not in page.text, path


def test_the_digest_names_an_untitled_event_and_item() -> None:
    from datetime import date, datetime, timezone

    from service.digest.compose import Digest, DigestEvent, Link, render_html, render_text, subject

    start = datetime(2016, 5, 23, tzinfo=timezone.utc)
    event = DigestEvent(id=7, title="", outlets=["SANA"], changes=[], disagreement=None,
                        items=[Link(title=" ", url="https://example.org/a", outlet="SANA")])
    digest = Digest(day=date(2016, 5, 23), start=start, end=start, public_url="http://x",
                    events=[event])
    assert subject(digest).endswith(UNTITLED)
    text, html = render_text(digest), render_html(digest)
    assert f"== {UNTITLED} ==" in text and f"* {UNTITLED} (SANA)" in text
    assert not re.search(r"<a [^>]*>\s*</a>", html) and html.count(UNTITLED) == 2
