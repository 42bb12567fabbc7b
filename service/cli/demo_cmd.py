"""`tollwatch demo`: the seed event replayed offline through the real pipeline."""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from service.cli.state import state

if TYPE_CHECKING:
    from service.config import Settings
    from service.demo.replay import ReplayResult
    from service.timeline import Series


def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(True, "--serve/--no-serve",
                               help="Serve the API afterwards (default) or exit."),
    speed: int = typer.Option(10, "--speed", min=1, max=240,
                              help="Simulated minutes per step: higher is faster and coarser."),
    database: Path = typer.Option(None, "--database", dir_okay=False,
                                  help="SQLite file to fill and keep (default: a temporary "
                                       "one, removed when the demo stops)."),
    host: str = typer.Option(None, "--host", help="API address (default: TOLLWATCH_API_HOST)."),
    port: int = typer.Option(None, "--port", min=1, max=65535,
                             help="API port (default: TOLLWATCH_API_PORT)."),
) -> None:
    """Replay the 23 May 2016 Jableh and Tartus bombings (three days of ten outlets' feeds)
    through the real poller, article reader (three outlets' feeds carry only headlines),
    extractor and clusterer, print each outlet's figures over
    time, then serve the API on the result. Needs no network."""
    from service.api.listen import listen

    if database is not None and database.exists():
        raise typer.BadParameter(f"{database} exists; the demo fills a fresh database")
    settings = state(ctx).settings.model_copy(update={
        "allow_private_addresses": True,
        **({"api_host": host} if host else {}), **({"api_port": port} if port else {})})
    logging.getLogger("service").setLevel(logging.WARNING)  # the progress line says enough
    # bound before the replay: a busy port stops the demo at once, not after it
    sock = listen(settings.api_host, settings.api_port) if serve else None
    with _scratch(database) as path:
        _replay_and_serve(settings.model_copy(update={"database_url": f"sqlite:///{path}"}),
                          path, speed, sock)


@contextmanager
def _scratch(database: Path | None) -> Iterator[Path]:
    """The demo's database: ``database``, kept; or a temporary one, removed however the
    demo ends (done, Ctrl-C or SIGTERM). Both signals unwind the stack by our own
    handler, with exit status 128 + the signal: uvicorn passes a signal it caught on
    once it has shut down, and Python's default Ctrl-C handler would then hand it to
    asyncio's runner, which may end the serving task as if it had simply returned."""
    if database is not None:
        yield database
        return
    directory = Path(tempfile.mkdtemp(prefix="tollwatch-demo-"))
    previous = {sig: signal.signal(sig, _unwind) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield directory / "demo.db"
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(directory, ignore_errors=True)


def _unwind(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _replay_and_serve(settings: Settings, database: Path, speed: int,
                      sock: socket.socket | None) -> None:
    import asyncio

    import uvicorn

    from service import db
    from service.api.app import create_app
    from service.demo.corpus import HOURS
    from service.demo.replay import replay
    from service.store.analysis import event_figures, events_by_size
    from service.store.items import link_to_item_pages
    from service.timeline import daily_disagreements, timelines

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
    for day, found in daily_disagreements(figures, share=settings.disagreement_share,
                                          stale_after=settings.stale_after):
        typer.echo(f"\noutlets disagreed on {day:%d %b}: current killed figures from "
                   f"{found.low.point.label()} to {found.high.point.label()}")
    if sock is not None:
        site = f"http://{settings.api_host}:{settings.api_port}"
        with db.session_scope(engine) as session:  # the replayed outlets' server is gone
            link_to_item_pages(session, site)
        typer.echo(f"\nserving on {site}/ : the event page is {site}/events/{event.id}, its "
                   f"figures {site}/api/events/{event.id}/casualties, the API docs {site}/docs; "
                   f"the database is {database}; Ctrl-C to stop", err=True)
        config = uvicorn.Config(create_app(settings, engine), log_level="warning")
        uvicorn.Server(config).run(sockets=[sock])
    engine.dispose()


def _progress(minute: int, result: ReplayResult) -> None:
    from service.demo.corpus import HOURS

    if minute % 720 == 0:
        print(f"  simulated hour {minute // 60:>2}/{HOURS}: {result.new_items} items, "
              f"{result.figures} figures", file=sys.stderr, flush=True)


def format_series(series: list[Series]) -> str:
    """One block per outlet and source: the killed and injured figures as they changed."""
    lines = []
    for s in series:
        source = s.source or ("(its own)" if s.own else "(no source given)")
        changes = "  →  ".join(f"{p.label()} ({p.observed_at:%d %b %H:%M})" for p in s.points)
        lines.append(f"  {s.outlet:<36} {source:<38} {s.kind:<8} {changes}")
    header = f"  {'outlet':<36} {'attributed to':<38} {'kind':<8} figures over time (UTC)"
    return "\n".join([header, *lines])
