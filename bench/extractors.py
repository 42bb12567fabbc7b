"""trafilatura beside readability-lxml on the test article pages: `python bench/extractors.py`.

For each page in tests/data/articles (expected.json lists, per page, sentences of the story
that must be recovered and boilerplate that must not be), each extractor's recall of the
story's sentences, the boilerplate it let through, and its time per page.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from readability import Document

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from service.articles.extract import extract_text  # noqa: E402

PAGES = HERE.parent / "tests" / "data" / "articles"
REPEAT = 20


def with_trafilatura(page: bytes) -> str:
    return extract_text(page, "https://news.example/story").text


def with_readability(page: bytes) -> str:
    summary = Document(page.decode("utf-8")).summary(html_partial=True)
    return str(lxml.html.fromstring(summary).text_content())


def main() -> None:
    expected = json.loads((PAGES / "expected.json").read_text())
    extractors: dict[str, Callable[[bytes], str]] = {
        "trafilatura": with_trafilatura, "readability-lxml": with_readability}
    print("| page | extractor | story sentences recovered | boilerplate let through | ms/page |")
    print("|---|---|---|---|---|")
    for name, want in expected.items():
        page = (PAGES / name).read_bytes()
        for label, extract in extractors.items():
            began = time.perf_counter()
            for _ in range(REPEAT):
                text = extract(page)
            ms = (time.perf_counter() - began) / REPEAT * 1000
            found = sum(s in text for s in want["body"])
            leaked = [b for b in want["boilerplate"] if b in text]
            print(f"| {name} | {label} | {found}/{len(want['body'])} | "
                  f"{', '.join(leaked) or '-'} | {ms:.1f} |")


if __name__ == "__main__":
    main()
