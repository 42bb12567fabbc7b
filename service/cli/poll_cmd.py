"""`tollwatch poll`: fetch feeds once, now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from service.cli.state import State, state

if TYPE_CHECKING:
    from service.once import Round


def poll(
    ctx: typer.Context,
    feed: list[str] = typer.Argument(None, metavar="FEED", show_default=False,
                                     help="Feed ids or URLs (default: every enabled feed)."),
) -> None:
    """Fetch every enabled feed (or the given ones) once, now, whatever its schedule.

    Validators are still sent, so unchanged feeds cost a 304. Prints one line per feed:
    outcome, HTTP status, new and updated items, and the error if any. Then reads the
    article pages that are due (of full-text feeds' items, these feeds' new ones included).
    """
    import asyncio

    from sqlmodel import col, select

    from service import db
    from service.bounds import redacted
    from service.models import Feed
    from service.store.feeds import find_feed

    shared = state(ctx)
    with db.session_scope(shared.engine) as session:
        if feed:
            ids = [find_feed(session, ref).id for ref in feed]
        else:
            ids = list(session.exec(select(Feed.id).where(col(Feed.enabled),
                                                          ~col(Feed.gone))).all())
    done = asyncio.run(_poll(shared, [i for i in ids if i is not None]))
    summaries = done.polls
    failed = 0
    for s in sorted(summaries, key=lambda s: s.feed_id):
        failed += s.error is not None
        status = s.status if s.status is not None else "-"
        typer.echo(f"{s.feed_id:>4}  {s.outcome:<12} {status!s:>4}  new {s.new:>4}  "
                   f"updated {s.updated:>4}  {redacted(s.url)}"
                   + (f"  error: {redacted(s.error)}" if s.error else ""))
    skipped = len(ids) - len(summaries)
    typer.echo(f"{len(summaries)} feed(s) polled, {failed} with errors"
               + (f", {skipped} held by another worker" if skipped else "")
               + f"; {done.articles.summary()}", err=True)


async def _poll(shared: State, ids: list[int]) -> Round:
    from service.once import fetch_once

    return await fetch_once(shared.settings, shared.engine, ids)
