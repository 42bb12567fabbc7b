"""The HTML pages, served by a real server and opened in headless Chromium.

The screenshots land in the test's temporary directory (or TOLLWATCH_SCREENSHOTS, when
set) for a person to look at; the test checks what a reader would: the figures, the
chart, the links, and that nothing from a feed can run script on the page.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from datetime import datetime
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from service.api.app import create_app
from service.config import load_settings

SCREENSHOT_SIZES = {"desktop": "1280,2000", "phone": "390,2400"}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return found


@pytest.fixture(scope="module")
def site(demo_engine: Engine) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings(database_url=str(demo_engine.url))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, demo_engine), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def screenshot(url: str, out: Path, size: str) -> Path:
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--window-size={size}", f"--screenshot={out}", url],
                   check=True, capture_output=True, timeout=120)
    return out


def shots_dir(tmp_path: Path) -> Path:
    target = Path(os.environ.get("TOLLWATCH_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_index_lists_events_with_their_figures(site: str, tmp_path: Path) -> None:
    html = httpx.get(site + "/").text
    assert "Jableh" in html and "killed" in html and "/events/" in html
    # a toll in its colour; an event no outlet gave one for (the demo's camp clearance,
    # its summit) muted, not in the toll's alarm red
    assert re.search(r'class="figure">\d+(–\d+)? killed<', html)
    assert '<span class="muted">no toll reported yet</span>' in html
    assert 'class="figure">no' not in html
    for name, size in SCREENSHOT_SIZES.items():
        png = screenshot(site + "/", shots_dir(tmp_path) / f"index-{name}.png", size)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_event_page_shows_chart_table_and_items(site: str, tmp_path: Path) -> None:
    events = httpx.get(site + "/api/events", params={"sort": "size", "limit": 1}).json()
    event_id = events["items"][0]["id"]
    html = httpx.get(f"{site}/events/{event_id}").text
    assert f"/api/events/{event_id}/casualties.svg" in html
    assert "AFP / SOHR" in html and "184" in html
    # the dispute that day, with who said each figure and when; not RT's stale 60
    assert re.search(r"<li>23 May: <b>78</b> \([^)]*state media[^)]*\) against <b>148</b>", html)
    assert "<b>more than 60" not in html
    # headlines in time order, each at the time of the version that said it, linked
    said = re.findall(r'<li><span class="muted">(\d\d \w{3} \d\d:\d\d)</span> '
                      r'<a href="/items/(\d+)">([^<]*)</a>', html)
    times = [datetime.strptime(t, "%d %b %H:%M") for t, _, _ in said]
    assert len(said) > 10 and times == sorted(times)
    assert ("23 May 17:00", "Death toll in Jableh and Tartus rises to 148") in [
        (t, title) for t, _, title in said]
    assert "<script" not in html  # no JavaScript, and nothing injected from feeds
    for name, size in SCREENSHOT_SIZES.items():
        png = screenshot(f"{site}/events/{event_id}", shots_dir(tmp_path) / f"event-{name}.png",
                         size)
        assert png.stat().st_size > 50_000  # the chart rendered, not an empty page


def test_the_seed_events_charts_read_cleanly_at_both_widths(site: str) -> None:
    """The charts the page shows (the wide one, and the phone's through <picture>), read
    back from their SVG: every text inside, none on another, a colour per top outlet."""
    from test_charts import _overlap, _size, texts

    events = httpx.get(site + "/api/events", params={"sort": "size", "limit": 1}).json()
    event_id = events["items"][0]["id"]
    html = httpx.get(f"{site}/events/{event_id}").text
    assert (f'<source media="(max-width: 600px)" srcset="/api/events/{event_id}/'
            f'casualties.svg?layout=narrow">') in html
    for layout in ("wide", "narrow"):
        svg = httpx.get(f"{site}/api/events/{event_id}/casualties.svg",
                        params={"layout": layout}).text
        width, height = _size(svg)
        boxes = texts(svg)
        assert all(0 <= b[0] and b[2] <= width and 0 <= b[1] and b[3] <= height for b in boxes)
        assert not [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if _overlap(a, b)]
        lines = re.findall(r'<g id="series-killed-\d+-0">\s*<path [^>]*stroke: (#[0-9a-f]+)', svg)
        named = {c for c in lines if c != "#9a9a9a"}
        assert len(lines) >= 12 and len(named) == 8  # the eight busiest outlets, the rest grey
        assert any(b[4].startswith("SOHR: 184") for b in boxes)
