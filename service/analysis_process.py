"""The analysis stage in a process of its own, beside the poller.

Polling (fetch, store) and analysis (extract, cluster) are both Python: in one process
they would share one core, and a long backlog of analysis would hold up the next poll
round. So the long-running worker hands the analysis to a child process that reads
what the poller stored, through the database (the one way data flows between them):
it analyses whatever is pending, waits ``analysis_tick`` seconds when nothing is,
and stops after its current batch when told to or when its parent is gone (a worker
killed with SIGKILL must not leave an orphan clustering beside its successor).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.synchronize import Event as StopEvent

from service import db, logs
from service.analyze import LEASE_SECONDS, Analyzer
from service.errors import ConfigError

log = logging.getLogger(__name__)


def _loop(database_url: str, log_level: str, tick: float, lease_seconds: int,
          stop: StopEvent, parent: int) -> None:
    logs.configure(log_level)
    log.info("analysis process started", extra={"pid": os.getpid()})
    engine = db.make_engine(database_url)
    analyzer = Analyzer(engine, lease_seconds=lease_seconds, hold_lock=True)
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
    """Starts, watches and stops the child process that runs the analysis loop."""

    def __init__(self, database_url: str, log_level: str, tick: float,
                 lease_seconds: int = LEASE_SECONDS) -> None:
        if db.is_in_memory(database_url):
            raise ConfigError("TOLLWATCH_DATABASE_URL: an in-memory SQLite database cannot be "
                              "shared with the analysis process; use a file "
                              "(sqlite:///tollwatch.db)")
        self._args = (database_url, log_level, tick, lease_seconds)
        self._context = multiprocessing.get_context("spawn")  # the parent has threads
        self._stop = self._context.Event()
        self._process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        self._stop.clear()
        self._process = self._context.Process(
            target=_loop, args=(*self._args, self._stop, os.getpid()),
            name="tollwatch-analysis", daemon=True)
        self._process.start()

    def keep_alive(self) -> None:
        """Restart the child if it died (the stored state is all it needs)."""
        if self._process is not None and not self._process.is_alive() and not self._stop.is_set():
            log.warning("analysis process exited; restarting it",
                        extra={"exitcode": self._process.exitcode})
            self.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Ask the child to finish its batch and exit; kill it after ``timeout``."""
        if self._process is None:
            return
        self._stop.set()
        self._process.join(timeout)
        if self._process.is_alive():
            log.warning("analysis process did not stop in time; terminating it")
            self._process.terminate()
            self._process.join()
