"""The lexicon's classes of interchangeable words: pure, no database."""

from __future__ import annotations

import pytest

from service.clustering import lexicon
from service.clustering.lexicon import CLASSES, DEMONYMS, class_table, keyword_of, stem
from service.clustering.terms import document, readable


def test_words_headlines_swap_are_one_keyword() -> None:
    quake = document("Quake hits Qeshm", "").weights
    assert quake.keys() == document("Earthquake hits Qeshm", "").weights.keys()
    assert quake.keys() == document("Tremor hits Qeshm", "").weights.keys()
    assert keyword_of("blast") == keyword_of("explosion") == keyword_of("bombings")
    assert keyword_of("gunman") == keyword_of("shooting")
    assert keyword_of("dies") == keyword_of("killed") == keyword_of("dead")


def test_a_demonym_is_its_countrys_name_and_an_acronym_its_country() -> None:
    iran = document("Iran earthquake", "").weights.keys()
    assert document("Iranian earthquake", "").weights.keys() == iran
    assert document("Iranians shelter after earthquake", "").weights.keys() >= iran - {"shelter"}
    assert {keyword_of("american")} == document("US envoy", "").weights.keys() - {"envoy"}
    assert "britain" in document("UK floods", "").weights


def test_every_member_reads_as_its_class_and_no_class_has_two_heads() -> None:
    groups = [*CLASSES, *((country, *names) for country, names in DEMONYMS.items())]
    heads = {stem(words[0].lower()) for words in groups}
    assert len(heads) == len(groups)
    for words in groups:
        assert {keyword_of(word.lower()) for word in words} == {stem(words[0].lower())}


def test_a_word_in_two_classes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """It would join the unrelated stories of both classes."""
    monkeypatch.setattr(lexicon, "CLASSES", (("fire", "blaze"), ("dismissed", "fired")))
    with pytest.raises(ValueError, match="two classes"):
        class_table(stem)



def test_a_class_keyword_reads_as_its_head_word_which_the_event_search_finds() -> None:
    """Event keywords are stored as :func:`readable` gives them and stemmed again by the
    search index (SQLite FTS5's porter, as migration 0007 declares it): every class's
    keyword, however its first member was written, is found by a search for the class's
    head word ("explosion" finds the event whose reports said "blast")."""
    import sqlite3

    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE keywords USING fts5(keyword, "
                       "tokenize='porter unicode61 remove_diacritics 2')")
    groups = [*CLASSES, *((country, *names) for country, names in DEMONYMS.items())]
    for number, words in enumerate(groups):
        document(words[-1], "")  # the last member is the first word seen of its class
        connection.execute("INSERT INTO keywords(rowid, keyword) VALUES (?, ?)",
                           (number, readable(keyword_of(words[-1].lower()))))
    for number, words in enumerate(groups):
        found = connection.execute("SELECT rowid FROM keywords WHERE keywords MATCH ?",
                                   (f'"{words[0]}"',)).fetchall()
        assert (number,) in found, (words[0], readable(keyword_of(words[0].lower())))
    assert readable(keyword_of("blast")) == "explosion"
