"""The wheel holds what the code loads from beside itself (the Docker image installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Files read at run time by path, not imported: templates, the shipped sources, Alembic's.
DATA = ["service/web/templates/*", "service/sources.toml", "migrations/script.py.mako",
        "migrations/versions/*.py"]


def test_wheel_carries_every_template_and_data_file(tmp_path: Path) -> None:
    """Built from the tracked files alone, as in a clean clone or a Docker build context:
    a checkout's own build/ and *.egg-info/ can supply files the configuration misses."""
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                             capture_output=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=600)
    [wheel] = tmp_path.glob("tollwatch-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    wanted = {name.replace("migrations/", "service/migrations/", 1) for name in tracked
              if any(fnmatch(name, pattern) for pattern in DATA)}
    assert any(name.endswith("digest.txt") for name in wanted)
    assert wanted - packed == set()
