"""The inventory list pages, declared once each: columns, sortable keys, filters.

Filtering, search and ordering reuse the REST API's declaration of the same
resource (``web.api.resources``), so ``/sites/?kind=pop&q=tam`` narrows exactly
like ``/api/v1/sites/?kind=pop&q=tam``. Adding a list page is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from cmdb.choices import AgencyKind, CatalogueKind, Network
from web.api import resources as api
from web.api.resource import Resource


@dataclass(frozen=True)
class Column:
    """One column of a list (or one field of a detail page).

    ``path`` is read from the row (``site.name`` follows relations); ``kind``
    says how it is shown: ``link`` (to the row's page), ``ref`` (a related record,
    linked to its page), ``choice`` (a stored value named by ``_labels.html``'s
    ``labels`` dict), ``number``, ``pct`` (a percentage number), ``mono``,
    ``list`` or ``text``. ``sort`` is the API ordering key, when sortable.
    """

    path: str
    label: Any
    kind: str = "text"
    labels: str = ""
    sort: str | None = None
    unit: str = ""


@dataclass(frozen=True)
class Filter:
    """A select of the filter form: an API filter parameter and its labelled choices."""

    param: str
    label: Any
    choices: tuple[str, ...]
    labels: str = ""


@dataclass(frozen=True)
class ListPage:
    key: str  # URL and endpoint: /<key>/ is ui.<key>, /<key>/<id> is ui.<key>_detail
    title: Any
    resource: Resource
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    search_hint: Any = ""

    @property
    def endpoint(self) -> str:
        return f"ui.{self.key.replace('-', '_')}"

    @property
    def detail_endpoint(self) -> str:
        return f"{self.endpoint}_detail"


STATUS = ("planned", "active", "offline", "failed", "decommissioned")
NAME = Column("name", _l("Name"), "link", sort="name")

SITES = ListPage(
    key="sites",
    title=_l("Sites"),
    resource=api.SITES,
    columns=(
        NAME,
        Column("kind", _l("Kind"), "choice", "site_kind", sort="kind"),
        Column("admin_unit", _l("Administrative unit"), "ref"),
        Column("agency", _l("Agency"), "ref"),
        Column("address", _l("Address")),
        Column("status", _l("Status"), "choice", "status", sort="status"),
    ),
    filters=(
        Filter(
            "kind",
            _l("Kind"),
            ("data_centre", "agency_office", "district_office", "commune_office", "pop"),
            "site_kind",
        ),
        Filter("status", _l("Status"), STATUS, "status"),
    ),
    search_hint=_l("Name, slug, address"),
)

CLUSTERS = ListPage(
    key="clusters",
    title=_l("Clusters"),
    resource=api.CLUSTERS,
    columns=(
        NAME,
        Column("site", _l("Site"), "ref"),
        Column("cpu_ratio", _l("vCPU per core"), "number"),
        Column("ram_ratio", _l("RAM ratio"), "number"),
        Column("ha_reserve_hosts", _l("HA reserve (hosts)"), "number"),
        Column(
            "max_security_level", _l("Highest security level"), "number", sort="max_security_level"
        ),
        Column("zones", _l("Zones"), "list"),
        Column("ceiling_pct", _l("Ceiling"), "pct"),
    ),
    filters=(
        Filter("max_security_level", _l("Highest security level"), ("1", "2", "3", "4", "5")),
    ),
    search_hint=_l("Name, description"),
)

STORAGE_POOLS = ListPage(
    key="storage-pools",
    title=_l("Storage pools"),
    resource=api.STORAGE_POOLS,
    columns=(
        NAME,
        Column("kind", _l("Kind"), "choice", "pool_kind"),
        Column("site", _l("Site"), "ref"),
        Column("protection", _l("Protection"), "choice", "protection"),
        Column("raw_tb", _l("Raw capacity"), "number", sort="raw_tb", unit="TB"),
        Column("ceiling_pct", _l("Ceiling"), "pct"),
        Column("max_security_level", _l("Highest security level"), "number"),
    ),
    filters=(
        Filter("kind", _l("Kind"), ("san", "nas", "backup", "object"), "pool_kind"),
        Filter(
            "protection",
            _l("Protection"),
            ("none", "raid10", "raid5_4_1", "raid6_8_2", "replica3", "ec_8_3"),
            "protection",
        ),
    ),
    search_hint=_l("Name"),
)

LINKS = ListPage(
    key="links",
    title=_l("Links"),
    resource=api.LINKS,
    columns=(
        NAME,
        Column("network", _l("Network"), "choice", "network", sort="network"),
        Column("a_site", _l("User end"), "ref"),
        Column("b_site", _l("Towards the DC"), "ref"),
        Column(
            "commit_rate_mbps", _l("Commit rate"), "number", sort="commit_rate_mbps", unit="Mbps"
        ),
        Column("port_speed_mbps", _l("Port speed"), "number", sort="port_speed_mbps", unit="Mbps"),
        Column("id", _l("Utilisation (last day p95)"), "usage"),
        Column("provider", _l("Provider")),
        Column("status", _l("Status"), "choice", "status"),
    ),
    filters=(
        Filter("network", _l("Network"), ("internet", "tslcd", "wan", "man", "lan"), "network"),
        Filter("status", _l("Status"), STATUS, "status"),
    ),
    search_hint=_l("Name, provider, circuit"),
)

INFORMATION_SYSTEMS = ListPage(
    key="information-systems",
    title=_l("Information systems"),
    resource=api.INFORMATION_SYSTEMS,
    columns=(
        NAME,
        Column("code", _l("Code"), "mono", sort="code"),
        Column("agency", _l("Agency"), "ref"),
        Column("security_level", _l("Security level"), "number", sort="security_level"),
        Column("zones", _l("Zones"), "list"),
        Column("status", _l("Status"), "choice", "status"),
    ),
    filters=(
        Filter("security_level", _l("Security level"), ("1", "2", "3", "4", "5")),
        Filter("status", _l("Status"), STATUS, "status"),
    ),
    search_hint=_l("Name, code, description"),
)

WORKLOADS = ListPage(
    key="workloads",
    title=_l("Workloads"),
    resource=api.WORKLOADS,
    columns=(
        NAME,
        Column("information_system", _l("Information system"), "ref"),
        Column("vcpu", _l("vCPU"), "number", sort="vcpu"),
        Column("ram_gb", _l("RAM"), "number", sort="ram_gb", unit="GB"),
        Column("disk_gb", _l("Disk"), "number", sort="disk_gb", unit="GB"),
        Column("cluster", _l("Cluster"), "ref"),
        Column("storage_pool", _l("Storage pool"), "ref"),
        Column("status", _l("Status"), "choice", "status"),
    ),
    filters=(Filter("status", _l("Status"), STATUS, "status"),),
    search_hint=_l("Name"),
)

AGENCIES = ListPage(
    key="agencies",
    title=_l("Agencies"),
    resource=api.AGENCIES,
    columns=(
        NAME,
        Column("short_name", _l("Short name"), sort="short_name"),
        Column("kind", _l("Kind"), "choice", "agency_kind", sort="kind"),
        Column("admin_unit", _l("Administrative unit"), "ref"),
        Column("valid_from", _l("In force from")),
        Column("valid_to", _l("In force until")),
    ),
    filters=(Filter("kind", _l("Kind"), tuple(k.value for k in AgencyKind), "agency_kind"),),
    search_hint=_l("Name, short name"),
)

CATALOGUE = ListPage(
    key="catalogue",
    title=_l("Expansion catalogue"),
    resource=api.CATALOGUE,
    columns=(
        NAME,
        Column("kind", _l("Kind"), "choice", "catalogue_kind", sort="kind"),
        Column("network", _l("Network"), "choice", "network", sort="network"),
        Column("cores", _l("CPU cores"), "number"),
        Column("ram_gb", _l("RAM (GB)"), "number"),
        Column("raw_tb", _l("Raw capacity (TB)"), "number"),
        Column("mbps", _l("Speed (Mbps)"), "number", sort="mbps"),
        Column("price_vnd", _l("Price (VND; a link tier's per year)"), "number", sort="price_vnd"),
        Column("priced_on", _l("Priced on"), sort="priced_on"),
    ),
    filters=(
        Filter("kind", _l("Kind"), tuple(k.value for k in CatalogueKind), "catalogue_kind"),
        Filter("network", _l("Network"), tuple(n.value for n in Network), "network"),
    ),
    search_hint=_l("Name"),
)

LIST_PAGES: tuple[ListPage, ...] = (
    SITES,
    AGENCIES,
    CLUSTERS,
    STORAGE_POOLS,
    LINKS,
    INFORMATION_SYSTEMS,
    WORKLOADS,
    CATALOGUE,
)
