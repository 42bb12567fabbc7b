"""The analysis stage: read figures from new revisions, then assign items to events.

Runs after polling, in whichever process holds the analysis lock (a PostgreSQL advisory
lock; SQLite has a single writer anyway), so one clusterer at a time decides events. Its
in-memory state is rebuilt on start from the items of the dormancy window, so a restart
or another worker continues where the last one stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import Engine, text

from service import db, metrics
from service.casualties import extract
from service.clustering import Clusterer, Params, document, readable, survivor
from service.models import utcnow
from service.store import analysis as store

log = logging.getLogger(__name__)
BATCH = 200
_LOCK = 0x746F6C6C_616E61  # "tollana"


@dataclass
class Progress:
    extracted: int = 0
    figures: int = 0
    clustered: int = 0
    new_events: int = 0
    merged: int = 0  # events merged into others
    seconds: float = 0.0


class Analyzer:
    def __init__(self, engine: Engine, params: Params | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.params = params or Params()
        self.clock = clock
        self._clusterer: Clusterer | None = None

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> Progress:
        """Extract and cluster everything pending (until ``should_stop`` says so, checked
        between batches); returns what was done."""
        started = time.monotonic()
        progress = Progress()
        with self.engine.connect() as lock_connection:
            if not self._lock(lock_connection):
                return progress  # another worker is analysing
            try:
                while not should_stop() and self._extract_batch(progress):
                    pass
                while not should_stop() and self._cluster_batch(progress):
                    pass
            finally:
                self._unlock(lock_connection)
        progress.seconds = time.monotonic() - started
        if progress.extracted or progress.clustered:
            log.info("analysed", extra={"revisions": progress.extracted,
                                        "figures": progress.figures,
                                        "clustered": progress.clustered,
                                        "new_events": progress.new_events,
                                        "merged_events": progress.merged})
        return progress

    def _lock(self, connection) -> bool:
        if db.is_sqlite(self.engine):
            return True
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _LOCK}).scalar()
        connection.commit()
        return bool(got)

    def _unlock(self, connection) -> None:
        if not db.is_sqlite(self.engine):
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK})
            connection.commit()

    def _extract_batch(self, progress: Progress) -> bool:
        with metrics.ANALYSIS_SECONDS.labels("extraction").time(), \
                db.session_scope(self.engine) as session:
            batch = store.pending(session, "extracted", BATCH)
            progress.figures += store.save_figures(session, [
                (r, extract(r.text, reference_year=r.observed_at.year)) for r in batch])
            progress.extracted += len(batch)
        metrics.ANALYSED.labels("extraction").inc(len(batch))
        return bool(batch)

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
            batch = store.pending(session, "clustered", BATCH)
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
                    new_id=partial(store.new_event, session, revision.title,
                                   revision.observed_at),
                    key=revision.item_id)
                for gone, into in assignment.merged:
                    store.merge_events(session, gone, into)
                    merged[gone] = into
                progress.new_events += assignment.new
                progress.merged += len(assignment.merged)
                placed[revision.item_id] = assignment.event_id
                done.append(store.Assigned(revision, assignment.event_id))
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

