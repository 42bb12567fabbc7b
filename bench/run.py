"""tollwatch's benchmarks: `python bench/run.py [--quick] [--only NAME] [--record]`.

Each benchmark is a ratio against a baseline measured in the same run on the same
machine, so the figures compare across machines: feedparser alone for ingest, the first
poll for the re-poll, a run without slow feeds for the slow-feed case, an idle
interpreter for memory, /health for the API, `import typer` and a bare FastAPI app for
start-up. Each benchmark runs in an interpreter of its own; `--quick`, a smoke run of
every benchmark at small sizes (QUICK below) under a minute in all, runs them in one.
`--record` writes the table to bench/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import json
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import httpx
from sqlalchemy import func, update
from sqlmodel import col, select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from feeds import item_text, rss_body, serving  # noqa: E402
from peer import reader_first_pass, reader_python  # noqa: E402
from populate import populate  # noqa: E402
from startup import (  # noqa: E402
    BARE_API, best_wall_times, seconds_to_first_health, tollwatch_command)

from service import db  # noqa: E402
from service.analysis_process import AnalysisProcess  # noqa: E402
from service.analyze import Analyzer  # noqa: E402
from service.clustering import Clusterer, document  # noqa: E402
from service.config import load_settings  # noqa: E402
from service.models import Feed, ItemRevision, utcnow  # noqa: E402
from service.store.feeds import add_feed  # noqa: E402
from service.worker import Poller  # noqa: E402


BENCHMARKS = ["ingest", "scaleout", "clustering", "slow", "memory", "api", "startup", "articles"]


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs. ``rounds``: timings that a busy machine can only
    lengthen are measured this many times, the two sides of a ratio alike and
    alternating, and the best of each kept. Every ratio's baseline is measured at the
    same size in the same run; a quick run's ratios are smoke readings all the same: at
    its sizes fixed costs (a poller's or a server's start) weigh far more than in the
    full run (the quick ingest's poll is mostly its start), so they do not compare to
    the full run's."""

    rounds: int
    ingest_feeds: int
    ingest_items: int  # per feed, for ingest and scale-out
    scaleout_feeds: int
    cluster_small: int  # documents in the clusterer's live state: the baseline
    cluster_large: int
    cluster_measured: int
    slow_feeds: int
    slow_slow: int
    slow_delay: float
    memory_items: int
    article_pages: int
    api_items: int
    api_events: int
    api_seconds: float  # each load window
    startup_rounds: int


FULL = Sizes(rounds=3, ingest_feeds=500, ingest_items=40, scaleout_feeds=250,
             cluster_small=20_000, cluster_large=200_000, cluster_measured=2_000,
             slow_feeds=1000, slow_slow=50, slow_delay=10.0, memory_items=200_000,
             article_pages=500, api_items=200_000, api_events=2_000, api_seconds=15,
             startup_rounds=15)
# A smoke run of every benchmark: the whole of `--quick` in under a minute on a busy
# 2-core machine. Most of its time is fixed costs (interpreters and servers started:
# the API's eleven load windows are each a client process's start and the window),
# so the waits are short: a slow feed answers after 1 s (the stall limit is 0.5 s at
# the quickest, so it still stalls) and each API window lasts 0.25 s.
QUICK = Sizes(rounds=1, ingest_feeds=10, ingest_items=20, scaleout_feeds=10,
              cluster_small=300, cluster_large=3_000, cluster_measured=300,
              slow_feeds=20, slow_slow=4, slow_delay=1.0, memory_items=2_000,
              article_pages=10, api_items=2_000, api_events=100, api_seconds=0.25,
              startup_rounds=1)


@dataclass
class Row:
    name: str
    figure: str
    baseline: str
    ratio: float
    aim: str

    @property
    def met(self) -> str:
        if not self.aim:
            return ""
        op, value = self.aim[:2], float(self.aim[2:])
        return "yes" if (self.ratio >= value if op == ">=" else self.ratio <= value) else "no"


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def fresh_store(directory: Path, name: str, **settings: object):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{directory / name}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    return engine, load_settings(database_url=url, allow_private_addresses=True,
                                 log_level="WARNING", **settings)


async def poll_all(settings, engine, on_done: Callable[[str], None] | None = None) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    async with Poller(settings, engine) as poller:
        summaries = await poller.poll_due()
    failed = [s for s in summaries if s.error]
    if failed:
        raise SystemExit(f"benchmark feeds failed: {failed[:3]}")
    return time.perf_counter() - started


def add_feeds(engine, base: str, paths: list[str]) -> None:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        for n, path in enumerate(paths):
            add_feed(session, base + path, f"Outlet {n % 50}")


def make_due(engine) -> None:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        session.exec(update(Feed).values(next_fetch_at=utcnow()))  # type: ignore[call-overload]


