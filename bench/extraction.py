"""Time per item of the casualty reader: `python bench/extraction.py [--items N]`.

The bench's own ~1 KB items (bench/feeds.item_text, the text every ingest benchmark
extracts from) and the ECB+ dev articles (real news, ~1.8 KB each), best of three rounds of CPU time (the machine is shared),
so a busy machine lengthens neither side of a before/after comparison more than the other.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from feeds import item_text  # noqa: E402

from service.casualties import extract  # noqa: E402

ECB = HERE.parent.parent / "shared" / "data" / "ecbplus-dev.jsonl"
ROUNDS = 3


def per_item_us(texts: list[str]) -> float:
    """The best of ``ROUNDS`` passes, in microseconds per text."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        for text in texts:
            extract(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000, help="bench items to time")
    parser.add_argument("--ecb", type=Path, default=ECB, help="ECB+ dev articles (JSON Lines)")
    args = parser.parse_args()
    rng = random.Random(0)
    bench = [" ".join(item_text(rng, event=rng.randrange(400))) for _ in range(args.items)]
    print(f"bench items ({len(bench)}, ~1 KB): {per_item_us(bench):.0f} us/item")
    if args.ecb.exists():
        articles = [json.loads(line)["text"] for line in args.ecb.read_text().splitlines()
                    if line.strip()]
        print(f"ECB+ dev articles ({len(articles)}): {per_item_us(articles):.0f} us/item")


if __name__ == "__main__":
    main()
