"""The fuzz tier: schemathesis against the OpenAPI document the app serves, on SQLite and
on PostgreSQL. No input gives a 5xx, every answer is as documented, and the server
accepts what the document says it accepts and refuses what it says it refuses.

Every operation of ``/api/v1/openapi.json`` is called as an admin with generated
parameters and bodies, valid and invalid (schemathesis's examples, coverage and
fuzzing phases), on a private copy of the demo on each backend with anonymous reads
off (production's setting, so calls without a token must answer 401). Every answer
is checked: not a server error, a documented status code and content type, a body
that matches its schema, invalid data refused (``negative_data_rejection``) and
valid data accepted (``positive_data_acceptance``, with the exceptions below).

Then ``Workflow`` chains calls along the links schemathesis infers from the document
(create, then read, change, delete; a request created, then evaluated, rejected or
withdrawn), with the same checks: ``WORKFLOW_EXAMPLES`` scenarios of at most
``WORKFLOW_STEPS`` calls per backend.

Budget: ``EXAMPLES`` generated cases per operation and backend in the fuzzing phase,
plus the coverage phase's own boundary cases (a fixed set per operation: every bound,
every missing required field). See ``BENCHMARKS.md`` for what it adds to ``make test``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure

from cmdb.choices import Role
from tests.databases import drop_pg_database
from tests.demo_databases import demo_pg_url
from tests.integration.api.conftest import DEMO_TODAY, token_for
from tests.integration.api.readonly import add_audit_rows, read_db_file  # noqa: F401 - fixture
from web import create_app
from web.db import get_db

pytestmark = [
    pytest.mark.slow,
    pytest.mark.long(reason="the fuzz tier: EXAMPLES cases per operation plus its boundaries"),
]

# Generated cases per operation and backend in the fuzzing phase (the coverage phase
# adds its boundary cases whatever this is).
EXAMPLES = 6
# Stateful: scenarios per backend, and calls per scenario at most.
WORKFLOW_EXAMPLES = 5
WORKFLOW_STEPS = 6

# Schema-valid data the server may still refuse with a 400, because what decides is not
# in the document: the database (an id or a name that names no record), today (a go-live
# in the past, or more than 30 years ahead), a rule across fields, or a window of dates
# (JSON Schema has no range for a date; the document says it in words). A 400 to valid
# data passes only when every message is one of these; any other — a bound the document
# does not state, a type it allows — fails. The templates are the server's messages.
UNSTATED_RULES = tuple(
    re.compile(rule)
    for rule in (
        r"^no [a-z _–]+ with id -?\d+$",  # a reference to a record that does not exist
        r"^a referenced record does not exist$",
        r"^unknown (agency|cluster|storage pool|admin unit code|site id) .*",  # by name
        r"^unknown (admin unit|agency|cluster|site): .*",  # the Ansible inventory's filters
        r"^no unit at level \w+ under the units named, on .*",
        r"^no People's Committee site in the inventory for .*",
        r"^must not be in the past \(today is .*\)$",
        r"^must be within \d+ years of today$",
        r"^must be a time from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC\)$",
        r"^give commit_rate_mbps or port_speed_mbps: a link needs a capacity$",
        r"^the two ends of a link must be different .*",
        r"^a link needs a site at one end at least: .*",  # one end open, never both
        r"^an open end has no interface: .*",
        r"^a request needs workloads, storage_tb, dc_bandwidth or sites$",
        r"^give admin_units or site_ids$",
        r"^give kind and id, management_address or name$",  # a facts post's host
        r"^with an id, say 'device' or 'workload'$",
        r"^must be after valid_from \(\d{4}-\d\d-\d\d\)$",  # a dated record's two days
        # The admin tree's rules (cmdb.services.place_rules): the parent's level.
        r"^a province has no parent$",
        r"^required for a (district|commune)$",
        r"^unit \d+ is a \w+: it cannot contain a \w+$",
        r"^a unit cannot (be its own parent|succeed itself)$",
        r"^it contains units of level [\w, ]+: a \w+ cannot$",
        r"^before \d{4}-\d\d-\d\d: raw samples older than the retention .*",  # today
        r"^a (server|storage_shelf|link_tier) needs it$",  # a catalogue item: its kind's sizes
        r"^not used by a (server|storage_shelf|link_tier) \(leave it empty\)$",
        r"^only a link tier has a network, not a (server|storage_shelf)$",
        # A date's window (validity days, a price's day): stated in the field's description.
        r"^Must be greater than or equal to \d{4}-\d\d-\d\d and less than or equal to "
        r"\d{4}-\d\d-\d\d\.$",
    )
)
# Statuses beside the document's: a URL over ``MAX_URL_LENGTH`` (414) or a body over
# ``MAX_BODY_BYTES`` (413), limits a JSON Schema cannot state, may answer any call.
LIMITS = ["413", "414"]
# A record's change log (``/api/v1/<kind>/{id}/changes/``) is one view for every kind,
# taking the filters of ``/api/v1/changes/`` (``web.api.resource_views.changes_view``):
# the coverage phase's boundary cases (about 530 calls an operation) run on the global
# log and on the devices' one; the other kinds' logs get the examples and fuzzing phases.
SAME_VIEW_AS_COVERED = r"^/api/v1/(?!devices/)[a-z-]+/\{[a-z_]+\}/changes/$"
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-path-regex": SAME_VIEW_AS_COVERED,
                "phases": {"coverage": {"enabled": False}},
            }
        ],
        # NUL in any text is refused (``web.input_limits``): the document says so for every
        # declared text, but cannot for the keys of free-form objects (facts, parameters).
        # The token goes with every call (``call``): generated Authorization headers would
        # be overwritten by it, and schemathesis would take a call that had its token as
        # one sent without (roles and tokens: test_auth.py, test_role_matrix.py).
        "generation": {"allow-x00": False, "with-security-parameters": False},
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "409", *LIMITS]
            },
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", *LIMITS]
            },
        },
    }
)
# Starting a job reaches the network (a poll, the inventory's devices; a NetBox sync, the
# URL in the body), which tests may do only on loopback; tests/integration/api/
# test_discovery_runs_api.py covers that route.
NETWORK_OPERATIONS = {"method": "POST", "path": "/api/v1/discovery-runs/"}


@pytest.fixture(scope="module")
def sqlite_app(read_db_file: Path) -> Iterator[Flask]:  # noqa: F811 - fixture
    yield from served(f"sqlite:///{read_db_file}")


@pytest.fixture(scope="module")
def postgres_app() -> Iterator[Flask]:
    url = demo_pg_url("headroom_fuzz", forecasts=True)
    from cmdb.db import make_engine, make_session_factory, transaction

    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        add_audit_rows(session)
    engine.dispose()
    yield from served(url)
    drop_pg_database(url)


def served(url: str) -> Iterator[Flask]:
    """The app on ``url``, and an admin's token in its ``FUZZ_TOKEN``."""
    app = create_app(
        {
            "CMDB_DATABASE_URL": url,
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_ANONYMOUS_READ": False,
            # schemathesis sends an invalid token to every operation (its ignored-auth
            # check wants a 401): the throttle, tested on its own, would answer 429 after
            # 20 (tests/integration/api/test_token_throttle.py). 429 is documented anyway.
            "CMDB_LOGIN_FAILURES": 10**9,
            "CMDB_LOGIN_FAILURES_PER_ADDRESS": 10**9,
        }
    )
    app.config["FUZZ_TOKEN"] = token_for(app, Role.ADMIN, "schemathesis-admin")
    app.config["FUZZ_AUTH_CONFIRMED"] = set()  # operations whose refusal was seen (below)
    yield app
    with app.app_context():
        get_db().engine.dispose()


