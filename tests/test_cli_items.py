"""Backfill, export, and the daemon's start and clean stop, through the real CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.test_cli_foundation import tollwatch


def test_import_reports_skips_and_is_idempotent(tmp_path) -> None:
    rows = [
        {"id": "a1", "outlet": "Yahoo News", "title": "Blasts in Jableh", "text": "Para one.\nTwo.",
         "url": "https://news.example/a1", "published": "2016-05-23T09:00:00+03:00"},
        {"id": "a2", "outlet": "SANA", "title": "Terrorist bombings", "summary": "<p>78 <b>dead</b></p>",
         "published": "2016-05-23T12:00:00Z"},
        {"id": "a3", "outlet": "SANA", "title": "No text"},
        {"id": "a4", "outlet": "SANA", "title": "Bad date", "text": "x", "published": "yesterday"},
    ]
    lines = [json.dumps(r) for r in rows] + ["{not json"]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    refused = tollwatch("import", "in.jsonl", cwd=tmp_path)  # all or nothing by default
    assert refused.returncode == 1 and "nothing imported: 3 invalid row(s)" in refused.stderr
    assert "in.jsonl:3: neither 'summary' nor 'text'" in refused.stderr
    assert "in.jsonl:5: not JSON" in refused.stderr
    first = tollwatch("import", "in.jsonl", "--skip-invalid", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 updated, 0 unchanged, 3 skipped" in first.stdout
    assert "neither 'summary' nor 'text'" in first.stdout and "not ISO-8601" in first.stdout
    second = tollwatch("import", "in.jsonl", "--skip-invalid", cwd=tmp_path)
    assert "0 new, 0 updated, 2 unchanged" in second.stdout

    rows[0]["text"] = "Para one, edited."
    (tmp_path / "in.jsonl").write_text(json.dumps(rows[0]) + "\n")
    assert "0 new, 1 updated" in tollwatch("import", "in.jsonl", cwd=tmp_path).stdout

    exported = [json.loads(line) for line in
                tollwatch("items", "export", "--format", "jsonl", cwd=tmp_path).stdout.splitlines()]
    by_id = {row["external_id"]: row for row in exported}
    assert set(by_id) == {"a1", "a2"}
    assert by_id["a1"]["revisions"] == 2 and by_id["a1"]["outlet"] == "Yahoo News"
    assert by_id["a2"]["published"] == "2016-05-23T12:00:00+00:00"
    for key in ("id", "guid", "outlet", "url", "title", "published", "revisions"):
        assert key in by_id["a1"]


def test_import_judges_the_whole_file_before_writing_anything(tmp_path) -> None:
    """A bad row at line 1,100 of 1,200 (a date no database can hold): nothing is written,
    and the line is named; so are bytes that are not UTF-8, JSON nested 100,000 deep, an
    id of 5,000 digits and an id given twice."""
    good = [json.dumps({"id": f"r{i}", "outlet": "SANA", "title": f"Story {i}", "text": "x",
                        "published": "2016-05-23T12:00:00Z"}).encode() for i in range(1200)]
    good[1099] = json.dumps({"id": "r1099", "outlet": "SANA", "title": "Bad date", "text": "x",
                             "published": "0001-01-01T00:00:00+05:00"}).encode()
    hostile = [b'{"id": "u", "outlet": "SANA", "title": "\xff\xfe", "text": "x"}',
               b"[" * 100_000,
               b'{"id": ' + b"9" * 5000 + b', "outlet": "SANA", "title": "t", "text": "x"}',
               good[0]]
    (tmp_path / "in.jsonl").write_bytes(b"\n".join(good + hostile) + b"\n")
    result = tollwatch("import", "in.jsonl", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for expected in ("in.jsonl:1100: 'published'", "in.jsonl:1201: not UTF-8",
                     "in.jsonl:1202: JSON nested too deeply",
                     "in.jsonl:1203: a number in it has too many digits",
                     "in.jsonl:1204: duplicate id 'r0' of 'SANA' (first on line 1)"):
        assert expected in result.stderr, result.stderr
    exported = tollwatch("items", "export", cwd=tmp_path).stdout
    assert exported.strip() == ""  # all or nothing
    partial = tollwatch("import", "in.jsonl", "--skip-invalid", "--no-analyse", cwd=tmp_path)
    assert partial.returncode == 0 and "1199 new" in partial.stdout, partial.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_health_and_stops_cleanly_on_sigterm(tmp_path) -> None:
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
           "TOLLWATCH_API_PORT": str(port),
           "TOLLWATCH_SOURCES_FILE": str(tmp_path / "sources.toml")}
    (tmp_path / "sources.toml").write_text("")  # no feeds: nothing reaches outside
    process = subprocess.Popen([sys.executable, "-m", "service", "run"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, process.stderr.read() if process.poll() else ""
                time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped cleanly" in err
