"""The `tollwatch` command line: thin, it parses arguments and calls the modules.

Every command starts fast: `--help` builds the whole command tree, so the command modules
import only typer and the standard library at module level, and each command imports
what it uses (the database, FastAPI, matplotlib, the daemon) when it runs. A test holds
importing this module to that.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from service import __version__
from service.cli import (
    daemon_cmd,
    db_cmd,
    demo_cmd,
    digest_cmd,
    eval_cmd,
    events_cmd,
    extract_cmd,
    feeds_cmd,
    items_cmd,
    poll_cmd,
)
from service.cli.state import State
from service.errors import TollwatchError

app = typer.Typer(
    help="tollwatch: follow how each outlet's casualty figures for an event change over time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than the rest
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(feeds_cmd.app, name="feeds")
app.add_typer(items_cmd.app, name="items")
app.add_typer(events_cmd.app, name="events")

app.add_typer(digest_cmd.app, name="digest")
app.add_typer(eval_cmd.app, name="eval")
app.command()(poll_cmd.poll)
app.command("import")(items_cmd.import_items)
app.command()(daemon_cmd.run)
app.command()(daemon_cmd.worker)
app.command()(daemon_cmd.api)
app.command()(extract_cmd.extract)
app.command()(demo_cmd.demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tollwatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Path = typer.Option(
        None, "--config", "-c", envvar="TOLLWATCH_CONFIG", dir_okay=False,
        help="TOML settings file (TOLLWATCH_* environment variables override it).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    ctx.obj = State(config_file=config)  # read when a command first asks for a setting


def main() -> None:
    """Entry point: any TollwatchError becomes one line on stderr and exit status 1."""
    try:
        app()
    except TollwatchError as exc:
        print(f"tollwatch: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        # a database failure not mapped closer to its cause
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"tollwatch: error: database: {reason}", file=sys.stderr)
        sys.exit(1)


def _is_database_error(exc: Exception) -> bool:
    if "sqlalchemy" not in sys.modules:  # nothing imported it, so nothing raised it
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)
