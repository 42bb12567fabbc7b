"""How common each keyword is in English at large: the prior beside live document counts.

Live document frequencies know nothing at first, and little about words that short
items rarely repeat: after a few headlines "says" and "Jableh" look equally rare. The
prior is a collection of imagined documents of ordinary English (word frequencies from
the ``wordfreq`` package, spread over documents of ``WORDS_PER_DOCUMENT`` words), which
the live counts outweigh as the store grows. Names and places absent from general
English keep the highest weight, as they should.
"""

from __future__ import annotations

import math
from functools import lru_cache

from service.clustering.lexicon import keyword_of

WORDS_PER_DOCUMENT = 100  # the share of such documents holding a word, by Poisson
NUMBERS = (*range(1000), *range(1900, 2101))  # small numbers and years; larger ones are rare


@lru_cache(maxsize=1)
def english_shares() -> dict[str, float]:
    """Keyword (as the clusterer reads words, see :func:`.lexicon.keyword_of`) -> share of
    ordinary documents holding it (a class's share sums its words').
    Loaded once per process (about 0.7 s), on the first clusterer's first idf."""
    import wordfreq  # a data package: imported only by a clusterer that needs it

    totals: dict[str, float] = {}
    for word, frequency in wordfreq.get_frequency_dict("en", "small").items():
        if word.isalpha():
            term = keyword_of(word)
            totals[term] = totals.get(term, 0.0) + frequency
    # Numbers as the clusterer keeps them (digits only): wordfreq lists them with their
    # digits masked, and estimates each one's share, so "2" is common and "148" rare.
    for number in NUMBERS:
        totals[str(number)] = wordfreq.word_frequency(str(number), "en")
    return {term: 1.0 - math.exp(-f * WORDS_PER_DOCUMENT) for term, f in totals.items()}
