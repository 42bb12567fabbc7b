"""`tollwatch eval …`: accuracy on labelled real news, the numbers the issues ask for."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # the evaluation stack loads when a command runs (service.cli)
    from service.evaluation.casualties import Report
    from service.evaluation.clustering import BCubed

app = typer.Typer(help="Measure accuracy on labelled data.", no_args_is_help=True)


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise typer.BadParameter(f"{path}:{number}: not JSON: {exc}") from None
    return rows


@app.command()
def casualties(
    file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help='JSON Lines: {"id", "text", "figures", "optional"}.'),
    show_errors: int = typer.Option(0, "--show-errors", help="Print up to N mistaken sentences."),
    by_rule: bool = typer.Option(False, "--by-rule",
                                 help="Also print precision and share of recall per reader rule."),
    topics: str | None = typer.Option(
        None, "--topics", help="Only rows of these ECB+ topics (the number before '_' in an "
        "id), e.g. 1-25 (the rules' topics) or 26-35 (held out)."),
    split: str | None = typer.Option(
        None, "--split", help="Only rows whose 'split' field is this (e.g. dev, holdout)."),
    labelling_round: int | None = typer.Option(
        None, "--round", help="Only rows whose 'round' field is this (the labelling round: "
        "tests/data/README.md says which rounds' holdouts are still unseen)."),
    documents: bool = typer.Option(
        False, "--documents", help='FILE holds whole incident descriptions ({"id", "title", '
        '"text", "killed", "injured"}): score the toll each one states, read as the timeline '
        "reads an item, against the gold."),
) -> None:
    """Precision, recall and F1 per kind of the casualty extractor."""
    from service.casualties import extract
    from service.evaluation.casualties import KINDS, parse_topics, score, topic

    rows = _read_jsonl(file)
    if split is not None:
        rows = [row for row in rows if row.get("split") == split]
    if labelling_round is not None:
        rows = [row for row in rows if row.get("round") == labelling_round]
    if documents:
        _echo_documents(file, rows, split, show_errors)
        return
    if topics is not None:
        try:
            chosen = parse_topics(topics)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        rows = [row for row in rows if topic(str(row.get("id", ""))) in chosen]
    from service.evaluation import regex_baseline

    report = score((row, [f.as_dict() for f in extract(str(row["text"]))]) for row in rows)
    baseline = score((row, regex_baseline.extract(str(row["text"]))) for row in rows)
    typer.echo(f"{file.name}: {report.sentences} sentences"
               f"{f', topics {topics}' if topics else ''}")
    typer.echo(f"{'kind':<8} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"
               f"   {'baseline: plain regex':>21}")
    for kind in KINDS:
        k, b = report.kinds[kind], baseline.kinds[kind]
        typer.echo(f"{kind:<8} {k.precision:>9.3f} {k.recall:>7.3f} {k.f1:>6.3f} "
                   f"{k.true_positives:>5} {k.false_positives:>5} {k.false_negatives:>5}"
                   f"   P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    if by_rule:
        _echo_rules(report)
    for mistake in report.mistakes[:show_errors]:
        typer.echo(f"\n{mistake.id}: {mistake.text}")
        for gold in mistake.missed:
            typer.echo(f"  missed   {gold['kind']} {gold.get('count')}"
                       f"{' (vague)' if gold.get('vague') else ''}")
        for spurious in mistake.spurious:
            typer.echo(f"  spurious {spurious['kind']} {spurious.get('count')} "
                       f"({spurious.get('rule') or 'no rule'})")


def _echo_documents(file: Path, rows: list[dict[str, object]], split: str | None,
                    show_errors: int) -> None:
    """Per kind: how often a document's toll equals the gold, and how often no toll is read
    where the gold has none."""
    from service.casualties import extract
    from service.evaluation.casualties import KINDS
    from service.evaluation.documents import document_text, score_documents

    report = score_documents((row, [f.as_dict() for f in extract(document_text(row))])
                             for row in rows)
    typer.echo(f"{file.name}: {report.documents} documents{f', split {split}' if split else ''}")
    typer.echo(f"{'kind':<8} {'toll = gold':>12} {'no false toll':>14}")
    for kind in KINDS:
        exact, clean = report.exact[kind], report.no_false[kind]
        typer.echo(f"{kind:<8} {exact.rate:>6.1%} {exact.hits:>2}/{exact.total:<3} "
                   f"{clean.rate:>7.1%} {clean.hits:>2}/{clean.total:<3}")
    clean = report.no_false_any
    typer.echo(f"no casualties at all: no figure read in {clean.rate:.1%} ({clean.hits}/{clean.total})")
    for mistake in report.mistakes[:show_errors]:
        typer.echo(f"  {mistake.id} {mistake.kind}: gold {mistake.gold}, read {mistake.read}")


def _echo_rules(report: Report) -> None:
    """Per rule: its precision, and the share of all required figures it found."""
    typer.echo(f"\n{'rule':<22} {'precision':>9} {'recall':>7} {'TP':>5} {'FP':>5} {'opt':>5}")
    wanted = report.required or 1
    for name, rule in sorted(report.rules.items(), key=lambda item: -item[1].true_positives):
        typer.echo(f"{name or '(none)':<22} {rule.precision:>9.3f} "
                   f"{rule.true_positives / wanted:>7.3f} {rule.true_positives:>5} "
                   f"{rule.false_positives:>5} {rule.optional:>5}")
    typer.echo(f"{'(missed)':<22} {'':>9} {1 - sum(r.true_positives for r in report.rules.values()) / wanted:>7.3f}")


_Arranged = tuple[list[Mapping[str, str]], int | None]  # rows, and the seed that orders them


@app.command()
def clustering(
    file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help='JSON Lines: {"id" or "doc_id", "title", "text", "event"}, and '
                                '"published" (ISO-8601) on every row for a stream in time.'),
    shapes: list[str] = typer.Option(
        [], "--shape", show_default=False, help="What of each item the clusterer sees: 'full' "
        "(title and text), 'lede' (title and first sentence, as most feed summaries), "
        "'title'. Repeat for several; all three by default."),
    seeds: int = typer.Option(5, "--seeds", help="Shuffled stream orders to average over."),
    threshold: float | None = typer.Option(
        None, "--threshold", show_default=False,
        help="Similarity needed to join an event (default: the service's own)."),
    sweep: bool = typer.Option(False, "--sweep", help="Also try thresholds 0.10-0.40."),
    topics: str | None = typer.Option(
        None, "--topics", help="Only items of these ECB+ topics (the number before '_' in an "
        "id), e.g. 1-25 (where parameters are chosen) or 26-35 (their check)."),
    concurrent_hours: float | None = typer.Option(
        None, "--concurrent", metavar="HOURS", show_default=False,
        help="For a file with times: also stream it with each gold event moved to begin "
        "within one window of HOURS, its reports' spacing kept (the mean of --seeds "
        "placements): the stories side by side, as a real stream's run."),
    ceiling: bool = typer.Option(
        False, "--ceiling", help="Also split each gold topic (an event label up to its first "
        "'_', as in ECB+) by k-means into its number of gold events: what the keyword vectors "
        "separate once topic and count are given."),
) -> None:
    """B-cubed precision/recall/F1 of the clusterer, beside a plain TF-IDF baseline, per shape.

    Each is measured in file order (one story after another) and as the mean of shuffled
    orders (stories interleaved, as concurrent ones arrive). The tollwatch rows import
    the items into a temporary database and cluster them with the service's own analysis
    stage; the sweep runs the clusterer alone. The baseline (scikit-learn's
    TfidfVectorizer, single-pass centroids, the eval extra) gets its own best threshold
    on the shuffled orders, so the comparison is fair to it.
    """
    from service.clustering import Params
    from service.evaluation.clustering import SHAPES, bcubed, concurrent, stream, topic_ceiling
    from service.evaluation.stored import stream_stored

    shapes = shapes or list(SHAPES)
    threshold = Params().threshold if threshold is None else threshold
    for shape in shapes:
        if shape not in SHAPES:
            raise typer.BadParameter(f"--shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    rows = _labelled_rows(file)
    if topics is not None:
        from service.evaluation.casualties import parse_topics, topic

        try:
            wanted = parse_topics(topics)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        rows = [row for row in rows if topic(row["id"]) in wanted]
    gold = {row["id"]: row["event"] for row in rows}
    timed = all(row.get("published") for row in rows)
    chosen_topics = f" (topics {topics})" if topics else ""
    # each order: its name, and the streams averaged (the rows, and the seed of their order)
    orders: list[tuple[str, list[_Arranged]]]
    if timed:  # a stream with its own times: shuffling it would make news arrive before it happened
        rows.sort(key=lambda row: row["published"])
        orders = [("time", [(rows, None)])]
        if concurrent_hours is not None:
            window = timedelta(hours=concurrent_hours)
            orders.append(("concurrent", [(concurrent(rows, seed=seed, window=window), None)
                                          for seed in range(seeds)]))
        typer.echo(f"{file.name}: {len(rows)} items, {len(set(gold.values()))} gold events"
                   f"{chosen_topics}; in the order of their published times, which the "
                   "clusterer sees" + (f"; and as if every event began within "
                                       f"{concurrent_hours:g} hours (mean of {seeds})"
                                       if concurrent_hours is not None else ""))
    else:
        if concurrent_hours is not None:
            raise typer.BadParameter("--concurrent needs a 'published' time on every row")
        orders = [("file", [(rows, None)]), ("shuffled", [(rows, seed) for seed in range(seeds)])]
        typer.echo(f"{file.name}: {len(rows)} items, {len(set(gold.values()))} gold events"
                   f"{chosen_topics}; file order, and the mean of {seeds} shuffled orders")
    typer.echo(f"{'shape':<6} {'run':<26} {'order':<10} {'threshold':>9} "
               f"{'P':>6} {'R':>6} {'F1':>6} {'clusters':>8}")
    for shape in shapes:
        for name, chosen in orders:
            _echo_mean(shape, "tollwatch", name, f"{threshold:.2f}", [bcubed(stream_stored(
                arranged, seed=seed, params=Params(threshold=threshold), shape=shape), gold)
                for arranged, seed in chosen])
        _echo_baseline(rows, gold, shape, orders)
        if sweep:  # the clusterer alone, in memory: fast enough for a sweep
            for value in (t / 100 for t in range(10, 41, 5)):
                _echo_mean(shape, "tollwatch (sweep)", "shuffled", f"{value:.2f}", [
                    bcubed(stream(rows, threshold=value, seed=seed, shape=shape), gold)
                    for seed in range(seeds)])
    if ceiling:
        _echo_mean("full", "ceiling: k-means per topic", "-", "-",
                   [bcubed(topic_ceiling(rows, seed=seed), gold) for seed in range(seeds)])


def _labelled_rows(file: Path) -> list[Mapping[str, str]]:
    rows: list[Mapping[str, str]] = []
    for row in _read_jsonl(file):
        ident = row.get("id") or row.get("doc_id")
        if not ident or "event" not in row:
            raise typer.BadParameter(f"{file}: every line needs an id (or doc_id) and an event")
        labelled = {"id": str(ident), "title": str(row.get("title") or ""),
                    "text": str(row.get("text") or row.get("summary") or ""),
                    "event": str(row["event"])}
        if row.get("published"):
            labelled["published"] = _utc_iso(file, str(ident), row["published"])
        rows.append(labelled)
    return rows


def _utc_iso(file: Path, ident: str, value: object) -> str:
    """A row's published time as UTC ISO-8601, so that sorting the strings sorts the times."""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{file}: {ident}: 'published' is not ISO-8601: {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat()


