"""`tollwatch demo` as a newcomer runs it: it says where its database is, its item links
lead to the item pages while it serves (the replayed outlets' server is gone by then),
and its temporary database is removed however it is stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.test_cli_errors import _free_port


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_demo_serves_item_pages_and_removes_its_database_when_stopped(
        tmp_path: Path, stop: signal.Signals) -> None:
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    demo = subprocess.Popen([sys.executable, "-m", "service", "demo", "--speed", "240",
                             "--port", str(port)], cwd=tmp_path, env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert demo.stderr is not None
        told = []
        deadline = time.monotonic() + 300
        while not (told and told[-1].startswith("serving on")):
            assert demo.poll() is None and time.monotonic() < deadline, told
            told.append(demo.stderr.readline().strip())
        [database] = [Path(line.rsplit(" into ", 1)[1]) for line in told
                      if line.startswith("replaying")]
        assert database.is_file() and f"the database is {database}" in told[-1]
        site = f"http://127.0.0.1:{port}"
        event = re.search(r"/events/(\d+)", told[-1]).group(1)  # type: ignore[union-attr]
        page = httpx.get(f"{site}/events/{event}").text  # each headline's link to its original
        links = re.findall(r'<a href="([^"]+)" rel="noopener noreferrer">original</a>', page)
        assert links and all(re.fullmatch(rf"{site}/items/\d+", link) for link in links)
        assert "Version 1" in httpx.get(links[0]).text
    finally:
        demo.send_signal(stop)
        demo.communicate(timeout=120)
    assert demo.returncode == 128 + stop
    assert not database.parent.exists()
