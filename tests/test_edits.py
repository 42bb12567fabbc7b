"""The item page's account of an edit: what a reader needs to see changed."""

from __future__ import annotations

from service.web.edits import SHOWN, Edit, Version, edits, figure_label


def test_a_revised_toll_shows_the_figures_and_the_words_that_changed() -> None:
    before = Version("Blasts kill 78 in Jableh", "State media said 78 people were killed.",
                     ("78 killed, according to SANA",))
    after = Version("Blasts kill 101 in Jableh", "SOHR said 101 people were killed.",
                    ("101 killed, according to SOHR",))
    found, more = edits(before, after)
    assert found == [
        Edit("title", "Blasts kill 78 in Jableh", "Blasts kill 101 in Jableh"),
        Edit("figures", "78 killed, according to SANA", "101 killed, according to SOHR"),
        Edit("text", "State media", "SOHR"),
        Edit("text", "78", "101"),
    ]
    assert more == 0


def test_unchanged_versions_have_no_edits_and_a_rewrite_is_counted() -> None:
    same = Version("t", "a b c", ())
    assert edits(same, same) == ([], 0)
    old = Version("t", " ".join(f"w{n} x" for n in range(20)), ())
    new = Version("t", " ".join(f"v{n} x" for n in range(20)), ())
    found, more = edits(old, new)
    assert len(found) == SHOWN and more == 20 - SHOWN
    assert edits(Version("t", "a", ()), Version("t", "a b", ()))[0] == [Edit("text", "", "b")]


def test_figure_labels_read_as_a_sentence() -> None:
    assert figure_label("killed", 101, None, "at least", "SOHR") == \
        "at least 101 killed, according to SOHR"
    assert figure_label("injured", 20, 30, "exact", None) == "20–30 injured"
    assert figure_label("killed", None, None, "exact", None) == "an unstated number killed"
    assert figure_label("killed", None, None, "exact", "local media", vague=True,
                        words="dozens") == "dozens killed, according to local media"
    assert figure_label("killed", 60, None, "more than", None, hedged=True) == \
        "more than 60 killed (feared)"
    assert figure_label("killed", 43, None, "exact", "WHO", partial=True) == \
        "43 killed (part of the toll), according to WHO"
