"""Every inventory resource of the API, declared once (see ``web.api.resource``).

Read one entry to know a resource's whole contract: what it shows, what filters
it (and the lookups follow from each column's type), what ``q=`` searches, how
it orders, what ``brief=1`` keeps and, for what a person edits, the body of its
create and update (``write``; engineers and admins may write). The contract
tests are generated from this tuple, so a resource added here is tested without
another line.
"""

from __future__ import annotations

from cmdb.actions.policy import Permission
from cmdb.models import (
    AdminUnit,
    Agency,
    CatalogueItem,
    ChangeLog,
    Cluster,
    Device,
    DiscoveryResult,
    DiscoveryRun,
    Discrepancy,
    InformationSystem,
    Interface,
    Link,
    NetworkSetting,
    Rack,
    Sample,
    Series,
    Site,
    StoragePool,
    Workload,
)
from cmdb.services.request_visibility import visible_changes
from web.api import discrepancy_filters, tag_filters, workload_filters
from web.api.resource import Resource, declare
from web.api.schemas.admin_units import AdminUnitWriteSchema
from web.api.schemas.agencies import AgencyWriteSchema
from web.api.schemas.catalogue import CatalogueItemWriteSchema
from web.api.schemas.clusters import ClusterWriteSchema
from web.api.schemas.devices import DeviceWriteSchema
from web.api.schemas.information_systems import InformationSystemWriteSchema
from web.api.schemas.interfaces import InterfaceWriteSchema
from web.api.schemas.links import LinkWriteSchema
from web.api.schemas.racks import RackWriteSchema
from web.api.schemas.sites import SiteWriteSchema
from web.api.schemas.storage_pools import StoragePoolWriteSchema
from web.api.schemas.workloads import WorkloadWriteSchema


def names(text: str) -> tuple[str, ...]:
    """Field names, space-separated: a declaration reads on a few lines."""
    return tuple(text.split())


ADMIN_UNITS = declare(
    Resource(
        path="admin-units",
        model=AdminUnit,
        description="The administrative tree: province, districts, communes (GSO codes). "
        "Planners keep it: a parent of a higher level (none for a province), a code unique "
        "among the units in force.",
        fields=names("id url code name level kind parent successor valid_from valid_to"),
        filters=names("id code name level kind parent_id valid_from valid_to"),
        search=names("code name"),
        orderings=names("id code name level"),
        brief=names("id url code name"),
        dated=True,
        write=AdminUnitWriteSchema,
        # The tree a request targets is the planners' to keep, as the agencies are.
        write_permission=Permission.KEEP_ADMIN_TREE,
    )
)

AGENCIES = declare(
    Resource(
        path="agencies",
        model=Agency,
        description="Owner organisations: Sở, ban, ngành, People's Committees.",
        fields=names(
            "id url name short_name kind admin_unit valid_from valid_to created_at updated_at"
        ),
        filters=names("id name short_name kind admin_unit_id valid_from valid_to"),
        search=names("name short_name"),
        orderings=names("id name short_name kind"),
        brief=names("id url name short_name"),
        dated=True,
        write=AgencyWriteSchema,
        # Who owns what is the planners' to keep (a fresh install creates its agencies).
        write_permission=Permission.KEEP_AGENCIES,
    )
)

SITES = declare(
    Resource(
        path="sites",
        model=Site,
        description="Places with equipment: the DC, offices, communes, points of presence.",
        fields=names(
            "id url name slug kind status admin_unit agency address latitude longitude is_dc "
            "created_at updated_at"
        ),
        filters=names("id name slug kind status admin_unit_id agency_id is_dc"),
        search=names("name slug address"),
        orderings=names("id name slug kind status"),
        brief=names("id url name slug"),
        write=SiteWriteSchema,
    )
)

RACKS = declare(
    Resource(
        path="racks",
        model=Rack,
        description="Racks of a site.",
        fields=names("id url name site location u_height power_kw created_at updated_at"),
        filters=names("id name site_id location u_height power_kw"),
        search=names("name location"),
        orderings=names("id name u_height"),
        write=RackWriteSchema,
    )
)

DEVICES = declare(
    Resource(
        path="devices",
        model=Device,
        description="Servers, storage arrays, switches, routers and firewalls, with their specs.",
        fields=names(
            "id url name role status manufacturer model serial firmware platform "
            "management_address site location rack rack_position_u rack_face height_u tags cores "
            "ram_gb raw_storage_tb cluster storage_pool created_at updated_at"
        ),
        filters=names(
            "id name role status manufacturer model serial platform management_address site_id "
            "location rack_id cluster_id storage_pool_id cores ram_gb raw_storage_tb created_at "
            "updated_at"
        ),
        search=names("name serial management_address model"),
        orderings=names("id name role status cores ram_gb created_at"),
        brief=names("id url name role"),
        extra_filters=tag_filters.DEVICE_FILTERS,
        write=DeviceWriteSchema,
    )
)

