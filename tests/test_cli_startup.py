"""Every command starts fast: the command line imports only what the command it runs
uses. `--help` builds the whole command tree, so the command modules import nothing
heavy at module level; a command that reads the feeds loads no web framework or charts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli_foundation import tollwatch

# Loaded only by the commands that serve, chart, poll or schedule.
HEAVY = ("fastapi", "starlette", "uvicorn", "matplotlib", "apscheduler", "httpx",
         "service.daemon", "service.analyze", "service.charts", "service.evaluation",
         "service.clustering", "service.casualties")
# What the database commands need, and --help does not.
DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "pydantic_settings")

REPORT = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["tollwatch", *{args!r}]
{body}
"""


def _modules_after(body: str, *args: str, cwd: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``body``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    result = subprocess.run([sys.executable, "-c", REPORT.format(args=list(args), body=body)],
                            cwd=cwd, env=environment, capture_output=True, text=True,
                            timeout=120)
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {name for name in names if name in modules}


def test_importing_the_command_line_loads_no_framework(tmp_path: Path) -> None:
    modules = _modules_after("import service.cli", cwd=tmp_path)
    assert "service.cli.feeds_cmd" in modules  # the whole tree, as --help builds it
    assert _loaded(modules, HEAVY + DATABASE) == set()


def test_help_loads_no_framework_and_no_database(tmp_path: Path) -> None:
    modules = _modules_after("from service.cli import main; main()", "--help", cwd=tmp_path)
    assert _loaded(modules, HEAVY + DATABASE) == set()


def test_listing_feeds_loads_the_database_but_no_framework(tmp_path: Path) -> None:
    """The first command migrates a new database (Alembic); later ones find it at the
    head with one query and leave Alembic unloaded."""
    first = _modules_after("from service.cli import main; main()", "feeds", "list",
                           cwd=tmp_path)
    assert (tmp_path / "tollwatch.db").is_file()
    assert _loaded(first, DATABASE) == set(DATABASE)
    later = _modules_after("from service.cli import main; main()", "feeds", "list",
                           cwd=tmp_path)
    assert _loaded(later, DATABASE) == set(DATABASE) - {"alembic"}
    assert _loaded(first | later, HEAVY) == set()


def test_eval_loads_the_evaluation_stack_when_it_runs(tmp_path: Path) -> None:
    """`eval` is a command group like the others; its commands import the evaluation stack
    (the clusterer, the reader, the analysis stage) when they run, not to be listed."""
    for args in (("eval", "--help"), ("eval", "clustering", "--help")):
        modules = _modules_after("from service.cli import main; main()", *args, cwd=tmp_path)
        assert _loaded(modules, HEAVY + DATABASE) == set()
    helped = tollwatch("eval", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "eval [OPTIONS] COMMAND [ARGS]" in helped.stdout
    assert "casualties" in helped.stdout and "clustering" in helped.stdout
    wrong = tollwatch("eval", "nonsense", cwd=tmp_path)
    assert wrong.returncode == 2 and "No such command 'nonsense'" in wrong.stderr


# What the API does not need to answer /health: charts load with the first one drawn, the
# worker's modules when its work starts.
NOT_FOR_THE_API = ("matplotlib", "service.charts", "apscheduler", "service.worker",
                   "service.digest.deliver", "service.analysis_process",
                   "service.articles.stage", "service.analyze")

SERVE = """
from service import db
from service.api.app import create_app
from service.config import Settings
from service.daemon import Daemon
settings = Settings(database_url="sqlite:///api.db")
engine = db.make_engine(settings.database_url)
Daemon(settings, engine, worker=False)
create_app(settings, engine)
"""


def test_the_api_starts_without_charts_or_the_worker(tmp_path: Path) -> None:
    """`tollwatch api` builds its daemon and app (every route and page) without loading
    matplotlib or the worker's modules."""
    modules = _modules_after(SERVE, cwd=tmp_path)
    assert {"fastapi", "service.api.routes.events", "service.api.routes.pages"} <= modules
    assert _loaded(modules, NOT_FOR_THE_API) == set()
