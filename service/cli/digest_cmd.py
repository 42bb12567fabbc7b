"""`tollwatch digest …`: preview, send and check the daily digest email."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from service.cli.state import state, write_out

app = typer.Typer(help="Preview, send and check the daily digest email.", no_args_is_help=True)
CLI_SMTP_TIMEOUT = 10.0


def _day(value: str | None, timezone: str) -> date:
    if value is None:
        return datetime.now(ZoneInfo(timezone)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def preview(ctx: typer.Context,
            day: str = typer.Option(None, "--date", help="The digest's date (default: today)."),
            out: Path = typer.Option(None, "--out", dir_okay=False,
                                     help="Write to FILE.html (the HTML part, its charts "
                                          "inside it, for a browser) or FILE.eml (the whole "
                                          "message); default: the text part to stdout.")
            ) -> None:
    """Render a digest without sending it."""
    from sqlmodel import Session

    from service.digest import message
    from service.digest.compose import render_html
    from service.digest.deliver import assemble

    shared = state(ctx)
    settings = shared.settings
    the_day = _day(day, settings.digest_timezone)
    with Session(shared.engine) as session:
        digest = assemble(session, the_day, settings, charts_on=out is not None)
    recipient = settings.digest_to[0] if settings.digest_to else "reader@example.org"
    email = message.build(digest, settings.digest_from, recipient,
                          message.message_id(the_day.isoformat(), recipient, settings.digest_from))
    if out is None:
        typer.echo(f"Subject: {email['Subject']}\n")
        typer.echo(email.get_body(("plain",)).get_content())
    elif out.suffix == ".eml":
        write_out(out, bytes(email))
    elif out.suffix in (".html", ".htm"):
        write_out(out, render_html(digest, embed_charts=True).encode("utf-8"))
    else:
        raise typer.BadParameter("--out must end in .html or .eml")
    if out is not None:
        typer.echo(f"wrote {out} ({len(digest.events)} events)", err=True)


@app.command()
def send(ctx: typer.Context,
         day: str = typer.Option(None, "--date", help="The digest's date (default: today)."),
         to: list[str] = typer.Option(None, "--to", help="Recipient (repeatable); default: "
                                                        "TOLLWATCH_DIGEST_TO."),
         resend: bool = typer.Option(False, "--resend",
                                     help="Send again even if this day was already sent.")
         ) -> None:
    """Send a digest now, once per (date, recipient) like the scheduled send.

    A person is waiting: one attempt, at most CLI_SMTP_TIMEOUT seconds per exchange, not
    the daemon's patient retries; a temporary failure stays pending for the daemon."""
    from service.digest.deliver import Sender
    from service.store.deliveries import DeliveryStatus

    shared = state(ctx)
    settings = shared.settings
    if not (to or settings.digest_to):
        raise typer.BadParameter("no recipient: pass --to or set TOLLWATCH_DIGEST_TO")
    impatient = settings.model_copy(update={
        "smtp_retries": 0, "smtp_timeout": min(settings.smtp_timeout, CLI_SMTP_TIMEOUT)})
    results = Sender(impatient, shared.engine).send(_day(day, settings.digest_timezone),
                                                   to or None, resend=resend)
    for result in results:
        hint = " (use --resend to send it again)" if result.already else ""
        typer.echo(f"{result.day} {result.recipient}: {result.summary}"
                   f"{' - ' + result.detail if result.detail else ''}{hint}")
    if any(r.status in (DeliveryStatus.FAILED, DeliveryStatus.PENDING) and not r.already
           for r in results):
        raise typer.Exit(1)


@app.command()
def status(ctx: typer.Context) -> None:
    """Recent deliveries: sent, pending (will be retried), failed (will not)."""
    from service import db
    from service.store import deliveries

    with db.session_scope(state(ctx).engine) as session:
        rows = deliveries.recent(session)
        lines = [f"{r.digest_date}  {r.recipient:<32} {r.status:<8} attempts {r.attempts}"
                 f"{'  ' + r.last_error if r.last_error else ''}" for r in rows]
    typer.echo("\n".join(lines) if lines else "no digest sent yet")
