"""The scoring rules of the labelled data's README (pure)."""

import pytest

from service.evaluation.casualties import parse_topics, score, topic


def _row(figures, optional=()):  # type: ignore[no-untyped-def]
    return {"figures": list(figures), "optional": list(optional)}


def test_vague_gold_matches_any_figure_of_its_kind() -> None:
    report = score([(_row([{"kind": "killed", "count": None, "vague": True}]),
                     [{"kind": "killed", "count": 40}])])
    assert report.kinds["killed"].true_positives == 1 and report.kinds["killed"].false_positives == 0


def test_optional_neither_rewards_nor_penalises_and_derived_is_ignored() -> None:
    report = score([(_row([{"kind": "killed", "count": 148}],
                          [{"kind": "killed", "count": 100}]),
                     [{"kind": "killed", "count": 100}, {"kind": "killed", "count": 148},
                      {"kind": "killed", "count": 999, "derived": True}])])
    k = report.kinds["killed"]
    assert (k.true_positives, k.false_positives, k.false_negatives) == (1, 0, 0)


def test_one_prediction_satisfies_one_gold_figure() -> None:
    report = score([(_row([{"kind": "injured", "count": 5}, {"kind": "injured", "count": 5}]),
                     [{"kind": "injured", "count": 5}])])
    assert report.kinds["injured"].false_negatives == 1
    assert report.kinds["injured"].recall == 0.5


def test_each_rule_keeps_its_hits_false_figures_and_optional_ones() -> None:
    report = score([(_row([{"kind": "killed", "count": 3}], [{"kind": "injured", "count": 1}]),
                     [{"kind": "killed", "count": 3, "rule": "toll"},
                      {"kind": "injured", "count": 1, "rule": "verb-then-victims"},
                      {"kind": "killed", "count": 7, "rule": "verb-then-victims"}])])
    toll, verb = report.rules["toll"], report.rules["verb-then-victims"]
    assert (toll.true_positives, toll.false_positives, toll.optional) == (1, 0, 0)
    assert (verb.true_positives, verb.false_positives, verb.optional) == (0, 1, 1)
    assert verb.precision == 0.0 and report.required == 1


def test_topics_are_read_from_ecb_ids_and_ranges() -> None:
    assert topic("18_3ecb#4") == 18 and topic("26_1ecbplus#0") == 26
    assert topic("ocha-2016-05#3") is None and topic("x") is None
    assert parse_topics("1-3,9") == {1, 2, 3, 9}
    with pytest.raises(ValueError):
        parse_topics("one-25")
