"""Display names of the stored choice values (``cmdb/choices.py``), in one place.

Lazy strings: a name is translated when a page renders it, in that page's language.
(Jinja caches an imported template's module, so names translated inside
``_labels.html`` would keep the language of the first page rendered.)
Templates read them as ``labels.<group>[value]``; ``_labels.html`` re-exports them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

LEVEL: dict[str, Any] = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
}

SITE_KIND: dict[str, Any] = {
    "data_centre": _l("Data centre"),
    "agency_office": _l("Agency office"),
    "district_office": _l("District People's Committee"),
    "commune_office": _l("Commune People's Committee"),
    "pop": _l("Point of presence"),
}

AGENCY_KIND: dict[str, Any] = {
    "department": _l("Department (Sở, ban, ngành)"),
    "provincial_committee": _l("Provincial People's Committee"),
    "district_committee": _l("District People's Committee"),
    "commune_committee": _l("Commune People's Committee"),
    "other": _l("Other"),
}

ROLE: dict[str, Any] = {
    "server": _l("Server"),
    "storage": _l("Storage"),
    "switch": _l("Switch"),
    "router": _l("Router"),
    "firewall": _l("Firewall"),
    "load_balancer": _l("Load balancer"),
    "other": _l("Other"),
}

STATUS: dict[str, Any] = {
    "planned": _l("Planned"),
    "active": _l("Active"),
    "offline": _l("Offline"),
    "failed": _l("Failed"),
    "decommissioned": _l("Decommissioned"),
}

STATUS_COLOUR: dict[str, Any] = {
    "planned": "info",
    "active": "success",
    "offline": "secondary",
    "failed": "danger",
    "decommissioned": "dark",
}

NETWORK: dict[str, Any] = {
    "internet": _l("Internet"),
    "tslcd": _l("TSLCD"),
    "wan": _l("WAN"),
    "man": _l("MAN"),
    "lan": _l("LAN"),
}

CATALOGUE_KIND: dict[str, Any] = {
    "server": _l("Server model"),
    "storage_shelf": _l("Storage shelf"),
    "link_tier": _l("Link tier"),
}

ZONE: dict[str, Any] = {
    "internet": _l("Internet"),
    "tslcd": _l("TSLCD"),
    "internal": _l("Internal"),
}

REQUEST_STATUS: dict[str, Any] = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "evaluated": _l("Evaluated"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "deployed": _l("Deployed"),
    "retired": _l("Retired"),
}

SOURCE: dict[str, Any] = {
    "manual": _l("Manual"),
    "netbox": _l("NetBox"),
    "snmp": _l("SNMP"),
    "ansible": _l("Ansible"),
    "demo": _l("Demo data"),
}

POOL_KIND: dict[str, Any] = {
    "san": _l("SAN"),
    "nas": _l("NAS"),
    "backup": _l("Backup"),
    "object": _l("Object storage"),
}

PROTECTION: dict[str, Any] = {
    "none": _l("None"),
    "raid10": _l("RAID 10"),
    "raid5_4_1": _l("RAID 5 (4+1)"),
    "raid6_8_2": _l("RAID 6 (8+2)"),
    "replica3": _l("3 replicas"),
    "ec_8_3": _l("Erasure coding 8+3"),
}

USER_ROLE: dict[str, Any] = {
    "viewer": _l("Viewer"),
    "requester": _l("Requester"),
    "engineer": _l("Engineer"),
    "planner": _l("Planner"),
    "admin": _l("Administrator"),
}

CHANGE_ACTION: dict[str, Any] = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
}

CAPACITY_STATE: dict[str, Any] = {
    "ok": _l("OK"),
    "risk": _l("At risk"),
    "over": _l("Over the ceiling"),
}

CAPACITY_COLOUR: dict[str, Any] = {
    "ok": "success",
    "risk": "warning",
    "over": "danger",
}

RESOURCE_KIND: dict[str, Any] = {
    "vcpu": _l("vCPU"),
    "ram": _l("RAM"),
    "storage": _l("Storage"),
    "link": _l("Link"),
}

DISCREPANCY_KIND: dict[str, Any] = {
    "mismatch": _l("Sources disagree"),
    "not_on_network": _l("Documented but not on the network"),
    "not_in_netbox": _l("On the network but not in NetBox"),
    "speed_vs_commit": _l("Port slower than the commit rate"),
    "vm_sizing": _l("VM size differs"),
    "host_sizing": _l("Host size differs"),
    "identity": _l("Another device answers at its address"),
}


LABELS: dict[str, dict[str, Any]] = {
    "level": LEVEL,
    "site_kind": SITE_KIND,
    "agency_kind": AGENCY_KIND,
    "role": ROLE,
    "status": STATUS,
    "status_colour": STATUS_COLOUR,
    "network": NETWORK,
    "catalogue_kind": CATALOGUE_KIND,
    "zone": ZONE,
    "request_status": REQUEST_STATUS,
    "source": SOURCE,
    "pool_kind": POOL_KIND,
    "protection": PROTECTION,
    "user_role": USER_ROLE,
    "change_action": CHANGE_ACTION,
    "capacity_state": CAPACITY_STATE,
    "capacity_colour": CAPACITY_COLOUR,
    "resource_kind": RESOURCE_KIND,
    "discrepancy_kind": DISCREPANCY_KIND,
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(choice_labels=LABELS)
