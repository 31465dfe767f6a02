"""What stands in the provincial DC: hardware models, clusters, storage, network gear.

Sized like a provincial government DC of the early 2020s: a few racks of 2-socket
servers under VMware-style clusters, a mid-range SAN, a NAS, a backup appliance,
paired core switches, firewalls, routers and load balancers. The production
cluster is RAM-bound (the usual case): its RAM heads for the ceiling within about a
year while its vCPU stays comfortable. Addresses are RFC 1918 / RFC 5737 data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.choices import DeviceRole, Protection, StoragePoolKind, Zone


@dataclass(frozen=True)
class HardwareModel:
    manufacturer: str
    model: str
    height_u: int
    serial_pattern: str  # '#' digit, '@' upper-case letter or digit, '?' lower-case
    cores: int | None = None
    ram_gb: float | None = None
    raw_tb: float | None = None
    mac_prefix: str | None = None


# Servers: cores = 2 sockets × cores per CPU.
R750 = HardwareModel("Dell", "PowerEdge R750", 2, "@@@@@@@", 64, 768, mac_prefix="F4:8E:38")
R650 = HardwareModel("Dell", "PowerEdge R650", 1, "@@@@@@@", 48, 384, mac_prefix="F4:8E:38")
DL380 = HardwareModel(
    "HPE", "ProLiant DL380 Gen10", 2, "CZJ###@@@@", 40, 384, mac_prefix="94:40:C9"
)
DL360 = HardwareModel(
    "HPE", "ProLiant DL360 Gen10", 1, "CZJ###@@@@", 24, 384, mac_prefix="94:40:C9"
)

UNITY = HardwareModel("Dell EMC", "Unity XT 480", 2, "CKM00##########", raw_tb=50)
UNITY_DAE = HardwareModel("Dell EMC", "Unity 25-drive DAE", 2, "CKM00##########", raw_tb=50)
FAS = HardwareModel("NetApp", "FAS2750", 2, "7219########", raw_tb=48)
FAS_SHELF = HardwareModel("NetApp", "DS224C shelf", 2, "SHJ########", raw_tb=48)
DD = HardwareModel("Dell EMC", "PowerProtect DD6400", 2, "APM00#########", raw_tb=120)
DD_SHELF = HardwareModel("Dell EMC", "DS60 expansion shelf", 5, "APM00#########", raw_tb=120)


@dataclass(frozen=True)
class ClusterSpec:
    key: str
    name: str
    description: str
    max_security_level: int
    zones: tuple[Zone, ...]
    hosts: tuple[tuple[HardwareModel, int], ...]
    host_prefix: str
    racks: tuple[str, ...]
    start_fraction: float  # allocation two years ago, as a fraction of today's


CLUSTERS = (
    ClusterSpec(
        "prod",
        "PROD-CL01",
        "Cụm máy chủ ứng dụng, chứng nhận cấp độ 3 (vùng nội bộ và TSLCD)",
        3,
        (Zone.INTERNAL, Zone.TSLCD),
        ((R750, 4), (DL380, 4)),
        "prod-esx",
        ("A01", "A02", "A03", "A04"),
        0.70,
    ),
    ClusterSpec(
        "dmz",
        "DMZ-CL01",
        "Cụm máy chủ vùng DMZ cho các ứng dụng công khai trên Internet (cấp độ 2)",
        2,
        (Zone.INTERNET,),
        ((R650, 4),),
        "dmz-esx",
        ("A05",),
        0.85,
    ),
    ClusterSpec(
        "mgmt",
        "MGMT-CL01",
        "Cụm máy chủ quản trị, giám sát và an toàn thông tin (cấp độ 3, nội bộ)",
        3,
        (Zone.INTERNAL,),
        ((DL360, 3),),
        "mgmt-esx",
        ("A06",),
        0.80,
    ),
)


STORAGE_PORTS = (("eth{}", 0, 4, 25_000),)


@dataclass(frozen=True)
class PoolSpec:
    key: str
    name: str
    kind: StoragePoolKind
    head: HardwareModel
    shelf: HardwareModel
    shelves: int
    device_prefix: str
    rack: str
    start_fraction: float  # used space two years ago, as a fraction of today's
    weekly_cycle: float = 0.0
    clusters: tuple[str, ...] = ()  # keys of the clusters that mount it

    @property
    def raw_tb(self) -> float:
        return (self.head.raw_tb or 0) + self.shelves * (self.shelf.raw_tb or 0)


# All RAID6 (8+2): usable = 0.8 × raw.
PROTECTION = Protection.RAID6_8_2
POOLS = (
    PoolSpec(
        "san",
        "SAN-01",
        StoragePoolKind.SAN,
        UNITY,
        UNITY_DAE,
        3,
        "san-01",
        "B01",
        0.70,
        clusters=("prod", "dmz", "mgmt"),
    ),
    PoolSpec(
        "nas",
        "NAS-01",
        StoragePoolKind.NAS,
        FAS,
        FAS_SHELF,
        1,
        "nas-01",
        "B02",
        0.80,
        clusters=("prod",),
    ),
    PoolSpec(
        "backup",
        "BACKUP-01",
        StoragePoolKind.BACKUP,
        DD,
        DD_SHELF,
        1,
        "bkp-01",
        "B03",
        0.78,
        0.03,
        clusters=("mgmt",),
    ),
)


@dataclass(frozen=True)
class GearSpec:
    """A pair (or one) of network devices; ports: (name pattern, first number, count, Mbps)."""

    names: tuple[str, ...]
    role: DeviceRole
    hardware: HardwareModel
    racks: tuple[str, ...]
    ports: tuple[tuple[str, int, int, int], ...]
    mgmt_port: str


CISCO_SN = "FDO####@@@@"
NETWORK_GEAR = (
    GearSpec(
        ("core-sw-01", "core-sw-02"),
        DeviceRole.SWITCH,
        HardwareModel("Cisco", "Nexus 93180YC-FX", 1, CISCO_SN),
        ("C01", "C02"),
        (("Ethernet1/{}", 1, 16, 25_000), ("Ethernet1/{}", 49, 2, 100_000)),
        "mgmt0",
    ),
    GearSpec(
        ("rt-01", "rt-02"),
        DeviceRole.ROUTER,
        HardwareModel("Cisco", "ASR 1001-X", 1, CISCO_SN),
        ("C01", "C02"),
        (("GigabitEthernet0/0/{}", 0, 6, 1_000), ("TenGigabitEthernet0/1/{}", 0, 2, 10_000)),
        "GigabitEthernet0",
    ),
    GearSpec(
        ("fw-edge-01", "fw-edge-02"),
        DeviceRole.FIREWALL,
        HardwareModel("Fortinet", "FortiGate 1800F", 2, "FG180FTK########"),
        ("C01", "C02"),
        (("port{}", 1, 8, 10_000),),
        "mgmt1",
    ),
    GearSpec(
        ("fw-core-01", "fw-core-02"),
        DeviceRole.FIREWALL,
        HardwareModel("Palo Alto Networks", "PA-3220", 1, "0132010#####"),
        ("C01", "C02"),
        (("ethernet1/{}", 1, 8, 10_000),),
        "management",
    ),
    GearSpec(
        ("lb-01", "lb-02"),
        DeviceRole.LOAD_BALANCER,
        HardwareModel("F5", "BIG-IP i5800", 1, "f5-????-????"),
        ("C01", "C02"),
        (("1.{}", 1, 4, 10_000),),
        "mgmt",
    ),
    GearSpec(
        ("san-sw-01", "san-sw-02"),
        DeviceRole.SWITCH,
        HardwareModel("Brocade", "G620", 1, "GEP####@@@@"),
        ("B01", "B02"),
        (("fc0/{}", 0, 16, 32_000),),
        "mgmt",
    ),
    GearSpec(
        ("oob-sw-01",),
        DeviceRole.SWITCH,
        HardwareModel("Cisco", "Catalyst 9300-48T", 1, CISCO_SN),
        ("C01",),
        (("GigabitEthernet1/0/{}", 1, 24, 1_000),),
        "GigabitEthernet0/0",
    ),
)

RACKS = (
    *(f"A0{i}" for i in range(1, 7)),  # compute
    "B01",
    "B02",
    "B03",  # storage and backup
    "C01",
    "C02",  # network
)

# Management networks (data only; nothing connects to them).
BMC_NET = "10.49.250.{}"
STORAGE_NET = "10.49.251.{}"
NETWORK_NET = "10.49.254.{}"


@dataclass(frozen=True)
class DcCatalogue:
    """Everything that stands in one DC: the datacentre step builds any of them."""

    clusters: tuple[ClusterSpec, ...]
    pools: tuple[PoolSpec, ...]
    gear: tuple[GearSpec, ...]
    racks: tuple[str, ...]
    bmc_net: str
    storage_net: str
    network_net: str


QUANG_NAM = DcCatalogue(CLUSTERS, POOLS, NETWORK_GEAR, RACKS, BMC_NET, STORAGE_NET, NETWORK_NET)
