"""What the post-reform demo adds: Đà Nẵng's DC, its agencies, systems and circuits.

After 1 July 2025 the Quảng Nam DC serves a province that no longer exists; the
city consolidates on Đà Nẵng's own DC (primary: more clusters, so the capacity
engine routes every commune's traffic to it) and keeps the Quảng Nam DC as the
secondary site, joined by two 10 Gbps circuits on separate fibre routes. Sized
like a centrally-run city DC: larger and emptier than the provincial one, so
today's structure has headroom where the old one had none.
"""

from __future__ import annotations

from cmdb.choices import AgencyKind, DeviceRole, Network, StoragePoolKind, Zone
from cmdb.demo.dc_catalog import (
    DD,
    DD_SHELF,
    DL360,
    R650,
    R750,
    RACKS,
    UNITY,
    UNITY_DAE,
    ClusterSpec,
    DcCatalogue,
    GearSpec,
    HardwareModel,
    PoolSpec,
)
from cmdb.demo.systems_catalog import INTERNAL, INTERNET, TSLCD, SystemSpec, Vm

CITY_CODE = "48"
DC_WARD = "20242"  # Phường Hải Châu: the city's administrative centre
DC_SLUG = "ttdl-da-nang"
QUANG_NAM_DC_SLUG = "ttdl-quang-nam"
HOANG_SA = "20333"  # Đặc khu Hoàng Sa: its committee sits on the mainland, in Hải Châu

# (name, short name, kind): the city's bodies that own systems or ask for resources.
AGENCIES = (
    ("Ủy ban nhân dân thành phố Đà Nẵng", "UBND TP", AgencyKind.PROVINCIAL_COMMITTEE),
    ("Văn phòng Ủy ban nhân dân thành phố Đà Nẵng", "VP UBND TP", AgencyKind.DEPARTMENT),
    ("Sở Khoa học và Công nghệ thành phố Đà Nẵng", "SKHCN ĐN", AgencyKind.DEPARTMENT),
    ("Sở Nông nghiệp và Môi trường thành phố Đà Nẵng", "SNNMT ĐN", AgencyKind.DEPARTMENT),
)
DC_OWNER = "SKHCN ĐN"

# (slug, name, kind): the DC and the providers' points of presence in Hải Châu.
SITES = (
    (DC_SLUG, "Trung tâm Dữ liệu thành phố Đà Nẵng", "data_centre"),
    ("pop-vnpt-da-nang", "VNPT Đà Nẵng – POP Hải Châu (TSLCD, Internet)", "pop"),
    ("pop-viettel-da-nang", "Viettel Đà Nẵng – POP Hải Châu (Internet)", "pop"),
)

CLUSTERS = (
    ClusterSpec(
        "dn-prod", "DN-PROD-CL01",
        "Cụm máy chủ ứng dụng chính quyền điện tử, cấp độ 3 (nội bộ và TSLCD)",
        3, (Zone.INTERNAL, Zone.TSLCD), ((R750, 10),), "dn-prod-esx", ("A01", "A02", "A03"), 0.55,
    ),
    ClusterSpec(
        "dn-data", "DN-DATA-CL01", "Cụm máy chủ cơ sở dữ liệu dùng chung, cấp độ 3",
        3, (Zone.INTERNAL, Zone.TSLCD), ((R750, 6),), "dn-data-esx", ("A04", "A05"), 0.60,
    ),
    ClusterSpec(
        "dn-dmz", "DN-DMZ-CL01", "Cụm máy chủ vùng DMZ cho cổng dịch vụ công (cấp độ 2)",
        2, (Zone.INTERNET,), ((R650, 6),), "dn-dmz-esx", ("A06",), 0.65,
    ),
    ClusterSpec(
        "dn-mgmt", "DN-MGMT-CL01", "Cụm máy chủ quản trị và giám sát an toàn thông tin",
        3, (Zone.INTERNAL,), ((DL360, 4),), "dn-mgmt-esx", ("A06",), 0.75,
    ),
)  # fmt: skip

POOLS = (
    PoolSpec(
        "dn-san", "DN-SAN-01", StoragePoolKind.SAN, UNITY, UNITY_DAE, 7, "dn-san-01", "B01",
        0.55, clusters=("dn-prod", "dn-data", "dn-dmz", "dn-mgmt"),
    ),
    PoolSpec(
        "dn-backup", "DN-BACKUP-01", StoragePoolKind.BACKUP, DD, DD_SHELF, 2, "dn-bkp-01",
        "B03", 0.70, 0.03, clusters=("dn-mgmt",),
    ),
)  # fmt: skip

