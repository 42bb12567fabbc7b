"""The API's front door, as ASGI middleware: who may ask, and how much they may send,
decided before any route runs or any byte of a body is read.

A route's dependencies run only after FastAPI has read and parsed the body, so a key
checked there lets an anonymous client make the server hold a body of any size (a
400 MB POST once cost 1.4 GB). Here the key is checked on the headers alone: writes
always need it, reads need it when ``api_read_requires_key`` is on, on every path
(pages, ``/metrics``, ``/docs`` and ``/openapi.json`` included) but ``/health``. A
declared body over the limit is refused at once; an undeclared (chunked) one is cut
off as soon as it passes the limit. HEAD is answered as GET without the body, and a
query string holding a NUL is a 422 (no database stores one; PostgreSQL errors).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException

from service.config import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN = frozenset({"/health"})  # a load balancer's probe never carries a key


class AccessGuard:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.key = settings.api_key.get_secret_value().encode() if settings.api_key else None
        self.reads_need_key = settings.api_read_requires_key
        self.max_body = settings.api_max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await _problem(send, *refusal)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        await self.app(scope, self._limited(receive), send)

    def _refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        headers = dict(scope["headers"])
        writing = scope["method"] not in READS
        if writing or (self.reads_need_key and scope["path"] not in OPEN):
            if self.key is None and writing:
                return 403, "writes are disabled: the server has no TOLLWATCH_API_KEY", {}
            given = headers.get(b"x-api-key")
            if self.key is not None and (given is None or not hmac.compare_digest(given, self.key)):
                return 401, "a valid X-API-Key header is required", {"WWW-Authenticate": "ApiKey"}
        declared = headers.get(b"content-length", b"")
        if declared and (not declared.isdigit() or int(declared) > self.max_body):
            return 413, f"request body over {self.max_body} bytes", {}
        query: bytes = scope.get("query_string", b"")
        if b"\x00" in query or b"%00" in query:
            return 422, "a query parameter contains a NUL character", {}
        return None

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:  # FastAPI answers an HTTPException raised here
                raise HTTPException(413, f"request body over {self.max_body} bytes")
            return message

        return limited


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head_send


async def _problem(send: Send, status: int, detail: str,
                   headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"type": "about:blank", "title": HTTPStatus(status).phrase,
                       "status": status, "detail": detail}).encode()
    raw = [(b"content-type", b"application/problem+json"),
           (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
