"""Schemathesis against the OpenAPI document the app serves: no 5xx, answers as documented.

Every operation of ``/api/v1/openapi.json`` is called with generated parameters
and bodies (valid and invalid), once as an admin and once as a read-only viewer,
on a private copy of the demo database with anonymous reads off (production's
setting, so calls without a token must answer 401). Every answer is checked:
not a server error, a documented status code and content type, a body that
matches its schema — so an error answered in another shape, or a status no
operation documents, fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from cmdb.choices import Role
from tests.integration.api.conftest import DEMO_TODAY, token_for
from tests.integration.api.readonly import read_db_file  # noqa: F401 - fixture
from web import create_app
from web.db import get_db

pytestmark = pytest.mark.slow

# Examples per operation. 76 tests (38 operations × 2 roles): 26 min on the shared 2 cores
# at load average 10, most of it the capacity evaluations of the request operations.
EXAMPLES = {Role.ADMIN: 6, Role.VIEWER: 3}
# Query parameters that name records (a site slug, a cluster name): an unknown name is a
# 400 by design there ("a typo never gives an empty inventory"), which no schema states.
NAMES_RECORDS = {"GET /api/v1/ansible/hosts/"}


@pytest.fixture(scope="module")
def served_app(read_db_file: Path) -> Iterator[Flask]:  # noqa: F811 - fixture
    app = create_app(
        {
            "CMDB_DATABASE_URL": f"sqlite:///{read_db_file}",
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_ANONYMOUS_READ": False,
        }
    )
    SERVED.app = app
    yield app
    SERVED.app = None
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture(scope="module")
def tokens(served_app: Flask) -> dict[Role, str]:
    return {role: token_for(served_app, role, f"schemathesis-{role.value}") for role in EXAMPLES}


def served_document() -> dict[str, Any]:
    """The document as the app serves it; serving it reads no database.

    Loaded at collection, because ``schemathesis.pytest.from_fixture`` does not run
    under pytest 9.2 (it reads ``Function._nodeid``, which pytest removed); the
    calls then go to the module's app on the demo copy (``app=``).
    """
    app = create_app({"CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": "openapi"})
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200, response.data
    return response.get_json()


class ServedApp:
    """The WSGI app the calls go to: the module's app, once its fixture has built it.

    Schemathesis sends its own probes (e.g. the same call without a token) to the
    schema's app, so the schema needs one from collection on.
    """

    app: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        assert self.app is not None, "the served_app fixture has not run"
        return self.app(environ, start_response)


SERVED = ServedApp()
schema = schemathesis.openapi.from_dict(served_document())
schema.app = SERVED


@schema.parametrize()
@settings(
    max_examples=EXAMPLES[Role.ADMIN],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_as_admin(case: schemathesis.Case, tokens: dict[Role, str]) -> None:
    call(case, tokens[Role.ADMIN])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES[Role.VIEWER],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_as_viewer(case: schemathesis.Case, tokens: dict[Role, str]) -> None:
    call(case, tokens[Role.VIEWER])


def call(case: schemathesis.Case, token: str) -> None:
    """Call with the token and run every check; bodies are judged by the use case too.

    A body can match its schema and still be refused with a 400 that says why:
    it names an agency or cluster that does not exist, or a go-live in the past —
    rules of the inventory and of today, which no JSON Schema can state. So for
    operations with a body, "schema-valid data must be accepted" does not hold;
    every other check does (and holds for query and path parameters).
    """
    judged = len(case.operation.body) or case.operation.label in NAMES_RECORDS
    excluded = [schemathesis.checks.positive_data_acceptance] if judged else []
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=excluded)
