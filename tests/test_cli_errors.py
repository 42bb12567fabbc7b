"""Mistakes a newcomer makes meet one clear line and a non-zero exit, not a traceback,
a silent success or a wait of minutes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.test_cli_foundation import tollwatch

README = Path(__file__).resolve().parents[1] / "README.md"


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    return line


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_busy_port_names_the_address_and_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _one_line(tollwatch("api", "--port", str(port), cwd=tmp_path))
    assert f"127.0.0.1:{port}" in line and "TOLLWATCH_API_PORT" in line


def test_a_second_worker_on_one_sqlite_file_refuses(tmp_path: Path) -> None:
    # a feed on loopback: the first start syncs nothing and the guard refuses the fetch,
    # so the running worker reaches no network
    assert tollwatch("feeds", "add", "http://127.0.0.1:9/feed.xml", cwd=tmp_path).returncode == 0
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    first = subprocess.Popen([sys.executable, "-m", "service", "worker"], cwd=tmp_path,
                             env=environment, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stderr is not None
        deadline = time.monotonic() + 120
        while "worker started" not in first.stderr.readline():
            assert first.poll() is None and time.monotonic() < deadline
        line = _one_line(tollwatch("worker", cwd=tmp_path))
        assert "SQLite runs one worker" in line and "PostgreSQL" in line
        assert "running" in _one_line(tollwatch("worker", "--once", cwd=tmp_path))
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=120)
    assert first.returncode == 0


def test_an_import_of_only_invalid_rows_fails_with_the_reasons_counted(tmp_path: Path) -> None:
    rows = ["not json", json.dumps({"title": "no outlet"}), "[1, 2]", json.dumps([3])]
    (tmp_path / "bad.jsonl").write_text("\n".join(rows) + "\n")
    judged = tollwatch("import", "bad.jsonl", cwd=tmp_path)  # all or nothing: each row named
    assert judged.returncode == 1 and "Traceback" not in judged.stderr
    assert [line.split(":")[1] for line in judged.stderr.splitlines()[:4]] == ["1", "2", "3", "4"]
    assert "nothing imported: 4 invalid row(s)" in judged.stderr.splitlines()[-1]
    result = tollwatch("import", "bad.jsonl", "--skip-invalid", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "0 new" in result.stdout and "4 skipped" in result.stdout
    counted = [line for line in result.stdout.splitlines() if line.startswith("  skipped ")]
    assert sum(int(line.split()[1].rstrip(":")) for line in counted) == 4
    assert result.stderr.splitlines()[-1].startswith("tollwatch: error: nothing imported")


def test_digest_send_without_a_mail_server_fails_soon(tmp_path: Path) -> None:
    began = time.monotonic()
    result = tollwatch("digest", "send", "--to", "reader@example.org", cwd=tmp_path,
                       env={"TOLLWATCH_SMTP_PORT": str(_free_port())})
    took = time.monotonic() - began
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stdout.splitlines()
    assert "reader@example.org: pending" in line
    assert took < 60  # one attempt; the daemon's retries would wait 30 s, 60 s, ...


def test_a_feed_url_with_a_space_in_its_host_is_refused(tmp_path: Path) -> None:
    line = _one_line(tollwatch("feeds", "add", "http://exa mple.com/x", cwd=tmp_path))
    assert "URL contains whitespace" in line
    listed = tollwatch("feeds", "list", cwd=tmp_path)
    assert "exa mple" not in listed.stdout


def test_poll_takes_feeds_as_the_readme_says(tmp_path: Path) -> None:
    assert "`tollwatch poll [FEED…]`" in README.read_text(encoding="utf-8")
    helped = tollwatch("poll", "--help", cwd=tmp_path)
    assert "[FEED]..." in helped.stdout and "--feed" not in helped.stdout
    assert "no feed '999'" in _one_line(tollwatch("poll", "999", cwd=tmp_path))


def test_a_port_out_of_range_is_refused_with_a_usage_line(tmp_path: Path) -> None:
    """`--port` is checked as the setting it overrides is (1-65535): before any socket is
    made, not as a traceback from inside bind()."""
    for command, port in (("api", "0"), ("api", "65536"), ("api", "99999"), ("demo", "99999")):
        result = tollwatch(command, "--port", port, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "--port" in result.stderr


def test_an_out_file_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    """`--out` into a folder that does not exist: the path and why, not a traceback."""
    out = tmp_path / "missing" / "x.html"
    for command in (("feeds", "export-opml", "-o"), ("digest", "preview", "--out")):
        line = _one_line(tollwatch(*command, str(out), cwd=tmp_path))
        assert line.startswith(f"tollwatch: error: cannot write {out}"), line
