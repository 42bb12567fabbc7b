"""The command line as a newcomer meets it: help, schema, feeds, and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def tollwatch(*args: str, cwd: Path, env: dict[str, str] | None = None,
              stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "service", *args], cwd=cwd, env=environment, input=stdin,
        capture_output=True, text=True, timeout=120,
    )


def test_help_lists_the_commands(tmp_path) -> None:
    result = tollwatch("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "feeds"):
        assert command in result.stdout
    assert tollwatch("feeds", "import-opml", "--help", cwd=tmp_path).returncode == 0


def test_db_upgrade_from_nothing_is_idempotent(database_url, tmp_path) -> None:
    env = {"TOLLWATCH_DATABASE_URL": database_url}
    first = tollwatch("db", "upgrade", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert " migration(s): 0001, " in first.stdout  # every one, from nothing
    second = tollwatch("db", "upgrade", cwd=tmp_path, env=env)
    assert second.returncode == 0 and "already up to date" in second.stdout


def test_default_database_is_sqlite_in_the_working_directory(tmp_path) -> None:
    assert tollwatch("db", "upgrade", cwd=tmp_path).returncode == 0
    assert (tmp_path / "tollwatch.db").is_file()


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        ({"TOLLWATCH_DATABASE_URL": "nonsense://x"}, ["db", "upgrade"], "TOLLWATCH_DATABASE_URL"),
        ({"TOLLWATCH_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"}, ["db", "upgrade"],
         "cannot reach database"),
        ({"TOLLWATCH_API_PORT": "many"}, ["feeds", "list"], "TOLLWATCH_API_PORT"),
        ({}, ["feeds", "import-opml", "bad.opml"], "not valid OPML"),
        ({}, ["feeds", "sync", "--sources", "bad.opml"], "not valid TOML"),
        ({}, ["feeds", "remove", "999"], "no feed '999'"),
        ({}, ["feeds", "add", "http://[::1/rss"], "not an http(s) URL with a host"),
        ({}, ["feeds", "add", "http://news.example:x/rss"], "not an http(s) URL with a host"),
        ({}, ["feeds", "add", "ftp://news.example/rss"], "not an http(s) URL with a host"),
        ({}, ["feeds", "add", "http://news.example:99999/rss"], "Port out of range"),
        ({}, ["feeds", "add", f"http://{'a' * 64}.example/rss"], "is not a valid name"),
        # the analysis process could not see the worker's database
        ({"TOLLWATCH_DATABASE_URL": "sqlite://"}, ["worker"], "in-memory SQLite"),
    ],
)
def test_errors_are_one_clear_line(tmp_path, env, args, expected) -> None:
    (tmp_path / "bad.opml").write_text("<opml><body><outline")
    result = tollwatch(*args, cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_feed_management_round_trip(tmp_path) -> None:
    assert tollwatch("feeds", "sync", cwd=tmp_path).returncode == 0
    listed = tollwatch("feeds", "list", cwd=tmp_path).stdout
    assert "Syrian Observatory for Human Rights" in listed and "https://sana.sy/en/?feed=rss2" in listed
    header, *lines = tollwatch("feeds", "status", cwd=tmp_path).stdout.splitlines()
    assert any("Syrian Observatory for Human Rights " in line for line in lines)  # whole
    assert {line.index(" never ") + 1 for line in lines} == {header.index(" last ") + 1}

    added = tollwatch("feeds", "add", "https://example.org/feed.xml", "--outlet", "Example",
                      cwd=tmp_path)
    assert added.returncode == 0 and "added feed" in added.stdout and not added.stderr
    again = tollwatch("feeds", "add", "https://example.org/feed.xml", cwd=tmp_path)
    assert again.returncode == 1 and "already followed" in again.stderr

    exported = tollwatch("feeds", "export-opml", "-o", "feeds.opml", cwd=tmp_path)
    assert exported.returncode == 0
    assert tollwatch("feeds", "remove", "https://example.org/feed.xml", cwd=tmp_path).returncode == 0
    assert "example.org" not in tollwatch("feeds", "list", cwd=tmp_path).stdout

    other = tmp_path / "other"
    other.mkdir()
    imported = tollwatch("feeds", "import-opml", str(tmp_path / "feeds.opml"), cwd=other)
    assert imported.returncode == 0 and "added 12 outlet(s) and 13 feed(s)" in imported.stdout
    assert "Example" in tollwatch("feeds", "status", cwd=other).stdout


def test_adding_a_feed_at_a_private_address_warns_that_it_will_be_refused(tmp_path) -> None:
    """Fetches refuse it unless private addresses are allowed: say so when it is added,
    not only in `feeds status` after the first poll."""
    for url in ("http://10.0.0.2/rss", "http://[::1]:8080/rss", "http://localhost/feed"):
        added = tollwatch("feeds", "add", url, cwd=tmp_path)
        assert added.returncode == 0 and "added feed" in added.stdout
        assert "warning:" in added.stderr and "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES" in added.stderr
    allowed = tollwatch("feeds", "add", "http://192.168.1.1/rss", cwd=tmp_path,
                        env={"TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true"})
    assert allowed.returncode == 0 and not allowed.stderr


def test_an_empty_feed_list_says_how_to_follow_feeds(tmp_path: Path) -> None:
    listed = tollwatch("feeds", "list", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout == ""
    assert "tollwatch feeds sync" in listed.stderr and "tollwatch feeds add URL" in listed.stderr