def bench_ingest(work: Path, feeds: int, items: int, rounds: int, quick: bool) -> list[Row]:
    """The same served feeds through feedparser alone, lemon24/reader's first pass, and
    tollwatch's poll, analysis, and both together as the worker runs them (analysis in
    processes of its own beside the poller; in a full run also with one analysis
    process, to compare); then the re-poll of the unchanged feeds."""
    bodies = {f"/f{n}": rss_body(n, items) for n in range(feeds)}
    total = feeds * items
    progress(f"ingest: feedparser alone on {total} items ({sum(map(len, bodies.values())) >> 20} MB)")
    began = time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for body in bodies.values())
    parser_rate = parsed / (time.perf_counter() - began)
    python, why_not = reader_python(build=not quick)
    if not python:
        print(f"note: lemon24/reader skipped: {why_not}", file=sys.stderr, flush=True)
    with serving(bodies) as base:
        peer = None
        if python:
            progress("ingest: lemon24/reader, update_feeds(), first pass")
            peer = reader_first_pass(python, [base + path for path in bodies], work)
            if peer["entries"] != total or peer["broken"]:
                raise SystemExit(f"reader did not store every entry: {peer}")
        # every bench feed is on one host (loopback); a per-host cap of 32 stands for
        # feeds spread over many hosts
        engine, settings = fresh_store(work, "poll.db", fetch_concurrency=32, fetch_per_host=32)
        add_feeds(engine, base, list(bodies))
        progress("ingest: tollwatch poll alone (fetch, parse, store)")
        poll_cpu = _cpu_with_children()
        first_poll = asyncio.run(poll_all(settings, engine))
        poll_cpu = _cpu_with_children() - poll_cpu
        progress("ingest: tollwatch analysis alone, one process (figures, events)")
        began = time.perf_counter()
        done = Analyzer(engine).run()
        analysis = time.perf_counter() - began
        processes = load_settings().analysis_processes
        # the worker's default, and (not in a quick run) one analysis process, as
        # before their number was a setting: which is faster depends on idle cores
        single = None if quick or processes == 1 else _pipeline(work, base, list(bodies), 1)
        engine, settings, pipeline = _pipeline(work, base, list(bodies), processes)
        repoll_rows = _repoll(engine, settings, base, bodies, first_poll, rounds)
    rate, poll_rate, analysis_rate = total / pipeline, total / first_poll, total / analysis
    reader_rate = peer["entries"] / peer["seconds"] if peer else 0.0
    versus = f"reader first pass {reader_rate:,.0f} items/s" if peer else f"reader: {why_not}"

    def to_reader(value: float) -> float:
        return value / reader_rate if peer else 0.0

    skipped = done.skipped / max(done.extracted, 1)
    reader_cpu = f"reader first pass {peer['cpu'] / total * 1e6:,.0f} us/item" if peer else versus
    return [
        Row(f"feedparser alone, {feeds}x{items} items", f"{parser_rate:,.0f} items/s", versus,
            to_reader(parser_rate), ""),
        Row("lemon24/reader 3.27 `update_feeds()`, first pass (same feedparser)",
            f"{reader_rate:,.0f} items/s" if peer else "skipped", f"feedparser alone "
            f"{parser_rate:,.0f} items/s", reader_rate / parser_rate, ""),
        Row("tollwatch poll (fetch, parse, store), SQLite", f"{poll_rate:,.0f} items/s", versus,
            to_reader(poll_rate), ">=1.2"),
        Row("the same poll's CPU, the worker and its parse processes (ratio: reader's CPU "
            "per item over ours)", f"{poll_cpu / total * 1e6:,.0f} us/item", reader_cpu,
            peer["cpu"] / poll_cpu if peer else 0.0, ""),
        Row(f"tollwatch analysis, one process: figures {done.extraction_cpu / total * 1e6:,.0f}"
            f" us/item CPU ({skipped:.0%} skipped by the prefilter), events "
            f"{done.clustering_cpu / total * 1e6:,.0f} us/item", f"{analysis_rate:,.0f} items/s",
            versus, to_reader(analysis_rate), ""),
        Row(f"tollwatch poll + analysis, as the worker runs them ({processes} analysis "
            f"processes)", f"{rate:,.0f} items/s", versus, to_reader(rate), ">=1.0"),
        Row("", "", f"feedparser alone {parser_rate:,.0f} items/s", rate / parser_rate, ">=0.8"),
        *([Row("the same against one analysis process", f"{rate:,.0f} items/s",
               f"one analysis process {total / single[2]:,.0f} items/s",
               single[2] / pipeline, "")] if single else []),
        *repoll_rows,
    ]


