"""Templates for the HTML pages and the digest email, and what both need."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_link(url: str | None) -> str | None:
    """Only http(s) links reach a page or an email: a feed can carry ``javascript:`` URLs."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None
