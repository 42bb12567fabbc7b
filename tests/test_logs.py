"""Structured log lines, and where they go."""

from __future__ import annotations

import io
import logging
import sys

from service import logs


def test_lines_follow_stderr_after_a_stand_in_for_it_is_closed(monkeypatch) -> None:
    """As under a test runner's CLI invocation: logging configured while stderr is a
    stand-in that is closed afterwards keeps writing, to the stderr of the moment. (The
    root logger is restored after the test by conftest's ``root_logging``.)"""
    stand_in = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stand_in)
    logs.configure("INFO")
    logging.getLogger("service.test").info("fetched", extra={"feed": "https://a.example/rss"})
    assert "info service.test: fetched feed=https://a.example/rss" in stand_in.getvalue()
    stand_in.close()
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    logging.getLogger("service.test").warning("fetch failed", extra={"reason": "timed out"})
    assert 'warning service.test: fetch failed reason="timed out"' in later.getvalue()
    assert "Logging error" not in later.getvalue()


def test_values_cannot_forge_fields_or_lines_and_credentials_never_show(monkeypatch) -> None:
    """A feed's error text holding a quote, a line break and ``key=value``, and a feed
    URL carrying a password: one line, the value escaped, the password gone."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    logs.configure("INFO")
    logging.getLogger("service.test").warning(
        "poll failed\nlevel=forged", extra={"feed": "https://reader:s3cret@news.example/rss",
                                           "reason": 'bad "x"\nwarning forged=1', "n": 3})
    line = out.getvalue()
    assert line.count("\n") == 1 and "s3cret" not in line
    assert "feed=https://***@news.example/rss" in line
    assert 'reason="bad \\"x\\"\\nwarning forged=1"' in line and " n=3" in line
    assert "poll failed\\nlevel=forged" in line
