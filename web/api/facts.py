"""``/api/v1/facts/``: hosts' Ansible facts, posted by the fact-sync playbook.

The playbook opens a run, posts its hosts' facts in batches (``/batch``: a result
per host), and finishes the run with the hosts that gave none. Headroom maps the
facts (``discovery.ansible``) and the discovery core places them (one identity
rule), records what Ansible observed, fills empty observed fields and opens or
settles the sizing, serial and platform discrepancies. Posting the same facts again changes nothing.
Engineers post (the playbook runs with an engineer's token).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.errors import ConflictError, NotFoundError
from cmdb.models import DiscoveryRun
from discovery.ansible.observe import HostRef
from discovery.ansible.sync import (
    HostFacts,
    end_facts_run,
    record_facts_batch,
    start_facts_run,
)
from discovery.core.observations import RecordKind
from web.api.blueprint import ApiBlueprint
from web.api.schemas.ansible import (
    FactsBatchResultSchema,
    FactsBatchSchema,
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
        end_facts_run(session, run, body["failed"], body["reasons"])
        return run


@blp.arguments(FactsPostSchema)
@blp.response(200, FactsResultSchema)
@blp.errors(400, 404, 409)
def post_facts(body: dict[str, Any]) -> dict[str, Any]:
    """Record one host's facts: observations, filled fields, interfaces, discrepancies.

    Without `run`, the post is a run of its own. A host Headroom knows no record of is
    a 404 (a record whose known serial differs is not this host, whatever its address
    or name), one that fits several records a 409; either is a failure of the run,
    with the reason. Facts never create a record.
    """
    with unit_of_work() as session:
        run, owned = _batch_run(session, body.get("run"))
        [result] = record_facts_batch(session, run, [_host_facts(body)])
        if owned:
            end_facts_run(session, run, [])
    if result.refused is not None:
        raise result.refused
    assert result.outcome is not None
    return asdict(result.outcome) | {"run": result.outcome.run_id}


@blp.arguments(FactsBatchSchema)
@blp.response(200, FactsBatchResultSchema)
@blp.errors(400, 404, 409)
def post_facts_batch(body: dict[str, Any]) -> dict[str, Any]:
    """Record many hosts' facts in one request: a result per host, in the order sent.

    Per host, not all or nothing: a host Headroom cannot place (no record, or several)
    is a failed result with its reason, and the others are recorded; a batch that does
    not validate (400) or names a run that is not open (404, 409) writes nothing.
    Without `run`, the batch is a run of its own, finished when it is recorded.
    """
    with unit_of_work() as session:
        run, owned = _batch_run(session, body.get("run"))
        results = record_facts_batch(session, run, [_host_facts(h) for h in body["hosts"]])
        if owned:
            end_facts_run(session, run, [])
        run_id = run.id
    failed = sum(r.refused is not None for r in results)
    return {
        "run": run_id,
        "succeeded": len(results) - failed,
        "failed": failed,
        "results": [
            {
                "host": r.host,
                "ok": r.refused is None,
                "error": r.error,
                "result": asdict(r.outcome) | {"run": run_id} if r.outcome else None,
            }
            for r in results
        ],
    }


def _batch_run(session: Session, run_id: int | None) -> tuple[DiscoveryRun, bool]:
    """The open run ``run_id``, else a new one the request owns (and finishes)."""
    if run_id:
        return _open_run(session, run_id), False
    return start_facts_run(session, actor()), True


def _host_facts(item: dict[str, Any]) -> HostFacts:
    return HostFacts(_host_ref(item["host"]), item["facts"])


def _host_ref(host: dict[str, Any]) -> HostRef:
    kind = host.get("kind")
    return HostRef(
        kind=RecordKind(kind) if kind else None,
        record_id=host.get("id"),
        name=host.get("name"),
        management_address=host.get("management_address"),
    )


def _open_run(session: Session, run_id: int) -> DiscoveryRun:
    run = session.get(DiscoveryRun, run_id)
    if run is None or run.source != Source.ANSIBLE or run.kind != RunKind.FACTS:
        raise NotFoundError(f"no fact-sync run {run_id}")
    if run.status != RunStatus.RUNNING:
        raise ConflictError(f"fact-sync run {run_id} is {run.status.value}")
    return run