def _pipeline(work: Path, base: str, paths: list[str], processes: int):  # type: ignore[no-untyped-def]
    """Poll and analysis together, as the worker runs them (the analysis in
    ``processes`` processes of its own beside the poller), on a fresh store: the store,
    its settings, and the seconds until every item is analysed."""
    engine, settings = fresh_store(work, f"ingest-{processes}.db", fetch_concurrency=32,
                                   fetch_per_host=32)
    add_feeds(engine, base, paths)
    progress(f"ingest: poll and analysis together, as the worker runs them ({processes} "
             f"analysis processes)")
    child = AnalysisProcess(settings.database_url, "WARNING", tick=0.05, processes=processes)
    began = time.perf_counter()
    child.start()
    asyncio.run(poll_all(settings, engine))
    while _not_analysed(engine):
        time.sleep(0.05)
    seconds = time.perf_counter() - began
    child.stop()
    return engine, settings, seconds


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its children that have ended (a poller's parse
    processes end with it; the feed server, still running, is not counted)."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


def _repoll(engine, settings, base: str, bodies: dict[str, bytes], first_poll: float,  # type: ignore[no-untyped-def]
            rounds: int) -> list[Row]:
    """The unchanged feeds again (all 304): wall time against the first poll, and CPU at
    the default per-host cap against a cap of 32, best of ``rounds`` each, alternating."""
    default_cap = load_settings().fetch_per_host
    capped = settings.model_copy(update={"fetch_per_host": default_cap})
    walls: dict[int, list[float]] = {32: [], default_cap: []}
    cpus: dict[int, list[float]] = {32: [], default_cap: []}
    for round_ in range(rounds):
        for cap, chosen in ((32, settings), (default_cap, capped)):
            progress(f"re-poll: {len(bodies)} unchanged feeds, per-host cap {cap} "
                     f"({round_ + 1} of {rounds})")
            make_due(engine)
            cpu = time.process_time()
            walls[cap].append(asyncio.run(poll_all(chosen, engine)))
            cpus[cap].append(time.process_time() - cpu)
    repoll, cpu_wide, cpu_capped = min(walls[32]), min(cpus[32]), min(cpus[default_cap])
    return [
        Row(f"re-poll {len(bodies)} unchanged feeds (304)", f"{repoll:.2f} s",
            f"first poll {first_poll:.2f} s", repoll / first_poll, "<=0.1"),
        Row(f"the same re-poll's CPU at the default per-host cap ({default_cap})",
            f"{cpu_capped:.2f} s", f"cap 32: {cpu_wide:.2f} s", cpu_capped / cpu_wide, "<=1.1"),
    ]


def _not_analysed(engine) -> int:  # type: ignore[no-untyped-def]
    with db.session_scope(engine) as session:
        return session.exec(select(func.count()).where(  # type: ignore[no-any-return]
            ~col(ItemRevision.extracted) | ~col(ItemRevision.clustered))).one()


def bench_scaleout(work: Path, feeds: int, items: int, url: str) -> list[Row]:
    """1, 2 and 4 `tollwatch worker` processes (each with its analysis process) on one
    PostgreSQL database and the same served feeds: items/s from the moment the feeds
    are due until every item is read and clustered. The workers are started first, so
    their start-up is not counted."""
    bodies = {f"/f{n}": rss_body(n, items) for n in range(feeds)}
    total, rates, rows = feeds * items, {}, []
    with serving(bodies) as base:
        for workers in (1, 2, 4):
            progress(f"scale-out: {workers} worker(s), {total} items, PostgreSQL")
            engine = db.make_engine(url)
            _empty_schema(engine)
            db.upgrade(engine)
            seconds, readers = _workers_until_analysed(engine, url, base, list(bodies),
                                                       workers, work)
            engine.dispose()
            rates[workers] = total / seconds
            rows.append(Row(f"PostgreSQL, {workers} worker(s) (revisions read per analysis "
                            f"process: {'/'.join(map(str, readers))})",
                            f"{rates[workers]:,.0f} items/s", f"1 worker {rates[1]:,.0f} items/s",
                            rates[workers] / rates[1], ""))
    return rows


