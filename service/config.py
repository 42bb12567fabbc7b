"""All settings, in one place.

Values come, highest priority first, from keyword arguments (tests), ``TOLLWATCH_*``
environment variables, an optional TOML file (``--config`` or ``TOLLWATCH_CONFIG``),
then the defaults below, which need no set-up at all. Every field is documented in
README.md; a test checks that the two agree.
"""

from __future__ import annotations

import os
import socket
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    NoDecode,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from service.errors import ConfigError

ENV_PREFIX = "TOLLWATCH_"
DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")


def _default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Settings(BaseSettings):
    """tollwatch's configuration. Durations are in seconds."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    # storage
    database_url: str = "sqlite:///tollwatch.db"
    sources_file: Path = DEFAULT_SOURCES

    # HTTP API and pages
    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    api_key: SecretStr | None = None
    api_read_requires_key: bool = False
    api_max_body_bytes: int = Field(1_000_000, ge=1024)  # a request body, at most

    # polling
    poll_min_interval: int = Field(900, ge=1)
    poll_default_interval: int = Field(1800, ge=1)
    poll_max_interval: int = Field(86400, ge=60)
    poll_tick: int = Field(30, ge=1)
    analysis_tick: float = Field(2.0, gt=0)
    analysis_processes: int = Field(2, ge=1)
    fetch_concurrency: int = Field(20, ge=1)
    fetch_per_host: int = Field(2, ge=1)
    fetch_stall_seconds: float = Field(5.0, gt=0)
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    total_timeout: float = Field(60.0, gt=0)
    parse_timeout: float = Field(30.0, gt=0)  # parsing and sanitising one feed, at most
    max_response_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    max_decompressed_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(5, ge=0)
    permanent_redirect_threshold: int = Field(3, ge=1)
    allow_private_addresses: bool = False
    lease_seconds: int = Field(300, ge=10)
    worker_id: str = Field(default_factory=_default_worker_id)
    fetch_log_keep: int = Field(50, ge=1)

    # article pages of full-text feeds (service/articles/)
    article_tick: int = Field(30, ge=1)
    article_concurrency: int = Field(4, ge=1)
    article_hourly_per_host: int = Field(60, ge=1)
    article_short_chars: int = Field(400, ge=0)
    article_min_chars: int = Field(200, ge=0)
    article_max_bytes: int = Field(2 * 1024 * 1024, ge=1024)
    article_max_age_hours: int = Field(72, ge=1)
    article_max_attempts: int = Field(5, ge=1)
    article_retry_base: float = Field(300.0, gt=0)
    robots_ttl: int = Field(86400, ge=60)

    # figures
    disagreement_share: float = Field(0.2, ge=0.0, lt=1.0)
    stale_after_hours: float = Field(6.0, gt=0.0)

    @property
    def stale_after(self) -> timedelta:
        return timedelta(hours=self.stale_after_hours)

    # digest
    digest_time: time = time(7, 0)
    digest_timezone: str = "UTC"
    digest_to: Annotated[list[str], NoDecode] = Field(default_factory=list)
    digest_from: str = "tollwatch@localhost"
    digest_window_hours: int = Field(24, ge=1, le=24 * 14)
    digest_skip_quiet: bool = False
    digest_catch_up_days: int = Field(1, ge=0, le=30)
    digest_max_events: int = Field(10, ge=1, le=100)
    public_url: str = "http://127.0.0.1:8000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout: float = Field(30.0, gt=0)
    smtp_retries: int = Field(4, ge=0, le=20)
    smtp_retry_backoff: float = Field(30.0, ge=0)
    # one attempt (connect to QUIT) in all, whatever the server drips; well below the
    # 15 minutes after which another worker takes a digest's claim over
    smtp_deadline: float = Field(120.0, gt=0, le=300)

    log_level: str = "INFO"

    @field_validator("digest_to", mode="before")
    @classmethod
    def _recipients(cls, value: object) -> object:
        """A comma-separated list in the environment, a list in TOML."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("digest_to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or any(c.isspace() for c in address):
                raise ValueError(f"not an email address: {address!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """Check the URL names a dialect we can load; plain postgresql:// means psycopg 3."""
        try:
            url = make_url(value)
            if url.drivername in ("postgresql", "postgres"):
                url = url.set(drivername="postgresql+psycopg")
            url.get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise ValueError(f"not a usable SQLAlchemy URL ({exc})") from None
        return url.render_as_string(hide_password=False)

    @field_validator("digest_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file is read from model_config["toml_file"], set per call by load_settings().
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings, or raise ConfigError naming the first invalid one."""
    if config_file is None and os.environ.get(f"{ENV_PREFIX}CONFIG"):
        config_file = Path(os.environ[f"{ENV_PREFIX}CONFIG"])
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")
    # The file is chosen at run time, so it goes into a one-off subclass's model_config.
    configured = type(
        "Settings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": config_file}}
    )
    try:
        return configured(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    except ValueError as exc:  # a TOML syntax error surfaces as a ValueError subclass
        raise ConfigError(f"cannot read config file {config_file}: {exc}") from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"]) or "?"
    message = error["msg"].removeprefix("Value error, ")
    return f"invalid setting {ENV_PREFIX}{name.upper()} ({name}): {message}"
