"""Prometheus metrics. Counters and latencies are kept by the process doing the work
(each worker's /metrics shows its own); totals read from the database at scrape time,
so any process's /metrics shows the whole store."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from service.models import CasualtyReport, DigestDelivery, Event, Feed, Item, ItemRevision

REGISTRY = CollectorRegistry(auto_describe=True)
FETCHES = Counter("tollwatch_fetches", "Feed fetches by outcome.", ["outcome"],
                  registry=REGISTRY)
FETCH_SECONDS = Histogram("tollwatch_fetch_seconds", "Time to fetch, parse and store one feed.",
                          registry=REGISTRY)
ANALYSIS_SECONDS = Histogram("tollwatch_analysis_seconds",
                             "Time per analysis batch, by stage (extraction, clustering).",
                             ["stage"], registry=REGISTRY)
ANALYSED = Counter("tollwatch_analysed_revisions", "Revisions analysed, by stage.", ["stage"],
                   registry=REGISTRY)
DIGESTS = Counter("tollwatch_digest_sends", "Digest send attempts by result.", ["result"],
                  registry=REGISTRY)


class StoreCollector(Collector):
    """Totals of the shared store, read when scraped."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with Session(self.engine) as session:
            for name, model, doc in (("items", Item, "Items stored."),
                                     ("revisions", ItemRevision, "Item revisions stored."),
                                     ("events", Event, "Events found."),
                                     ("figures", CasualtyReport, "Casualty figures read.")):
                count = session.exec(select(func.count()).select_from(model)).one()
                yield GaugeMetricFamily(f"tollwatch_{name}", doc, value=count)
            feeds = GaugeMetricFamily("tollwatch_feeds", "Feeds by last outcome.",
                                      labels=["outcome"])
            for outcome, count in session.exec(select(Feed.last_outcome, func.count())
                                               .group_by(col(Feed.last_outcome))).all():
                feeds.add_metric([outcome or "never"], count)
            yield feeds
            digests = GaugeMetricFamily("tollwatch_digest_deliveries",
                                        "Digest deliveries by status.", labels=["status"])
            for status, count in session.exec(select(DigestDelivery.status, func.count())
                                               .group_by(col(DigestDelivery.status))).all():
                digests.add_metric([status], count)
            yield digests


def fresh_registry(engine: Engine) -> CollectorRegistry:
    """The process's own metrics plus the store's totals for ``engine``."""
    registry = CollectorRegistry()
    registry.register(_Process())
    registry.register(StoreCollector(engine))
    return registry


class _Process(Collector):
    def collect(self):
        yield from REGISTRY.collect()
