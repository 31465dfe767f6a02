"""Small builders of valid inventory rows; tests override only what they exercise."""

from __future__ import annotations

import itertools
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from cmdb.choices import (
    AdminLevel,
    AgencyKind,
    DeviceRole,
    Network,
    Protection,
    SiteKind,
    StoragePoolKind,
)
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Site,
    StoragePool,
    Workload,
)

T = TypeVar("T")
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def admin_unit(session: Session, **kw: Any) -> AdminUnit:
    n = _n()
    values: dict[str, Any] = {
        "code": f"9{n:04d}",
        "name": f"Xã Thử {n}",
        "level": AdminLevel.COMMUNE,
        "kind": "Xã",
    }
    return _add(session, AdminUnit(**(values | kw)))


def agency(session: Session, **kw: Any) -> Agency:
    values = {"name": f"Sở Thử {_n()}", "kind": AgencyKind.DEPARTMENT}
    return _add(session, Agency(**(values | kw)))


def site(session: Session, **kw: Any) -> Site:
    n = _n()
    if "admin_unit" not in kw and "admin_unit_id" not in kw:
        kw["admin_unit"] = admin_unit(session)
    values = {"name": f"Site {n}", "slug": f"site-{n}", "kind": SiteKind.COMMUNE_OFFICE}
    return _add(session, Site(**(values | kw)))


def link(session: Session, **kw: Any) -> Link:
    if "a_site" not in kw and "a_site_id" not in kw:
        kw["a_site"] = site(session)
    if "b_site" not in kw and "b_site_id" not in kw:
        kw["b_site"] = site(session)
    values = {"name": f"Link {_n()}", "network": Network.TSLCD, "commit_rate_mbps": 20.0}
    return _add(session, Link(**(values | kw)))


def cluster(session: Session, **kw: Any) -> Cluster:
    if "site" not in kw and "site_id" not in kw:
        kw["site"] = site(session, kind=SiteKind.DATA_CENTRE)
    values = {"name": f"CL-{_n()}", "max_security_level": 3, "zones": ["internal"]}
    return _add(session, Cluster(**(values | kw)))


def storage_pool(session: Session, **kw: Any) -> StoragePool:
    if "site" not in kw and "site_id" not in kw:
        kw["site"] = site(session, kind=SiteKind.DATA_CENTRE)
    values = {
        "name": f"POOL-{_n()}",
        "kind": StoragePoolKind.SAN,
        "protection": Protection.RAID6_8_2,
        "raw_tb": 100.0,
    }
    return _add(session, StoragePool(**(values | kw)))


def server(session: Session, **kw: Any) -> Device:
    if "site" not in kw and "site_id" not in kw:
        kw["site"] = site(session, kind=SiteKind.DATA_CENTRE)
    values = {"name": f"srv-{_n()}", "role": DeviceRole.SERVER, "cores": 32, "ram_gb": 512.0}
    return _add(session, Device(**(values | kw)))


def interface(session: Session, **kw: Any) -> Interface:
    if "device" not in kw and "device_id" not in kw:
        kw["device"] = server(session)
    return _add(session, Interface(**({"name": f"eth{_n()}", "speed_mbps": 10000} | kw)))


def cable_inside(session: Session, site: Site, **kw: Any) -> Link:
    """A link between two interfaces of two devices of ``site`` (a cable in the DC)."""
    ends = [interface(session, device=server(session, site=site)) for _ in range(2)]
    values = {"network": Network.LAN, "commit_rate_mbps": None, "port_speed_mbps": 10000.0}
    return link(
        session, a_site=site, b_site=site, a_interface=ends[0], b_interface=ends[1], **values | kw
    )


def information_system(session: Session, **kw: Any) -> InformationSystem:
    if "agency" not in kw and "agency_id" not in kw:
        kw["agency"] = agency(session)
    values = {"name": f"HTTT {_n()}", "security_level": 2, "zones": ["internal"]}
    return _add(session, InformationSystem(**(values | kw)))


def workload(session: Session, **kw: Any) -> Workload:
    if "information_system" not in kw and "information_system_id" not in kw:
        kw["information_system"] = information_system(session)
    if "cluster" not in kw and "cluster_id" not in kw:
        kw["cluster"] = cluster(session)
    values = {"name": f"vm-{_n()}", "vcpu": 4, "ram_gb": 8.0, "disk_gb": 100.0}
    return _add(session, Workload(**(values | kw)))


def _add(session: Session, obj: T) -> T:
    session.add(obj)
    session.flush()
    return obj
