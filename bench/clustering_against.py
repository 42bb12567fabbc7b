"""The clusterer against an earlier revision of itself, in one run:
`python bench/clustering_against.py REV [--stored N] [--rounds R]`.

Both clusterers are given the same live state (N of the ingest benchmark's ~1 KB items,
ten per event, as `bench/run.py --only clustering` builds it) and then the same batches
of 2,000 new items, their turns alternating so that a busy machine slows both alike.
REV's `service/clustering` is read with `git show` into a temporary package, so nothing
is checked out. Prints items/s (CPU time of one core) for the first batch after the
state was built and the best and median of the batches that follow.
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from feeds import item_text  # noqa: E402

import service.clustering  # noqa: E402

MEASURED = 2000
MODULES = ("__init__", "cluster", "lexicon", "prior", "terms")  # lexicon: since session 4


def earlier(rev: str, folder: Path) -> ModuleType:
    """REV's service.clustering as the package ``clustering_at_rev``."""
    package = folder / "clustering_at_rev"
    package.mkdir()
    for name in MODULES:
        shown = subprocess.run(["git", "show", f"{rev}:service/clustering/{name}.py"],
                               cwd=HERE.parent, capture_output=True, text=True)
        if shown.returncode:  # a module REV does not have yet
            continue
        source = shown.stdout
        (package / f"{name}.py").write_text(source.replace("service.clustering",
                                                           "clustering_at_rev"))
    sys.path.insert(0, str(folder))
    return importlib.import_module("clustering_at_rev")


def built(package: ModuleType, stored: int) -> object:
    rng = random.Random(5)
    events = (stored + MEASURED) // 10
    clusterer = package.Clusterer()
    for n in range(stored):
        clusterer.restore(1 + n % events, package.document(*item_text(rng, event=n % events)),
                          None)
    clusterer.state.next_id = events + 1
    return clusterer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the git revision to compare with, e.g. main or HEAD~3")
    parser.add_argument("--stored", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        packages = {args.rev: earlier(args.rev, Path(folder)), "this tree": service.clustering}
        clusterers = {name: built(package, args.stored) for name, package in packages.items()}
        rates: dict[str, list[float]] = {name: [] for name in packages}
        rng, events = random.Random(7), (args.stored + MEASURED) // 10
        for turn in range(1 + args.rounds):
            batch = [item_text(rng, event=rng.randrange(events)) for _ in range(MEASURED)]
            names = list(packages) if turn % 2 else list(reversed(packages))
            for name in names:
                package, clusterer = packages[name], clusterers[name]
                began = time.process_time()
                for title, text in batch:
                    clusterer.add(package.document(title, text))  # type: ignore[attr-defined]
                rates[name].append(MEASURED / (time.process_time() - began))
    print(f"{args.stored:,} items in the live state; items/s on one core")
    for name, measured in rates.items():
        print(f"{name:<12} first {measured[0]:7,.0f}  then best {max(measured[1:]):7,.0f}  "
              f"median {statistics.median(measured[1:]):7,.0f}")


if __name__ == "__main__":
    main()
