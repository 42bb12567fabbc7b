"""The scoring rules of the labelled data's README (pure)."""

from service.evaluation.casualties import score


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
