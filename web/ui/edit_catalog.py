"""The edit forms, declared once each: which API resource (hence which write schema),
what the record is called, and where a person goes after saving or deleting.

One view and one template serve them all (``web.ui.edit_views``), like the list
pages; the inputs come from the write schema (``web.ui.edit_fields``). Racks and
interfaces have no page of their own: their forms lead back to their site's or
device's page, where they are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from cmdb.services.integrity import model_of_table
from web.api import resources as api
from web.api.resource import Resource
from web.ui.edit_fields import FormField, form_fields


@dataclass(frozen=True)
class EditPage:
    key: str  # URL: /<key>/new, /<key>/<id>/edit, /<key>/<id>/delete
    resource: Resource
    noun: Any  # "site", as a heading says "New site"
    list_endpoint: str | None = None  # where a deleted record's page sends the user
    parent: str | None = None  # the relation whose page lists the record (a rack's site)

    @property
    def endpoint(self) -> str:
        """Prefix of the form's endpoints: ``ui.<prefix>_new``, ``_edit``, ``_delete``."""
        return f"ui.{self.key.replace('-', '_')}"

    @cached_property
    def refs(self) -> dict[str, type[Any]]:
        """The schema's foreign-key fields and the model each points at."""
        columns = sa.inspect(self.resource.model).columns
        found: dict[str, type[Any]] = {}
        for name in self.resource.create_schema.fields:
            column = columns.get(name)
            if column is not None and column.foreign_keys:
                target = model_of_table(next(iter(column.foreign_keys)).column.table)
                if target is not None:
                    found[name] = target
        return found

    @cached_property
    def inputs(self) -> tuple[FormField, ...]:
        return form_fields(self.resource.create_schema, frozenset(self.refs))


EDIT_PAGES: tuple[EditPage, ...] = (
    EditPage("sites", api.SITES, _l("site"), "ui.sites"),
    EditPage("agencies", api.AGENCIES, _l("agency"), "ui.agencies"),
    EditPage("catalogue", api.CATALOGUE, _l("catalogue entry"), "ui.catalogue"),
    EditPage("racks", api.RACKS, _l("rack"), parent="site"),
    EditPage("devices", api.DEVICES, _l("device"), "ui.devices"),
    EditPage("interfaces", api.INTERFACES, _l("interface"), parent="device"),
    EditPage("links", api.LINKS, _l("link"), "ui.links"),
    EditPage("clusters", api.CLUSTERS, _l("cluster"), "ui.clusters"),
    EditPage("storage-pools", api.STORAGE_POOLS, _l("storage pool"), "ui.storage_pools"),
    EditPage(
        "information-systems",
        api.INFORMATION_SYSTEMS,
        _l("information system"),
        "ui.information_systems",
    ),
    EditPage("workloads", api.WORKLOADS, _l("workload"), "ui.workloads"),
)

#: Edit forms by model, for the buttons on the pages that show a record.
EDIT_BY_MODEL: dict[type[Any], EditPage] = {p.resource.model: p for p in EDIT_PAGES}

#: What each input is called; one name per field across the forms.
FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "valid_from": _l("In force from"),
    "valid_to": _l("In force until (first day no longer)"),
    "slug": _l("Slug"),
    "kind": _l("Kind"),
    "status": _l("Status"),
    "admin_unit_id": _l("Administrative unit"),
    "agency_id": _l("Agency"),
    "address": _l("Address"),
    "latitude": _l("Latitude"),
    "is_dc": _l("The DC (paths lead here)"),
    "longitude": _l("Longitude"),
    "site_id": _l("Site"),
    "u_height": _l("Height (U)"),
    "power_kw": _l("Power budget (kW)"),
    "role": _l("Role"),
    "manufacturer": _l("Manufacturer"),
    "model": _l("Model"),
    "serial": _l("Serial"),
    "firmware": _l("Firmware"),
    "management_address": _l("Management address"),
    "rack_id": _l("Rack"),
    "rack_position_u": _l("Position in the rack (U)"),
    "rack_face": _l("Rack face"),
    "height_u": _l("Height in the rack (U)"),
    "cores": _l("CPU cores"),
    "ram_gb": _l("RAM (GB)"),
    "raw_storage_tb": _l("Raw storage (TB)"),
    "cluster_id": _l("Cluster"),
    "storage_pool_id": _l("Storage pool"),
    "device_id": _l("Device"),
    "description": _l("Description"),
    "if_index": _l("SNMP ifIndex"),
    "if_type": _l("Interface type"),
    "speed_mbps": _l("Speed (Mbps)"),
    "mac_address": _l("MAC address"),
    "ip_addresses": _l("IP addresses (one per line, with prefix length)"),
    "enabled": _l("Enabled"),
    "network": _l("Network"),
    "a_site_id": _l("User end (empty: an open end)"),
    "b_site_id": _l("Towards the DC (empty: an open end)"),
    "a_interface_id": _l("User-end interface"),
    "b_interface_id": _l("DC-side interface"),
    "commit_rate_mbps": _l("Commit rate (Mbps)"),
    "port_speed_mbps": _l("Port speed (Mbps)"),
    "provider": _l("Provider"),
    "circuit_id": _l("Circuit"),
    "ceiling_pct": _l("Planning ceiling (%)"),
    "cpu_ratio": _l("vCPU per core"),
    "ram_ratio": _l("RAM ratio"),
    "ha_reserve_hosts": _l("HA reserve (hosts)"),
    "max_security_level": _l("Highest security level"),
    "zones": _l("Zones"),
    "tags": _l("Tags (one slug per line: lowercase letters, digits, - and _)"),
    "protection": _l("Protection"),
    "raw_tb": _l("Raw capacity (TB)"),
    "code": _l("Code"),
    "security_level": _l("Security level"),
    "information_system_id": _l("Information system"),
    "vcpu": _l("vCPU"),
    "disk_gb": _l("Disk (GB)"),
    "mbps": _l("Speed (Mbps)"),
    "price_vnd": _l("Price (VND; a link tier's per year)"),
    "priced_on": _l("Priced on"),
}
