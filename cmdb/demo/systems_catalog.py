"""The information systems the DC hosts, their owners, security levels and VMs.

Placement follows the certification rule the capacity engine applies: a system's
VMs sit on a cluster certified for its level and zones (level 3 internal/TSLCD on
PROD, level ≤ 2 Internet-facing on DMZ, the DC's own tooling on MGMT). Disks go to
the SAN, document stores to the NAS, backup repositories to the backup pool, so a
pool's used space today is the sum of its VMs' disks (decimal TB).

The level-4 system is registered for the SOC but runs in the Công an tỉnh's own
facility, so it has no VMs here — no cluster of this DC is certified above level 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.choices import Zone

INTERNAL, TSLCD, INTERNET = Zone.INTERNAL, Zone.TSLCD, Zone.INTERNET


@dataclass(frozen=True)
class Vm:
    role: str
    count: int
    vcpu: int
    ram_gb: int
    disk_gb: int
    pool: str = "san"


@dataclass(frozen=True)
class SystemSpec:
    code: str
    name: str
    agency: str  # short name of the owner
    security_level: int
    zones: tuple[Zone, ...]
    cluster: str | None
    vms: tuple[Vm, ...]
    description: str = ""


SYSTEMS = (
    SystemSpec(
        "MCDT", "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh (Một cửa điện tử)",
        "VP UBND tỉnh", 3, (INTERNAL, TSLCD), "prod",
        (Vm("app", 6, 8, 32, 200), Vm("db", 2, 16, 128, 4000), Vm("file", 2, 4, 16, 6000, "nas"),
         Vm("cache", 2, 4, 32, 100)),
        "Tiếp nhận, xử lý hồ sơ thủ tục hành chính ở cả ba cấp tỉnh, huyện, xã.",
    ),
    SystemSpec(
        "QLVB", "Hệ thống quản lý văn bản và điều hành (QLVB)", "VP UBND tỉnh", 3,
        (INTERNAL, TSLCD), "prod",
        (Vm("app", 8, 8, 32, 200), Vm("db", 2, 16, 192, 6000), Vm("file", 2, 8, 32, 8000, "nas"),
         Vm("search", 3, 8, 32, 500)),
        "Văn bản đi, đến và hồ sơ công việc của các cơ quan nhà nước trong tỉnh.",
    ),
    SystemSpec(
        "LGSP", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh Quảng Nam (LGSP)", "STTTT", 3,
        (INTERNAL, TSLCD), "prod",
        (Vm("esb", 4, 8, 32, 300), Vm("apigw", 2, 8, 16, 100), Vm("db", 2, 8, 64, 1500)),
        "Kết nối các hệ thống của tỉnh với nhau và với NDXP quốc gia.",
    ),
    SystemSpec(
        "CSDLDD", "Cơ sở dữ liệu đất đai tỉnh Quảng Nam", "STNMT", 3, (INTERNAL, TSLCD), "prod",
        (Vm("app", 2, 8, 32, 200), Vm("gis", 1, 8, 32, 500), Vm("db", 2, 16, 64, 3000)),
        "Giai đoạn 1: dữ liệu địa chính của thành phố Tam Kỳ và Hội An.",
    ),
    SystemSpec(
        "HOPTT", "Hệ thống họp trực tuyến tỉnh Quảng Nam", "VP UBND tỉnh", 2, (TSLCD,), "prod",
        (Vm("mcu", 2, 16, 32, 500), Vm("rec", 1, 4, 16, 4000), Vm("web", 1, 4, 8, 100)),
        "Điểm cầu tỉnh và 18 huyện; chưa triển khai đến cấp xã.",
    ),
    SystemSpec(
        "IOC", "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)", "STTTT", 3,
        (INTERNAL, TSLCD), "prod",
        (Vm("app", 4, 8, 32, 300), Vm("bi", 2, 16, 64, 1000), Vm("db", 2, 16, 128, 4000)),
        "Bảng điều hành tổng hợp số liệu kinh tế - xã hội, phản ánh hiện trường.",
    ),
    SystemSpec(
        "YTE", "Hệ thống thông tin quản lý y tế cơ sở", "SYT", 2, (TSLCD,), "prod",
        (Vm("app", 2, 8, 16, 200), Vm("db", 1, 8, 64, 2000)),
    ),
    SystemSpec(
        "CSDLGD", "Cơ sở dữ liệu ngành giáo dục và đào tạo", "SGDĐT", 2, (INTERNAL, TSLCD), "prod",
        (Vm("app", 2, 8, 16, 200), Vm("db", 1, 8, 64, 3000)),
    ),
    SystemSpec(
        "HSCB", "Phần mềm quản lý hồ sơ cán bộ, công chức, viên chức", "SNV", 3,
        (INTERNAL, TSLCD), "prod",
        (Vm("app", 2, 4, 16, 200), Vm("db", 1, 8, 32, 1000)),
    ),
    SystemSpec(
        "BAOCAO", "Hệ thống thông tin báo cáo tỉnh Quảng Nam", "VP UBND tỉnh", 2, (TSLCD,), "prod",
        (Vm("app", 2, 4, 16, 100), Vm("db", 1, 8, 32, 500)),
    ),
    SystemSpec(
        "CTTDT", "Cổng thông tin điện tử tỉnh Quảng Nam", "VP UBND tỉnh", 2, (INTERNET,), "dmz",
        (Vm("web", 4, 8, 16, 200), Vm("db", 2, 8, 32, 1000)),
    ),
    SystemSpec(
        "DVC", "Cổng Dịch vụ công tỉnh Quảng Nam", "VP UBND tỉnh", 2, (INTERNET,), "dmz",
        (Vm("web", 4, 8, 16, 200),),
        "Phần tiếp nhận trực tuyến, công khai trên Internet; xử lý hồ sơ ở hệ thống Một cửa.",
    ),
    SystemSpec(
        "EMAIL", "Hệ thống thư điện tử công vụ tỉnh Quảng Nam", "STTTT", 2, (INTERNET,), "dmz",
        (Vm("mbx", 4, 8, 32, 5000), Vm("mta", 2, 4, 8, 200)),
    ),
    SystemSpec(
        "DULICH", "Cổng thông tin du lịch Quảng Nam", "SVHTTDL", 1, (INTERNET,), "dmz",
        (Vm("web", 2, 4, 8, 200), Vm("db", 1, 4, 16, 500)),
    ),
    SystemSpec(
        "SOC", "Hệ thống giám sát an toàn thông tin tỉnh (SOC/SIEM)", "STTTT", 3, (INTERNAL,),
        "mgmt",
        (Vm("siem", 3, 16, 64, 6000), Vm("collector", 2, 4, 16, 200)),
        "Kết nối với Trung tâm Giám sát an toàn không gian mạng quốc gia (NCSC).",
    ),
    SystemSpec(
        "BACKUP", "Hệ thống sao lưu dữ liệu tập trung", "STTTT", 3, (INTERNAL,), "mgmt",
        (Vm("server", 1, 8, 32, 200), Vm("proxy", 2, 8, 16, 100),
         Vm("repo", 4, 4, 16, 27500, "backup")),
    ),
    SystemSpec(
        "ADDNS", "Dịch vụ xác thực tập trung và phân giải tên miền (AD/DNS)", "STTTT", 3,
        (INTERNAL,), "mgmt",
        (Vm("dc", 2, 4, 8, 100), Vm("dns", 2, 2, 4, 50)),
    ),
    SystemSpec(
        "GIAMSAT", "Hệ thống giám sát hạ tầng và mạng (monitoring)", "STTTT", 2, (INTERNAL,),
        "mgmt",
        (Vm("zabbix", 1, 8, 16, 500), Vm("db", 1, 8, 32, 1000), Vm("grafana", 1, 2, 4, 50)),
    ),
    SystemSpec(
        "ANTT", "Hệ thống thông tin phục vụ bảo đảm an ninh, trật tự", "Công an tỉnh", 4,
        (INTERNAL,), None, (),
        "Vận hành tại Công an tỉnh; đăng ký để SOC giám sát, không có máy ảo tại TTDL.",
    ),
)  # fmt: skip
