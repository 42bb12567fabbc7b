"""What every command shares: the settings (from --config) and the database engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from service import logs

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from service.config import Settings


@dataclass
class State:
    config_file: Path | None = None
    overrides: dict[str, object] = field(default_factory=dict)

    @cached_property
    def settings(self) -> Settings:
        """Read on first use, not before every command (a `--help` needs none), and then
        logging is set up at the level they give."""
        from service.config import load_settings

        settings = load_settings(self.config_file, **self.overrides)
        logs.configure(settings.log_level)
        return settings

    @cached_property
    def engine(self) -> Engine:
        """The engine, with the schema brought up to date: zero set-up on first use."""
        from service import db

        engine = db.make_engine(self.settings.database_url)
        db.upgrade(engine)
        return engine


def state(ctx: typer.Context) -> State:
    return ctx.ensure_object(State)


def write_out(path: Path, data: bytes) -> None:
    """Write a command's ``--out`` file; a path that cannot be written (no such folder, a
    directory, no permission) is the user's to fix: one line, not a traceback."""
    from service.errors import TollwatchError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise TollwatchError(f"cannot write {path}: {exc.strerror or exc}") from None
