"""`tollwatch import` and `tollwatch items …`: backfill and export items."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

from service.cli.state import state

app = typer.Typer(help="Export and search the stored items.", no_args_is_help=True)
BATCH = 500
SHOWN = 20  # invalid rows reported one by one, at most


def import_items(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines file."),
    analyse: bool = typer.Option(True, "--analyse/--no-analyse",
                                 help="Read figures and cluster the new items afterwards."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid",
        help="Import the valid rows and report the others, instead of importing nothing "
             "when any row is invalid."),
) -> None:
    """Backfill items from JSON Lines: id, outlet, title, summary or text, url, published.

    The whole file is checked first; if any row is invalid (not UTF-8 or JSON, a field
    missing or malformed, an id repeated), each is reported with its line number and
    nothing is imported, unless --skip-invalid. The rows are then written in one
    transaction. Unknown outlets are created. Rows go through the same store path as
    polled items, so importing a file twice adds nothing; a changed row adds a revision.
    Then the analysis stage reads their figures and groups them into events, as the
    daemon would.
    """
    from service import db
    from service.analyze import Analyzer
    from service.importer import judge
    from service.models import utcnow
    from service.store.items import store_imported

    shared = state(ctx)
    engine = shared.engine
    with file.open("rb") as lines:
        judged = judge(lines)
    for number, problem in judged.problems[:SHOWN]:
        typer.echo(f"{file.name}:{number}: {problem}", err=True)
    if len(judged.problems) > SHOWN:
        typer.echo(f"... and {len(judged.problems) - SHOWN} more", err=True)
    if judged.problems and not skip_invalid:
        typer.echo(f"import {file}: nothing imported: {len(judged.problems)} invalid row(s) "
                   "(fix them, or pass --skip-invalid)", err=True)
        raise typer.Exit(1)
    totals: Counter[str] = Counter()
    with db.session_scope(engine) as session:  # all or nothing
        for start in range(0, len(judged.rows), BATCH):
            totals.update(store_imported(session, judged.rows[start:start + BATCH], utcnow()))
    skipped = Counter(problem for _, problem in judged.problems)
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
        done = Analyzer(engine, lease_seconds=shared.settings.lease_seconds).run()
        typer.echo(f"analysed: {done.figures} figures from {done.extracted} versions, "
                   f"{done.clustered} items clustered, {done.new_events} new events")


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
