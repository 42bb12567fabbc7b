"""`tollwatch run | worker | api`: the long-running processes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from service.cli.state import State, state

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

    from service.once import Round


def _first_start(shared: State) -> None:
    """Follow the sources file's feeds when the database follows none yet."""
    from service import db
    from service.sources import read_sources
    from service.store.feeds import sync_sources_if_none

    sources_file = shared.settings.sources_file
    with db.session_scope(shared.engine) as session:
        added = sync_sources_if_none(session, lambda: read_sources(sources_file))
    if added is not None:
        typer.echo(f"first start: following {added[1]} feed(s) of {added[0]} outlet(s) from "
                   f"{sources_file}", err=True)


def run(ctx: typer.Context) -> None:
    """Poll feeds on schedule, analyse them in a child process, serve the API (migrates
    at start)."""
    import asyncio

    from service.daemon import Daemon

    from service import db

    shared = state(ctx)
    with db.sole_worker(shared.engine):
        daemon = Daemon(shared.settings, shared.engine)
        _first_start(shared)
        asyncio.run(daemon.run())


def worker(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Poll what is due now, read the due "
                                                    "article pages, then exit (for cron, or "
                                                    "a one-off catch-up)."),
) -> None:
    """Poll feeds on schedule, without the API (run several on PostgreSQL)."""
    import asyncio

    from service.daemon import Daemon

    from service import db

    shared = state(ctx)
    with db.sole_worker(shared.engine):
        if once:
            _first_start(shared)
            done = asyncio.run(_poll_due_once(shared))
            typer.echo(f"{len(done.polls)} due feed(s) polled, "
                       f"{sum(s.error is not None for s in done.polls)} with errors; "
                       f"{done.articles.summary()}", err=True)
            return
        daemon = Daemon(shared.settings, shared.engine, api=False)
        _first_start(shared)
        asyncio.run(daemon.run())


async def _poll_due_once(shared: State) -> Round:
    import asyncio

    from service.analyze import Analyzer
    from service.once import fetch_once

    done = await fetch_once(shared.settings, shared.engine)
    analyzer = Analyzer(shared.engine, lease_seconds=shared.settings.lease_seconds)
    await asyncio.to_thread(analyzer.run)  # the articles' figures included
    return done


def api(
    ctx: typer.Context,
    host: str = typer.Option(None, "--host", help="Listen address (default: TOLLWATCH_API_HOST)."),
    port: int = typer.Option(None, "--port", min=1, max=65535,
                             help="Port (default: TOLLWATCH_API_PORT)."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="Processes serving the port: more use more cores."),
) -> None:
    """Serve the API and pages only."""
    shared = state(ctx)
    overrides = {k: v for k, v in (("api_host", host), ("api_port", port)) if v is not None}
    settings = shared.settings.model_copy(update=overrides)
    shared.engine  # the schema is brought up to date once, before any worker starts
    if workers > 1:
        from service.api.workers import serve

        serve(settings, shared.config_file, workers)
        return
    import asyncio

    from service.daemon import Daemon

    with asyncio.Runner(loop_factory=_fast_loop()) as runner:
        runner.run(Daemon(settings, shared.engine, worker=False).run())


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (as uvicorn's workers use it): an answer
    costs the API about a quarter less CPU than on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop
