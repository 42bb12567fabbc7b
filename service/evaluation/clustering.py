"""B-cubed precision, recall and F1 of a clustering against gold labels (pure)."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from service.clustering import Clusterer, IdfTable, Params, document, sublinear, survivor


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


T = TypeVar("T")
SHAPES = ("full", "lede", "title")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
BASELINE_THRESHOLDS = tuple(t / 100 for t in range(10, 61, 5))  # it gets its best one
DATELINE_WORDS = 6  # a shorter first line is a date or a byline, not the lede


def shaped(row: Mapping[str, str], shape: str) -> Mapping[str, str]:
    """The row as a feed would carry it: the whole article (``full``), the headline and
    the first sentence (``lede``, what most summaries hold), or the headline alone."""
    if shape == "full":
        return row
    text = lede(row["text"]) if shape == "lede" else ""
    return {**row, "text": text}


def lede(text: str) -> str:
    """The first sentence of an article, after any short opening lines (datelines and
    bylines such as "Published: May 3, 2013", which feed summaries do not carry)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while len(lines) > 1 and len(lines[0].split()) < DATELINE_WORDS:
        lines.pop(0)
    first = lines[0] if lines else ""
    return _SENTENCE_END.split(first, maxsplit=1)[0]


def order(rows: list[T], seed: int | None) -> list[T]:
    """The rows in file order (``seed`` None: one story after another, as ECB+ lists
    them) or shuffled, so that stories interleave as concurrent ones do in real feeds.
    A seed gives the same permutation to any list of the same length."""
    ordered = list(rows)
    if seed is not None:
        random.Random(seed).shuffle(ordered)
    return ordered


def concurrent(rows: Sequence[Mapping[str, str]], *, seed: int,
               window: timedelta) -> list[Mapping[str, str]]:
    """The rows of a stream with times (each with ``published``, ISO-8601) as if their gold
    events had run side by side: each event moved to begin at a random moment of one
    ``window`` from the stream's first time, the spacing of its reports kept, and the rows
    sorted by their new times. A labelled stream gathered one story at a time spreads its
    stories over years, so that an event has gone dormant before its look-alike begins
    and time parts them for free; a real stream's stories overlap, and this measures the
    words' share of the separating (the reports of one story, and their order, are
    untouched)."""
    times = {row["id"]: datetime.fromisoformat(row["published"]) for row in rows}
    began: dict[str, datetime] = {}
    for row in rows:
        began[row["event"]] = min(began.get(row["event"], times[row["id"]]), times[row["id"]])
    rng, start = random.Random(seed), min(times.values())
    moved = {event: start + window * rng.random() - first
             for event, first in sorted(began.items())}
    return sorted(({**row, "published": (times[row["id"]] + moved[row["event"]]).isoformat()}
                   for row in rows), key=lambda row: (row["published"], row["id"]))


def stream(rows: list[Mapping[str, str]], *, threshold: float, seed: int | None,
           shape: str = "full", plain: bool = False) -> dict[str, int]:
    """Cluster labelled rows as one stream (see :func:`order`); their predicted event ids."""
    clusterer = Clusterer(params=Params(threshold=threshold))
    placed: dict[str, int] = {}
    merged: dict[int, int] = {}
    for row in (shaped(r, shape) for r in order(rows, seed)):
        assignment = clusterer.add(document(row["title"], row["text"], plain=plain))
        placed[row["id"]] = assignment.event_id
        merged.update(assignment.merged)
    return {item: survivor(event, merged) for item, event in placed.items()}


class Baseline:
    """The independent plain TF-IDF baseline (:mod:`service.evaluation.baseline`) on the
    rows cut to one shape; its vectors are made once and serve every order and threshold."""

    def __init__(self, rows: list[Mapping[str, str]], shape: str) -> None:
        from service.evaluation.baseline import cosines

        self.ids = [row["id"] for row in rows]
        self.cosines = cosines([f"{r['title']}\n{r['text']}" for r in
                                (shaped(row, shape) for row in rows)])

    def stream(self, *, threshold: float, ids: Sequence[str]) -> dict[str, int]:
        """Single-pass clustering of the rows in the order of ``ids`` (as :func:`order`
        or :func:`concurrent` arranged them for the clusterer)."""
        from service.evaluation.baseline import single_pass

        number = {ident: n for n, ident in enumerate(self.ids)}
        numbers = [number[ident] for ident in ids]
        labels = single_pass(self.cosines, numbers, threshold)
        return {self.ids[n]: label for n, label in zip(numbers, labels)}


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
