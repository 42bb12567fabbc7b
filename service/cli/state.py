"""What every command shares: the settings (from --config) and the database engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import typer
from sqlalchemy import Engine

from service import db
from service.config import Settings, load_settings


@dataclass
class State:
    config_file: Path | None = None
    overrides: dict[str, object] = field(default_factory=dict)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_file, **self.overrides)

    @cached_property
    def engine(self) -> Engine:
        """The engine, with the schema brought up to date: zero set-up on first use."""
        engine = db.make_engine(self.settings.database_url)
        db.upgrade(engine)
        return engine


def state(ctx: typer.Context) -> State:
    return ctx.ensure_object(State)
