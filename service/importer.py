"""Backfill rows (JSON Lines) → entries, with a reason for every row that is skipped.

Pure: lines of bytes in, ``Entry`` values (or, per line number, the reason a line
cannot be one) out. The whole file is read and judged before anything is written, so
an import is all or nothing unless the caller chooses to skip the bad rows. The entries
then go through the very store path polled items take.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from service import bounds
from service.parse import Entry, identity, sanitize, to_text

EXTERNAL_ID_MAX = 500  # Item.external_id
OUTLET_MAX = 200  # Outlet.name


@dataclass(frozen=True)
class ImportRow:
    outlet: str
    external_id: str
    entry: Entry


class SkipRow(ValueError):
    """This row cannot be imported; the message says why."""


@dataclass
class Judged:
    """A file's rows that can be imported, and the problem of every other, by line."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


def judge(lines: Iterable[bytes]) -> Judged:
    """Every line of a JSON Lines file, judged: a row, or a problem with its line number
    (not UTF-8, not JSON, nested too deep, a missing field, a duplicate id...)."""
    judged = Judged()
    first_line: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            row = parse_row(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            judged.problems.append((number, f"not UTF-8 (byte {exc.start + 1})"))
            continue
        except SkipRow as exc:
            judged.problems.append((number, str(exc)))
            continue
        key = (row.outlet, row.external_id)
        if key in first_line:
            judged.problems.append((number, f"duplicate id {row.external_id[:80]!r} of "
                                            f"{row.outlet[:80]!r} (first on line {first_line[key]})"))
            continue
        first_line[key] = number
        judged.rows.append(row)
    return judged


def parse_row(line: str) -> ImportRow:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SkipRow(f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise SkipRow("JSON nested too deeply") from None
    except ValueError:  # the only other: an integer of more than 4,300 digits
        raise SkipRow("a number in it has too many digits") from None
    if not isinstance(row, dict):
        raise SkipRow("not a JSON object")
    external_id, outlet, title = row.get("id"), row.get("outlet"), row.get("title")
    if external_id in (None, ""):
        raise SkipRow("no 'id'")
    if isinstance(external_id, bool) or not isinstance(external_id, (str, int)):
        raise SkipRow("'id' is neither a string nor an integer")
    if len(str(external_id)) > EXTERNAL_ID_MAX or bounds.clean(str(external_id)) != str(external_id):
        raise SkipRow(f"'id' longer than {EXTERNAL_ID_MAX} characters or holding NUL")
    if not isinstance(outlet, str) or not outlet.strip():
        raise SkipRow("no 'outlet'")
    if len(outlet.strip()) > OUTLET_MAX or bounds.clean(outlet) != outlet:
        raise SkipRow(f"'outlet' longer than {OUTLET_MAX} characters or holding NUL")
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
        raise SkipRow(f"'published' is not ISO-8601: {value[:80]!r}") from None
    try:
        bounds.moment(when)
    except ValueError as exc:
        raise SkipRow(f"'published' {value[:80]!r}: {exc}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
