"""The peer in the benchmark: lemon24/reader, in a venv of its own.

reader needs Python >= 3.12 and is no dependency of tollwatch: the bench makes a venv
for it (bench/.reader-venv, once) with the same feedparser as tollwatch's, from the
first Python >= 3.12 it finds (``TOLLWATCH_BENCH_PYTHON``, then ``python3.13``/
``python3.12`` on the PATH, then pyenv's). Without one, the peer's row is skipped
with a note."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".reader-venv"
READER = "reader==3.27"


def _python312() -> str | None:
    found = [os.environ.get("TOLLWATCH_BENCH_PYTHON"), shutil.which("python3.13"),
             shutil.which("python3.12"),
             *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")),
                     reverse=True)]
    for python in filter(None, found):
        probe = subprocess.run([python, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                               capture_output=True, text=True)
        if probe.stdout.strip() == "True":
            return python
    return None


def reader_python(build: bool = True) -> tuple[str | None, str]:
    """The venv's interpreter (made if need be and ``build``), or None and why not.
    Making the venv (pip installing reader) takes longer than a whole quick run."""
    python = VENV / "bin" / "python"
    if python.exists():
        return str(python), ""
    if not build:
        return None, ("--quick does not make reader's venv; `python bench/peer.py` (or a run "
                      "without --quick) makes it once")
    base = _python312()
    if base is None:
        return None, "no Python >= 3.12 here (reader needs it); set TOLLWATCH_BENCH_PYTHON"
    subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", READER,
                              f"feedparser=={version('feedparser')}"],
                             capture_output=True, text=True)
    if install.returncode != 0:
        shutil.rmtree(VENV)
        return None, f"could not install {READER}: {install.stderr.strip()[-300:]}"
    return str(python), ""


def reader_first_pass(python: str, urls: list[str], work: Path, workers: int = 1) -> dict:
    """reader's update_feeds() over ``urls`` into a fresh database: entries, seconds."""
    listing = work / "reader-urls.txt"
    listing.write_text("\n".join(urls))
    database = work / "reader.sqlite"
    database.unlink(missing_ok=True)
    out = subprocess.run([python, str(HERE / "reader_pass.py"), str(database), str(listing),
                          str(workers)], check=True, capture_output=True, text=True, cwd=work)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(reader_python(), file=sys.stderr)
