"""The casualty reader on 200 sentences written in the phrasing of real reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.casualties import extract
from service.evaluation.casualties import score

CORPUS = Path(__file__).parent / "data" / "casualty_sentences.tsv"
_FIGURE = re.compile(r"^([ki])(~|\d+)(?:-(\d+))?(\+)?$")


def _load() -> list[tuple[str, list[dict[str, object]], str | None]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected = line.split("\t")
        figures: list[dict[str, object]] = []
        source = None
        for word in expected.split():
            if word == "-":
                continue
            if word.startswith("src="):
                source = word[4:].replace("_", " ")
                continue
            match = _FIGURE.match(word)
            assert match, f"bad expectation {word!r} in {line!r}"
            kind, count, upper, derived = match.groups()
            figures.append({"kind": "killed" if kind == "k" else "injured",
                            "count": None if count == "~" else int(count),
                            "count_max": int(upper) if upper else None,
                            "vague": count == "~", "derived": bool(derived)})
        rows.append((text, figures, source))
    return rows


ROWS = _load()


def test_corpus_is_large_and_has_hard_negatives() -> None:
    assert len(ROWS) >= 200
    assert sum(1 for _, figures, _ in ROWS if not figures) >= 50


def test_precision_and_recall_per_kind() -> None:
    report = score(({"id": str(n), "text": text, "figures": [f for f in figures if not f["derived"]],
                     "optional": []}, [f.as_dict() for f in extract(text)])
                   for n, (text, figures, _) in enumerate(ROWS))
    mistakes = "\n".join(f"{m.text} missed={m.missed} spurious={m.spurious}"
                         for m in report.mistakes)
    assert report.kinds["killed"].f1 >= 0.95, mistakes
    assert report.kinds["injured"].f1 >= 0.95, mistakes


@pytest.mark.parametrize("text,figures,source", [r for r in ROWS if r[2]],
                         ids=lambda v: v[:40] if isinstance(v, str) else "")
def test_attributed_source(text: str, figures: list[dict[str, object]], source: str) -> None:
    found = [f for f in extract(text) if not f.derived]
    assert found and all(f.source == source for f in found), [(f.count, f.source) for f in found]


def test_ranges_and_derived_totals() -> None:
    for text, figures, _ in ROWS:
        wanted = {(f["kind"], f["count"], f["count_max"]) for f in figures if f["count_max"]}
        got = {(f.kind, f.count, f.count_max) for f in extract(text) if f.count_max}
        assert wanted <= got, text
        totals = {(f["kind"], f["count"]) for f in figures if f["derived"]}
        assert totals == {(f.kind, f.count) for f in extract(text) if f.derived}, text


def test_offsets_point_at_the_evidence() -> None:
    text = "Blasts hit the coast. At least 78 people were killed in Jableh, state TV said."
    [figure] = extract(text)
    assert text[figure.start:figure.end] == "At least 78 people were killed"
    assert figure.qualifier == "at least" and figure.place == "Jableh"
    assert figure.sentence == "At least 78 people were killed in Jableh, state TV said."
    assert figure.source == "state media"


def test_the_cue_words_skip_no_sentence_a_shape_would_read() -> None:
    """extract() skips sentences without a cue word before tokenising them; every sentence
    of the corpus that the shapes read when nothing is skipped must hold a cue."""
    from service.casualties.reader import _has_cue, _sentence_figures
    from service.casualties.text import sentences

    read = [s for text, _, _ in _load() for s in sentences(text)
            if _sentence_figures(s, 2016)]
    assert len(read) > 150
    assert [s.text for s in read if not _has_cue(s.text)] == []


def test_sentences_end_at_stops_but_not_after_abbreviations_or_initials() -> None:
    """A stop ends a sentence unless it closes an abbreviation or an initial; a stop with
    a space before the line break still ends one (the word before it is read, not the
    space)."""
    from service.casualties.text import sentences

    text = ("Gen. Smith said the U.S. troops left. Two men died in St. Louis on Jan. 5. "
            "J. Smith was hurt. He said: it was t. \nthen it was over.")
    assert [s.text for s in sentences(text)] == [
        "Gen. Smith said the U.S. troops left.", "Two men died in St. Louis on Jan. 5.",
        "J. Smith was hurt.", "He said: it was t.", "then it was over."]
