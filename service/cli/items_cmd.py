"""`tollwatch import` and `tollwatch items …`: backfill and export items."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from typing import TYPE_CHECKING

import typer

from service.cli.state import state

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from service.importer import ImportRow

app = typer.Typer(help="Export and search the stored items.", no_args_is_help=True)
BATCH = 500


def import_items(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines file."),
    analyse: bool = typer.Option(True, "--analyse/--no-analyse",
                                 help="Read figures and cluster the new items afterwards."),
) -> None:
    """Backfill items from JSON Lines: id, outlet, title, summary or text, url, published.

    Unknown outlets are created. Rows go through the same store path as polled items, so
    importing a file twice adds nothing; a changed row adds a revision. Then the analysis
    stage reads their figures and groups them into events, as the daemon would.
    """
    from service.analyze import Analyzer
    from service.importer import SkipRow, parse_row

    engine = state(ctx).engine
    skipped: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    batch: list[ImportRow] = []
    lines = file.read_text(encoding="utf-8").splitlines()
    with typer.progressbar(lines, label=f"importing {file.name}", file=sys.stderr) as progress:
        for number, line in enumerate(progress, start=1):
            if not line.strip():
                continue
            try:
                batch.append(parse_row(line))
            except SkipRow as exc:
                skipped[str(exc)] += 1
                if skipped[str(exc)] <= 3:
                    typer.echo(f"line {number}: skipped: {exc}", err=True)
            if len(batch) >= BATCH:
                totals.update(_store(engine, batch))
                batch = []
    totals.update(_store(engine, batch))
    typer.echo(f"imported {file}: {totals['new']} new, {totals['updated']} updated, "
               f"{totals['seen']} unchanged, {sum(skipped.values())} skipped")
    for reason, count in skipped.most_common():
        typer.echo(f"  skipped {count}: {reason}")
    if skipped and not (totals["new"] or totals["updated"] or totals["seen"]):
        typer.echo(f"tollwatch: error: nothing imported from {file}: all "
                   f"{sum(skipped.values())} rows were invalid (reasons counted above)", err=True)
        raise typer.Exit(1)
    if analyse and (totals["new"] or totals["updated"]):
        typer.echo("analysing: reading figures, grouping into events", err=True)
        done = Analyzer(engine).run()
        typer.echo(f"analysed: {done.figures} figures from {done.extracted} versions, "
                   f"{done.clustered} items clustered, {done.new_events} new events")


def _store(engine: Engine, rows: list[ImportRow]) -> Counter[str]:
    from service import db
    from service.models import utcnow
    from service.store.items import store_imported

    with db.session_scope(engine) as session:
        return store_imported(session, rows, utcnow())


@app.command("export")
def export(
    ctx: typer.Context,
    format: str = typer.Option("jsonl", "--format", help="Only jsonl for now."),
) -> None:
    """Write one JSON line per item: id, external_id, guid, outlet, url, title, published,
    revisions, event, summary and content (sanitised HTML), authors, categories,
    enclosures (url, type, length) and language."""
    from service import db
    from service.store.items import iter_items

    if format != "jsonl":
        raise typer.BadParameter("only 'jsonl' is supported", param_hint="--format")
    with db.session_scope(state(ctx).engine) as session:
        for row in iter_items(session):
            typer.echo(json.dumps({
                "id": row.id, "external_id": row.external_id, "guid": row.guid,
                "outlet": row.outlet, "url": row.url, "title": row.title,
                "published": row.published.isoformat() if row.published else None,
                "revisions": row.revisions, "event": row.event_id,
                "summary": row.summary, "content": row.content, "authors": list(row.authors),
                "categories": list(row.categories), "enclosures": list(row.enclosures),
                "language": row.language,
            }, ensure_ascii=False))


@app.command("search")
def search_items(
    ctx: typer.Context,
    words: str = typer.Argument(..., help="Words every item found must hold (stemmed: "
                                          "'killed' finds 'kills')."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="At most this many."),
    outlet: str = typer.Option(None, "--outlet", help="Only this outlet's items."),
) -> None:
    """Full-text search over items' titles and text, best match first."""
    from service import db
    from service.store.queries import ItemFilter, search_items as found_items

    with db.session_scope(state(ctx).engine) as session:
        rows = found_items(session, ItemFilter(outlet=outlet, query=words), limit)
        lines = [f"{rank:8.3f}  {item.id:>7}  {name[:24]:<24}  {item.title}"
                 + (f"  <{item.url}>" if item.url else "") for item, name, rank in rows]
    for line in lines:
        typer.echo(line)
    typer.echo(f"{len(lines)} item(s)", err=True)