def _echo_baseline(rows: list[Mapping[str, str]], gold: dict[str, str], shape: str,
                   orders: list[tuple[str, list[_Arranged]]]) -> None:
    """The baseline at its best threshold for each order (file order: the shuffled
    orders' best, as one story after another is no order a threshold is chosen on)."""
    from service.evaluation.clustering import BASELINE_THRESHOLDS, Baseline, bcubed, order

    try:
        baseline = Baseline(rows, shape)
    except ImportError:
        typer.echo(f"{shape:<6} baseline: needs the eval extra (pip install 'tollwatch[eval]')")
        return
    scores = {name: {t: [bcubed(baseline.stream(threshold=t, ids=[
                  row["id"] for row in order(arranged, seed)]), gold)
                  for arranged, seed in chosen] for t in BASELINE_THRESHOLDS}
              for name, chosen in orders}
    best = {name: max(by_t, key=lambda t: sum(s.f1 for s in by_t[t]))
            for name, by_t in scores.items()}
    best["file"] = best.get("shuffled", best.get("file", BASELINE_THRESHOLDS[0]))
    for name, _ in orders:
        _echo_mean(shape, "baseline: plain TF-IDF", name, f"{best[name]:.2f}",
                   scores[name][best[name]])


def _echo_mean(shape: str, label: str, order: str, threshold: str, scores: list[BCubed]) -> None:
    mean = [sum(getattr(s, name) for s in scores) / len(scores)
            for name in ("precision", "recall", "f1", "clusters")]
    typer.echo(f"{shape:<6} {label:<26} {order:<10} {threshold:>9} {mean[0]:>6.3f} "
               f"{mean[1]:>6.3f} {mean[2]:>6.3f} {mean[3]:>8.1f}")