INTERFACES = declare(
    Resource(
        path="interfaces",
        model=Interface,
        description="Network interfaces of devices.",
        fields=names(
            "id url device name description if_index speed_mbps mac_address ip_addresses enabled "
            "created_at updated_at"
        ),
        filters=names("id device_id name if_index speed_mbps mac_address enabled"),
        search=names("name description mac_address"),
        orderings=names("id name device_id speed_mbps"),
        brief=names("id url device name"),
        write=InterfaceWriteSchema,
    )
)

LINKS = declare(
    Resource(
        path="links",
        model=Link,
        description=(
            "Circuits between sites and cables inside one (between two of its interfaces), "
            "by network (internet, TSLCD, WAN, MAN, LAN)."
        ),
        fields=names(
            "id url name network status a_site b_site a_interface b_interface commit_rate_mbps "
            "port_speed_mbps provider circuit_id ceiling_pct valid_from valid_to created_at "
            "updated_at"
        ),
        filters=names(
            "id name network status a_site_id b_site_id commit_rate_mbps port_speed_mbps provider "
            "circuit_id valid_from valid_to"
        ),
        search=names("name provider circuit_id"),
        orderings=names("id name network commit_rate_mbps port_speed_mbps"),
        brief=names("id url name network"),
        write=LinkWriteSchema,
    )
)

CLUSTERS = declare(
    Resource(
        path="clusters",
        model=Cluster,
        description="Compute pools: hosts, allocation ratios, HA reserve, certification.",
        fields=names(
            "id url name description site cpu_ratio ram_ratio ha_reserve_hosts max_security_level "
            "zones ceiling_pct created_at updated_at"
        ),
        filters=names("id name site_id max_security_level cpu_ratio ceiling_pct"),
        search=names("name description"),
        orderings=names("id name max_security_level"),
        write=ClusterWriteSchema,
    )
)

STORAGE_POOLS = declare(
    Resource(
        path="storage-pools",
        model=StoragePool,
        description="Storage pools: raw capacity, protection scheme, planning ceiling.",
        fields=names(
            "id url name kind site protection raw_tb ceiling_pct max_security_level created_at "
            "updated_at"
        ),
        filters=names("id name kind site_id protection raw_tb max_security_level"),
        search=names("name"),
        orderings=names("id name raw_tb"),
        write=StoragePoolWriteSchema,
    )
)

INFORMATION_SYSTEMS = declare(
    Resource(
        path="information-systems",
        model=InformationSystem,
        description="Information systems (HTTT/CSDL) with their owner and security level.",
        fields=names(
            "id url name code description agency security_level zones status created_at updated_at"
        ),
        filters=names("id name code agency_id security_level status"),
        search=names("name code description"),
        orderings=names("id name code security_level"),
        brief=names("id url name code"),
        write=InformationSystemWriteSchema,
    )
)

WORKLOADS = declare(
    Resource(
        path="workloads",
        model=Workload,
        description="Virtual machines of information systems, on a cluster and a pool.",
        fields=names(
            "id url name information_system vcpu ram_gb disk_gb incomplete management_address "
            "cluster storage_pool status tags created_at updated_at"
        ),
        filters=names(
            "id name information_system_id cluster_id storage_pool_id vcpu ram_gb disk_gb status"
        ),
        # ?incomplete=true|false, ?tag=<slug>
        extra_filters=(*workload_filters.EXTRA_FILTERS, *tag_filters.WORKLOAD_FILTERS),
        search=names("name"),
        orderings=names("id name vcpu ram_gb disk_gb"),
        write=WorkloadWriteSchema,
    )
)

SERIES = declare(
    Resource(
        path="series",
        model=Series,
        description="Time series: one per (object, metric); samples and rollups belong to one.",
        fields=names(
            "id url object_type object_id metric unit last_sample_at daily_through daily_count"
        ),
        filters=names("id object_type object_id metric last_sample_at"),
        orderings=names("id object_id last_sample_at"),
        brief=names("id url object_type object_id metric"),
        display="metric",
    )
)

SAMPLES = declare(
    Resource(
        path="samples",
        model=Sample,
        description="Raw time-series points; filter by `series_id` and `ts__gte`/`ts__lte`.",
        fields=names("series_id ts value"),
        filters=names("series_id ts value"),
        orderings=names("series_id ts"),
        brief=names("series_id ts value"),
        detail=False,
    )
)

