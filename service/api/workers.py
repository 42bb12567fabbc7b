"""`tollwatch api --workers N`: N processes serving one port, under uvicorn's supervisor
(which restarts a worker that dies and stops them all on SIGTERM or Ctrl-C).

The socket is bound here, before any worker starts, so a busy port is still one line
(service.api.listen); the workers inherit it. Each worker is a fresh interpreter that
builds its own settings, engine and app from the same environment and config file as
this process read. The answers each keeps are checked against the database on every
request (service.api.answers), so N processes never disagree on what is current.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI

from service.config import ENV_PREFIX, Settings

log = logging.getLogger(__name__)


def serve(settings: Settings, config_file: Path | None, workers: int) -> None:
    """Serve the API from ``workers`` processes until stopped."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from service.api.listen import listen

    sock = listen(settings.api_host, settings.api_port)
    if config_file is not None:  # the workers read the same file
        os.environ[f"{ENV_PREFIX}CONFIG"] = str(config_file.resolve())
    config = uvicorn.Config(f"{__name__}:app", factory=True, workers=workers,
                            host=settings.api_host, port=settings.api_port,
                            log_level="warning", lifespan="off")
    log.info("api listening", extra={"url": f"http://{settings.api_host}:{settings.api_port}",
                                     "workers": workers})
    Multiprocess(config, sockets=[sock]).run()


def app() -> FastAPI:
    """One worker's app (uvicorn calls this factory in each worker process)."""
    from service import db, logs
    from service.api.app import create_app
    from service.config import load_settings

    settings = load_settings()
    logs.configure(settings.log_level)
    return create_app(settings, db.make_engine(settings.database_url))
