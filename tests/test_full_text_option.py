"""The per-feed full_text option, wherever a feed is described: the sources file, OPML,
`feeds add --full-text`, the API (POST and PATCH)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from service import db
from service.api.app import create_app
from service.config import DEFAULT_SOURCES, load_settings
from service.errors import SourcesError
from service.sources import FeedListing, read_opml, read_sources, write_opml
from service.store import feeds as store
from tests.test_cli_foundation import tollwatch


def test_the_shipped_sources_file_reads_headline_only_outlets_when_short() -> None:
    specs = {spec.name: spec for spec in read_sources(DEFAULT_SOURCES)}
    for name in ("BBC News", "CBS News", "Yahoo News", "Al Jazeera"):
        assert set(specs[name].full_text.values()) == {"when_short"}
        assert set(specs[name].full_text) == set(specs[name].feeds)
    assert specs["SANA"].full_text == {}  # its feed carries the whole story


def test_a_sources_file_with_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[outlet]]\nname = "X"\nfeeds = ["https://x.org/rss"]\nfull_text = "yes"\n')
    with pytest.raises(SourcesError, match="always, when_short, never"):
        read_sources(path)


def test_opml_carries_the_mode_both_ways() -> None:
    document = write_opml([FeedListing("BBC", "https://bbc.example/rss", full_text="always"),
                           FeedListing("BBC", "https://bbc.example/other")])
    assert document.count(b'fullText="always"') == 1
    (spec,) = read_opml(document)
    assert spec.full_text == {"https://bbc.example/rss": "always"}
    with pytest.raises(SourcesError, match="fullText"):
        read_opml(document.replace(b'"always"', b'"sometimes"'))


def test_sync_sets_the_mode_of_new_feeds(engine: Engine) -> None:
    with db.session_scope(engine) as session:
        store.sync_sources(session, read_sources(DEFAULT_SOURCES))
        modes = {row.outlet: row.full_text for row in store.feed_statuses(session)}
    assert modes["BBC News"] == "when_short" and modes["SANA"] == "never"


def test_api_post_and_patch_set_the_mode(engine: Engine) -> None:
    api = TestClient(create_app(load_settings(database_url=str(engine.url), api_key="k"), engine))
    key = {"X-API-Key": "k"}
    made = api.post("/api/feeds", json={"url": "https://a.example/rss", "outlet": "A",
                                        "full_text": "when_short"}, headers=key)
    assert made.status_code == 201 and made.json()["full_text"] == "when_short"
    feed_id = made.json()["id"]
    patched = api.patch(f"/api/feeds/{feed_id}", json={"full_text": "always"}, headers=key)
    assert patched.status_code == 200 and patched.json()["full_text"] == "always"
    untouched = api.patch(f"/api/feeds/{feed_id}", json={"enabled": False}, headers=key)
    assert untouched.json()["full_text"] == "always"
    assert api.patch(f"/api/feeds/{feed_id}", json={"full_text": "maybe"},
                     headers=key).status_code == 422


def test_feeds_add_full_text(tmp_path: Path) -> None:
    added = tollwatch("feeds", "add", "https://b.example/rss", "--full-text", "always",
                      cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    exported = tollwatch("feeds", "export-opml", cwd=tmp_path).stdout
    assert 'fullText="always"' in exported
    wrong = tollwatch("feeds", "add", "https://c.example/rss", "--full-text", "often",
                      cwd=tmp_path)
    assert wrong.returncode == 1 and "always, when_short, never" in wrong.stderr
