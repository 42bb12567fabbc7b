"""Precision and recall of casualty figures, scored as the labelled data's README says.

A required figure is found when a predicted figure of the same kind has the same count
(a vague required figure: any predicted figure of that kind). A prediction that matches
neither a required nor an optional figure is a false positive. Totals the extractor
derived itself are ignored. Each prediction can satisfy one required figure only.

Every prediction also carries the ``rule`` (the reader's shape) that produced it, so the
same outcome is kept per rule: which shapes are precise, and how much of the recall each
one carries. And labelled ids name their ECB+ topic ("18_3ecb#4": topic 18), so a set can
be cut into the topics the rules were written against and the topics held out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KINDS = ("killed", "injured")


def _share(part: int, whole: int) -> float:
    """part / whole, and 1.0 for nothing of nothing (no prediction is no false one)."""
    return part / whole if whole else 1.0


@dataclass
class KindScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RuleScore:
    """One shape's predictions: those that found a required figure, those that matched
    only an optional one, and the false ones."""

    true_positives: int = 0
    optional: int = 0
    false_positives: int = 0

    @property
    def precision(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_positives)


@dataclass
class Mistake:
    id: str
    text: str
    missed: list[Mapping[str, object]]
    spurious: list[Mapping[str, object]]


@dataclass
class Report:
    kinds: dict[str, KindScore] = field(default_factory=lambda: {k: KindScore() for k in KINDS})
    mistakes: list[Mistake] = field(default_factory=list)
    sentences: int = 0
    rules: dict[str, RuleScore] = field(default_factory=dict)

    def rule(self, name: str) -> RuleScore:
        return self.rules.setdefault(name, RuleScore())

    @property
    def required(self) -> int:
        """How many required figures the set holds, found or not."""
        return sum(k.true_positives + k.false_negatives for k in self.kinds.values())


def _matches(gold: Mapping[str, object], predicted: Mapping[str, object]) -> bool:
    if gold["kind"] != predicted["kind"]:
        return False
    return bool(gold.get("vague")) or gold.get("count") == predicted.get("count")


def score_sentence(required: list[Mapping[str, object]], optional: list[Mapping[str, object]],
                   predicted: list[Mapping[str, object]], report: Report, *,
                   id: str = "", text: str = "") -> None:
    """Add one sentence's outcome to ``report``."""
    report.sentences += 1
    left = [p for p in predicted if not p.get("derived")]
    missed = []
    for gold in sorted(required, key=lambda g: bool(g.get("vague"))):  # exact ones pick first
        hit = next((p for p in left if _matches(gold, p)), None)
        if hit is None:
            missed.append(gold)
            report.kinds[str(gold["kind"])].false_negatives += 1
        else:
            left.remove(hit)
            report.kinds[str(gold["kind"])].true_positives += 1
            report.rule(str(hit.get("rule") or "")).true_positives += 1
    spurious = [p for p in left if not any(_matches(o, p) for o in optional)]
    for p in left:
        report.rule(str(p.get("rule") or "")).optional += p not in spurious
    for p in spurious:
        report.kinds[str(p["kind"])].false_positives += 1
        report.rule(str(p.get("rule") or "")).false_positives += 1
    if missed or spurious:
        report.mistakes.append(Mistake(id, text, missed, spurious))


def _figures(row: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    value = row.get(key)
    return list(value) if isinstance(value, list) else []


def score(rows: Iterable[tuple[Mapping[str, object], list[Mapping[str, object]]]]) -> Report:
    """Score (labelled row, predicted figures) pairs."""
    report = Report()
    for row, predicted in rows:
        score_sentence(_figures(row, "figures"), _figures(row, "optional"), predicted, report,
                       id=str(row.get("id", "")), text=str(row.get("text", "")))
    return report


def topic(row_id: str) -> int | None:
    """The ECB+ topic of a labelled id ("18_3ecb#4" -> 18); None for other ids."""
    head = row_id.split("_", 1)[0]
    return int(head) if "_" in row_id and head.isdigit() else None


def parse_topics(spec: str) -> set[int]:
    """'1-25', '26-35', '1-5,9': the topics a set is cut to."""
    chosen: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(f"not a topic range: {part!r} (write e.g. 1-25 or 3,7)")
        chosen.update(range(int(low), int(high or low) + 1))
    return chosen
