"""Settings: defaults need nothing, every source works, bad values name themselves."""

from __future__ import annotations

import re
import sys
from datetime import time
from pathlib import Path

import pytest

from service import db
from service.config import Settings, load_settings
from service.errors import ConfigError

README = Path(__file__).parents[1] / "README.md"


def test_defaults_need_no_setup(monkeypatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("TOLLWATCH_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database_url == "sqlite:///tollwatch.db"
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8000)
    assert (settings.digest_time, settings.digest_timezone) == (time(7, 0), "UTC")
    assert settings.sources_file.is_file()


def test_environment_overrides_toml(tmp_path, monkeypatch) -> None:
    config = tmp_path / "tollwatch.toml"
    config.write_text('api_port = 9000\ndigest_time = "06:30"\nlog_level = "debug"\n')
    monkeypatch.setenv("TOLLWATCH_API_PORT", "9100")
    settings = load_settings(config)
    assert settings.api_port == 9100
    assert settings.digest_time == time(6, 30)
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("TOLLWATCH_DATABASE_URL", "nonsense://x", "TOLLWATCH_DATABASE_URL"),
        ("TOLLWATCH_API_PORT", "70000", "TOLLWATCH_API_PORT"),
        ("TOLLWATCH_DIGEST_TIMEZONE", "Mars/Olympus", "TOLLWATCH_DIGEST_TIMEZONE"),
        ("TOLLWATCH_DIGEST_TIME", "25:99", "TOLLWATCH_DIGEST_TIME"),
    ],
)
def test_invalid_setting_is_named(monkeypatch, name: str, value: str, named: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_unknown_key_in_toml_is_an_error(tmp_path) -> None:
    config = tmp_path / "tollwatch.toml"
    config.write_text("databse_url = 'sqlite://'\n")
    with pytest.raises(ConfigError, match="DATABSE_URL"):
        load_settings(config)


def test_malformed_toml_and_missing_file(tmp_path) -> None:
    config = tmp_path / "tollwatch.toml"
    config.write_text("api_port = = 1\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(config)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_plain_postgresql_url_means_psycopg3() -> None:
    settings = load_settings(database_url="postgresql://u@h/d")
    assert settings.database_url.startswith("postgresql+psycopg://")


def test_every_setting_is_documented_in_readme() -> None:
    documented = set(re.findall(r"`TOLLWATCH_([A-Z_]+)`", README.read_text()))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "settings missing from README's reference"
    not_settings = {"CONFIG", "TEST_DATABASE_URL", "BENCH_PYTHON"}  # read by config, tests, bench
    assert documented - fields - not_settings == set(), "README documents unknown settings"


def test_a_missing_postgresql_driver_names_the_extra(monkeypatch) -> None:
    """A plain `pip install tollwatch` has no PostgreSQL driver: the error says which
    extra brings it (the import fails as it does where psycopg is not installed)."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigError, match=r"no database driver .*tollwatch\[postgres\]"):
        db.make_engine(load_settings(database_url="postgresql://u@h/d").database_url)
