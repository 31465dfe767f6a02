"""The registry of job kinds: what each takes, how it is checked, what runs it.

A kind is identified on its run by (source, run kind), so a run row alone says
which code finishes it. ``prepare`` runs in the request (validation, 400 per
field) and splits the parameters into what is stored on the run and the
secrets that are not; ``execute`` runs in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, Source
from cmdb.errors import ValidationError
from cmdb.schemas import flatten_errors
from web.jobs import netbox_job, snmp_jobs
from web.jobs.base import JobError, JobRun, Prepared
from web.jobs.context import JobContext
from web.jobs.params import NetboxSyncParams, PollParams, SnmpDiscoveryParams


@dataclass(frozen=True)
class JobKind:
    name: str
    source: Source
    run_kind: RunKind
    schema: type[ma.Schema]
    check: Callable[[Session, dict[str, Any], JobContext], Prepared]
    execute: Callable[[JobRun], None]
    label: str

    def prepare(self, session: Session, raw: Any, context: JobContext) -> Prepared:
        """Validated parameters (400 per field under ``parameters.``) and the secrets."""
        try:
            loaded = self.schema().load(raw if raw is not None else {})
        except ma.ValidationError as exc:
            raise ValidationError(flatten_errors(exc.messages, "parameters")) from None
        return self.check(session, loaded, context)


KINDS: dict[str, JobKind] = {
    k.name: k
    for k in (
        JobKind(
            "snmp_discovery",
            Source.SNMP,
            RunKind.DISCOVERY,
            SnmpDiscoveryParams,
            snmp_jobs.check_discovery,
            snmp_jobs.execute_discovery,
            "SNMP discovery",
        ),
        JobKind(
            "poll",
            Source.SNMP,
            RunKind.POLL,
            PollParams,
            snmp_jobs.check_poll,
            snmp_jobs.execute_poll,
            "SNMP poll",
        ),
        JobKind(
            "netbox_sync",
            Source.NETBOX,
            RunKind.SYNC,
            NetboxSyncParams,
            netbox_job.check_sync,
            netbox_job.execute_sync,
            "NetBox sync",
        ),
    )
}


def job_kind(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError({"kind": [f"must be one of {', '.join(KINDS)}"]}) from None


def kind_of_run(source: Source, run_kind: RunKind) -> JobKind:
    """The kind that executes a run of this source and kind."""
    for kind in KINDS.values():
        if (kind.source, kind.run_kind) == (source, run_kind):
            return kind
    raise JobError(f"no background job runs {source.value} {run_kind.value} runs")
