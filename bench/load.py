"""A load generator, run as its own process so that it does not share the server's
interpreter: N threads issue GETs for a duration and report latencies as JSON."""

from __future__ import annotations

import json
import sys
import threading
import time

import httpx


def main(base: str, paths: list[str], seconds: float, threads: int) -> None:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(offset: int) -> None:
        nonlocal errors
        mine, bad = [], 0
        with httpx.Client(base_url=base, timeout=10) as client:
            n = offset
            while time.monotonic() < stop:
                began = time.perf_counter()
                status = client.get(paths[n % len(paths)]).status_code
                mine.append(time.perf_counter() - began)
                bad += status != 200
                n += threads
        with lock:
            latencies.extend(mine)
            errors += bad

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    began = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(json.dumps({"requests": len(latencies), "errors": errors,
                      "per_second": len(latencies) / elapsed, "p50_ms": pick(0.50),
                      "p99_ms": pick(0.99)}))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
