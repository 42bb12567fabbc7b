"""The analysis stage in processes of its own, beside the poller.

Polling (fetch, store) and analysis (extract, cluster) are both Python: in one process
they would share one core, and a long backlog of analysis would hold up the next poll
round. So the long-running worker hands the analysis to child processes that read
what the poller stored, through the database (the one way data flows between them):
each analyses whatever is pending, waits ``analysis_tick`` seconds when nothing is,
and stops after its current batch when told to or when its parent is gone (a worker
killed with SIGKILL must not leave an orphan clustering beside its successor).

The first child clusters (when it holds the clustering lock), and reads figures when
nothing waits to be clustered; the others (``analysis_processes`` - 1) only read
figures, from revisions they lease as the first does. Reading figures is about half of
the analysis's CPU, and with a single child a backlog left by a poll round was worked
off on one core while the others idled.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from multiprocessing.synchronize import Event as StopEvent

from service import db, logs
from service.analyze import LEASE_SECONDS, Analyzer
from service.errors import ConfigError

log = logging.getLogger(__name__)


def _loop(database_url: str, log_level: str, tick: float, lease_seconds: int,
          stop: StopEvent, parent: int, cluster: bool, readers_beside: bool) -> None:
    logs.configure(log_level)
    log.info("analysis process started", extra={"pid": os.getpid(), "clusters": cluster})
    engine = db.make_engine(database_url)
    analyzer = Analyzer(engine, lease_seconds=lease_seconds, hold_lock=True, cluster=cluster,
                        readers_beside=readers_beside)
    stopping = lambda: stop.is_set() or os.getppid() != parent  # noqa: E731
    while not stopping():
        try:
            done = analyzer.run(should_stop=stopping)
        except Exception:  # the batch rolled back; the next run starts from the database
            log.exception("analysis failed; retrying")
            stop.wait(tick)
            continue
        if not (done.extracted or done.clustered):
            stop.wait(tick)
    analyzer.release()
    engine.dispose()


class AnalysisProcess:
    """Starts, watches and stops the child processes that run the analysis loop: the
    first clusters and reads figures, the other ``processes - 1`` read figures only."""

    def __init__(self, database_url: str, log_level: str, tick: float,
                 lease_seconds: int = LEASE_SECONDS, processes: int = 1) -> None:
        if db.is_in_memory(database_url):
            raise ConfigError("TOLLWATCH_DATABASE_URL: an in-memory SQLite database cannot be "
                              "shared with the analysis process; use a file "
                              "(sqlite:///tollwatch.db)")
        self._args = (database_url, log_level, tick, lease_seconds)
        self._context = multiprocessing.get_context("spawn")  # the parent has threads
        self._stop = self._context.Event()
        self._processes: list[multiprocessing.process.BaseProcess | None] = [None] * processes

    def start(self) -> None:
        self._stop.clear()
        for n in range(len(self._processes)):
            self._start(n)

    def _start(self, n: int) -> None:
        process = self._processes[n] = self._context.Process(
            target=_loop, args=(*self._args, self._stop, os.getpid(), n == 0,
                                len(self._processes) > 1),
            name="tollwatch-analysis", daemon=True)
        process.start()

    def keep_alive(self) -> None:
        """Restart any child that died (the stored state is all it needs)."""
        if self._stop.is_set():
            return
        for n, process in enumerate(self._processes):
            if process is not None and not process.is_alive():
                log.warning("analysis process exited; restarting it",
                            extra={"exitcode": process.exitcode})
                self._start(n)

    def stop(self, timeout: float = 60.0) -> None:
        """Ask the children to finish their batches and exit; kill those still running
        after ``timeout``."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for process in filter(None, self._processes):
            process.join(max(deadline - time.monotonic(), 0))
            if process.is_alive():
                log.warning("analysis process did not stop in time; terminating it")
                process.terminate()
                process.join()
