"""lemon24/reader's first pass over the bench feeds: `reader_pass.py DB URLS_FILE WORKERS`.

Runs in the bench-only venv of bench/peer.py (reader needs Python >= 3.12), never in
tollwatch's: it adds every URL, times one ``update_feeds()`` (fetch, parse, store) and
prints the entries stored and the seconds, as JSON. reader's own search index is off, as
tollwatch's analysis is timed apart."""

from __future__ import annotations

import json
import sys
import time

from reader import make_reader


def main() -> None:
    database, urls_file, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    urls = open(urls_file).read().split()
    reader = make_reader(database, search_enabled=False)
    for url in urls:
        reader.add_feed(url)
    began, cpu = time.perf_counter(), time.process_time()
    reader.update_feeds(workers=workers)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    counts = reader.get_entry_counts()
    broken = sum(1 for feed in reader.get_feeds() if feed.last_exception)
    print(json.dumps({"entries": counts.total, "seconds": seconds, "cpu": cpu,
                      "broken": broken}))


if __name__ == "__main__":
    main()
