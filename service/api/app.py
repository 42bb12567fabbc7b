"""The FastAPI application factory: settings and engine in, a fresh app out.

Errors leave as ``application/problem+json`` (RFC 9457) with a ``detail`` a person can
act on; a bad parameter is a 422 and an unknown id a 404, never a 500.

``/docs`` and ``/redoc`` load Swagger UI and ReDoc from files the fastapi-offline package
ships (served under ``/static-offline-docs``), not from a CDN: they work offline, as the
demo does.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from service import __version__, db, metrics
from service.api.access import AccessGuard
from service.api.answers import Answers, States
from service.api.deps import require_reader
from service.api.routes import events, feeds, items, pages
from service.api.schemas import Problem
from service.config import Settings
from service.errors import DatabaseError, NotFoundError

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(status: int, detail: str, headers: dict[str, str] | None = None,
            **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _describe(errors: list[dict]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})


def _allowed(request: Request, starlettes: str) -> str:
    """The ``Allow`` of a 405: every method the OpenAPI document declares at this path.
    Starlette names only the first route that matched the path, so ``/api/feeds`` said
    ``GET`` though ``POST`` is served there too. Paths outside the document (pages) keep
    Starlette's answer. HEAD goes with GET (the access guard answers it)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {m.upper() for m in operations} & _METHODS
    methods = methods or {m.strip() for m in starlettes.split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (the API under /api keeps problem+json for everyone)."""
    return (not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    app = FastAPIOffline(
        title="tollwatch", version=__version__,
        description="Casualty figures per outlet and source, over time.",
        responses={code: {"model": Problem, "description": HTTPStatus(code).phrase,
                          "content": {PROBLEM: {}}}
                   for code in (401, 403, 404, 409, 422)})
    app.state.settings = settings
    app.state.engine = engine
    app.state.answers = Answers()
    app.state.states = States(engine)
    registry = metrics.fresh_registry(engine)

    # the schema declares the key only where it is asked for
    reading = [Depends(require_reader)] if settings.api_read_requires_key else []
    app.include_router(events.router, dependencies=reading)
    app.include_router(items.router, dependencies=reading)
    app.include_router(feeds.router, dependencies=reading)
    app.include_router(pages.router)
    app.add_middleware(AccessGuard, settings=settings)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and _wants_page(request):
            return pages.not_found_page(request, f"nothing at {request.url.path}")
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {})}
            headers["Allow"] = _allowed(request, headers.get("Allow", ""))
        return problem(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")}
                  for e in exc.errors()]
        if _wants_page(request) and any(e["loc"][0] == "path" for e in errors):
            # /events/abc or /items/0 names no page: a browser gets the 404 page
            return pages.not_found_page(request, f"nothing at {request.url.path}")
        return problem(422, _describe(errors), errors=errors)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if _wants_page(request):
            return pages.not_found_page(request, str(exc))
        return problem(404, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("request failed", extra={"path": request.url.path})
        return problem(500, "internal error; the server log has the details")

    @app.get("/health", tags=["service"])
    def health() -> JSONResponse:
        """200 when the database answers, 503 when it does not."""
        try:
            db.check_connection(engine)
        except DatabaseError as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/metrics", tags=["service"], response_class=Response)
    def prometheus() -> Response:
        """Prometheus text format: fetches, analysis latencies, digest sends, store totals."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