def _empty_schema(engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def _workers_until_analysed(engine, url: str, base: str, paths: list[str], workers: int,  # type: ignore[no-untyped-def]
                            work: Path) -> tuple[float, list[int]]:
    from sqlalchemy import text

    (work / "sources.toml").write_text("")
    each = load_settings().analysis_processes  # per worker, each logs its start
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
           "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
           "TOLLWATCH_FETCH_CONCURRENCY": "32", "TOLLWATCH_FETCH_PER_HOST": "64",
           "TOLLWATCH_POLL_TICK": "1", "TOLLWATCH_ANALYSIS_TICK": "0.05",
           "TOLLWATCH_SOURCES_FILE": str(work / "sources.toml"),
           "TOLLWATCH_ANALYSIS_PROCESSES": str(each)}
    logs = [work / f"worker-{workers}-{n}.log" for n in range(workers)]
    processes = []
    for n, log in enumerate(logs):
        with open(log, "w") as out:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "service", "worker"], cwd=work, stdout=subprocess.DEVNULL,
                stderr=out, env={**env, "TOLLWATCH_WORKER_ID": f"bench{n}"}))
    try:
        while sum(log.read_text().count("analysis process started") for log in logs) < workers * each:
            time.sleep(0.1)
        add_feeds(engine, base, paths)
        began = time.perf_counter()
        total = len(paths)
        while True:
            with engine.connect() as connection:
                items, behind = connection.execute(text(
                    "SELECT (SELECT count(*) FROM item), (SELECT count(*) FROM itemrevision "
                    "WHERE NOT extracted OR NOT clustered)")).one()
            if items and not behind and _all_polled(engine, total):
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        with engine.connect() as connection:
            readers = sorted(connection.execute(text(
                "SELECT count(*) FROM itemrevision GROUP BY lease_owner")).scalars(), reverse=True)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(120)
    return seconds, readers


def _all_polled(engine, feeds: int) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(text(  # type: ignore[no-any-return]
            "SELECT count(*) FROM feed WHERE last_fetched_at IS NOT NULL")).scalar() == feeds


