"""Migration 0015 takes the credentials out of NetBox runs stored before URLs holding them
were refused (issue 18): target, parameters and error; other runs are left as they were."""

from __future__ import annotations

import json

import sqlalchemy as sa

from cmdb import schema
from cmdb.db import make_engine
from tests.databases import upgrade_empty

INSERT = sa.text(
    "INSERT INTO discovery_run (id, source, kind, target, status, started_at, stats, error,"
    " parameters, progress_done) VALUES (:id, :source, :kind, :target, 'failed', :at, '{}',"
    " :error, :parameters, 0)"
)


def test_stored_netbox_runs_lose_the_credentials_in_their_urls(empty_url: str) -> None:
    upgrade_empty(empty_url, "0014")
    engine = make_engine(empty_url)
    secret_url = "http://admin:s3cret@nb.example:8000/api/?token=t0ken"
    with engine.begin() as conn:
        conn.execute(
            INSERT,
            {
                "id": 1,
                "source": "netbox",
                "kind": "sync",
                "target": secret_url,
                "at": "2026-12-01 00:00:00",
                "error": f"cannot reach NetBox at {secret_url}: refused",
                "parameters": json.dumps({"url": secret_url, "dry_run": False}),
            },
        )
        conn.execute(
            INSERT,
            {
                "id": 2,
                "source": "snmp",
                "kind": "discovery",
                "target": "public@10.0.0.1",
                "at": "2026-12-01 00:00:00",
                "error": None,
                "parameters": json.dumps({"targets": ["10.0.0.1"]}),
            },
        )
    schema.upgrade(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, target, error, parameters FROM discovery_run ORDER BY id")
        ).all()
    engine.dispose()
    netbox, snmp = rows
    parameters = (
        netbox.parameters if isinstance(netbox.parameters, dict) else json.loads(netbox.parameters)
    )
    assert netbox.target == "http://nb.example:8000/api/"
    assert parameters == {"url": "http://nb.example:8000/api/", "dry_run": False}
    assert netbox.error == "cannot reach NetBox at http://nb.example:8000/api/: refused"
    assert snmp.target == "public@10.0.0.1"  # not a NetBox run: not touched
