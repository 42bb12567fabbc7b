"""Drive the real poller and analysis stage through the replay, on a simulated clock."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, update

from service import db
from service.analyze import Analyzer
from service.articles.stage import ArticleStage
from service.config import Settings
from service.demo.corpus import HOURS, OUTLETS, START, stories
from service.demo.server import ReplayClock, replay_server
from service.models import Feed
from service.store.feeds import add_feed
from service.worker import Poller


@dataclass
class ReplayResult:
    fetches: int = 0
    new_items: int = 0
    updated_items: int = 0
    figures: int = 0
    events: int = 0
    articles: int = 0  # article pages read and stored as revisions


async def replay(settings: Settings, engine: Engine, *, step_minutes: int = 10,
                 progress: Callable[[int, ReplayResult], None] | None = None) -> ReplayResult:
    """Replay the whole corpus into ``engine``'s database, ``step_minutes`` at a time.

    The replay is reproducible: the schedule's jitter is seeded and feeds are fetched one at
    a time, so items arrive, and are clustered, in the same order on every run.
    """
    # Ten outlets share one loopback host here, and the corpus' stories are a few
    # sentences long: the per-host budget and the article's minimum length are the
    # replay's own, not what a real site's politeness and paywall rules need.
    settings = settings.model_copy(update={"fetch_concurrency": 1, "article_concurrency": 1,
                                           "article_hourly_per_host": 10_000,
                                           "article_min_chars": 20})
    clock = ReplayClock(START)
    result = ReplayResult()
    with replay_server(stories(), clock) as base:
        with db.session_scope(engine) as session:
            for outlet in OUTLETS:
                add_feed(session, f"{base}/{outlet.slug}.xml", outlet.name,
                         "when_short" if outlet.headline_only else "never")
            session.exec(update(Feed).values(next_fetch_at=START))
        analyzer = Analyzer(engine, clock=clock)
        async with Poller(settings, engine, clock=clock, rng=random.Random(2016)) as poller, \
                ArticleStage(settings, engine, clock=clock, rng=random.Random(2016)) as articles:
            for minute in range(0, HOURS * 60 + 1, step_minutes):
                clock.set(START + timedelta(minutes=minute))
                for summary in await poller.poll_due():
                    result.fetches += 1
                    result.new_items += summary.new
                    result.updated_items += summary.updated
                result.articles += (await articles.run_due()).revisions
                done = await asyncio.to_thread(analyzer.run)
                result.figures += done.figures
                result.events += done.new_events
                if progress is not None:
                    progress(minute, result)
    return result

