"""B-cubed precision, recall and F1 of a clustering against gold labels (pure)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from service.clustering import Clusterer, Params, document


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    clusters: int


def bcubed(predicted: Mapping[str, object], gold: Mapping[str, object]) -> BCubed:
    """For each item: the share of its cluster that shares its gold event (precision) and
    the share of its gold event that shares its cluster (recall), averaged over items."""
    items = list(gold)
    pairs = Counter((predicted[i], gold[i]) for i in items)
    cluster_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(pairs[(predicted[i], gold[i])] / cluster_size[predicted[i]] for i in items)
    recall = sum(pairs[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items)
    p, r = precision / len(items), recall / len(items)
    return BCubed(p, r, 2 * p * r / (p + r) if p + r else 0.0, len(cluster_size))


def stream(rows: list[Mapping[str, str]], *, threshold: float, seed: int, titles_only: bool = False,
           plain: bool = False) -> dict[str, int]:
    """Cluster labelled rows as one shuffled stream; their predicted event ids."""
    order = list(rows)
    random.Random(seed).shuffle(order)
    clusterer = Clusterer(params=Params(threshold=threshold))
    return {row["id"]: clusterer.add(document(row["title"], "" if titles_only else row["text"],
                                              plain=plain)).event_id
            for row in order}
