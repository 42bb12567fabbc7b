"""One round of a worker's fetching, for `tollwatch worker --once` and `tollwatch poll`:
the due feeds (or the given ones), then the article pages that are due, those of the
items the round just stored included.

Feeds first, pages after: a page that hangs holds up no feed of the round. Another
worker's feeds are not held up either: pages leave each host's last slot to its feeds
(service.articles.rules.room_for_article). In the long-running worker the two run side
by side instead (service.daemon).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from service.articles.stage import ArticleRun, ArticleStage
from service.config import Settings
from service.worker import Poller, PollSummary


@dataclass(frozen=True)
class Round:
    polls: list[PollSummary]
    articles: ArticleRun


async def fetch_once(settings: Settings, engine: Engine,
                     feed_ids: list[int] | None = None) -> Round:
    """Poll the due feeds (or exactly ``feed_ids``), then read every due article page."""
    async with Poller(settings, engine) as poller:
        polls = await poller.poll_due(feed_ids)
    async with ArticleStage(settings, engine) as stage:
        articles = await stage.run_due()
    return Round(polls, articles)
