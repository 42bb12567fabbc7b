"""`tollwatch db …`: the schema."""

from __future__ import annotations

import typer

from service.cli.state import state

app = typer.Typer(help="Create or migrate the database schema.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations (creates the database if it does not exist; idempotent)."""
    from service import db

    settings = state(ctx).settings
    engine = db.make_engine(settings.database_url)
    pending = db.pending_migrations(engine)
    db.upgrade(engine)
    where = db.safe_url(settings.database_url)
    if pending:
        typer.echo(f"{where}: applied {len(pending)} migration(s): {', '.join(pending)}")
    else:
        typer.echo(f"{where}: already up to date ({db.current_revision(engine)})")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the schema revision the database is at, and any pending ones."""
    from service import db

    engine = db.make_engine(state(ctx).settings.database_url)
    pending = db.pending_migrations(engine)
    typer.echo(f"current: {db.current_revision(engine) or 'none'}")
    typer.echo(f"pending: {', '.join(pending) or 'none'}")
