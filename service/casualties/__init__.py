"""Casualty figures in news text (pure logic: no database, no network)."""

from service.casualties.reader import Figure, extract

__all__ = ["Figure", "extract"]
