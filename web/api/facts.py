"""``/api/v1/facts/``: hosts' Ansible facts, posted by the fact-sync playbook.

The playbook opens a run, posts each host's facts, and finishes the run with the
hosts that gave none. Headroom maps the facts (``discovery.ansible``), records
what Ansible observed, fills empty observed fields and opens or settles the
sizing and serial discrepancies. Posting the same facts again changes nothing.
Engineers post (the playbook runs with an engineer's token).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.errors import ConflictError, NotFoundError
from cmdb.models import DiscoveryRun
from cmdb.services.editing import lock_for_change
from discovery.ansible.apply import end_facts_run, record_facts, start_facts_run
from discovery.ansible.identify import find_host
from discovery.core.lifecycle import add_result
from discovery.core.runs import Attempt
from web.api.blueprint import ApiBlueprint
from web.api.schemas.ansible import (
    FactsPostSchema,
    FactsResultSchema,
    RunFinishSchema,
    RunOpenSchema,
    RunSchema,
)
from web.api.transaction import unit_of_work
from web.auth.identity import actor

blp = ApiBlueprint(
    "facts",
    __name__,
    url_prefix="/api/v1/facts",
    description="Ansible facts of hosts, and the fact-sync runs that post them.",
)


@blp.arguments(RunOpenSchema, required=False)
@blp.response(201, RunSchema)
@blp.errors(400)
def open_facts_run(body: dict[str, Any]) -> DiscoveryRun:
    """Open a fact-sync run; post each host's facts with its id, then finish it."""
    with unit_of_work() as session:
        return start_facts_run(session, actor(), body["parameters"])


@blp.arguments(RunFinishSchema, required=False)
@blp.response(200, RunSchema)
@blp.errors(400, 404, 409)
def finish_facts_run(body: dict[str, Any], run_id: int) -> DiscoveryRun:
    """Close a run: succeeded, partial when hosts failed, failed when every host failed."""
    with unit_of_work() as session:
        run = _open_run(session, run_id)
        end_facts_run(session, run, body["failed"])
        return run


@blp.arguments(FactsPostSchema)
@blp.response(200, FactsResultSchema)
@blp.errors(400, 404, 409)
def post_facts(body: dict[str, Any]) -> dict[str, Any]:
    """Record one host's facts: observations, filled fields, interfaces, discrepancies.

    Without `run`, the post is a run of its own. A host Headroom cannot map is a 404,
    and a failure of the run, with the reason.
    """
    host_ref = body["host"]
    with unit_of_work() as session:
        given = body.get("run")
        run = _open_run(session, given) if given else start_facts_run(session, actor())
        name = host_ref.get("name") or host_ref.get("management_address")
        unmapped: NotFoundError | None = None
        try:
            host = find_host(session, host_ref)
        except NotFoundError as exc:
            unmapped = exc
            item = name or f"{host_ref.get('kind')} {host_ref.get('id')}"
            add_result(session, run, Attempt(item, RunStatus.FAILED, str(exc)))
        else:
            lock_for_change(session, host)  # two posts of one host: one after the other
            outcome = record_facts(session, run, host, body["facts"], external_id=name or host.name)
        if given is None:
            end_facts_run(session, run, [])
    if unmapped is not None:
        raise unmapped
    return asdict(outcome) | {"run": outcome.run_id}


def _open_run(session: Session, run_id: int) -> DiscoveryRun:
    run = session.get(DiscoveryRun, run_id)
    if run is None or run.source != Source.ANSIBLE or run.kind != RunKind.FACTS:
        raise NotFoundError(f"no fact-sync run {run_id}")
    if run.status != RunStatus.RUNNING:
        raise ConflictError(f"fact-sync run {run_id} is {run.status.value}")
    return run
