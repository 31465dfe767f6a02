"""The API benchmark's PostgreSQL database: the demo's province, then a large fleet by COPY.

Built once and kept under its name (``headroom_bench_api``): loading a million
interfaces costs a minute, the measurements seconds. The fleet is deterministic
(one seed): names, serials, models and addresses look like a real estate's, so
that ``q=`` search and the site filter meet the selectivity they would in use.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cmdb import schema
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.demo.context import DemoContext
from cmdb.demo.geo import load_admin_units, load_agencies, load_committee_sites, load_dc_sites
from cmdb.models import Site

SEED = 20261127
DC_SHARE = 0.4  # of the fleet in the data centre; the rest spread over the other sites

# (role, prefix, manufacturer, models, serial pattern, interface naming, share of the fleet)
KINDS = (
    ("server", "srv", "Dell", ("PowerEdge R650", "PowerEdge R750", "PowerEdge R760"), "dell", 0.45),
    ("server", "srv", "HPE", ("ProLiant DL380 Gen10", "ProLiant DL360 Gen11"), "hpe", 0.20),
    ("switch", "sw", "Cisco", ("C9300-48P", "C9200L-24T", "N9K-C93180YC-FX"), "cisco", 0.20),
    ("router", "rt", "Juniper", ("MX204", "ACX710", "SRX345"), "juniper", 0.07),
    ("firewall", "fw", "Fortinet", ("FortiGate 200F", "FortiGate 600E"), "forti", 0.05),
    ("storage", "san", "Huawei", ("OceanStor 5310", "OceanStor Dorado 5000"), "huawei", 0.03),
)
SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class Fleet:
    """What to build: devices, interfaces per device (the issue: 100,000 and 1,000,000)."""

    devices: int = 100_000
    interfaces_per_device: int = 10

    @property
    def interfaces(self) -> int:
        return self.devices * self.interfaces_per_device


def database_exists(admin_url: str, name: str) -> bool:
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    admin.dispose()
    return found is not None


def fleet_size(url: str) -> tuple[int, int]:
    """(devices, interfaces) in the database; (0, 0) when it was never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            devices = conn.scalar(sa.text("SELECT count(*) FROM device")) or 0
            interfaces = conn.scalar(sa.text("SELECT count(*) FROM interface")) or 0
    except sa.exc.ProgrammingError:
        return 0, 0
    finally:
        engine.dispose()
    return devices, interfaces


def recreate_database(admin_url: str, name: str) -> str:
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def build(admin_url: str, name: str, fleet: Fleet) -> str:
    """A new database ``name``: migrated, the demo's units/agencies/sites, then the fleet."""
    url = recreate_database(admin_url, name)
    schema.upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        ctx = DemoContext(session, SEED, datetime.now(UTC).date(), print)
        for step in (load_admin_units, load_agencies, load_committee_sites, load_dc_sites):
            step(ctx)
        session.flush()
        sites = [s.id for s in session.scalars(sa.select(Site).order_by(Site.id))]
        dc = session.scalar(sa.select(Site.id).where(Site.slug == "ttdl-quang-nam"))
    assert dc is not None
    started = time.perf_counter()
    with engine.raw_connection() as raw:
        cursor = raw.cursor()
        _copy(cursor, "device", DEVICE_COLUMNS, device_rows(fleet, sites, dc))
        raw.commit()
        cursor.execute("SELECT id, role FROM device ORDER BY id")
        devices = cursor.fetchall()
        _copy(cursor, "interface", INTERFACE_COLUMNS, interface_rows(fleet, devices))
        raw.commit()
    print(
        f"COPY {fleet.devices:,} devices, {fleet.interfaces:,} interfaces: "
        f"{time.perf_counter() - started:.1f} s"
    )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return url


def _copy(cursor: object, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


DEVICE_COLUMNS = [
    "name",
    "role",
    "status",
    "manufacturer",
    "model",
    "serial",
    "management_address",
    "site_id",
    "rack_position_u",
    "cores",
    "ram_gb",
    "raw_storage_tb",
    "created_at",
    "updated_at",
]


def device_rows(fleet: Fleet, sites: list[int], dc: int) -> Iterator[tuple]:
    rng = random.Random(SEED)
    others = [s for s in sites if s != dc]
    weights = [k[5] for k in KINDS]
    now = datetime.now(UTC)
    for n in range(fleet.devices):
        role, prefix, maker, models, serial_kind, _share = rng.choices(KINDS, weights)[0]
        site = dc if rng.random() < DC_SHARE else rng.choice(others)
        status = "active" if rng.random() < 0.92 else rng.choice(("planned", "offline", "failed"))
        server = role == "server"
        yield (
            f"{prefix}-{site:03d}-{n:06d}",
            role,
            status,
            maker,
            rng.choice(models),
            serial(rng, serial_kind),
            f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}",
            site,
            rng.randint(1, 40),
            rng.choice((16, 24, 32, 48, 64)) if server else None,
            float(rng.choice((128, 256, 384, 512, 768))) if server else None,
            round(rng.uniform(1, 30), 1) if role in ("server", "storage") else None,
            now,
            now,
        )


def serial(rng: random.Random, kind: str) -> str:
    """A serial in the vendor's usual form (Dell service tag, HPE, Cisco FOC, …)."""

    def pick(k: int) -> str:
        return "".join(rng.choices(SERIAL_ALPHABET, k=k))

    return {
        "dell": lambda: pick(7),
        "hpe": lambda: f"CZ{rng.randint(10000000, 99999999)}",
        "cisco": lambda: f"FOC{rng.randint(1000, 2999)}{pick(4)}",
        "juniper": lambda: f"JN{pick(10)}",
        "forti": lambda: f"FG2HFT{rng.randint(10000000, 99999999)}",
        "huawei": lambda: f"2102{rng.randint(10**11, 10**12 - 1)}",
    }[kind]()


INTERFACE_COLUMNS = [
    "device_id",
    "name",
    "description",
    "if_index",
    "if_type",
    "speed_mbps",
    "mac_address",
    "ip_addresses",
    "enabled",
    "created_at",
    "updated_at",
]
PORT_NAMES = {
    "server": lambda i: f"eno{i + 1}",
    "storage": lambda i: f"CTE0.A.IOM{i // 4}.P{i % 4}",
    "switch": lambda i: f"GigabitEthernet1/0/{i + 1}",
    "router": lambda i: f"xe-0/0/{i}",
    "firewall": lambda i: f"port{i + 1}",
}


def interface_rows(fleet: Fleet, devices: list[tuple[int, str]]) -> Iterator[tuple]:
    rng = random.Random(SEED + 1)
    now = datetime.now(UTC)
    empty = json.dumps([])
    for device_id, role in devices:
        name_of = PORT_NAMES[role]
        for i in range(fleet.interfaces_per_device):
            mac = device_id * 64 + i
            addresses = json.dumps([f"172.{(mac >> 16) & 255}.{(mac >> 8) & 255}.{mac & 255}"])
            yield (
                device_id,
                name_of(i),
                "uplink" if i < 2 else None,
                i + 1,
                "ethernetCsmacd",
                rng.choice((1000, 10000, 25000)),
                ":".join(f"{(mac >> s) & 255:02x}" for s in (40, 32, 24, 16, 8, 0)),
                addresses if i == 0 else empty,
                True,
                now,
                now,
            )
