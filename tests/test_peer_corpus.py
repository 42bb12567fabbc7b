"""The cases of miniflux's and reader's parser tests, as tollwatch's own feeds.

tests/data/feeds/ holds feeds written for tollwatch after the cases those projects
test (RSS, Atom, RDF and JSON Feed: full, relative, empty, odd and hostile ones),
and expected.json what each entry must be once stored. The feeds are served over
loopback and polled through the real poll path; what `tollwatch items export` then
writes is compared field by field, and the tally per format is printed (pytest -s).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from service.models import Feed
from tests.feedserver import Reply
from tests.test_cli_foundation import tollwatch
from tests.test_poller import Harness, harness, server  # noqa: F401  (fixtures)

FEEDS = Path(__file__).parent / "data" / "feeds"
CHECKED = ("title", "url", "published")
FIELDS = ("guid", "authors", "categories", "language", "enclosures")


def _expected(base: str) -> dict[str, dict[str, Any]]:
    text = (FEEDS / "expected.json").read_text(encoding="utf-8").replace("{base}", base)
    cases = json.loads(text)
    cases.pop("_about")
    return cases


def _serve(server, name: str, content_type: str) -> None:  # type: ignore[no-untyped-def]
    body = (FEEDS / name).read_bytes()
    server.routes[f"/feeds/{name}"] = lambda r: Reply(200, body, {"Content-Type": content_type})


def _exported(harness: Harness, tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """`tollwatch items export`, by outlet (each feed has its own), in stored order."""
    url = harness.engine.url.render_as_string(hide_password=False)
    result = tollwatch("items", "export", cwd=tmp_path, env={"TOLLWATCH_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in result.stdout.splitlines():
        row = json.loads(line)
        row["enclosures"] = [[e["url"], e["type"], e["length"]] for e in row["enclosures"]]
        by_outlet[row["outlet"]].append(row)
    return by_outlet


def _compare(want: dict[str, Any], got: dict[str, Any]) -> dict[str, bool]:
    """Each expected field: right or not. Enclosures may be checked by URL and length."""
    checks = {field: want[field] == got[field] for field in CHECKED + FIELDS if field in want}
    if "enclosure_urls" in want:
        checks["enclosures"] = (want["enclosure_urls"] == [e[0] for e in got["enclosures"]]
                                and want.get("enclosure_lengths") in (None, [e[2] for e in got["enclosures"]]))
    return checks


def test_peer_cases_are_stored_as_expected(harness: Harness, server, tmp_path: Path) -> None:
    cases = _expected(server.base)
    feed_ids = {}
    for name, case in cases.items():
        _serve(server, name, case["content_type"])
        feed_ids[name] = harness.add(f"/feeds/{name}", outlet=name)
    results = harness.poll(*feed_ids.values())
    exported = _exported(harness, tmp_path)
    tally: Counter[tuple[str, str]] = Counter()
    mismatches = []
    for name, case in cases.items():
        fmt, expected = case["format"], case["entries"]
        result = results[feed_ids[name]]
        tally[fmt, "feeds"] += 1
        tally[fmt, "read"] += result.error is None
        stored = exported[name]
        tally[fmt, "entries expected"] += len(expected)
        tally[fmt, "entries stored"] += len(stored)
        for want, got in zip(expected, stored):
            for field, right in _compare(want, got).items():
                group = field if field in CHECKED else "fields"
                tally[fmt, f"{group} checked"] += 1
                tally[fmt, f"{group} right"] += right
                if not right:
                    mismatches.append((name, field, want.get(field), got[field]))
        if len(expected) != len(stored):
            mismatches.append((name, "entries", len(expected), len(stored)))
    _print(tally)
    assert not mismatches, mismatches
    with Session(harness.engine) as session:
        assert all(f.error_count == 0 for f in session.exec(select(Feed)).all())


def _print(tally: Counter[tuple[str, str]]) -> None:
    print("\nformat     feeds read  entries  titles  links  dates  other fields")
    for fmt in ("RSS", "Atom", "RDF", "JSON Feed"):
        def pair(field: str) -> str:
            return f"{tally[fmt, f'{field} right']}/{tally[fmt, f'{field} checked']}"
        print(f"{fmt:<10} {tally[fmt, 'read']}/{tally[fmt, 'feeds']:<8} "
              f"{tally[fmt, 'entries stored']}/{tally[fmt, 'entries expected']:<5} "
              f"{pair('title'):<7} {pair('url'):<6} {pair('published'):<6} {pair('fields')}")
