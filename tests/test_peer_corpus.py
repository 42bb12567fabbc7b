"""The cases of miniflux's and reader's parser tests, as tollwatch's own feeds.

tests/data/feeds/ holds feeds written for tollwatch after the cases those projects
test (RSS 0.91-2.0, Atom 0.3 and 1.0, RDF 0.90 and 1.0, JSON Feed 1.0 and 1.1: dates
as servers print them, links and ids, titles in every content type, authors, media,
encodings, broken XML), and expected.json what each entry must be once stored. The
feeds are served over loopback and polled through the real poll path; what `tollwatch
items export` then writes is compared field by field.

Beside tollwatch's tally the test prints what the peers would score on the same
expected values, as estimates: reader's from feedparser run the way reader runs it
(reader is built on it; its JSON Feed reading approximated), miniflux's from the rules
its own tests assert (a missing title made from the text, a missing link replaced by
the site's, a missing date replaced by the time of the poll) plus the per-entry
differences its tests show, noted as "miniflux" in expected.json.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import feedparser
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
    tally: Counter[tuple[str, str, str]] = Counter()
    mismatches = []
    for name, case in cases.items():
        fmt, expected = case["format"], case["entries"]
        stored = exported[name]
        _score(tally, "tollwatch", fmt, expected, stored if results[feed_ids[name]].error is None
               else None)
        for want, got in zip(expected, stored):
            for field, right in _compare(want, got).items():
                tally["tollwatch", fmt, "fields checked"] += 1
                tally["tollwatch", fmt, "fields right"] += right
                if not right:
                    mismatches.append((name, field, want.get(field), got[field]))
        if len(expected) != len(stored):
            mismatches.append((name, "entries", len(expected), len(stored)))
        body, url = (FEEDS / name).read_bytes(), server.url(f"/feeds/{name}")
        _score(tally, "reader (est.)", fmt, expected, _as_reader(body, url, case["content_type"]))
        _score(tally, "miniflux (est.)", fmt, expected, _as_miniflux(case))
    _print(tally)
    assert not mismatches, mismatches
    with Session(harness.engine) as session:
        assert all(f.error_count == 0 for f in session.exec(select(Feed)).all())


def _score(tally: Counter[tuple[str, str, str]], who: str, fmt: str,
           expected: list[dict[str, Any]], got: list[dict[str, Any]] | None) -> None:
    """One feed's counts for one reader: read or not, entry count right, and the
    title, link and date of each entry (in order) right. An unread feed scores nothing."""
    tally[who, fmt, "feeds"] += 1
    tally[who, fmt, "entries"] += len(expected)
    for field in CHECKED:
        tally[who, fmt, f"{field} checked"] += len(expected)
    if got is None:
        return
    tally[who, fmt, "read"] += 1
    tally[who, fmt, "entries right"] += len(expected) if len(got) == len(expected) else 0
    for want, have in zip(expected, got):
        for field in CHECKED:
            tally[who, fmt, f"{field} right"] += _shown(want[field]) == _shown(have[field])


def _shown(value: Any) -> Any:
    """A value as a page shows it: runs of white space are one space, empty is none."""
    return " ".join(value.split()) or None if isinstance(value, str) else value


def _as_reader(body: bytes, url: str, content_type: str) -> list[dict[str, Any]] | None:
    """The entries as reader would store them, estimated: XML through feedparser as
    reader calls it (told the URL, so relative links resolve; a feed feedparser found
    malformed is an error in reader, except for a wrong declared encoding); JSON Feed
    by its fields as written."""
    if body.lstrip()[:1] == b"{":
        return _json_as_written(body)
    result = feedparser.parse(io.BytesIO(body), response_headers={
        "content-location": url, "content-type": content_type})
    tolerated = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if result.get("bozo") and not isinstance(result.get("bozo_exception"), tolerated):
        return None
    return [{"title": (e.get("title") or "").strip(), "url": e.get("link"),
             "published": _utc(e.get("published_parsed" if "published" in e else "updated_parsed"))}
            for e in result.entries]


def _json_as_written(body: bytes) -> list[dict[str, Any]] | None:
    document = json.loads(body)
    version = document.get("version") if isinstance(document, dict) else None
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        return None
    found = []
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        title, url = item.get("title"), item.get("url") or item.get("external_url")
        date = item.get("date_published") or item.get("date_modified")
        try:
            published = datetime.fromisoformat(date).astimezone(timezone.utc).isoformat()
        except (TypeError, ValueError):
            published = None
        found.append({"title": title if isinstance(title, str) else "",
                      "url": url if isinstance(url, str) else None, "published": published})
    return found


def _utc(parsed: Any) -> str | None:
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat() if parsed else None


def _as_miniflux(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries as miniflux would store them, estimated from its tests' rules and the
    per-entry differences noted in expected.json."""
    made = []
    for want in case["entries"]:
        noted = want.get("miniflux", {})
        made.append({
            "title": noted.get("title", want["title"] or "(made from the text or link)"),
            "url": noted.get("url", want["url"] or case["site"]),
            "published": noted.get("published", want["published"] or "(time of the poll)")})
    return made


def _print(tally: Counter[tuple[str, str, str]]) -> None:
    print("\nformat     reader           feeds read  entries  titles   links    dates    other")
    for fmt in ("RSS", "Atom", "RDF", "JSON Feed"):
        for who in ("tollwatch", "reader (est.)", "miniflux (est.)"):
            def pair(field: str, of: str = "") -> str:
                return f"{tally[who, fmt, field + ' right']}/{tally[who, fmt, of or field + ' checked']}"
            other = pair("fields") if who == "tollwatch" else "-"
            print(f"{fmt:<10} {who:<16} {tally[who, fmt, 'read']}/{tally[who, fmt, 'feeds']:<8} "
                  f"{pair('entries', 'entries'):<8} {pair('title'):<8} {pair('url'):<8} "
                  f"{pair('published'):<8} {other}")
