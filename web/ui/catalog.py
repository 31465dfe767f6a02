"""The list pages of every object kind, declared once each: columns and sortable keys.

Filtering, search and ordering reuse the REST API's declaration of the same
resource (``web.api.resources``), so ``/sites/?kind=pop&q=tam`` narrows exactly
like ``/api/v1/sites/?kind=pop&q=tam``, and the filter form is built from it
(``web.ui.list_form``). Adding a list page is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from web.api import resources as api
from web.api.resource import Resource
from web.api.schemas.requests import REQUEST_LIST
from web.ui.list_export import DocumentExport
from web.ui.request_list import REQUEST_EXPORT


@dataclass(frozen=True)
class Column:
    """One column of a list (or one field of a detail page).

    ``path`` is read from the row (``site.name`` follows relations); ``kind``
    says how it is shown: ``link`` (to the row's page), ``ref`` (a related record,
    linked to its page), ``choice`` (a stored value named by ``_labels.html``'s
    ``labels`` dict), ``number``, ``pct`` (a percentage number), ``mono``,
    ``end`` (a link's end: its site, or "open end" when it has none),
    ``record`` (the record a row names by ``object_type`` and ``object_id``, linked to
    its page while it exists), ``list``, ``time`` (a moment), ``day`` (a date, in the
    page's language: prices' and validity dates, never ISO), ``usage`` (a link's current
    peak, as a bar), ``ceiling`` (a link's planning ceiling, its own or the default),
    ``years`` (a count of years, its plural in the page's language), ``verdict`` (a
    request's latest verdict) or ``text``.
    ``sort`` is the API ordering key, when sortable.
    """

    path: str
    label: Any
    kind: str = "text"
    labels: str = ""
    sort: str | None = None
    unit: str = ""


@dataclass(frozen=True)
class ListPage:
    key: str  # URL and endpoint: /<key>/ is ui.<key>, /<key>/<id> is ui.<key>_detail
    title: Any
    resource: Resource
    columns: tuple[Column, ...]
    search_hint: Any = ""
    routed: bool = True  # False: the page's path serves another view, which shows this list
    view_name: str = ""  # when ui.<key> already names another page
    default_ordering: str = ""  # when the query string names none (else the id's order)
    export: DocumentExport | None = None  # when the API's documents are not the generated rows
    # A page's own "new" button instead of the edit forms' "Add": (endpoint, action of
    # ``web.ui.links.ACTIONS`` the user must be allowed, label).
    new_button: tuple[str, str, Any] | None = None

    @property
    def endpoint(self) -> str:
        return f"ui.{self.view_name or self.key.replace('-', '_')}"

    @property
    def detail_endpoint(self) -> str:
        return f"{self.endpoint}_detail"


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
    search_hint=_l("Name"),
)

LINKS = ListPage(
    key="links",
    title=_l("Links"),
    resource=api.LINKS,
    columns=(
        NAME,
        Column("network", _l("Network"), "choice", "network", sort="network"),
        Column("a_site", _l("User end"), "end"),
        Column("b_site", _l("Towards the DC"), "end"),
        Column(
            "commit_rate_mbps", _l("Commit rate"), "number", sort="commit_rate_mbps", unit="Mbps"
        ),
        Column("port_speed_mbps", _l("Port speed"), "number", sort="port_speed_mbps", unit="Mbps"),
        Column("id", _l("Utilisation (last week's peak)"), "usage"),
        Column("provider", _l("Provider")),
        Column("status", _l("Status"), "choice", "status"),
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
        Column("incomplete", _l("Incomplete")),  # what its source lacked: left out if unsized
    ),
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
        Column("valid_from", _l("In force from"), "day"),
        Column("valid_to", _l("In force until"), "day"),
    ),
    search_hint=_l("Name, short name"),
)

DEVICES = ListPage(
    key="devices",
    title=_l("Devices"),
    resource=api.DEVICES,
    columns=(
        NAME,
        Column("role", _l("Role"), "choice", "role", sort="role"),
        Column("site", _l("Site"), "ref"),
        Column("rack", _l("Rack"), "ref"),
        Column("model", _l("Model")),
        Column("serial", _l("Serial"), "mono"),
        Column("management_address", _l("Management address"), "mono"),
        Column("status", _l("Status"), "choice", "status", sort="status"),
        Column("cluster", _l("Cluster"), "ref"),
        Column("cores", _l("CPU cores"), "number", sort="cores"),
        Column("ram_gb", _l("RAM"), "number", sort="ram_gb", unit="GB"),
    ),
    search_hint=_l("Name, serial, address, model"),
    default_ordering="name",
)

INTERFACES = ListPage(
    key="interfaces",
    title=_l("Interfaces"),
    resource=api.INTERFACES,
    columns=(
        Column("device", _l("Device"), "ref"),
        Column("name", _l("Name"), "link", sort="name"),
        Column("description", _l("Description")),
        Column("if_index", _l("ifIndex"), "number"),
        Column("speed_mbps", _l("Speed"), "number", sort="speed_mbps", unit="Mbps"),
        Column("mac_address", _l("MAC address"), "mono"),
        Column("ip_addresses", _l("Addresses"), "list"),
        Column("enabled", _l("Enabled")),
    ),
    search_hint=_l("Name, description, MAC address"),
)

RACKS = ListPage(
    key="racks",
    title=_l("Racks"),
    resource=api.RACKS,
    columns=(
        NAME,
        Column("site", _l("Site"), "ref"),
        Column("location", _l("Location")),
        Column("u_height", _l("Height (U)"), "number", sort="u_height"),
        Column("power_kw", _l("Power budget (kW)"), "number"),
    ),
    search_hint=_l("Name, location"),
)

ADMIN_UNITS = ListPage(
    key="admin-units",
    title=_l("Administrative units"),
    resource=api.ADMIN_UNITS,
    columns=(
        Column("code", _l("Code"), "mono", sort="code"),
        NAME,
        Column("level", _l("Level"), "choice", "level", sort="level"),
        Column("parent", _l("Parent unit"), "ref"),
        Column("valid_from", _l("In force from"), "day"),
        Column("valid_to", _l("In force until"), "day"),
    ),
    search_hint=_l("Name, code"),
    routed=False,  # /admin-units/ is the tree; ?view=list shows this list
)

DISCREPANCIES = ListPage(
    key="discrepancies",
    title=_l("Discrepancies"),
    resource=api.DISCREPANCIES,
    columns=(
        Column("kind", _l("Kind"), "choice", "discrepancy_kind", sort="kind"),
        Column("object_type", _l("Kind of record"), sort="object_type"),
        Column("object_id", _l("Record id"), "record"),
        Column("field", _l("Field"), "mono"),
        Column("status", _l("Status")),
        Column("opened_at", _l("Opened"), "time", sort="opened_at"),
        Column("last_seen_at", _l("Last seen"), "time", sort="last_seen_at"),
    ),
    search_hint=_l("Field, note"),
)

DISCOVERY_RUNS = ListPage(
    key="discovery-runs",
    title=_l("Discovery runs"),
    resource=api.DISCOVERY_RUNS,
    columns=(
        Column("id", _l("Run"), "link", sort="id"),
        Column("source", _l("Source"), "choice", "source"),
        Column("kind", _l("Kind")),
        Column("target", _l("Target"), "mono"),
        Column("status", _l("Status")),
        Column("started_at", _l("Started"), "time", sort="started_at"),
        Column("finished_at", _l("Finished"), "time", sort="finished_at"),
        Column("requested_by", _l("Requested by")),
    ),
    search_hint=_l("Target, error"),
    view_name="discovery_run_list",  # ui.discovery_runs is /discovery/, which starts runs
)

CHANGES = ListPage(
    key="changes",
    title=_l("Change log"),
    resource=api.CHANGES,
    columns=(
        Column("at", _l("When"), "time", sort="at"),
        Column("actor", _l("Who")),
        Column("action", _l("Action"), "choice", "change_action"),
        Column("object_type", _l("Kind of record")),
        Column("object_id", _l("Record id"), "number"),
        Column("object_repr", _l("Record"), "record"),
        Column("correlation_id", _l("Correlation id"), "mono"),
    ),
    search_hint=_l("Record, who"),
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
        Column("priced_on", _l("Priced on"), "day", sort="priced_on"),
    ),
    search_hint=_l("Name"),
)

REQUESTS = ListPage(
    key="requests",
    title=_l("Resource requests"),
    resource=REQUEST_LIST,
    columns=(
        Column("id", "#", sort="id"),
        Column("name", _l("Project"), "link", sort="name"),
        Column("agency", _l("Agency"), "ref"),
        Column("go_live", _l("Go-live"), "day", sort="go_live"),
        Column("horizon_years", _l("Horizon"), "years", sort="horizon_years"),
        Column("security_level", _l("Security level"), "number", sort="security_level"),
        Column("zone", _l("Zone"), "choice", "zone"),
        Column("status", _l("Status"), "choice", "request_status", sort="status"),
        Column("verdict", _l("Verdict"), "verdict"),
        Column("created_at", _l("Submitted"), "time", sort="created_at"),
    ),
    search_hint=_l("Project name"),
    export=REQUEST_EXPORT,
    new_button=("ui.new_request", "create_request", _l("New request")),
)

LIST_PAGES: tuple[ListPage, ...] = (
    DEVICES,
    INTERFACES,
    RACKS,
    SITES,
    ADMIN_UNITS,
    AGENCIES,
    CLUSTERS,
    STORAGE_POOLS,
    LINKS,
    INFORMATION_SYSTEMS,
    WORKLOADS,
    DISCREPANCIES,
    DISCOVERY_RUNS,
    CHANGES,
    CATALOGUE,
    REQUESTS,
)
