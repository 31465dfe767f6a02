"""Stable choice values of the inventory, stored by value (lowercase, never renamed).

Every choice set is a ``StrEnum`` so a value compares equal to its string, and the
database column holds the string itself (see ``cmdb.db.enum_column``).
"""

from enum import StrEnum


class Source(StrEnum):
    """Where a record or a fact came from."""

    MANUAL = "manual"
    NETBOX = "netbox"
    SNMP = "snmp"
    ANSIBLE = "ansible"
    DEMO = "demo"


class AdminLevel(StrEnum):
    """Level of an administrative unit; the 2025 reform removed ``district``."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class AgencyKind(StrEnum):
    DEPARTMENT = "department"  # Sở, ban, ngành of the province
    PROVINCIAL_COMMITTEE = "provincial_committee"
    DISTRICT_COMMITTEE = "district_committee"
    COMMUNE_COMMITTEE = "commune_committee"
    OTHER = "other"


class SiteKind(StrEnum):
    DATA_CENTRE = "data_centre"
    AGENCY_OFFICE = "agency_office"
    DISTRICT_OFFICE = "district_office"  # a district People's Committee
    COMMUNE_OFFICE = "commune_office"  # a commune People's Committee
    POP = "pop"  # a provider's point of presence


class Status(StrEnum):
    """Lifecycle of sites, devices, links and systems (NetBox's vocabulary)."""

    PLANNED = "planned"
    ACTIVE = "active"
    OFFLINE = "offline"
    FAILED = "failed"
    DECOMMISSIONED = "decommissioned"


class RackFace(StrEnum):
    """The face of a rack a device is mounted on (NetBox's ``face``); none: full depth."""

    FRONT = "front"
    REAR = "rear"


class DeviceRole(StrEnum):
    SERVER = "server"
    STORAGE = "storage"
    SWITCH = "switch"
    ROUTER = "router"
    FIREWALL = "firewall"
    LOAD_BALANCER = "load_balancer"
    OTHER = "other"


class Network(StrEnum):
    """The networks a link can belong to; TSLCD is the state's dedicated network."""

    INTERNET = "internet"
    TSLCD = "tslcd"
    WAN = "wan"
    MAN = "man"
    LAN = "lan"


class Redundancy(StrEnum):
    """How a network's DC uplinks share the DC-side demand (DESIGN §6)."""

    ACTIVE_STANDBY = "active_standby"  # each uplink must carry the whole demand
    LOAD_SHARING = "load_sharing"  # the demand splits in proportion to capacity


class Zone(StrEnum):
    """Where an information system is reachable from; clusters are certified per zone."""

    INTERNET = "internet"
    TSLCD = "tslcd"
    INTERNAL = "internal"


class StoragePoolKind(StrEnum):
    SAN = "san"
    NAS = "nas"
    BACKUP = "backup"
    OBJECT = "object"


class Protection(StrEnum):
    """Data protection scheme; its efficiency turns raw TB into usable TB."""

    NONE = "none"
    RAID10 = "raid10"
    RAID5_4_1 = "raid5_4_1"
    RAID6_8_2 = "raid6_8_2"
    REPLICA3 = "replica3"
    EC_8_3 = "ec_8_3"


PROTECTION_EFFICIENCY: dict[Protection, float] = {
    Protection.NONE: 1.0,
    Protection.RAID10: 0.5,
    Protection.RAID5_4_1: 0.8,
    Protection.RAID6_8_2: 0.8,
    Protection.REPLICA3: 1 / 3,
    Protection.EC_8_3: 8 / 11,
}


class ResourceKind(StrEnum):
    """The kind of object a time series belongs to."""

    CLUSTER = "cluster"
    STORAGE_POOL = "storage_pool"
    LINK = "link"
    DEVICE = "device"
    INTERFACE = "interface"


class Metric(StrEnum):
    """What a time series measures; the unit is part of the name.

    On a link, ``in_mbps`` is traffic towards its user end (a side) and ``out_mbps``
    traffic towards the DC (b side); capacity plans against max(in, out).
    """

    VCPU_ALLOCATED = "vcpu_allocated"
    RAM_ALLOCATED_GB = "ram_allocated_gb"
    STORAGE_USED_TB = "storage_used_tb"
    IN_MBPS = "in_mbps"
    OUT_MBPS = "out_mbps"
    CPU_UTIL_PCT = "cpu_util_pct"
    RAM_USED_GB = "ram_used_gb"
    # An interface's health, polled beside its octets: packets a second, and its
    # status as 1 (up) or 0 (anything else), so an hour's average is the share it was up.
    IN_ERRORS_PPS = "in_errors_pps"
    OUT_ERRORS_PPS = "out_errors_pps"
    IN_DISCARDS_PPS = "in_discards_pps"
    OUT_DISCARDS_PPS = "out_discards_pps"
    OPER_UP = "oper_up"
    ADMIN_UP = "admin_up"


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    EVALUATED = "evaluated"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEPLOYED = "deployed"
    RETIRED = "retired"


class Verdict(StrEnum):
    HOST = "host"
    HOST_UNTIL = "host_until"
    CANNOT_HOST = "cannot_host"


class RunStatus(StrEnum):
    QUEUED = "queued"  # a background job waiting for a worker
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"


class RunKind(StrEnum):
    """What a run did: build inventory (discovery), read counters (poll), sync from
    NetBox (sync), create in NetBox what SNMP found (push), take a host's Ansible facts
    (facts) or compare sources (audit)."""

    DISCOVERY = "discovery"
    POLL = "poll"
    SYNC = "sync"
    PUSH = "push"
    FACTS = "facts"
    AUDIT = "audit"


class DiscrepancyStatus(StrEnum):
    """open → acknowledged (a person saw it, with a comment) → resolved (sources agree
    again, set automatically); ignored is kept for rows written before acknowledgement."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    IGNORED = "ignored"


class DiscrepancyKind(StrEnum):
    """What sort of disagreement a discrepancy is (the audit's filter)."""

    MISMATCH = "mismatch"  # two sources give one field different values
    NOT_ON_NETWORK = "not_on_network"  # documented (NetBox) but not answering SNMP
    NOT_IN_NETBOX = "not_in_netbox"  # answering on the network, absent from NetBox
    SPEED_VS_COMMIT = "speed_vs_commit"  # interface speed below a circuit's commit rate
    VM_SIZING = "vm_sizing"  # a VM's size in NetBox/records vs what the host reports
    HOST_SIZING = "host_sizing"  # a host's cores/RAM in NetBox vs SNMP/Ansible
    IDENTITY = "identity"  # another agent answers at a device's SNMP address


class ChangeAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Role(StrEnum):
    """What a user may do (issue 6); every role may read.

    requester — create and evaluate the requests of their own agency;
    engineer — edit inventory and run discovery; planner — approve or reject
    requests and edit capacity settings; admin — everything, and manage users.
    """

    VIEWER = "viewer"
    REQUESTER = "requester"
    ENGINEER = "engineer"
    PLANNER = "planner"
    ADMIN = "admin"


class CatalogueKind(StrEnum):
    """What the DC can buy to expand (DESIGN §6): a server model, a storage shelf, a link tier."""

    SERVER = "server"
    STORAGE_SHELF = "storage_shelf"
    LINK_TIER = "link_tier"
