"""The FastAPI application factory: settings and engine in, a fresh app out."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from service import __version__, db
from service.config import Settings
from service.errors import DatabaseError


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    app = FastAPI(title="tollwatch", version=__version__,
                  description="Casualty figures per outlet and source, over time.")
    app.state.settings = settings
    app.state.engine = engine

    @app.get("/health", tags=["service"])
    def health() -> JSONResponse:
        """200 when the database answers, 503 when it does not."""
        try:
            db.check_connection(engine)
        except DatabaseError as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__})

    return app
