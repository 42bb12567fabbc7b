"""Backfill rows (JSON Lines) → entries, with a reason for every row that is skipped.

Pure: one line of text in, an ``Entry`` (or the reason it cannot be one) out. The
entries then go through the very store path polled items take.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from service.parse import Entry, identity, sanitize, to_text


@dataclass(frozen=True)
class ImportRow:
    outlet: str
    external_id: str
    entry: Entry


class SkipRow(ValueError):
    """This row cannot be imported; the message says why."""


def parse_row(line: str) -> ImportRow:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SkipRow(f"not JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise SkipRow("not a JSON object")
    external_id, outlet, title = row.get("id"), row.get("outlet"), row.get("title")
    if external_id in (None, ""):
        raise SkipRow("no 'id'")
    if not isinstance(outlet, str) or not outlet.strip():
        raise SkipRow("no 'outlet'")
    if not isinstance(title, str) or not title.strip():
        raise SkipRow("no 'title'")
    summary = _html(row.get("summary"))
    content = _html(row.get("text"))
    if not summary and not content and "summary" not in row and "text" not in row:
        raise SkipRow("neither 'summary' nor 'text'")
    published = _when(row.get("published"))
    url = row.get("url") if isinstance(row.get("url"), str) and row.get("url") else None
    title = to_text(title)
    text = "\n".join(p for p in (title, to_text(summary), to_text(content)) if p)
    entry = Entry(identity=identity(str(external_id), None, title, published),
                  guid=str(external_id), url=url, title=title, summary=summary,
                  content=content, text=text, published=published, updated=None)
    return ImportRow(outlet=outlet.strip(), external_id=str(external_id), entry=entry)


def _html(value: object) -> str:
    """Text given as plain text or HTML, as sanitised HTML."""
    if not isinstance(value, str) or not value.strip():
        return ""
    if "<" in value:
        return sanitize(value)
    return "".join(f"<p>{html.escape(p)}</p>" for p in value.split("\n") if p.strip())


def _when(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise SkipRow("'published' is not an ISO-8601 string")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SkipRow(f"'published' is not ISO-8601: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
