"""Structured logging: one line per event, ``key=value`` pairs after the message.

Callers pass context through ``extra`` (``log.warning("fetch failed", extra={"feed":
url, "reason": why})``), so every line says which feed and why, and stays greppable.
Values come from feeds and clients: one holding a quote, a line break or ``key=value``
must not forge a field or a line, so such values are quoted with escapes (a JSON
string), and the message too. The credentials a feed URL may carry never reach a line.
"""

from __future__ import annotations

import json
import logging
import re
import sys

from service.bounds import redacted

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = (
            f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')} {record.levelname.lower()} "
            f"{record.name}: {_message(record.getMessage())}"
        )
        fields = " ".join(
            f"{key}={_quote(value)}"
            for key, value in record.__dict__.items()
            if key not in _STANDARD
        )
        line = f"{base} {fields}" if fields else base
        if record.exc_info:
            line += "\n" + redacted(self.formatException(record.exc_info))
        return line


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN = re.compile(r'[^\s"=\\\x00-\x1f\x7f-\x9f\u2028\u2029]+')


def _quote(value: object) -> str:
    """The value bare when that is unambiguous, else as a JSON string."""
    text = redacted(str(value))
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _message(text: str) -> str:
    """The message as written, unless a line break or control character in it (from an
    exception's text, say) would start a new line: then escaped."""
    text = redacted(text)
    return json.dumps(text, ensure_ascii=False)[1:-1] if _CONTROL.search(text) else text


class StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a line is logged, not as it was when logging
    was configured: a caller that swaps stderr for a stand-in and closes it afterwards (a
    test runner capturing a command's output) would otherwise leave every later line,
    from any thread, failing on a closed file."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)  # not StreamHandler's: it would pin the stream

    @property
    def stream(self) -> object:
        return sys.stderr


def configure(level: str) -> None:
    handler = StderrHandler()
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic.runtime"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