class _Finished(logging.Handler):
    """Notes when each feed's poll was stored (the worker logs it after the commit)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        feed = getattr(record, "feed", None)
        if record.getMessage() == "polled feed" and feed:
            self.at[feed] = time.perf_counter()


def _clustering_rates(stored: int, measured: int, rounds: int) -> tuple[float, float]:
    """Items/s clustered (keywords and assignment) with ``stored`` items already in the
    clusterer's live state, all inside the dormancy window: the worst case. Items are
    the ingest benchmark's ~1 KB texts, ten per event. Passes of ``measured`` items: the
    first just after the state was rebuilt (as after a restart: no event's vectors
    cached yet), then the best of ``rounds`` in the steady state that follows."""
    rng = random.Random(5)
    events = (stored + measured) // 10
    clusterer = Clusterer()
    for n in range(stored):
        clusterer.restore(1 + n % events, document(*item_text(rng, event=n % events)), None)
    clusterer.state.next_id = events + 1
    rates = []
    for _ in range(1 + rounds):
        batch = [item_text(rng, event=rng.randrange(events)) for _ in range(measured)]
        began = time.process_time()  # one core: the clusterer runs in one thread
        for title, text in batch:
            clusterer.add(document(title, text))
        rates.append(measured / (time.process_time() - began))
    return rates[0], max(rates[1:])


def bench_clustering(small: int, large: int, measured: int, rounds: int) -> list[Row]:
    progress(f"clustering: {measured:,} items {1 + rounds} times beside {small:,} stored")
    cold_small, small_rate = _clustering_rates(small, measured, rounds)
    progress(f"clustering: {measured:,} items {1 + rounds} times beside {large:,} stored")
    cold_large, large_rate = _clustering_rates(large, measured, rounds)
    return [
        Row(f"cluster ~1 KB items, {large:,} in the live state", f"{large_rate:,.0f} items/s",
            f"{small:,} in the live state: {small_rate:,.0f} items/s", small_rate / large_rate,
            "<=1.5"),
        Row("", "aim: >= 2,000 items/s on one core", "", large_rate / 2000, ">=1.0"),
        Row(f"the same, the first {measured:,} after a restart", f"{cold_large:,.0f} items/s",
            f"{small:,} in the live state: {cold_small:,.0f} items/s", cold_small / cold_large,
            ""),
    ]


def bench_slow(work: Path, feeds: int, slow: int, delay: float, rounds: int) -> list[Row]:
    bodies = {f"/f{n}": rss_body(n, 5) for n in range(feeds)}
    slow_paths = {f"/f{n}" for n in range(0, feeds, feeds // slow)}
    fast = [p for p in bodies if p not in slow_paths]
    times: dict[str, list[float]] = {"without": [], "with": []}
    for label, paths, round_ in [(label, paths, round_) for round_ in range(rounds)
                                 for label, paths in (("without", fast), ("with", list(bodies)))]:
        progress(f"slow feeds: {len(fast)} fast feeds, {label} {len(slow_paths)} slow ones "
                 f"({round_ + 1} of {rounds})")
        # every bench feed is on one host (loopback); lifting the per-host cap stands for
        # feeds spread over many hosts, where slow servers hold no one else's slots
        engine, settings = fresh_store(work, f"slow-{label}-{round_}.db", total_timeout=delay * 3,
                                       read_timeout=delay * 2, fetch_per_host=10_000)
        watcher = _Finished()
        worker_log = logging.getLogger("service.worker")
        worker_log.addHandler(watcher)
        worker_log.setLevel(logging.INFO)
        with serving(bodies, slow_paths, delay) as base:
            add_feeds(engine, base, paths)
            began = time.perf_counter()
            asyncio.run(poll_all(settings, engine))
        worker_log.removeHandler(watcher)
        times[label].append(max(watcher.at[base + p] for p in fast) - began)
    alone, beside = min(times["without"]), min(times["with"])
    return [Row(f"{len(fast)} fast feeds beside {len(slow_paths)} answering after {delay:.0f} s "
                f"(best of {rounds} each)", f"{beside:.2f} s", f"alone {alone:.2f} s",
                beside / alone, "<=1.1")]


def _peak_rss_mb(command: list[str], env: dict[str, str]) -> float:
    wrapper = ("import resource, subprocess, sys, json; "
               "subprocess.run(json.loads(sys.argv[1]), check=True); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", wrapper, json.dumps(command)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024


def bench_memory(work: Path, items: int) -> list[Row]:
    url = f"sqlite:///{work / 'memory.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    progress(f"memory: filling a store with {items:,} items")
    populate(engine, items, max(items // 100, 1), now=datetime.now(timezone.utc))
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_LOG_LEVEL": "WARNING"}
    idle = _peak_rss_mb([sys.executable, "-c", "import service.cli"], env)
    progress("memory: a worker pass (polling, analysis state rebuilt from the store)")
    worker = _peak_rss_mb([sys.executable, "-m", "service", "worker", "--once"], env)
    return [Row(f"worker peak RSS, {items:,} items stored", f"{worker:.0f} MB",
                f"interpreter with tollwatch imported {idle:.0f} MB", worker / idle,
                "")] + ([Row("", "aim: <= 300 MB absolute", "", worker / 300, "<=1.0")]
                        if items >= 200_000 else [])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds() -> tuple[dict[int, int], dict[int, int]]:
    """Each live process's parent and user and system CPU in clock ticks (Linux /proc)."""
    parents, spent = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid = int(stat.parent.name)
        parents[pid], spent[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    return parents, spent


def _tree_cpu_seconds(root: int) -> float:
    """User and system CPU of process ``root`` and its live descendants: what the server
    spent, whatever else the machine ran meanwhile."""
    parents, spent = _cpu_seconds()
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | found, bool(found)
    return sum(spent.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def _database_cpu_seconds(engine) -> float:  # type: ignore[no-untyped-def]
    """CPU of the PostgreSQL backends serving ``engine``'s database (other than the one
    asking), on this machine: the share of a request the server's own CPU leaves out.
    Nothing on SQLite, which runs in the server's process."""
    if engine.dialect.name != "postgresql":
        return 0.0
    from sqlalchemy import text
    with engine.connect() as connection:
        backends = connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalars().all()
    spent = _cpu_seconds()[1]
    return sum(spent.get(pid, 0) for pid in backends) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _api_server(url: str, workers: int) -> Iterator[tuple[str, int]]:
    """`tollwatch api` on ``url`` with ``workers`` processes, until /health answers: its
    base URL and process id."""
    port = _free_port()
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "service", "api", "--port", str(port),
                               "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(30)


class _LoadClient:
    """bench/load.py in a process of its own (not sharing the server's interpreter),
    started once and asked for each load window in turn: a process started per window
    (an interpreter and httpx, ~0.5 s each here) was a good share of a quick run."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([sys.executable, str(HERE / "load.py"), "--serve"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True)

    def __call__(self, base: str, paths: list[str], seconds: float, clients: int,
                 mode: str = "loop") -> dict[str, float]:
        """Latencies and throughput of one window."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps([base, paths, seconds, clients, mode]) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            raise SystemExit("API benchmark: the load client died")
        found: dict[str, float] = json.loads(answer)
        if found["errors"]:
            raise SystemExit(f"API benchmark: {found['errors']} failed requests")
        return found

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(30)


def _timing(result: dict[str, float]) -> str:
    """Latency, and the server's CPU per request: on a busy machine the first lengthens
    with the other processes' load, the second far less."""
    database = (f" + database {result['database_cpu_ms']:.2f}"
                if result.get("database_cpu_ms") else "")
    return (f"p99 {result['p99_ms']:.1f} ms, p50 {result['p50_ms']:.1f} ms, server CPU "
            f"{result['server_cpu_ms']:.2f}{database} ms/request")


def _throughput(result: dict[str, float]) -> str:
    """Requests per second and latency, with the client's own CPU: a client that used a
    whole core would be the limit, not the server."""
    return (f"{result['per_second']:,.0f} req/s, {_timing(result)} (client "
            f"{result['client_cores']:.2f} of a core)")


def bench_api(work: Path, items: int, events: int, seconds: float, url: str | None) -> list[Row]:
    label = "PostgreSQL" if url else "SQLite"
    url = url or f"sqlite:///{work / 'api.db'}"
    engine = db.make_engine(url)
    if url.startswith("postgresql"):
        from sqlalchemy import text
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    db.upgrade(engine)
    progress(f"api ({label}): filling a store with {items:,} items in {events:,} events")
    populate(engine, items, events)
    # a hundred events asked for in turn; a hundred others each asked for once, first
    # (every answer computed: as every request was before answers were kept)
    step = max(events // 100, 2)
    casualties = [f"/api/events/{e}/casualties" for e in range(1, events + 1, step)]
    unseen = [f"/api/events/{e}/casualties" for e in range(2, events + 1, step)]
    # full-text search: words naming one city (a few hundred matches each), and a
    # word every item holds (all of them ranked for the first page)
    searches = [f"/api/items?q=city+{e}&limit=20"
                for e in range(0, events, max(events // 200, 1))]
    everything = ["/api/items?q=blast&limit=20"]
    # events whose title or keywords, or one of whose items, hold the words (unranked)
    events_found = [f"/api/events?q=city+{e}&limit=20"
                    for e in range(0, events, max(events // 200, 1))]
    results = {}
    # latency with one client at a time; throughput with four (the server saturated)
    runs = {1: [("health", ["/health"], 1, "loop"), ("computed", unseen, 4, "once"),
                ("casualties", casualties, 1, "loop"), ("saturated", casualties, 4, "loop"),
                ("revalidated", casualties, 4, "revalidate"), ("search", searches, 1, "loop"),
                ("search_all", everything, 1, "loop"), ("events_search", events_found, 1, "loop")],
            2: [("workers", casualties, 4, "loop")]}
    _load = _LoadClient()
    for workers, planned in runs.items():
        with _api_server(url, workers) as (base, server):
            # the steady state of a server that has run a while: the casualties rows ask
            # for events already answered (what a first answer costs is the computed row)
            _load(base, casualties, max(seconds / 3, 0.5), 4)
            for name, paths, clients, mode in planned:
                progress(f"api ({label}): {name}, {seconds:g} s from {clients} client(s) "
                         f"in another process, {workers} server process(es)")
                spent, queried = _tree_cpu_seconds(server), _database_cpu_seconds(engine)
                results[name] = _load(base, paths, seconds, clients, mode)
                requests = max(results[name]["requests"], 1)
                results[name]["server_cpu_ms"] = ((_tree_cpu_seconds(server) - spent) * 1000
                                                  / requests)
                results[name]["database_cpu_ms"] = ((_database_cpu_seconds(engine) - queried)
                                                    * 1000 / requests)
    _load.close()
    ref, computed = results["health"], results["computed"]
    got, busy, both = results["casualties"], results["saturated"], results["workers"]
    again, found, every = results["revalidated"], results["search"], results["search_all"]
    in_events = results["events_search"]
    shape = f"{items:,} items, {events:,} events, {label}"
    computed_rate = f"every answer computed (each event's first request) " \
                    f"{computed['per_second']:,.0f} req/s, {_timing(computed)}"
    return [Row(f"GET /api/events/{{id}}/casualties, {shape}, one client",
                _timing(got), f"/health {_timing(ref)}", got["p99_ms"] / ref["p99_ms"], ""),
            Row("", "aim: p99 <= 25 ms absolute", "", got["p99_ms"] / 25, "<=1.0"),
            Row(f"the same, four clients, one server process, {label}",
                _throughput(busy), computed_rate,
                busy["per_second"] / computed["per_second"], ""),
            Row(f"the same, four clients, `--workers 2`, {label}",
                _throughput(both), computed_rate,
                both["per_second"] / computed["per_second"], ">=10"),
            Row("", "aim: p99 <= 25 ms absolute", "", both["p99_ms"] / 25, "<=1.0"),
            Row(f"the same, four clients revalidating (If-None-Match: 304), one process, "
                f"{label}", _throughput(again),
                computed_rate, again["per_second"] / computed["per_second"], ""),
            Row(f"GET /api/items?q=city+N (full-text, one city's items), {shape}, one client",
                _timing(found), f"/health {_timing(ref)}", found["p99_ms"] / ref["p99_ms"], ""),
            Row("", "aim: p99 <= 25 ms absolute", "", found["p99_ms"] / 25, "<=1.0"),
            Row(f"GET /api/items?q=blast (a word in every item: the newest 5,000 ranked), "
                f"{shape}, one client", _timing(every), f"/health {_timing(ref)}",
                every["p99_ms"] / ref["p99_ms"], ""),
            Row("", "aim: p99 <= 25 ms absolute", "", every["p99_ms"] / 25, "<=1.0"),
            Row(f"GET /api/events?q=city+N (events by their words or their items'), {shape}, "
                f"one client", _timing(in_events), f"/health {_timing(ref)}",
                in_events["p99_ms"] / ref["p99_ms"], ""),
            Row("", "aim: p99 <= 25 ms absolute", "", in_events["p99_ms"] / 25, "<=1.0")]


# What any command that reads the database imports before it does anything of its own:
# the models (sqlmodel) and the settings; and the least any reader through SQLAlchemy needs.
FLOOR = "import typer, sqlmodel, pydantic_settings"
ENGINE_ONLY = "import typer, sqlalchemy"


def bench_startup(work: Path, rounds: int, server_rounds: int) -> list[Row]:
    """A command's wall time against importing typer alone (a command line can start no
    faster), on a store following the shipped sources; the API's time to its first
    /health answer against a bare FastAPI app's, both started by uvicorn."""
    url = f"sqlite:///{work / 'startup.db'}"
    # as a user runs them: with the bytecode an install (or the first run) writes
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_LOG_LEVEL": "WARNING"}
    tollwatch = tollwatch_command()
    subprocess.run([*tollwatch, "feeds", "sync"], env=env, check=True, capture_output=True)
    progress(f"startup: --help, feeds list and import typer, best of {rounds} each")
    took = best_wall_times({"typer": [sys.executable, "-c", "import typer"],
                            "floor": [sys.executable, "-c", FLOOR],
                            "engine": [sys.executable, "-c", ENGINE_ONLY],
                            "help": [*tollwatch, "--help"],
                            "list": [*tollwatch, "feeds", "list"]}, env, rounds, work)
    progress(f"startup: the API until /health answers, and a bare FastAPI app, best of {server_rounds}")
    api, bare = [], []
    for _ in range(server_rounds):
        port = _free_port()
        api.append(seconds_to_first_health([*tollwatch, "api", "--port", str(port)], port, env,
                                           work))
        port = _free_port()
        bare.append(seconds_to_first_health([sys.executable, "-c", BARE_API, str(port)], port,
                                            env, work))
    typer_s = took["typer"]
    return [
        Row("`tollwatch --help`", f"{took['help']:.2f} s", f"`import typer` {typer_s:.2f} s",
            took["help"] / typer_s, "<=2"),
        Row("`tollwatch feeds list`, the shipped sources", f"{took['list']:.2f} s",
            f"`import typer` {typer_s:.2f} s", took["list"] / typer_s, "<=3"),
        Row("", "", f"importing what any database command needs: {took['floor']:.2f} s",
            took["list"] / took["floor"], ""),
        Row("`import typer, sqlalchemy`: no command reading the database through SQLAlchemy "
            "starts faster", f"{took['engine']:.2f} s", f"`import typer` {typer_s:.2f} s",
            took["engine"] / typer_s, ""),
        Row("`tollwatch api` until /health answers", f"{min(api):.2f} s",
            f"bare FastAPI app {min(bare):.2f} s", min(api) / min(bare), ""),
    ]


def _article_pages(count: int) -> dict[str, bytes]:
    """``count`` article pages: news-like paragraphs inside a site's navigation, share
    bar, reading list and footer (the replay's page layout)."""
    from service.demo.articles import article_page
    from service.demo.corpus import Outlet as DemoOutlet, Story, Version

    rng, site = random.Random(24), DemoOutlet("bench", "Bench News", "rss", headline_only=True)
    pages = {}
    for n in range(count):
        title, text = item_text(rng, size=3000)
        version = Version(0, title, text)
        pages[f"/a{n}"] = article_page(site, Story("bench", f"a{n}", (version,), "bench"), version)
    return pages


def bench_articles(work: Path, count: int) -> list[Row]:
    from service.articles.extract import extract_text
    from service.articles.stage import ArticleStage
    from service.parse import Entry
    from service.store.items import store_entries

    pages = _article_pages(count)
    progress(f"articles: the extractor alone on {count} pages")
    began = time.perf_counter()
    extracted = [extract_text(body, "http://bench.example" + path) for path, body in pages.items()]
    alone = count / (time.perf_counter() - began)
    assert all(e.text for e in extracted)
    # one loopback host stands for many sites: the per-host limits are lifted
    engine, settings = fresh_store(work, "articles.db", article_concurrency=8,
                                   fetch_per_host=10_000, article_hourly_per_host=10**6)
    with serving(pages) as base:
        with db.session_scope(engine) as session:
            feed = add_feed(session, base + "/feed", "Bench News", "always")
            store_entries(session, feed.outlet_id, feed.id, [  # type: ignore[arg-type]
                Entry(identity=path, guid=path, url=base + path, title=f"Headline {path}",
                      summary="", content="", text=f"Headline {path}", published=None,
                      updated=None) for path in pages], utcnow())
        progress(f"articles: queue, robots.txt, fetch, extract and store {count} pages")

        async def run():  # type: ignore[no-untyped-def]
            async with ArticleStage(settings, engine) as stage:
                # the extraction process starts (and imports trafilatura) with the first page
                await stage._extract(next(iter(pages.values())), base)
                began = time.perf_counter()
                done = await stage.run_due()
                return done, time.perf_counter() - began

        done, seconds = asyncio.run(run())
    assert done.revisions == count, done
    rate = count / seconds
    return [Row(f"articles: {count} pages fetched, extracted (trafilatura) and stored; the "
                f"extractor's share of the time {done.extract_seconds / seconds:.0%}",
                f"{rate:,.1f} articles/s", f"extractor alone {alone:,.1f} pages/s",
                rate / alone, "")]


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | result | baseline (same run) | ratio | aim | met |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r.name} | {r.figure} | {r.baseline} | {r.ratio:.2f} | {r.aim} | {r.met} |"
              for r in rows]
    return "\n".join(lines)


def run_benchmarks(chosen: list[str], q: bool, postgres: str | None) -> list[Row]:
    size = QUICK if q else FULL
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tollwatch-bench-") as tmp:
        work = Path(tmp)
        if "ingest" in chosen:
            rows += bench_ingest(work, size.ingest_feeds, size.ingest_items, size.rounds, q)
        if "scaleout" in chosen:
            if postgres:
                rows += bench_scaleout(work, size.scaleout_feeds, size.ingest_items, postgres)
            else:
                print("note: scale-out skipped: it needs PostgreSQL (--postgres URL)",
                      file=sys.stderr, flush=True)
        if "clustering" in chosen:
            rows += bench_clustering(size.cluster_small, size.cluster_large,
                                     size.cluster_measured, size.rounds)
        if "slow" in chosen:
            rows += bench_slow(work, size.slow_feeds, size.slow_slow, size.slow_delay,
                               size.rounds)
        if "memory" in chosen:
            rows += bench_memory(work, size.memory_items)
        if "articles" in chosen:
            rows += bench_articles(work, size.article_pages)
        if "api" in chosen:
            for url in (None, postgres) if postgres else (None,):
                rows += bench_api(work, size.api_items, size.api_events, size.api_seconds, url)
        if "startup" in chosen:
            rows += bench_startup(work, size.startup_rounds, size.rounds)
    return rows


def isolated(name: str, q: bool, postgres: str | None) -> list[Row]:
    """One benchmark in a fresh interpreter: what an earlier one left in this process's
    heap (200,000 clustered documents) must not be measured as the next one's cost.
    (`--quick` leaves small heaps and runs all in one interpreter: a fresh one's start
    costs seconds on a busy machine, a good share of a quick run.)"""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, str(HERE / "run.py"), "--only", name, "--rows-to", out.name]
        command += ["--quick"] * q + (["--postgres", postgres] if postgres else [])
        subprocess.run(command, check=True)
        return [Row(**row) for row in json.loads(Path(out.name).read_text())]


def _spawn_without_this_script() -> None:
    """Processes started with multiprocessing's "spawn" (the pollers' parse processes,
    the analysis processes, the feed servers) first run the main script again, as
    ``__mp_main__``: this one imports everything the benchmarks use, ~1.2 s of CPU on
    the session-6 VM against ~0.2 s for what a parse process needs, some twenty times
    in a quick run. No process target lives in this script, so they need nothing of
    it; spawn runs the main script only if its module has a ``__file__``."""
    del sys.modules["__main__"].__file__


def main() -> None:
    _spawn_without_this_script()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run of every benchmark at small sizes: all of them in under "
                             "a minute")
    parser.add_argument("--only", choices=BENCHMARKS, action="append")
    parser.add_argument("--postgres", metavar="URL",
                        help="also run the scale-out and API benchmarks on this PostgreSQL "
                             "database (its public schema is dropped)")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--rows-to", metavar="FILE", help=argparse.SUPPRESS)  # see isolated()
    args = parser.parse_args()
    q = args.quick
    chosen = args.only or BENCHMARKS
    if args.rows_to:
        rows = run_benchmarks(chosen, q, args.postgres)
        Path(args.rows_to).write_text(json.dumps([asdict(row) for row in rows]))
        return
    if q:
        rows = run_benchmarks(chosen, q, args.postgres)
    else:
        rows = [row for name in chosen for row in isolated(name, q, args.postgres)]
    output = table(rows)
    print(output)
    if args.record:
        machine = (f"{platform.node()}: {platform.processor() or platform.machine()}, "
                   f"{os.cpu_count()} cores, Python {platform.python_version()}")
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\n`python bench/run.py{' --quick' if q else ''}"
            f"{' --postgres URL' if args.postgres else ''}` on "
            f"{datetime.now(timezone.utc):%Y-%m-%d}, {machine}.\n\n{output}\n")


if __name__ == "__main__":
    main()
