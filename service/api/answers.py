"""Answers computed from an event's figures (its timeline as JSON or CSV, its chart),
kept in memory and validated by ETag.

Computing an event's timeline cost ~20 ms of CPU at 130 figures, and a chart far more,
on every request: one API process served ~40 requests/s. An answer is now computed
once per state of the event's figures and kept here under a *tag* that names that
state (:class:`service.store.queries.EventState`), the variant asked for and whatever
else the body depends on. The same tag is the answer's ETag: a client sending it back in
``If-None-Match`` gets a 304 without the body being computed or looked up.

The state is checked against the database on every request, so it is right in every API
process whichever process ran the analysis; but reading it is an aggregate over the
event's items and figures (~1 ms of PostgreSQL's CPU, as much as the rest of a kept
answer). So it is kept too (:class:`States`), with the analysis version read before it
(:func:`service.store.queries.analysis_version`, one row): analysis raises that number
in every transaction that changes an event's figures, so while it stands the state kept
is the state stored.

The store is bounded by the bytes it holds, least recently used first out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Engine
from sqlmodel import Session

from service import __version__
from service.store import queries
from service.store.queries import EventState

MAX_BYTES = 64 << 20  # per API process
MAX_EVENTS = 50_000  # states kept per API process (a few hundred bytes each)


class Answers:
    """Bodies by key, each with the tag it was computed for; thread-safe (sync routes run
    in a thread pool)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._held: OrderedDict[object, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: object, tag: str) -> bytes | None:
        with self._lock:
            held = self._held.get(key)
            if held is None or held[0] != tag:
                return None
            self._held.move_to_end(key)
            return held[1]

    def put(self, key: object, tag: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._held.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._held[key] = (tag, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._held.popitem(last=False)
                self._size -= len(dropped)


class States:
    """Events' states as last read, each with the analysis version read just before it;
    thread-safe. The version is read first: a change committed between the two reads
    leaves a state newer than its version says, which costs one needless read later,
    never a stale answer. It is read outside any transaction (autocommit): a kept state
    then costs one statement, where a transaction's BEGIN and ROLLBACK were two more
    round trips to PostgreSQL; the request's session connects only if the state must be
    read again."""

    def __init__(self, engine: Engine, max_events: int = MAX_EVENTS) -> None:
        self.max_events = max_events
        self._reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._held: OrderedDict[int, tuple[int, EventState]] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, session: Session, event_id: int) -> EventState:
        """The event's state as stored now: NotFoundError if there is no such event."""
        with self._reader.connect() as connection:
            version = queries.analysis_version(connection)
        with self._lock:
            held = self._held.get(event_id)
            if held is not None and version is not None and held[0] == version:
                self._held.move_to_end(event_id)
                return held[1]
        state = queries.event_state(session, event_id)
        if version is not None:  # None: a store without the version's row keeps nothing
            with self._lock:
                self._held[event_id] = (version, state)
                self._held.move_to_end(event_id)
                while len(self._held) > self.max_events:
                    self._held.popitem(last=False)
        return state


def event_state(request: Request, session: Session, event_id: int) -> EventState:
    """The event's current state, through this API process's kept states."""
    states: States = request.app.state.states
    return states.current(session, event_id)


def tag(*parts: object) -> str:
    """A strong ETag naming ``parts`` (and this release, whose output may differ)."""
    digest = hashlib.blake2b(repr((__version__, parts)).encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def fresh(request: Request, current: str) -> bool:
    """Whether the client's ``If-None-Match`` names ``current`` (or is ``*``)."""
    given = request.headers.get("if-none-match")
    if not given:
        return False
    # weak comparison, as RFC 9110 asks for If-None-Match
    named = {t.strip().removeprefix("W/") for t in given.split(",")}
    return "*" in named or current in named


def answer(request: Request, key: object, current: str, media_type: str,
           compute: Callable[[], bytes], headers: dict[str, str] | None = None) -> Response:
    """A 304 when the client holds ``current``; else the body kept for it, or computed
    now and kept. Clients may store the answer but must revalidate it (``no-cache``):
    a figure read a second ago shows at once, and revalidation costs a 304."""
    private = request.app.state.settings.api_read_requires_key
    headers = {**(headers or {}), "ETag": current,
               "Cache-Control": "private, no-cache" if private else "no-cache"}
    if fresh(request, current):
        return Response(status_code=304, headers=headers)
    held: Answers = request.app.state.answers
    body = held.get(key, current)
    if body is None:
        body = compute()
        held.put(key, current, body)
    return Response(body, media_type=media_type, headers=headers)
