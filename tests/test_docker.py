"""docker/: no Docker engine runs here, so the files are checked by reading them as
Compose and the image would: names that must resolve do, commands exist, the user is
not root."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.test_cli_foundation import tollwatch

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def _compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def test_compose_services_reach_each_other_by_name() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "api", "worker", "mailpit"} <= set(services)
    for name in ("api", "worker"):
        service = services[name]
        environment = service["environment"]
        database = urlsplit(environment["TOLLWATCH_DATABASE_URL"])
        assert database.scheme == "postgresql+psycopg" and database.hostname in services
        assert environment["TOLLWATCH_SMTP_HOST"] in services
        assert set(service["depends_on"]) <= set(services)
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
    postgres = services["postgres"]["environment"]
    assert database.username == postgres["POSTGRES_USER"]
    assert database.path.lstrip("/") == postgres["POSTGRES_DB"]
    assert set(compose["volumes"]) >= {v.split(":")[0] for v in services["postgres"]["volumes"]}


def test_compose_commands_are_tollwatch_commands(tmp_path) -> None:
    for name in ("api", "worker"):
        command = _compose()["services"][name]["command"]
        options = [word for word in command if word.startswith("--")]
        helped = tollwatch(command[0], "--help", cwd=tmp_path)
        assert helped.returncode == 0, helped.stderr
        for option in options:
            assert option in helped.stdout, (name, option)


def test_image_is_slim_and_runs_as_a_user() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[1-9]-slim", dockerfile, re.M)
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["tollwatch"]' in dockerfile
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in copied.split():
            assert (DOCKER.parent / path).exists(), path
