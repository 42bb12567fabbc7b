"""B-cubed precision, recall and F1 of a clustering against gold labels (pure)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from service.clustering import Clusterer, IdfTable, Params, document, sublinear


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


def topic_ceiling(rows: list[Mapping[str, str]], *, seed: int = 0,
                  restarts: int = 10) -> dict[str, str]:
    """Not a clusterer but a ceiling for the clusterer's keyword vectors: each gold topic
    (an event label up to its first "_", as ECB+ names the twins "22_ecb" and
    "22_ecbplus") split by spherical k-means into as many clusters as it has gold events.

    The streaming clusterer has to find both the topic and how many events it holds; this
    tells how well the same vectors separate a topic's events once both are given, so
    that a shortfall can be put on the vectors or on the decisions made with them."""
    vectors = _batch_vectors(rows)
    topics: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        topics.setdefault(row["event"].split("_", 1)[0], []).append(number)
    rng = random.Random(seed)
    predicted = {}
    for topic, members in topics.items():
        k = len({rows[m]["event"] for m in members})
        labels = max((_spherical_kmeans([vectors[m] for m in members], k, rng)
                      for _ in range(restarts)), key=lambda fit: fit[1])[0]
        predicted.update({rows[m]["id"]: f"{topic}#{label}" for m, label in zip(members, labels)})
    return predicted


def _batch_vectors(rows: list[Mapping[str, str]]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of the rows, weighted by the clusterer's own functions (boosted
    keywords, sub-linear tf, smoothed idf), with document frequencies of the whole set."""
    weights = [document(row["title"], row["text"]).weights for row in rows]
    idf = IdfTable(len(rows), Counter(term for w in weights for term in w))
    return [_unit({t: f * idf[t] for t, f in sublinear(w).items()}) for w in weights]


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.hypot(*vector.values()) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _spherical_kmeans(vectors: list[dict[str, float]], k: int, rng: random.Random,
                      iterations: int = 30) -> tuple[list[int], float]:
    """Labels and cohesion (summed cosine to the own centroid) of one k-means run on
    unit vectors, seeded k-means++ style: each next seed far from those chosen."""
    centroids = [vectors[rng.randrange(len(vectors))]]
    while len(centroids) < min(k, len(vectors)):
        distance = [1.0 - max(_dot(v, c) for c in centroids) for v in vectors]
        pick = rng.choices(range(len(vectors)), weights=distance)[0] if sum(distance) else 0
        centroids.append(vectors[pick])
    labels: list[int] = []
    for _ in range(iterations):
        new = [max(range(len(centroids)), key=lambda c: _dot(v, centroids[c])) for v in vectors]
        if new == labels:
            break
        labels = new
        sums: list[dict[str, float]] = [{} for _ in centroids]
        for v, label in zip(vectors, labels):
            total = sums[label]
            for t, x in v.items():
                total[t] = total.get(t, 0.0) + x
        centroids = [_unit(s) if s else c for s, c in zip(sums, centroids)]
    return labels, sum(_dot(v, centroids[label]) for v, label in zip(vectors, labels))
