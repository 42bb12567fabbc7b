"""A load generator, run as its own process so that it does not share the server's
interpreter: N threads issue GETs and report latencies as JSON, with the CPU this
client spent.

`load.py BASE PATHS SECONDS THREADS [MODE]`, or `load.py --serve` (the same arguments
as a JSON list per line on stdin, one line of JSON back for each), where MODE is
- ``loop`` (default): the paths in turn for SECONDS;
- ``once``: each path exactly once, shared among the threads (what a path costs the
  first time it is asked for), SECONDS ignored;
- ``revalidate``: as ``loop``, but each thread sends back the ETag it was last given
  for a path in ``If-None-Match``, as a browser or a polling client does; a 304 is a
  success.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import httpx

MODES = ("loop", "once", "revalidate")


def measure(base: str, paths: list[str], seconds: float, threads: int,
            mode: str = "loop") -> dict[str, float]:
    """One load window's latencies, throughput and client CPU."""
    if mode not in MODES:
        raise SystemExit(f"mode must be one of {MODES}")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(offset: int) -> None:
        nonlocal errors
        mine, bad = [], 0
        tags: dict[str, str] = {}
        with httpx.Client(base_url=base, timeout=10) as client:
            n = offset
            # at least one request each in a timed mode: on a busy machine a thread can
            # start after the window closed, and a client that sent nothing measures nothing
            while (n < len(paths)) if mode == "once" else (n == offset or
                                                           time.monotonic() < stop):
                path = paths[n % len(paths)]
                headers = {"If-None-Match": tags[path]} if path in tags else {}
                began = time.perf_counter()
                response = client.get(path, headers=headers)
                mine.append(time.perf_counter() - began)
                bad += response.status_code not in ((200, 304) if mode == "revalidate" else (200,))
                if mode == "revalidate" and "etag" in response.headers:
                    tags[path] = response.headers["etag"]
                n += threads
        with lock:
            latencies.extend(mine)
            errors += bad

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    cpu = time.process_time()
    began = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - began
    cpu = time.process_time() - cpu
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": errors,
            "per_second": len(latencies) / elapsed, "p50_ms": pick(0.50),
            "p99_ms": pick(0.99),
            # this process's CPU (all its threads), per request and as a share
            # of one core: whether the client, not the server, is the limit
            "client_cpu_ms": cpu / max(len(latencies), 1) * 1000,
            "client_cores": cpu / elapsed}


def serve() -> None:
    """Windows asked for one per line on stdin (a JSON list of the arguments above),
    each answered with one line of JSON: one client process for a whole benchmark,
    whose start (an interpreter, httpx) would otherwise come with every window."""
    for line in sys.stdin:
        print(json.dumps(measure(*json.loads(line))), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        print(json.dumps(measure(sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]),
                                 int(sys.argv[4]), *sys.argv[5:6])))
