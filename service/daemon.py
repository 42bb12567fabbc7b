"""The long-running process: an APScheduler 3 scheduler for the periodic jobs, and the
API, sharing one event loop.

The schedule of each feed lives in the database, so the scheduler holds only a few
jobs (poll whatever is due, every ``poll_tick`` seconds; later issues add theirs) and
its job store is never shared. Polling is a loop of its own rather than a scheduler
job: the scheduler cancels its running jobs when it shuts down, and a poll round
cancelled half-way would leave its feeds leased. SIGTERM/SIGINT stop new work, let the
feeds in flight finish (each fetch is bounded by ``total_timeout``, each parse by
``parse_timeout``) and their transactions commit, then exit; a round still running
after ``STOP_MARGIN`` more seconds is cancelled (its leases expire).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from typing import TYPE_CHECKING

import uvicorn
from sqlalchemy import Engine

from service.api.app import create_app
from service.api.listen import listen
from service.config import Settings
from service.models import utcnow

if TYPE_CHECKING:
    from service.analysis_process import AnalysisProcess
    from service.digest.deliver import Sender
    from service.worker import Poller

log = logging.getLogger(__name__)
STOP_MARGIN = 30.0  # seconds granted on stop beyond a fetch's and a parse's own limits


class Daemon:
    def __init__(self, settings: Settings, engine: Engine, *, worker: bool = True,
                 api: bool = True) -> None:
        self.settings = settings
        self.engine = engine
        self.worker = worker
        self.api = api
        self._stopping = asyncio.Event()
        # fetch → store here; extract → cluster in processes of their own, reading what
        # this one stored, so the stages use every core and never wait for each other
        self._analysis: AnalysisProcess | None = None
        if worker:  # `tollwatch api` serves without loading the worker's modules
            from service.analysis_process import AnalysisProcess
            self._analysis = AnalysisProcess(settings.database_url, settings.log_level,
                                             settings.analysis_tick, settings.lease_seconds,
                                             settings.analysis_processes)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
        tasks = []
        if self.api:  # bound before the rest starts: a busy port stops it with one line
            sock = listen(self.settings.api_host, self.settings.api_port)
            tasks.append(asyncio.create_task(self._serve_api(sock)))
        if self.worker:
            tasks.append(asyncio.create_task(self._work()))
        await asyncio.gather(*tasks)
        log.info("stopped cleanly")

    def stop(self) -> None:
        if not self._stopping.is_set():
            log.info("stopping: finishing the feeds in flight")
            self._stopping.set()

    async def _work(self) -> None:
        # the worker's modules (the scheduler, fetching, articles, the digest and its
        # charts) load when the work starts, so that `tollwatch api` starts without them
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        from service.articles.stage import ArticleStage
        from service.digest.deliver import Sender
        from service.worker import Poller

        self._sender: Sender = Sender(self.settings, self.engine)
        analysis = self._analysis
        assert analysis is not None
        analysis.start()
        async with Poller(self.settings, self.engine) as poller, \
                ArticleStage(self.settings, self.engine) as articles:
            scheduler = AsyncIOScheduler(timezone="UTC")
            # its own job, not part of a poll: a page that hangs never holds up a feed
            scheduler.add_job(articles.run_due, "interval", seconds=self.settings.article_tick,
                              max_instances=1, coalesce=True, id="articles",
                              name="read the article pages of full-text feeds")
            scheduler.add_job(analysis.keep_alive, "interval", seconds=10, id="analysis",
                              name="restart the analysis process if it died")
            if self.settings.digest_to:  # every minute: sends each due day once, catches up
                scheduler.add_job(self._digest, "interval", seconds=60, max_instances=1,
                                  coalesce=True, next_run_time=utcnow(), id="digest",
                                  name="send the daily digest when due")
            scheduler.start()
            polling = asyncio.create_task(self._poll_loop(poller))
            log.info("worker started", extra={"worker": self.settings.worker_id,
                                              "tick": self.settings.poll_tick})
            await self._stopping.wait()
            scheduler.shutdown(wait=False)
            poller.stop()
            articles.stop()
            grace = self.settings.total_timeout + self.settings.parse_timeout + STOP_MARGIN
            try:  # the round in flight, if any, ends here
                await asyncio.wait_for(polling, timeout=grace)
            except TimeoutError:
                log.warning("polls in flight did not finish in time; their leases will expire",
                            extra={"seconds": grace})
        await asyncio.to_thread(analysis.stop)  # after its current batch

    async def _poll_loop(self, poller: Poller) -> None:
        """A poll round every ``poll_tick`` seconds, until told to stop."""
        while not self._stopping.is_set():
            await self._poll(poller)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.poll_tick)
            except TimeoutError:
                pass

    async def _poll(self, poller: Poller) -> None:
        summaries = await poller.poll_due()
        if summaries:
            log.info("poll round done", extra={"feeds": len(summaries),
                                               "new": sum(s.new for s in summaries),
                                               "updated": sum(s.updated for s in summaries)})

    async def _digest(self) -> None:
        if not self._stopping.is_set():
            await asyncio.to_thread(self._sender.send_due)

    async def _serve_api(self, sock: socket.socket) -> None:
        config = uvicorn.Config(create_app(self.settings, self.engine),
                                host=self.settings.api_host, port=self.settings.api_port,
                                log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        log.info("api listening", extra={"url": f"http://{self.settings.api_host}:"
                                                f"{self.settings.api_port}"})
        await asyncio.wait([serving, asyncio.create_task(self._stopping.wait())],
                           return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        await serving

