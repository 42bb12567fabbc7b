"""Labelled items streamed through the real pipeline: import, store, analysis stage.

The one evaluation with I/O (a temporary SQLite database), so that the figure reported
is the one the service itself reaches, storage and batching included — not only the
clusterer's in-memory arithmetic.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Mapping
from pathlib import Path

from service import db
from service.analyze import Analyzer
from service.clustering import Params
from service.importer import parse_row
from service.models import utcnow
from service.store.items import iter_items, store_imported

OUTLET = "labelled"  # the labelled data names no outlets; one stands for all


def stream_stored(rows: list[Mapping[str, str]], *, seed: int, params: Params,
                  titles_only: bool = False) -> dict[str, int]:
    """Import ``rows`` in a shuffled order into a fresh database, run the analysis stage,
    and return each row's event id as the database has it."""
    order = list(rows)
    random.Random(seed).shuffle(order)
    imported = [parse_row(json.dumps({"id": row["id"], "outlet": OUTLET, "title": row["title"],
                                      "text": "" if titles_only else row["text"]}))
                for row in order]
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
