"""/docs and /redoc work without a network: Swagger UI and ReDoc come from the server,
not a CDN. Headless Chromium, with every name but 127.0.0.1 unresolvable, opens them and
the operations are listed once their JavaScript has run."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from service import db
from service.api.app import create_app
from service.config import load_settings
from tests.serving import serving
from tests.test_pages import chromium

OFFLINE = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'docs.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with serving(create_app(load_settings(database_url=url), engine)) as site:
        yield site
    engine.dispose()


def rendered(url: str) -> str:
    """The page's DOM after its scripts ran, in a browser that can reach only loopback."""
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", f"--host-resolver-rules={OFFLINE}",
         "--virtual-time-budget=20000", "--dump-dom", url],
        check=True, capture_output=True, text=True, timeout=180)
    return result.stdout


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_nothing_from_elsewhere(server: str, page: str) -> None:
    html = httpx.get(server + page).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        if source.startswith("/static-offline-docs/"):
            assert httpx.get(server + source).status_code == 200, source


def test_swagger_ui_lists_the_operations_offline(server: str) -> None:
    dom = rendered(server + "/docs")
    paths = set(re.findall(r'data-path="([^"]+)"', dom))
    assert {"/api/events", "/api/events/{event_id}/casualties", "/api/feeds"} <= paths, dom[:500]


def test_redoc_lists_the_operations_offline(server: str) -> None:
    dom = rendered(server + "/redoc")
    assert "/api/events/{event_id}/casualties" in dom and "Failed to load" not in dom, dom[:500]
