"""Start-up times, measured from outside as a person waits for them: a command's wall
time until it exits, a server's until its first /health answer. Pure measurement; the
rows and their baselines are in run.py."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path

# The framework's own start: FastAPI and uvicorn serving one route, nothing else.
BARE_API = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def tollwatch_command() -> list[str]:
    """The installed `tollwatch` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("tollwatch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service"]


def best_wall_times(commands: dict[str, list[str]], env: dict[str, str], rounds: int,
                    cwd: Path) -> dict[str, float]:
    """The shortest of ``rounds`` wall times of each command, the commands alternating so
    that a busy spell slows them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            began = time.perf_counter()
            subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - began)
    return {name: min(values) for name, values in times.items()}


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def seconds_to_first_health(command: list[str], port: int, env: dict[str, str], cwd: Path,
                            limit: float = 120.0) -> float:
    """From starting ``command`` until GET /health on ``port`` answers 200."""
    began = time.perf_counter()
    server = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        while not _answers(port):
            if server.poll() is not None or time.perf_counter() - began > limit:
                raise SystemExit(f"{command[-3:]} did not answer /health")
            time.sleep(0.01)
        return time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(10)