DISCOVERY_RUNS = declare(
    Resource(
        path="discovery-runs",
        model=DiscoveryRun,
        description="Discovery, polling and sync runs: status, progress and result. Start one "
        "as a background job with `POST` (engineers); the detail lists its per-target results.",
        fields=names(
            "id url source kind target status job_id requested_by parameters progress_done "
            "progress_total progress_message started_at finished_at stats error parent_id"
        ),
        filters=names("id source kind target status requested_by started_at finished_at parent_id"),
        search=names("target error"),
        orderings=names("id started_at finished_at"),
        brief=names("id url source kind status"),
        display="target",
        detail_nested=names("results"),
    )
)

DISCOVERY_RESULTS = declare(
    Resource(
        path="discovery-results",
        model=DiscoveryResult,
        description="How each target of a run went: which devices failed last night, and why.",
        fields=names("id url run address status error duration_ms requests device"),
        filters=names("id run_id address status device_id duration_ms"),
        search=names("address error"),
        orderings=names("id address duration_ms"),
        brief=names("id url address status"),
        display="address",
    )
)

DISCREPANCIES = declare(
    Resource(
        path="discrepancies",
        model=Discrepancy,
        description=(
            "Where NetBox, the network (SNMP), the hosts (Ansible) and people disagree: "
            "every source's value, first and last seen, status and acknowledgement. "
            "`site` and `source` filter by the record's site and by a source's presence in "
            "`values`; `…/export?format=csv|json` takes the same filters."
        ),
        fields=names(
            "id url kind object_type object_id field values status opened_at last_seen_at "
            "resolved_at acknowledged_by acknowledged_at note"
        ),
        filters=names("id kind object_type object_id field status opened_at last_seen_at"),
        search=names("field note"),
        orderings=names("id opened_at last_seen_at object_type kind"),
        brief=names("id url kind object_type object_id field status"),
        display="field",
        extra_filters=discrepancy_filters.EXTRA_FILTERS,
    )
)

CHANGES = declare(
    Resource(
        path="changes",
        model=ChangeLog,
        description="The change log: who changed which record, when, from what to what.",
        fields=names(
            "id url at user_id actor action object_type object_id object_repr before after "
            "correlation_id"
        ),
        filters=names("id at user_id actor action object_type object_id correlation_id"),
        search=names("object_repr actor"),
        orderings=names("id at"),
        brief=names("id url at actor action object_type object_id"),
        display="object_repr",
        readable=visible_changes,
    )
)

CATALOGUE = declare(
    Resource(
        path="catalogue",
        model=CatalogueItem,
        description="What the DC can buy to expand, in VND as of a day: server models, "
        "storage shelves, link tiers per network (a yearly fee).",
        fields=names(
            "id url kind name network cores ram_gb raw_tb mbps price_vnd priced_on "
            "created_at updated_at"
        ),
        filters=names("id kind name network price_vnd priced_on"),
        search=names("name"),
        orderings=names("id kind name network mbps price_vnd priced_on"),
        brief=names("id url kind name price_vnd"),
        write=CatalogueItemWriteSchema,
        # Prices are the planners' to keep (DESIGN §6), as capacity settings are.
        write_permission=Permission.KEEP_CATALOGUE,
    )
)

NETWORK_SETTINGS = declare(
    Resource(
        path="network-settings",
        model=NetworkSetting,
        description="How capacity treats each network's DC uplinks: which far-end site kinds "
        "make a link from the DC an uplink (default: pop) and whether the uplinks are "
        "active/standby (each carries the whole demand; the default) or load-sharing (the "
        "demand splits in proportion to capacity). A network without a row takes the defaults; "
        "`PUT …/networks/<network>` sets one (planners).",
        fields=names("id url network redundancy uplink_site_kinds created_at updated_at"),
        filters=names("id network redundancy"),
        orderings=names("id network"),
        brief=names("id url network redundancy"),
        display="network",
    )
)

RESOURCES: tuple[Resource, ...] = (
    ADMIN_UNITS,
    AGENCIES,
    SITES,
    RACKS,
    DEVICES,
    INTERFACES,
    LINKS,
    CLUSTERS,
    STORAGE_POOLS,
    INFORMATION_SYSTEMS,
    WORKLOADS,
    SERIES,
    SAMPLES,
    DISCOVERY_RUNS,
    DISCOVERY_RESULTS,
    DISCREPANCIES,
    CHANGES,
    CATALOGUE,
    NETWORK_SETTINGS,
)
