"""What an edit of an item changed, for its page: the title, the figures read from it,
and the words of its text (pure: two versions in, a short list of edits out)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from service import timeline

# More than this many changed passages in one edit reads as a rewrite: the rest are counted.
SHOWN = 6


@dataclass(frozen=True)
class Version:
    """One revision as the page compares it: its title, text and figures as labels."""

    title: str
    text: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Edit:
    """One change: ``what`` changed ("title", "figures", "text") from ``before`` to
    ``after``; either side is empty when words were only added or only removed."""

    what: str
    before: str
    after: str


def figure_label(kind: str, count: int | None, count_max: int | None, qualifier: str,
                 source: str | None, *, vague: bool = False, words: str | None = None,
                 hedged: bool = False, partial: bool = False) -> str:
    """"at least 101 killed, according to SOHR", as a reader would say it, in the words
    the timeline uses ("dozens killed", "more than 60 killed (feared)")."""
    said = timeline.amount(count, count_max if count_max != count else None, qualifier, vague,
                           words)
    return timeline.label(f"{said} {kind}", hedged=hedged, partial=partial) \
        + (f", according to {source}" if source else "")


def edits(before: Version, after: Version) -> tuple[list[Edit], int]:
    """The changes from ``before`` to ``after``, at most SHOWN of them, and how many more."""
    found: list[Edit] = []
    if before.title != after.title:
        found.append(Edit("title", before.title, after.title))
    if before.figures != after.figures:
        found.append(Edit("figures", "; ".join(before.figures) or "none",
                          "; ".join(after.figures) or "none"))
    old, new = before.text.split(), after.text.split()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            found.append(Edit("text", " ".join(old[i1:i2]), " ".join(new[j1:j2])))
    return found[:SHOWN], max(len(found) - SHOWN, 0)
