"""The analysis stage: read figures from new revisions, then assign items to events.

Reading figures is pure and per revision, so every analysis process does it, each on
the revisions it leased (service.store.analysis); items whose text holds none of the
reader's cue words skip the reader (service.casualties.prefilter). Deciding events is
not: one clusterer at a time does it, the holder of the clustering lock (a PostgreSQL
advisory lock; SQLite has a single writer anyway). The clusterer's in-memory state is
rebuilt from the items of the dormancy window whenever the lock is taken, so a restart,
or another worker taking over, continues where the last holder stopped.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import Connection, Engine, text

from service import db, metrics
from service.config import Settings
from service.casualties import extract
from service.casualties.prefilter import may_report_casualties
from service.clustering import Clusterer, Params, document, readable, survivor
from service.models import utcnow
from service.store import analysis as store

log = logging.getLogger(__name__)
BATCH = 200
LEASE_SECONDS: int = Settings.model_fields["lease_seconds"].default  # a batch takes well under a second
_LOCK = 0x746F6C6C_616E61  # "tollana"


@dataclass
class Progress:
    extracted: int = 0
    skipped: int = 0  # of the extracted: no cue word, the reader not run
    lost: int = 0  # leases another process took over before this one stored them
    figures: int = 0
    clustered: int = 0
    new_events: int = 0
    merged: int = 0  # events merged into others
    seconds: float = 0.0
    extraction_cpu: float = 0.0  # CPU seconds of this process, per stage
    clustering_cpu: float = 0.0


class Analyzer:
    """Reads figures (always) and clusters (when it holds the clustering lock).

    ``hold_lock``: keep the clustering lock from one :meth:`run` to the next, until
    :meth:`release` (the analysis process, which would otherwise rebuild its clusterer
    every round); a one-off run gives it up when it ends. ``cluster=False``: read
    figures only, never cluster (a worker's extra analysis processes: reading figures
    spreads over processes, deciding events does not; on SQLite, which has no
    clustering lock, this is what keeps them from clustering beside the first).
    ``readers_beside``: such processes work beside this one, so it clusters first and
    reads figures only when no item waits to be clustered: clustering can run in this
    process alone, and a backlog is worked off soonest when it does nothing else
    while there is some (alternating, it read 1,400 of 4,000 revisions while its
    helper idled, done with the other 2,600)."""

    def __init__(self, engine: Engine, params: Params | None = None,
                 clock: Callable[[], datetime] = utcnow, *,
                 lease_seconds: int = LEASE_SECONDS, hold_lock: bool = False,
                 cluster: bool = True, readers_beside: bool = False) -> None:
        self.engine = engine
        self.params = params or Params()
        self.clock = clock
        self.lease_seconds = lease_seconds
        # unique per process and per analyzer; the pid tells an operator whose lease it is
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._hold = hold_lock
        self._cluster = cluster
        self._readers_beside = readers_beside
        self._lock_connection: Connection | None = None
        self._clusterer: Clusterer | None = None

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> Progress:
        """Read and cluster everything pending that this process may take (until
        ``should_stop`` says so, checked between batches); returns what was done.
        Revisions other processes hold leases on are theirs: they are not waited for."""
        started = time.monotonic()
        progress = Progress()
        try:
            clustering = self._cluster and self._lock()
            while not should_stop():
                if clustering and self._readers_beside:
                    worked = self._clustered(progress) or (
                        not should_stop() and self._extracted(progress))
                else:
                    extracted = self._extracted(progress)
                    worked = (clustering and not should_stop() and self._clustered(progress)
                              or extracted)
                if not worked:
                    break
        except BaseException:
            self.release()
            raise
        if not self._hold:
            self.release()
        progress.seconds = time.monotonic() - started
        if progress.extracted or progress.clustered:
            log.info("analysed", extra={"revisions": progress.extracted,
                                        "skipped": progress.skipped,
                                        "figures": progress.figures,
                                        "clustered": progress.clustered,
                                        "new_events": progress.new_events,
                                        "merged_events": progress.merged})
        return progress

    def _extracted(self, progress: Progress) -> bool:
        """Whether a batch was read (its CPU counted as the figures')."""
        began = time.process_time()
        try:
            return self._extract_batch(progress)
        finally:
            progress.extraction_cpu += time.process_time() - began

    def _clustered(self, progress: Progress) -> bool:
        """Whether a batch was clustered (its CPU counted as the events')."""
        began = time.process_time()
        try:
            return self._cluster_batch(progress)
        finally:
            progress.clustering_cpu += time.process_time() - began

    def _lock(self) -> bool:
        """Whether this process may cluster: it holds the lock, or has just taken it."""
        if db.is_sqlite(self.engine) or self._lock_connection is not None:
            return True
        connection = self.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _LOCK}).scalar()
        connection.commit()
        if not got:
            connection.close()
            return False
        self._lock_connection = connection
        self._clusterer = None  # another holder may have clustered since this one last did
        return True

    def release(self) -> None:
        """Give up the clustering lock (if held) and, with it, the clusterer's state,
        which other holders will outdate."""
        connection, self._lock_connection = self._lock_connection, None
        if connection is None:
            return
        self._clusterer = None
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK})
            connection.commit()
        except Exception:  # the session is broken: closed for good, it holds no lock
            connection.invalidate()
        connection.close()

    def _extract_batch(self, progress: Progress) -> bool:
        """Lease a batch, read it outside any transaction, store what is still ours."""
        with metrics.ANALYSIS_SECONDS.labels("extraction").time():
            with db.session_scope(self.engine) as session:
                batch = store.claim_unread(session, self.owner, utcnow(), BATCH,
                                           self.lease_seconds)
            if not batch:
                return False
            wanted = [may_report_casualties(r.text) for r in batch]
            read = [(r, extract(r.text, reference_year=r.observed_at.year) if want else [])
                    for r, want in zip(batch, wanted)]
            with db.session_scope(self.engine) as session:
                stored, figures = store.save_figures(session, self.owner, read)
        progress.extracted += stored
        progress.skipped += wanted.count(False)
        progress.lost += len(batch) - stored
        progress.figures += figures
        metrics.ANALYSED.labels("extraction").inc(stored)
        return True

    def _cluster_batch(self, progress: Progress) -> bool:
        try:
            return self._cluster_batch_once(progress)
        except BaseException:
            # The batch rolled back, but the in-memory state already holds its documents:
            # forget it, and rebuild it from the database on the next batch.
            self._clusterer = None
            raise

    def _cluster_batch_once(self, progress: Progress) -> bool:
        with metrics.ANALYSIS_SECONDS.labels("clustering").time(), \
                db.session_scope(self.engine) as session:
            clusterer = self._ensure_clusterer(session)
            batch = store.unclustered(session, BATCH)
            # decided in memory first; written after the loop (see store.NewEvents)
            events = store.NewEvents(session)
            merges: list[tuple[int, int]] = []
            done: list[store.Assigned] = []
            placed: dict[int, int] = {}  # item -> event, for edits later in this batch
            merged: dict[int, int] = {}  # event merged away -> the event it joined
            for revision in batch:
                if revision.number > 1:  # an edit keeps its item's event
                    title, text, event_id = store.previous_version(session, revision)
                    event_id = placed.get(revision.item_id, event_id)
                    if event_id is not None:
                        event_id = survivor(event_id, merged)
                        clusterer.revise(event_id, revision.item_id, document(title, text),
                                         document(revision.title, revision.text),
                                         revision.observed_at)
                    done.append(store.Assigned(revision, None))
                    continue
                assignment = clusterer.add(
                    document(revision.title, revision.text), revision.observed_at,
                    new_id=partial(events.new, revision.title, revision.observed_at),
                    key=revision.item_id)
                for gone, into in assignment.merged:
                    merges.append((gone, into))
                    merged[gone] = into
                progress.new_events += assignment.new
                progress.merged += len(assignment.merged)
                placed[revision.item_id] = assignment.event_id
                done.append(store.Assigned(revision, assignment.event_id))
            events.write(session)
            for gone, into in merges:  # in the order the clusterer merged them
                store.merge_events(session, gone, into)
            done = [store.Assigned(a.revision, a.event_id and survivor(a.event_id, merged))
                    for a in done]
            touched = {a.event_id for a in done if a.event_id is not None}
            store.assign(session, done, {e: [readable(t) for t in clusterer.top_terms(e, 10)]
                                         for e in touched})
            progress.clustered += len(batch)
        metrics.ANALYSED.labels("clustering").inc(len(batch))
        return bool(batch)

    def _ensure_clusterer(self, session) -> Clusterer:
        if self._clusterer is None:
            clusterer = Clusterer(params=self.params)
            since = self.clock() - self.params.dormant_after
            for item_id, event_id, title, body, seen in store.recent_documents(session, since):
                clusterer.restore(event_id, document(title, body), seen, key=item_id)
            self._clusterer = clusterer
        return self._clusterer

