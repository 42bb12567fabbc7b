"""Synthetic news items for the clustering benchmark: ~1 KB each, on many events.

Each event has its own names (capitalised), places and numbers; every item mixes a few
of them with common words drawn from a Zipf-like vocabulary, as real reports mix an
event's particulars with the language all news shares. Nothing here is tuned to the
clusterer: the generator knows nothing of its weights or threshold.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

_SYLLABLES = ["ka", "lo", "mi", "ran", "te", "sul", "dor", "ba", "ne", "vi", "tar", "em",
              "os", "lu", "gha", "zen", "rho", "pe", "qui", "aj"]


def _words(count: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        seen.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(seen)


def synthetic_items(count: int, *, events: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``count`` (title, text) pairs about ``events`` events, in a shuffled stream order."""
    rng = random.Random(seed)
    common = _words(4000, rng)
    weights = [1 / (rank + 1) for rank in range(len(common))]
    names = _words(events * 6, rng)
    particulars = [([n.capitalize() for n in names[e * 6:e * 6 + 6]],
                    [str(rng.randint(2, 400)) for _ in range(2)]) for e in range(events)]
    order = [i % events for i in range(count)]
    rng.shuffle(order)
    cumulative = list(itertools.accumulate(weights))
    for event in order:
        own, numbers = particulars[event]
        title = " ".join(rng.sample(own, 3) + rng.choices(common, cum_weights=cumulative, k=5))
        body = rng.choices(common, cum_weights=cumulative, k=130)
        for position in rng.sample(range(len(body)), 20):
            body[position] = rng.choice(own + numbers)
        yield title, " ".join(body) + "."
