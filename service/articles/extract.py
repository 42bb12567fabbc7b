"""An article page's main text (pure: HTML bytes in, plain text out).

trafilatura does the work: of the maintained extractors it is the one the field measures
others against. On our test pages (tests/data/articles, compared by bench/extractors.py)
both it and readability-lxml recovered every sentence of each story; trafilatura dropped
the advertisement labels, inline "also read" links and donation appeals that
readability-lxml let through (both kept a wire copyright line), at 11 ms a page against
readability's 7 to 12. Precision is favoured over recall: a
boilerplate sentence with a number in it ("12 killed in ...", from a sidebar) would be
read as a casualty figure of this story, while a lost paragraph only costs a figure the
feed or a later revision may still carry.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class Extracted:
    text: str  # paragraphs separated by blank lines; "" when nothing looked like an article
    seconds: float  # the extractor's own time, for the benchmark's share


def extract_text(page: bytes, url: str) -> Extracted:
    """The main text of an HTML page: the story, without the site around it."""
    started = time.perf_counter()
    text = trafilatura.extract(page, url=url, favor_precision=True, include_comments=False,
                               include_tables=False, include_images=False,
                               include_links=False, deduplicate=False) or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return Extracted("\n\n".join(paragraphs), time.perf_counter() - started)


def as_html(text: str) -> str:
    """The extracted text as the sanitised HTML a revision's ``content`` holds."""
    return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n\n") if part)