def served_document() -> dict[str, Any]:
    """The document as the app serves it; serving it reads no database.

    Loaded at collection, because ``schemathesis.pytest.from_fixture`` does not run
    under pytest 9.2 (it reads ``Function._nodeid``, which pytest removed); the
    calls then go to the app of the test's backend (``SERVED``).
    """
    app = create_app({"CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": "openapi"})
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200, response.data
    return response.get_json()


class ServedApp:
    """The WSGI app the calls go to: the running test's backend.

    Schemathesis sends its own probes (e.g. the same call without a token) to the
    schema's app, so the schema needs one from collection on.
    """

    app: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        assert self.app is not None, "no backend's fixture has run"
        return self.app(environ, start_response)


SERVED = ServedApp()
schema = schemathesis.openapi.from_dict(served_document(), config=CONFIG).exclude(
    **NETWORK_OPERATIONS
)
schema.app = SERVED
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@FUZZ
def test_sqlite(case: schemathesis.Case, sqlite_app: Flask) -> None:
    call(case, sqlite_app)


@pytest.mark.postgres
@schema.parametrize()
@FUZZ
def test_postgres(case: schemathesis.Case, postgres_app: Flask) -> None:
    call(case, postgres_app)


def call(case: schemathesis.Case, app: Flask) -> None:
    """Call ``app`` as an admin and run every check, valid-data acceptance as ``accepted``."""
    SERVED.app = app
    case.call_and_validate(
        headers={"Authorization": f"Token {app.config['FUZZ_TOKEN']}"},
        excluded_checks=[
            schemathesis.checks.positive_data_acceptance,
            schemathesis.checks.ignored_auth,
        ],
        additional_checks=[accepted, auth_enforced],
    )


