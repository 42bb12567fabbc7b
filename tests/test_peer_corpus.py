"""The cases of miniflux's and reader's parser tests, as tollwatch's own feeds.

tests/data/feeds/ holds feeds written for tollwatch after the cases those projects
test (RSS, Atom, RDF and JSON Feed: full, relative, empty, odd and hostile ones),
and expected.json what each entry must be once stored. The feeds are served over
loopback and polled through the real poll path; what the database holds is compared
field by field, and the tally per format is printed (pytest -s) for the record.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from service.models import Feed, Item
from tests.feedserver import Reply
from tests.test_poller import Harness, harness, server  # noqa: F401  (fixtures)

FEEDS = Path(__file__).parent / "data" / "feeds"
CHECKED = ("title", "url", "published")


def _expected(base: str) -> dict[str, dict[str, Any]]:
    text = (FEEDS / "expected.json").read_text(encoding="utf-8").replace("{base}", base)
    cases = json.loads(text)
    cases.pop("_about")
    return cases


def _serve(server, name: str, content_type: str) -> None:  # type: ignore[no-untyped-def]
    body = (FEEDS / name).read_bytes()
    server.routes[f"/feeds/{name}"] = lambda r: Reply(200, body, {"Content-Type": content_type})


def _stored(harness: Harness, feed_id: int) -> list[dict[str, Any]]:
    with Session(harness.engine) as session:
        items = session.exec(select(Item).where(Item.feed_id == feed_id)
                             .order_by(col(Item.id))).all()
        return [{"guid": i.guid, "title": i.title, "url": i.url,
                 "published": i.published_at.isoformat() if i.published_at else None}
                for i in items]


def _as_utc(value: str | None) -> str | None:
    """SQLite hands datetimes back without their zone; they are stored in UTC."""
    return value if value is None or value.endswith("+00:00") else f"{value}+00:00"


def test_peer_cases_are_stored_as_expected(harness: Harness, server) -> None:
    cases = _expected(server.base)
    feed_ids = {}
    for name, case in cases.items():
        _serve(server, name, case["content_type"])
        feed_ids[name] = harness.add(f"/feeds/{name}", outlet=name)
    results = harness.poll(*feed_ids.values())
    tally: Counter[tuple[str, str]] = Counter()
    mismatches = []
    for name, case in cases.items():
        fmt, expected = case["format"], case["entries"]
        result = results[feed_ids[name]]
        tally[fmt, "feeds"] += 1
        tally[fmt, "read"] += result.error is None
        stored = _stored(harness, feed_ids[name])
        tally[fmt, "entries expected"] += len(expected)
        tally[fmt, "entries stored"] += len(stored)
        for want, got in zip(expected, stored):
            got["published"] = _as_utc(got["published"])
            for field in CHECKED + (("guid",) if "guid" in want else ()):
                tally[fmt, f"{field} checked"] += 1
                if want[field] == got[field]:
                    tally[fmt, f"{field} right"] += 1
                else:
                    mismatches.append((name, field, want[field], got[field]))
        if len(expected) != len(stored):
            mismatches.append((name, "entries", len(expected), len(stored)))
    _print(tally)
    assert not mismatches, mismatches
    with Session(harness.engine) as session:
        assert all(f.error_count == 0 for f in session.exec(select(Feed)).all())


def _print(tally: Counter[tuple[str, str]]) -> None:
    print("\nformat     feeds read  entries  titles  links  dates  guids")
    for fmt in ("RSS", "Atom", "RDF", "JSON Feed"):
        def pair(field: str) -> str:
            return f"{tally[fmt, f'{field} right']}/{tally[fmt, f'{field} checked']}"
        print(f"{fmt:<10} {tally[fmt, 'read']}/{tally[fmt, 'feeds']:<8} "
              f"{tally[fmt, 'entries stored']}/{tally[fmt, 'entries expected']:<5} "
              f"{pair('title'):<7} {pair('url'):<6} {pair('published'):<6} {pair('guid')}")
