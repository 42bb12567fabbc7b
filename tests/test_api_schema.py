"""Property-based API testing with schemathesis: generated requests, on every operation
of the OpenAPI schema, against the app over a copy of a store the real pipeline filled.

Every phase runs (the schema's examples, the coverage phase's edge and boundary values and
unsupported methods, fuzzing) in both modes (valid and invalid data), and every check
schemathesis has applies: no 5xx, status codes, content types, headers and bodies as
documented, invalid data refused, a 405's ``Allow`` naming exactly the documented methods,
a wrong key refused wherever the schema says a key is needed. Derandomized with a fixed
number of examples, so a run is the same run each time and bounded in time."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.hypothesis.builder import (HypothesisTestConfig,
                                                      HypothesisTestMode, create_test)
from sqlalchemy import Engine

from service.api.app import create_app
from service.api.deps import prober
from service.errors import DiscoveryError
from service.config import load_settings

KEY = "test-key"


@pytest.mark.parametrize("reads_need_key", [False, True])
def test_every_operation_conforms_to_the_schema(demo_copy: Engine,
                                                reads_need_key: bool) -> None:
    engine = demo_copy  # the generated writes must not touch the shared store
    settings_ = load_settings(database_url=str(engine.url), api_key=KEY,
                              api_read_requires_key=reads_need_key)
    app = create_app(settings_, engine)
    app.dependency_overrides[prober] = lambda: _offline  # generated URLs are never fetched
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers={"X-API-Key": KEY})
    # the pytest plugin's from_fixture would build the same tests, but reads a private
    # attribute pytest 9 no longer has; its builder is what it calls, per operation
    phases = HypothesisTestConfig(
        project=schema.config, modes=list(HypothesisTestMode), seed=2016,
        settings=settings(max_examples=25, derandomize=True, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck)))
    for result in schema.get_all_operations():
        create_test(operation=result.ok(), test_func=_conforms, config=phases)()


def _conforms(case: schemathesis.Case) -> None:
    # excluded: "any string the schema allows is accepted" cannot hold for the opaque page
    # cursor, which must come from a previous page (else a 422)
    case.call_and_validate(headers=_key_unless_negated(case),
                           excluded_checks=[positive_data_acceptance])


def _key_unless_negated(case: schemathesis.Case) -> dict[str, str] | None:
    """The key on every request (the coverage phase's unsupported methods included), except
    where the case is meant to break the headers: a request missing the key must be refused."""
    meta = case.meta
    header = meta.components.get(ParameterLocation.HEADER) if meta else None
    return None if header is not None and header.mode.is_negative else {"X-API-Key": KEY}


def test_the_document_covers_the_api(demo_copy: Engine) -> None:
    """The test above runs per documented operation: it must find them all."""
    app = create_app(load_settings(database_url=str(demo_copy.url), api_key=KEY), demo_copy)
    operations = [(path, method) for path, item in app.openapi()["paths"].items()
                  for method in item]
    assert len(operations) >= 13
    assert ("/api/feeds", "post") in operations and ("/api/feeds/{feed_id}", "patch") in operations


def _offline(url: str) -> list:  # type: ignore[type-arg]
    raise DiscoveryError("not fetched in this test", url=url)


def test_what_schemathesis_found_stays_fixed(demo_copy: Engine) -> None:
    """The failures the conformance checks found, as plain requests: a 405 named only the
    first route's method, a number passed for a time, 0 for a boolean, an undocumented 400."""
    from fastapi.testclient import TestClient

    app = create_app(load_settings(database_url=str(demo_copy.url), api_key=KEY), demo_copy)
    client = TestClient(app, headers={"X-API-Key": KEY})
    assert client.options("/api/feeds").headers["allow"] == "GET, HEAD, POST"
    assert client.put("/api/feeds/1").headers["allow"] == "DELETE, PATCH"
    assert client.get("/api/items", params={"since": "0.5"}).status_code == 422
    assert client.get("/api/events", params={"until": "2016-05-23T09:00:00Z"}).status_code == 200
    assert client.patch("/api/feeds/1", json={"enabled": 0}).status_code == 422
    # a body FastAPI cannot decode at all is a 400, one over the limit a 413: both declared
    writes = app.openapi()["paths"]
    for path, method in (("/api/feeds", "post"), ("/api/feeds/{feed_id}", "patch")):
        assert {"400", "413"} <= set(writes[path][method]["responses"])
