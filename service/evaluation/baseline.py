"""A plain TF-IDF single-pass clusterer, written apart from service.clustering on purpose.

The yardstick the issues measure tollwatch against: scikit-learn's TfidfVectorizer
(fitted on the whole labelled set, lower-cased words, English stopwords, nothing else),
and one pass over the items in stream order, each joining the cluster whose centroid is
most similar if that similarity reaches the threshold, else starting a cluster. It
shares no code with the clusterer, so a flaw there cannot flatter both.

Needs the ``eval`` extra (``pip install -e '.[eval]'``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

def cosines(texts: Sequence[str]) -> NDArray[np.float64]:
    """Pairwise cosines of the texts' TF-IDF vectors (idf from all of them)."""
    from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]  # the eval extra
        TfidfVectorizer)

    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)  # rows of norm 1
    return np.asarray((vectors @ vectors.T).toarray(), dtype=np.float64)


def single_pass(similar: NDArray[np.float64], stream: Sequence[int],
                threshold: float) -> list[int]:
    """Cluster numbers of the items ``stream`` lists, in that order, by single-pass
    centroid TF-IDF; ``similar`` is :func:`cosines` of all items.

    A centroid is the sum of its members' unit vectors, so its dot product with an item
    is the sum of the item's cosines with the members, and its squared norm the sum of
    the members' pairwise cosines: one matrix of pairwise cosines serves every step."""
    order = np.asarray(stream)
    matrix = similar[np.ix_(order, order)]
    labels = np.full(len(order), -1)
    norms2 = np.zeros(len(order))  # squared norm of each centroid
    clusters = 0
    for item in range(len(order)):
        dots = np.bincount(labels[:item], weights=matrix[item, :item], minlength=clusters)
        sims = dots / np.sqrt(np.maximum(norms2[:clusters], 1e-12))
        best = int(np.argmax(sims)) if clusters else -1
        if best < 0 or sims[best] < threshold:
            best, clusters = clusters, clusters + 1
            gain = 0.0
        else:
            gain = 2 * dots[best]
        norms2[best] += gain + matrix[item, item]
        labels[item] = best
    return [int(label) for label in labels]
