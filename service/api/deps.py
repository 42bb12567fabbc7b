"""What routes share: a database session per request, the API key check, page cursors."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, Security
from pydantic import AfterValidator, BeforeValidator
from fastapi.security import APIKeyHeader
from sqlmodel import Session

from service import bounds
from service.config import Settings
from service.discover import FeedLink

_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                           description="The value of TOLLWATCH_API_KEY.")


# Both are coroutines, though neither awaits: FastAPI runs a plain function (and each
# half of a generator) in its thread pool, and those three hand-offs cost more CPU than
# a cached answer's own work. Neither blocks: a Session connects on its first query
# (in the route's thread), and closing it hands the connection back to the pool.
async def settings(request: Request) -> Settings:
    return request.app.state.settings


async def session(request: Request) -> AsyncIterator[Session]:
    with Session(request.app.state.engine) as s:
        yield s


def _check_key(given: str | None, configured: Settings, *, writing: bool) -> None:
    key = configured.api_key.get_secret_value() if configured.api_key else None
    if key is None:
        if writing:
            raise HTTPException(403, "writes are disabled: the server has no TOLLWATCH_API_KEY")
        return
    # constant time: the comparison must not tell an attacker how much of a guess was right
    if given is None or not hmac.compare_digest(given.encode(), key.encode()):
        raise HTTPException(401, "a valid X-API-Key header is required",
                            headers={"WWW-Authenticate": "ApiKey"})


def require_writer(key: Annotated[str | None, Security(_key_header)],
                   config: Annotated[Settings, Depends(settings)]) -> None:
    _check_key(key, config, writing=True)


def require_reader(key: Annotated[str | None, Security(_key_header)],
                   config: Annotated[Settings, Depends(settings)]) -> None:
    """Guards read routes, where TOLLWATCH_API_READ_REQUIRES_KEY asks for it."""
    _check_key(key, config, writing=False)


SessionDep = Annotated[Session, Depends(session)]
SettingsDep = Annotated[Settings, Depends(settings)]
Probe = Callable[[str], list[FeedLink]]


def prober(configured: SettingsDep) -> Probe:
    """What fetches a URL to discover its feeds: a dependency, so a test can keep the
    network out of generated requests."""
    from service.fetch.probe import probe_now
    from service.worker import limits_from

    limits = limits_from(configured)
    return lambda url: probe_now(url, limits)


ProbeDep = Annotated[Probe, Depends(prober)]
MAX_ID = 2**63 - 1  # the largest id either database can hold
EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="An event's id.")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="An item's id.")]
FeedId = Annotated[int, Path(ge=1, le=MAX_ID, description="A feed's id.")]


def _written_time(value: object) -> object:
    """Refuses a number where the schema promises a date-time: pydantic would read
    ``since=0.5`` as seconds after 1970, which no reader of the document would expect."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise ValueError("a date-time such as 2016-05-23T09:00:00Z, not a number")
    return value


# a time a query can compare with stored ones: a 422 rather than an overflow in the database
Moment = Annotated[datetime, BeforeValidator(_written_time), AfterValidator(bounds.moment)]


def encode_cursor(values: tuple) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, length: int) -> tuple | None:
    """The sort key a cursor carries; a 422 if it was not made by :func:`encode_cursor`."""
    if not cursor:  # absent, or empty as some clients send an unset parameter
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = tuple(_moment(v["t"]) if isinstance(v, dict) else v for v in raw)
        if len(values) != length or not all(  # bool is an int, but no key of ours
                isinstance(v, datetime) or type(v) is int and 0 <= v <= MAX_ID
                or type(v) is float and math.isfinite(v)  # a search rank
                for v in values):
            raise ValueError
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise HTTPException(422, "invalid cursor: pass back the next_cursor of a previous "
                                 "page unchanged") from None
    return values


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    bounds.moment(value)  # raises on a moment no query could use
    return value
