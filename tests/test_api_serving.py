"""How the API serves: its socket, and several processes behind one port."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service import db
from service.api.listen import listen
from tests.test_api_answers import report
from tests.test_cli_errors import _free_port


def test_answers_on_kept_alive_connections_are_not_held_back() -> None:
    """Each connection the API accepts has TCP_NODELAY, which asyncio sets only on sockets
    that say they are TCP: without it every answer after the first on a connection
    waited for the client's delayed ACK (~40 ms)."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted = writer.get_extra_info("socket")
            seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(seen, 10)
            writer.close()
            return value

    assert asyncio.run(accepted_nodelay()) != 0


def _workers(pid: int) -> list[int]:
    """The serving processes ``pid`` started (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_several_worker_processes_serve_one_port_and_stop_together(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    report(engine, "sana-1", "SANA", "Two blasts in Jableh killed 20 people.", hour=9)
    port = _free_port()
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "service", "api", "--port", str(port),
                               "--workers", "2"], env=env, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        workers = _workers(server.pid)
        assert len(workers) == 2
        # a connection each: whichever process answers, the answer and its tag agree
        answers = [httpx.get(f"{base}/api/events/1/casualties") for _ in range(12)]
        assert {(a.status_code, a.headers["etag"], a.content) for a in answers} == {
            (200, answers[0].headers["etag"], answers[0].content)}
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists()
