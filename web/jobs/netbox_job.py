"""NetBox sync as a background job, over ``discovery.netbox.sync.run_sync``.

The sync module is imported only when a sync is asked for: until a build has
it, asking says so plainly instead of failing somewhere in a worker.
The job's run is the sync's run: ``run_sync`` ends it (a run cancelled meanwhile
keeps nothing of the sync).
"""

from __future__ import annotations

import importlib
from datetime import datetime
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from cmdb.errors import ValidationError
from cmdb.settings import parse_circuit_networks
from web.jobs.base import JobError, JobRun, Prepared
from web.jobs.context import JobContext

SYNC_MODULE = "discovery.netbox.sync"
UNAVAILABLE = "NetBox sync is not available in this build"


def sync_module() -> ModuleType | None:
    try:
        return importlib.import_module(SYNC_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name is not None and SYNC_MODULE.startswith(exc.name):
            return None  # the module (or its package) is not there; any other import error shows
        raise


def check_sync(session: Session, params: dict[str, Any], context: JobContext) -> Prepared:
    if sync_module() is None:
        raise ValidationError({"kind": [UNAVAILABLE]}, UNAVAILABLE)
    errors: dict[str, list[str]] = {}
    url = params.pop("url") or context.netbox_url
    if not url:
        errors["parameters.url"] = ["give NetBox's URL (or set CMDB_NETBOX_URL)"]
    token = params.pop("token")
    if not (token or context.netbox_token):
        errors["parameters.token"] = ["give an API token (or set CMDB_NETBOX_TOKEN)"]
    if errors:
        raise ValidationError(errors)
    since = params["since"]
    stored = {**params, "url": url, "since": since.isoformat() if since else None}
    return Prepared(target=str(url), parameters=stored, secrets={"token": token} if token else {})


def execute_sync(job: JobRun) -> None:
    module = sync_module()
    if module is None:
        raise JobError(UNAVAILABLE)
    p = job.parameters
    token = job.secrets.get("token") or job.context.netbox_token
    if not token:
        raise JobError("no NetBox token: set CMDB_NETBOX_TOKEN on the worker")
    module.run_sync(
        job.sessions,
        p["url"],
        token,
        since=datetime.fromisoformat(p["since"]) if p["since"] else None,
        dry_run=p["dry_run"],
        page_size=p["page_size"],
        progress=job.progress,
        run_id=job.run_id,
        circuit_networks=parse_circuit_networks(job.context.netbox_circuit_networks),
    )
