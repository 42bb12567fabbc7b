"""`tollwatch events …`: the events the clusterer found, as a person or a script reads them."""

from __future__ import annotations

import json

import typer

from service.cli.state import state

app = typer.Typer(help="List, show and export the events items were grouped into.",
                  no_args_is_help=True)


@app.command("list")
def list_events(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", min=1, help="How many events to list."),
    sort: str = typer.Option("recent", "--sort", help="recent (last seen first) or size."),
    query: str = typer.Option(None, "--query", "-q", help="Only events whose title or "
                              "keywords, or one of whose items, hold every word (stemmed)."),
) -> None:
    """Live events (merged ones are left out), one a line: id, items, outlets, title."""
    from service import db
    from service.store import queries

    if sort not in ("recent", "size"):
        raise typer.BadParameter("must be 'recent' or 'size'", param_hint="--sort")
    with db.session_scope(state(ctx).engine) as session:
        events = queries.list_events(session, queries.EventFilter(query=query),
                                     sort, limit)  # type: ignore[arg-type]
        if not events:
            typer.echo("no events yet: poll or import some items first")
            return
        typer.echo(f"{'id':>6} {'items':>5} {'outlets':>7}  {'last seen':<16}  title")
        for event in events:
            typer.echo(f"{event.id:>6} {event.item_count:>5} {event.outlet_count:>7}  "
                       f"{event.last_seen_at:%Y-%m-%d %H:%M}  {event.title[:80]}")


@app.command("show")
def show(ctx: typer.Context, event_id: int = typer.Argument(..., help="The event's id.")) -> None:
    """One event: title, keywords, time span, outlets and its latest items."""
    from service import db
    from service.store import queries

    with db.session_scope(state(ctx).engine) as session:
        event = queries.get_event(session, event_id)
        if event.merged_into_id is not None:
            typer.echo(f"event {event_id} was merged into event {event.merged_into_id}")
            return
        items = queries.list_items(session, queries.ItemFilter(event_id=event_id), limit=20)
        typer.echo(f"event {event.id}: {event.title}")
        typer.echo(f"  keywords: {event.keywords}")
        typer.echo(f"  seen:     {event.first_seen_at:%Y-%m-%d %H:%M} to "
                   f"{event.last_seen_at:%Y-%m-%d %H:%M} UTC")
        typer.echo(f"  outlets:  {', '.join(queries.event_outlets(session, event_id))}")
        typer.echo(f"  items:    {event.item_count} (latest {len(items)} below)")
        width = min(max((len(outlet) for _, outlet in items), default=0), 36)
        for item, outlet in items:
            typer.echo(f"    {item.id:>6}  {outlet[:width]:<{width}}  {item.title[:70]}")


@app.command("export")
def export(
    ctx: typer.Context,
    format: str = typer.Option("jsonl", "--format", help="Only jsonl for now."),
) -> None:
    """One JSON line per clustered item: {"doc_id": its id from import (else its guid,
    else tollwatch's id), "event": its event id} — the shape labelled data comes in."""
    from service import db
    from service.store.items import iter_items

    if format != "jsonl":
        raise typer.BadParameter("only 'jsonl' is supported", param_hint="--format")
    with db.session_scope(state(ctx).engine) as session:
        for row in iter_items(session):
            if row.event_id is not None:
                doc_id = row.external_id or row.guid or str(row.id)
                typer.echo(json.dumps({"doc_id": doc_id, "event": row.event_id},
                                      ensure_ascii=False))
