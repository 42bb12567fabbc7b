"""`tollwatch demo`: the seed event replayed offline through the real pipeline."""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

import typer
import uvicorn

from service import db
from service.api.app import create_app
from service.cli.state import state
from service.demo.corpus import HOURS
from service.demo.replay import ReplayResult, replay
from service.store.analysis import event_figures, events_by_size
from service.timeline import Series, disagreement, timelines


def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(True, "--serve/--no-serve",
                               help="Serve the API afterwards (default) or exit."),
    speed: int = typer.Option(10, "--speed", min=1, max=240,
                              help="Simulated minutes per step: higher is faster and coarser."),
    database: Path = typer.Option(None, "--database", dir_okay=False,
                                  help="SQLite file to fill (default: a fresh temporary one)."),
    host: str = typer.Option(None, "--host", help="API address (default: TOLLWATCH_API_HOST)."),
    port: int = typer.Option(None, "--port", help="API port (default: TOLLWATCH_API_PORT)."),
) -> None:
    """Replay the 23 May 2016 Jableh and Tartus bombings (three days of ten outlets' feeds)
    through the real poller, article reader (three outlets' feeds carry only headlines),
    extractor and clusterer, print each outlet's figures over
    time, then serve the API on the result. Needs no network."""
    base = state(ctx).settings
    if database is None:
        database = Path(tempfile.mkdtemp(prefix="tollwatch-demo-")) / "demo.db"
    elif database.exists():
        raise typer.BadParameter(f"{database} exists; the demo fills a fresh database")
    settings = base.model_copy(update={
        "database_url": f"sqlite:///{database}", "allow_private_addresses": True,
        **({"api_host": host} if host else {}), **({"api_port": port} if port else {})})
    logging.getLogger("service").setLevel(logging.WARNING)  # the progress line says enough
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    typer.echo(f"replaying {HOURS} hours of coverage into {database}", err=True)
    started = time.monotonic()
    result = asyncio.run(replay(settings, engine, step_minutes=speed, progress=_progress))
    typer.echo(f"replayed in {time.monotonic() - started:.1f} s: {result.fetches} fetches, "
               f"{result.new_items} items, {result.updated_items} edits, "
               f"{result.articles} article pages read, {result.figures} figures, "
               f"{result.events} events", err=True)
    with db.session_scope(engine) as session:
        top = events_by_size(session, limit=1)
        if not top:
            raise typer.Exit(1)
        event = top[0]
        typer.echo(f"\nevent {event.id}: {event.title}  ({event.outlet_count} outlets, "
                   f"{event.item_count} items)")
        figures = event_figures(session, event.id)  # type: ignore[arg-type]
    typer.echo(format_series(timelines(figures)))
    spread = disagreement(figures, share=settings.disagreement_share)
    if spread:
        typer.echo(f"\noutlets disagree: their current killed figures range from {spread[0]} "
                   f"to {spread[1]}")
    if serve:
        base = f"http://{settings.api_host}:{settings.api_port}"
        typer.echo(f"\nserving on {base}/ : the event page is {base}/events/{event.id}, its "
                   f"figures {base}/api/events/{event.id}/casualties, the API docs {base}/docs; "
                   f"Ctrl-C to stop", err=True)
        uvicorn.run(create_app(settings, engine), host=settings.api_host,
                    port=settings.api_port, log_level="warning")


def _progress(minute: int, result: ReplayResult) -> None:
    if minute % 720 == 0:
        print(f"  simulated hour {minute // 60:>2}/{HOURS}: {result.new_items} items, "
              f"{result.figures} figures", file=sys.stderr, flush=True)


def format_series(series: list[Series]) -> str:
    """One block per outlet and source: the killed and injured figures as they changed."""
    lines = []
    for s in series:
        source = s.source or "(no source given)"
        changes = "  →  ".join(f"{p.label()} ({p.observed_at:%d %b %H:%M})" for p in s.points)
        lines.append(f"  {s.outlet:<36} {source:<38} {s.kind:<8} {changes}")
    header = f"  {'outlet':<36} {'attributed to':<38} {'kind':<8} figures over time (UTC)"
    return "\n".join([header, *lines])
