"""The wheel holds every module and every file the code loads from beside itself (the
Docker image and `pip install .` install it; an editable install would hide a gap)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Files read at run time by path, not imported: templates, the shipped sources, Alembic's.
DATA = ["service/web/templates/*", "service/sources.toml", "migrations/script.py.mako"]


def _tracked() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                             capture_output=True).stdout.decode()
    return [name for name in listing.split("\0") if name]


def _clean_copy(destination: Path) -> None:
    """The tracked files alone, as in a clean clone or a Docker build context: a
    checkout's own build/ and *.egg-info/ can supply files the configuration misses.
    Symlinks stay symlinks (service/migrations is one)."""
    for name in _tracked():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_symlink():
            os.symlink(os.readlink(ROOT / name), target)
        else:
            shutil.copy2(ROOT / name, target)


def _shipped_name(name: str) -> str:
    """Where a tracked file lands in the wheel: migrations/ ships as service/migrations/."""
    return name.replace("migrations/", "service/migrations/", 1) if name.startswith(
        "migrations/") else name


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    tmp = tmp_path_factory.mktemp("wheel")
    _clean_copy(tmp / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                    str(tmp), str(tmp / "source")], check=True, capture_output=True, timeout=600)
    [wheel] = tmp.glob("tollwatch-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_carries_every_module_of_every_package(wheel_files: set[str]) -> None:
    """Every tracked .py under service/ and migrations/ ships: a new package needs no list."""
    modules = {_shipped_name(name) for name in _tracked()
               if name.endswith(".py") and name.startswith(("service/", "migrations/"))}
    packages = {str(Path(name).parent) for name in modules}
    assert {"service/digest", "service/migrations", "service/migrations/versions"} <= packages
    assert modules - wheel_files == set()


def test_wheel_carries_every_template_and_data_file(wheel_files: set[str]) -> None:
    wanted = {_shipped_name(name) for name in _tracked()
              if any(fnmatch(name, pattern) for pattern in DATA)}
    assert any(name.endswith("digest.txt") for name in wanted)
    assert wanted - wheel_files == set()


def test_wheel_carries_no_bytecode_or_tests(wheel_files: set[str]) -> None:
    assert not [name for name in wheel_files if "__pycache__" in name or name.startswith(
        "tests/")]
