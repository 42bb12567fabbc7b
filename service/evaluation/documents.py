"""The toll a whole incident description states, read as the timeline reads it, against gold.

A labelled document is a headline and a few sentences with the toll a careful reader takes
from them (``{"killed": {"count": 17, "vague": false} | null, "injured": ...}``). The
extractor's figures for the text are reduced to one figure per kind exactly as the timeline
reduces an item's revision (:func:`service.timeline.headline`: a whole toll before a part of
one, a derived total before a stated figure, else the largest), over all the document's
figures of that kind whoever they are credited to. That figure equals the gold when both are
vague, or both have the same count; a gold ``null`` is met only when no figure of that kind
was read.

Reported: per kind, the share of documents whose toll equals the gold; and the share of
documents without any casualty (both kinds ``null``) from which no figure at all was read,
and per kind the share of documents without that kind from which none of it was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from service.evaluation.casualties import KINDS
from service.timeline import FigureRow, headline

_EPOCH = datetime(1970, 1, 1)


@dataclass
class Share:
    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def add(self, hit: bool) -> None:
        self.hits += hit
        self.total += 1


@dataclass
class DocumentMistake:
    id: str
    kind: str
    gold: Mapping[str, object] | None
    read: Mapping[str, object] | None


@dataclass
class DocumentReport:
    documents: int = 0
    exact: dict[str, Share] = field(default_factory=lambda: {k: Share() for k in KINDS})
    no_false: dict[str, Share] = field(default_factory=lambda: {k: Share() for k in KINDS})
    no_false_any: Share = field(default_factory=Share)
    mistakes: list[DocumentMistake] = field(default_factory=list)


def _row(figure: Mapping[str, object]) -> FigureRow:
    count, count_max = figure.get("count"), figure.get("count_max")
    return FigureRow(
        outlet="", source=None, observed_at=_EPOCH, kind=str(figure["kind"]),
        count=count if isinstance(count, int) else None,
        count_max=count_max if isinstance(count_max, int) else None,
        qualifier=str(figure.get("qualifier") or "exact"), vague=bool(figure.get("vague")),
        derived=bool(figure.get("derived")), item_id=0, revision_id=0,
        hedged=bool(figure.get("hedged")), partial=bool(figure.get("partial")))


def document_toll(figures: Iterable[Mapping[str, object]], kind: str) -> FigureRow | None:
    """The one figure of ``kind`` the timeline would show for a text with these figures."""
    rows = [_row(f) for f in figures if f["kind"] == kind]
    return headline(rows) if rows else None


def _equal(gold: Mapping[str, object] | None, read: FigureRow | None) -> bool:
    if gold is None or read is None:
        return gold is None and read is None
    if gold.get("vague"):
        return read.vague
    return not read.vague and read.count == gold.get("count")


def _gold(row: Mapping[str, object], kind: str) -> Mapping[str, object] | None:
    value = row.get(kind)
    return value if isinstance(value, Mapping) else None


def _shown(read: FigureRow | None) -> dict[str, object] | None:
    if read is None:
        return None
    return {"count": read.count, "vague": read.vague, "partial": read.partial}


def score_documents(rows: Iterable[tuple[Mapping[str, object], list[Mapping[str, object]]]]
                    ) -> DocumentReport:
    """Score (labelled document, predicted figures of its text) pairs."""
    report = DocumentReport()
    for row, predicted in rows:
        report.documents += 1
        golds = {kind: _gold(row, kind) for kind in KINDS}
        reads = {kind: document_toll(predicted, kind) for kind in KINDS}
        for kind in KINDS:
            hit = _equal(golds[kind], reads[kind])
            report.exact[kind].add(hit)
            if golds[kind] is None:
                report.no_false[kind].add(reads[kind] is None)
            if not hit:
                report.mistakes.append(DocumentMistake(
                    str(row.get("id", "")), kind, golds[kind], _shown(reads[kind])))
        if all(gold is None for gold in golds.values()):
            report.no_false_any.add(all(read is None for read in reads.values()))
    return report


def document_text(row: Mapping[str, object]) -> str:
    """Headline and body as an item's text holds them (service.entries: a line each)."""
    return "\n".join(p for p in (str(row.get("title") or ""), str(row.get("text") or "")) if p)