_CISCO = "FDO####@@@@"
GEAR = (
    GearSpec(
        ("dn-core-sw-01", "dn-core-sw-02"), DeviceRole.SWITCH,
        HardwareModel("Cisco", "Nexus 93360YC-FX2", 2, _CISCO), ("C01", "C02"),
        (("Ethernet1/{}", 1, 24, 25_000), ("Ethernet1/{}", 97, 4, 100_000)), "mgmt0",
    ),
    GearSpec(
        ("dn-rt-01", "dn-rt-02"), DeviceRole.ROUTER,
        HardwareModel("Cisco", "ASR 1002-HX", 2, _CISCO), ("C01", "C02"),
        (("GigabitEthernet0/0/{}", 0, 4, 1_000), ("TenGigabitEthernet0/1/{}", 0, 4, 10_000)),
        "GigabitEthernet0",
    ),
    GearSpec(
        ("dn-fw-01", "dn-fw-02"), DeviceRole.FIREWALL,
        HardwareModel("Fortinet", "FortiGate 2600F", 2, "FG260FTK########"), ("C01", "C02"),
        (("port{}", 1, 16, 25_000),), "mgmt1",
    ),
)  # fmt: skip

CATALOGUE = DcCatalogue(
    CLUSTERS, POOLS, GEAR, RACKS, "10.48.250.{}", "10.48.251.{}", "10.48.254.{}"
)


# (router, port, network, commit Mbps, provider, circuit, a-side POP, p95 share, growth)
UPLINKS = (
    ("dn-rt-01", "TenGigabitEthernet0/1/0", Network.INTERNET, 5000, "VNPT", "VNPT-DNG-DIA-0048",
     "pop-vnpt-da-nang", 0.30, 0.12),
    ("dn-rt-02", "TenGigabitEthernet0/1/0", Network.INTERNET, 3000, "Viettel", "VTL-DNG-DIA-2201",
     "pop-viettel-da-nang", 0.28, 0.12),
    ("dn-rt-01", "TenGigabitEthernet0/1/1", Network.TSLCD, 5000, "VNPT", "TSLCD-DNG-TTDL",
     "pop-vnpt-da-nang", 0.22, 0.15),
)  # fmt: skip

# The two DC-to-DC circuits (a-side: the Quảng Nam DC, b-side: Đà Nẵng's). Two 10 Gbps
# circuits on separate routes: the capacity engine follows one path, so plans hold
# when either circuit fails. Load: replication plus the former province's traffic.
INTERCONNECT_MBPS = 10_000
INTERCONNECT = (
    ("dn-rt-01", "TenGigabitEthernet0/1/2", "VNPT", "DC-DC-QNM-DNG-01", 0.16),
    ("dn-rt-02", "TenGigabitEthernet0/1/2", "Viettel", "DC-DC-QNM-DNG-02", 0.14),
)
INTERCONNECT_GROWTH = 0.20

# Offices of the 16 units that were Đà Nẵng's own: metro Ethernet straight to the DC.
CITY_OFFICE_MBPS = 100

SYSTEMS = (
    SystemSpec(
        "DN-CQDT", "Nền tảng chính quyền điện tử thành phố Đà Nẵng", "VP UBND TP", 3,
        (INTERNAL, TSLCD), "dn-prod",
        (Vm("app", 10, 8, 32, 200, "dn-san"), Vm("db", 2, 16, 128, 4000, "dn-san")),
        "Một cửa điện tử, quản lý văn bản và báo cáo của 94 xã, phường, đặc khu.",
    ),
    SystemSpec(
        "DN-LGSP", "Nền tảng tích hợp, chia sẻ dữ liệu thành phố Đà Nẵng (LGSP)", "SKHCN ĐN", 3,
        (INTERNAL, TSLCD), "dn-data",
        (Vm("esb", 4, 8, 32, 300, "dn-san"), Vm("db", 2, 16, 128, 3000, "dn-san")),
    ),
    SystemSpec(
        "DN-IOC", "Trung tâm Giám sát, điều hành đô thị thông minh Đà Nẵng (IOC)", "SKHCN ĐN", 3,
        (INTERNAL, TSLCD), "dn-data",
        (Vm("app", 4, 8, 32, 300, "dn-san"), Vm("db", 2, 16, 128, 5000, "dn-san")),
    ),
    SystemSpec(
        "DN-DVC", "Cổng Dịch vụ công thành phố Đà Nẵng", "VP UBND TP", 2, (INTERNET,), "dn-dmz",
        (Vm("web", 6, 8, 16, 200, "dn-san"), Vm("db", 2, 8, 64, 1500, "dn-san")),
    ),
    SystemSpec(
        "DN-SOC", "Hệ thống giám sát an toàn thông tin thành phố (SOC)", "SKHCN ĐN", 3,
        (INTERNAL,), "dn-mgmt",
        (Vm("siem", 3, 16, 64, 6000, "dn-san"), Vm("repo", 4, 4, 16, 30000, "dn-backup")),
    ),
)  # fmt: skip
