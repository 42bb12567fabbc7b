"""Labelled items streamed through the real pipeline: import, store, analysis stage.

The one evaluation with I/O (a temporary SQLite database), so that the figure reported
is the one the service itself reaches, storage and batching included — not only the
clusterer's in-memory arithmetic.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from service import db
from service.analyze import Analyzer
from service.clustering import Params
from service.evaluation.clustering import order, shaped
from service.importer import parse_row
from service.models import utcnow
from service.store.items import iter_items, store_imported

OUTLET = "labelled"  # the labelled data names no outlets; one stands for all


def stream_stored(rows: list[Mapping[str, str]], *, seed: int | None, params: Params,
                  shape: str = "full") -> dict[str, int]:
    """Import ``rows`` (cut to ``shape``, in the order of ``seed``: see
    :func:`~service.evaluation.clustering.order`) into a fresh database, run the analysis
    stage, and return each row's event id as the database has it. A row's ``published``
    time, where it has one, is its item's, so the clusterer sees the stream's own times
    (events falling dormant included) rather than the moment of the import."""
    imported = [parse_row(json.dumps({"id": row["id"], "outlet": OUTLET, "title": row["title"],
                                      "text": row["text"],
                                      **({"published": row["published"]}
                                         if row.get("published") else {})}))
                for row in (shaped(r, shape) for r in order(rows, seed))]
    with tempfile.TemporaryDirectory(prefix="tollwatch-eval-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'eval.db'}")
        try:
            db.upgrade(engine)
            with db.session_scope(engine) as session:
                store_imported(session, imported, utcnow())
            Analyzer(engine, params).run()
            with db.session_scope(engine) as session:
                return {row.external_id: row.event_id for row in iter_items(session)
                        if row.external_id is not None and row.event_id is not None}
        finally:
            engine.dispose()
