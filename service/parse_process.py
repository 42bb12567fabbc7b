"""Parsing in a process of its own, away from the event loop.

feedparser and the sanitiser are pure Python (or hold the GIL): in a thread they would
compete with the event loop. This module is what that process imports, so it stays
light: the parser and the value bounds, nothing of the database or the network.
"""

from __future__ import annotations

from service.bounds import char_refs_repaired
from service.parse import ParsedFeed, parse_feed


def parse_job(body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    """The feed, its impossible character references repaired first
    (:func:`service.bounds.char_refs_repaired`)."""
    return parse_feed(char_refs_repaired(body), url=url, content_type=content_type)
