"""What storing a batch of entries means, decided as plain values (reader's "intents").

Given the entries just parsed and what the store already knows of them, decide per
entry: a new item, a new revision of a known item (its text changed), or only "seen
again". Pure: the store module applies the plan in one transaction. Making entries
storable (:func:`storable_entries`) is pure too, so a parse process does it beside
the parsing, off the process that writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from service import bounds
from service.parse import Entry, identity

# How much of a fetch must look re-keyed before a feed's GUIDs are deemed unstable.
UNSTABLE_SHARE = 0.8
UNSTABLE_MIN_ENTRIES = 2


@dataclass(frozen=True)
class Known:
    """What the store holds of an item: enough to decide whether an entry changed it."""

    item_id: int
    identity: str
    latest_hash: str
    revisions: int


@dataclass(frozen=True)
class NewItem:
    entry: Entry


@dataclass(frozen=True)
class NewRevision:
    known: Known
    entry: Entry


@dataclass(frozen=True)
class SeenAgain:
    known: Known
    entry: Entry


Intent = NewItem | NewRevision | SeenAgain


def dedupe(entries: tuple[Entry, ...] | list[Entry]) -> list[Entry]:
    """One entry per identity (a feed listing an item twice keeps the first)."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.identity, entry)
    return list(seen.values())


def storable(entry: Entry) -> Entry:
    """The entry as every database can store it (:mod:`service.bounds`): one entry's odd
    characters or outsized guid must not cost the feed's other entries their place."""
    return replace(
        entry, identity=bounds.identity(entry.identity),
        guid=bounds.optional_text(entry.guid, bounds.GUID_MAX),
        url=entry.url if entry.url is None or bounds.url_problem(entry.url) is None else None,
        title=bounds.text(entry.title), summary=bounds.text(entry.summary),
        content=bounds.text(entry.content), text=bounds.text(entry.text))


def storable_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Entries as they are about to be stored: each :func:`storable`, one per identity."""
    return dedupe([storable(entry) for entry in entries])


def plan(entries: list[Entry], known: dict[str, Known]) -> list[Intent]:
    """Decide, for entries already keyed by identity, what storing them means."""
    intents: list[Intent] = []
    for entry in entries:
        item = known.get(entry.identity)
        if item is None:
            intents.append(NewItem(entry))
        elif item.latest_hash != entry.content_hash:
            intents.append(NewRevision(item, entry))
        else:
            intents.append(SeenAgain(item, entry))
    return intents


def guids_look_unstable(entries: list[Entry], known_identities: set[str],
                        known_links: set[str]) -> bool:
    """True when the entries' GUIDs are new but their links are already stored.

    Some feeds mint a fresh GUID on every fetch; trusting them would store every item
    again on every poll. The sign: almost every entry has an unknown GUID and a known link.
    """
    with_both = [e for e in entries if e.guid and e.url]
    if len(with_both) < UNSTABLE_MIN_ENTRIES:
        return False
    rekeyed = [e for e in with_both if e.identity not in known_identities and e.url in known_links]
    return len(rekeyed) >= UNSTABLE_SHARE * len(with_both)


def links_to_check(entries: list[Entry], known_identities: set[str]) -> list[str]:
    """The links whose being stored already could make :func:`guids_look_unstable` true:
    those of the entries with a GUID not stored yet. None when too few are, even if every
    link were known: a poll of a steady feed (a few new items among many known) then
    reads no links at all."""
    with_both = [e for e in entries if e.guid and e.url]
    unknown = [e.url for e in with_both if e.identity not in known_identities and e.url]
    if len(with_both) < UNSTABLE_MIN_ENTRIES or len(unknown) < UNSTABLE_SHARE * len(with_both):
        return []
    return unknown


def keyed_by_link(entries: list[Entry]) -> list[Entry]:
    """The entries re-identified by link, for a feed whose GUIDs cannot be trusted."""
    return [
        replace(e, identity=identity(None, e.url, e.title, e.published or e.updated))
        if e.url else e
        for e in entries
    ]
