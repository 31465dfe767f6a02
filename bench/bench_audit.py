"""Time the audit on a synthetic DC: every device with interfaces, sources and observations.

Usage::

    .venv/bin/python bench/bench_audit.py                  # 2,000 devices × 24 ports, SQLite
    .venv/bin/python bench/bench_audit.py --devices 500 --url postgresql+psycopg://…

Builds devices NetBox and SNMP both saw (one in ten with a serial that differs,
one in fifty silent, one in fifty not in NetBox), then times the first audit
(opens every finding), a second one (confirms them: the nightly case) and the
three phases of the second: load (fixed query count), compare (pure), apply.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.choices import AdminLevel, DeviceRole, RunKind, RunStatus, SiteKind, Source
from cmdb.db import make_engine, make_session_factory, transaction, utcnow
from cmdb.models import (
    AdminUnit,
    Device,
    DiscoveryRun,
    Interface,
    Observation,
    RecordSource,
    Site,
)
from discovery.audit.compare import compare_all
from discovery.audit.load import load_context, load_unsettled, load_views
from discovery.audit.run import run_audit
from discovery.audit.settings import AuditSettings
from discovery.audit.settle import ENGINE_KINDS, plan_findings
from discovery.core.writer import apply_discrepancies


def build(session: Session, devices: int, ports: int) -> None:
    now = utcnow()
    unit = AdminUnit(code="49", name="Quảng Nam", level=AdminLevel.PROVINCE, kind="Tỉnh")
    site = Site(name="TTDL", slug="ttdl", kind=SiteKind.DATA_CENTRE, admin_unit=unit)
    session.add(site)
    sync = DiscoveryRun(
        source=Source.NETBOX,
        kind=RunKind.SYNC,
        status=RunStatus.SUCCEEDED,
        started_at=now - timedelta(hours=5),
    )
    snmp = DiscoveryRun(source=Source.SNMP, status=RunStatus.SUCCEEDED, started_at=now)
    session.add_all([sync, snmp])
    session.flush()
    rows: list[object] = []
    for n in range(devices):
        device = Device(
            name=f"sw-{n}",
            role=DeviceRole.SWITCH,
            site=site,
            serial=f"SN{n}",
            management_address=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}",
        )
        device.interfaces = [Interface(name=f"Gi0/{p}", speed_mbps=1000) for p in range(ports)]
        session.add(device)
        rows.append(device)
    session.flush()
    seen: list[RecordSource] = []
    observations: list[Observation] = []
    for n, device in enumerate(rows):
        assert isinstance(device, Device)
        in_netbox, answering = n % 50 != 1, n % 50 != 2
        for obj in (device, *device.interfaces):
            table = obj.__tablename__
            if in_netbox:
                seen.append(_seen(table, obj.id, Source.NETBOX, now - timedelta(hours=5)))
            if answering:
                seen.append(_seen(table, obj.id, Source.SNMP, now - timedelta(hours=1)))
        serial = f"SN{n}" if n % 10 else f"XX{n}"
        observations.append(
            Observation(
                run=sync,
                object_type="device",
                object_id=device.id,
                data={"fields": {"name": device.name, "serial": f"SN{n}"}},
            )
        )
        observations.append(
            Observation(
                run=snmp,
                object_type="device",
                object_id=device.id,
                data={"system": {"name": device.name}, "chassis": {"serial": serial}},
            )
        )
    session.add_all(seen + observations)


def _seen(table: str, object_id: int, source: Source, at: object) -> RecordSource:
    return RecordSource(
        object_type=table,
        object_id=object_id,
        source=source,
        external_id=str(object_id),
        first_seen_at=at,
        last_seen_at=at,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--ports", type=int, default=24)
    parser.add_argument("--url", help="a database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        schema.upgrade(url)
        sessions = make_session_factory(make_engine(url))
        started = time.perf_counter()
        with transaction(sessions) as session:
            build(session, args.devices, args.ports)
        records = args.devices * (args.ports + 1)
        print(
            f"built {args.devices} devices, {records} records in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for label in ("first audit (opens)", "second audit (confirms)"):
            started = time.perf_counter()
            with transaction(sessions) as session:
                result = run_audit(session)
            counts = {k: result.counts.total(k) for k in ("opened", "confirmed", "resolved")}
            print(f"{label:26} {time.perf_counter() - started:6.2f} s  {counts}")
        with transaction(sessions) as session:
            t0 = time.perf_counter()
            views = load_views(session)
            ctx = load_context(session, utcnow())
            t1 = time.perf_counter()
            findings = compare_all(views, ctx, AuditSettings())
            t2 = time.perf_counter()
            changes, _ = plan_findings(findings, load_unsettled(session, ENGINE_KINDS))
            apply_discrepancies(session, changes, ctx.now)
            t3 = time.perf_counter()
            session.rollback()
        print(
            f"phases: load {t1 - t0:.2f} s, compare {t2 - t1:.2f} s, apply {t3 - t2:.2f} s "
            f"({len(views)} records, {len(findings)} findings)"
        )
        print(f"database: {sa.engine.make_url(url).get_backend_name()}")


if __name__ == "__main__":
    main()