class Workflow(schema.as_state_machine()):  # type: ignore[misc] - a class made at run time
    """Sequences of calls along the links schemathesis infers (a record created, then
    read, changed, deleted; a request created, then evaluated, rejected, withdrawn),
    with the same checks, against the backend of the running test."""

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        assert SERVED.app is not None
        return {"headers": {"Authorization": f"Token {SERVED.app.config['FUZZ_TOKEN']}"}}

    def validate_response(
        self, response: Any, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        # A deleted record's change log still answers, by design (README, "The change
        # log"): ``use_after_free`` takes ``…/<id>/changes/`` for the record itself.
        case.validate_response(
            response,
            excluded_checks=[
                schemathesis.checks.positive_data_acceptance,
                schemathesis.checks.use_after_free,
                schemathesis.checks.ignored_auth,
            ],
            additional_checks=[accepted, auth_enforced, *(additional_checks or [])],
            headers=kwargs.get("headers"),  # so ``ignored_auth`` knows the token came with them
            transport_kwargs=kwargs or None,
        )


WORKFLOWS = settings(
    max_examples=WORKFLOW_EXAMPLES,
    stateful_step_count=WORKFLOW_STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def test_workflows_sqlite(sqlite_app: Flask) -> None:
    SERVED.app = sqlite_app
    Workflow.run(settings=WORKFLOWS)


@pytest.mark.postgres
def test_workflows_postgres(postgres_app: Flask) -> None:
    SERVED.app = postgres_app
    Workflow.run(settings=WORKFLOWS)


def accepted(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """Schemathesis's ``positive_data_acceptance``, save for a 400 whose every message
    is one of the ``UNSTATED_RULES`` (what the document cannot state)."""
    try:
        return schemathesis.checks.positive_data_acceptance(ctx, response, case)
    except Failure:
        if response.status_code != 400 or not only_unstated_rules(response.json()):
            raise
        return None


def auth_enforced(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """Schemathesis's ``ignored_auth`` (the same call without a token, then with an invalid
    one, must be refused) confirmed once per operation and backend, as its own runner does:
    enforcement is a property of the operation, and under pytest the check would otherwise
    send both probes after every successful call (two in five of the fuzz tier's calls)."""
    assert SERVED.app is not None
    ctx.auth_enforced_operations = SERVED.app.config["FUZZ_AUTH_CONFIRMED"]
    return schemathesis.checks.ignored_auth(ctx, response, case)


def only_unstated_rules(body: Any) -> bool:
    errors = body.get("errors") if isinstance(body, dict) else None
    messages = [m for found in (errors or {}).values() for m in found]
    if not messages:
        messages = [body.get("message", "")] if isinstance(body, dict) else [""]
    return all(any(rule.match(str(m)) for rule in UNSTATED_RULES) for m in messages)
