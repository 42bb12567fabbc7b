"""`tollwatch feeds …`: the feeds tollwatch follows."""

from __future__ import annotations

from pathlib import Path

import typer

from service.cli.state import state, write_out

app = typer.Typer(help="List, add and remove feeds; move feed lists in and out as OPML.",
                  no_args_is_help=True)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"  # type: ignore[attr-defined]


@app.command("list")
def list_feeds(ctx: typer.Context) -> None:
    """List every feed with its outlet."""
    from service import db
    from service.bounds import redacted
    from service.store import feeds as feed_store

    with db.session_scope(state(ctx).engine) as session:
        rows = feed_store.feed_statuses(session)
    for row in rows:
        flag = "" if row.enabled and not row.gone else (" [gone]" if row.gone else " [disabled]")
        typer.echo(f"{row.id:>4}  {row.outlet:<36} {redacted(row.url)}{flag}")
    typer.echo(f"{len(rows)} feed(s)", err=True)
    if not rows:
        typer.echo("no feeds followed yet: `tollwatch feeds sync` follows the shipped outlets, "
                   "`tollwatch feeds add URL` one feed", err=True)


@app.command()
def status(ctx: typer.Context) -> None:
    """Each feed's health: last status, consecutive errors, last error, next fetch."""
    from service import db
    from service.store import feeds as feed_store

    with db.session_scope(state(ctx).engine) as session:
        rows = feed_store.feed_statuses(session)
    lasts = [("gone" if row.gone else (row.last_outcome or "never"))
             + (f" {row.last_status}" if row.last_status else "") for row in rows]
    outlet_width = min(max((len(row.outlet) for row in rows), default=6), 36)
    last_width = max(map(len, lasts), default=4)
    typer.echo(f"{'id':>4}  {'outlet':<{outlet_width}}  {'last':<{last_width}}  {'errors':>6}  "
               f"{'fetched':<16}  {'next':<16}  last error")
    for row, last in zip(rows, lasts):
        typer.echo(
            f"{row.id:>4}  {row.outlet[:outlet_width]:<{outlet_width}}  {last:<{last_width}}  "
            f"{row.error_count:>6}  {_when(row.last_fetched_at):<16}  "
            f"{_when(row.next_fetch_at):<16}  {row.last_error or ''}"
        )


@app.command()
def add(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="The feed's URL (RSS, Atom or JSON Feed), or with "
                                        "--discover a web page that links to its feeds."),
    outlet: str = typer.Option(None, "--outlet", help="Outlet name (default: the URL's host)."),
    discover: bool = typer.Option(False, "--discover", help="Fetch the URL first: a feed is "
                                  "added as given, a web page's <link rel=\"alternate\"> "
                                  "feeds are added instead (all of them, or see --pick)."),
    pick: int = typer.Option(None, "--pick", min=1, help="Discover, and add only the page's "
                             "N-th feed (1 = the first, in page order)."),
    full_text: str = typer.Option(
        "never", "--full-text", metavar="always|when_short|never",
        help="Fetch and read each item's article page: always, when_short (when the feed "
             "carries little more than a headline), or never."),
) -> None:
    """Follow a new feed, or the feeds a web page links to."""
    from service import db
    from service.bounds import redacted
    from service.fetch.guard import visibly_private
    from service.store import feeds as feed_store

    feed_store.check_feed_url(url)
    feed_store.check_full_text(full_text)
    host = feed_store.host_of(url)
    name = outlet or host
    urls = _discovered(ctx, url, pick) if discover or pick else [url]
    with db.session_scope(state(ctx).engine) as session:  # all of them, or none
        added = [feed_store.add_feed(session, feed_url, name, full_text) for feed_url in urls]
    for feed in added:  # said once written: a later one already followed undoes them all
        typer.echo(f"added feed {feed.id}: {redacted(feed.url)} ({name})")
    if visibly_private(url) and not state(ctx).settings.allow_private_addresses:
        typer.echo(f"tollwatch: warning: {host} is not a public address, so fetches of this "
                   "feed will be refused (set TOLLWATCH_ALLOW_PRIVATE_ADDRESSES=true to allow)",
                   err=True)


def _discovered(ctx: typer.Context, url: str, pick: int | None) -> list[str]:
    from service.discover import choose
    from service.fetch.probe import probe_now
    from service.worker import limits_from

    links = probe_now(url, limits_from(state(ctx).settings))
    if len(links) > 1 or links[0].url != url:
        for number, link in enumerate(links, 1):
            typer.echo(f"  {number}. {link.format:<9} {link.url}  {link.title or ''}".rstrip(),
                       err=True)
    try:
        return [link.url for link in choose(links, pick)]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--pick") from None


@app.command()
def remove(ctx: typer.Context, feed: str = typer.Argument(..., help="Feed id or URL.")) -> None:
    """Stop following a feed (its items are kept)."""
    from service import db
    from service.bounds import redacted
    from service.store import feeds as feed_store

    with db.session_scope(state(ctx).engine) as session:
        removed = feed_store.remove_feed(session, feed)
    typer.echo(f"removed feed {removed.id}: {redacted(removed.url)}")


@app.command()
def sync(
    ctx: typer.Context,
    sources: Path = typer.Option(None, "--sources", help="Sources TOML (default: the setting)."),
) -> None:
    """Add the outlets and feeds of the sources file that are not followed yet."""
    from service import db
    from service.sources import read_sources
    from service.store import feeds as feed_store

    specs = read_sources(sources or state(ctx).settings.sources_file)
    with db.session_scope(state(ctx).engine) as session:
        outlets, feeds = feed_store.sync_sources(session, specs)
    typer.echo(f"added {outlets} outlet(s) and {feeds} feed(s)")


@app.command("import-opml")
def import_opml(ctx: typer.Context, file: Path = typer.Argument(..., exists=True,
                                                                 dir_okay=False)) -> None:
    """Follow every feed in an OPML file (each outline's title becomes its outlet)."""
    from service import db
    from service.sources import read_opml
    from service.store import feeds as feed_store

    specs = read_opml(file.read_bytes(), origin=str(file))
    with db.session_scope(state(ctx).engine) as session:
        outlets, feeds = feed_store.sync_sources(session, specs)
    typer.echo(f"added {outlets} outlet(s) and {feeds} feed(s) from {file}")


@app.command("export-opml")
def export_opml(
    ctx: typer.Context,
    out: Path = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
) -> None:
    """Write every followed feed as OPML 2.0."""
    from service import db
    from service.sources import write_opml
    from service.store import feeds as feed_store

    with db.session_scope(state(ctx).engine) as session:
        document = write_opml(feed_store.feed_listings(session))
    if out is None:
        typer.echo(document.decode("utf-8"), nl=False)
    else:
        write_out(out, document)
        typer.echo(f"wrote {out}", err=True)
