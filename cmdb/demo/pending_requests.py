"""Pending resource requests (status submitted), each with its request document (issue 3).

Chosen so the capacity engine has something to say about each:

- the commune video-conferencing roll-out trips on the slow mountain links, the hot
  commune links and the busiest district links;
- the land database (~80 TB) does not fit the SAN, and its RAM tips the production
  cluster over its ceiling;
- the IOC camera analytics needs a lot of RAM, storage and DC bandwidth;
- the citizens' feedback portal is small, Internet-facing (DMZ) and should fit.

Go-live dates are the first of a month a few months after ``today``.

After the 2025 reform (``load_demo(as_of=…)``) the same four projects are the
city's: the video conference reaches the 94 communes, wards and special zone of
Đà Nẵng (``["48"]``), the land database the 78 that were Quảng Nam (``["49"]``,
followed to its successors), the cameras three new wards named by their new codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cmdb.choices import RequestStatus, Zone
from cmdb.demo.context import DemoContext
from cmdb.demo.da_nang_catalog import CITY_CODE
from cmdb.demo.geo import PROVINCE_CODE
from cmdb.models import ResourceRequest


def first_of_month_after(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def request_specs(today: date, agency_names: dict[str, str]) -> list[dict[str, Any]]:
    """The request documents, in the JSON shape of issue 3 (dates as ISO text)."""

    def when(months: int) -> str:
        return first_of_month_after(today, months).isoformat()

    return [
        {
            "name": "Triển khai hệ thống họp trực tuyến đến 241 xã, phường, thị trấn",
            "agency": agency_names["VP UBND tỉnh"],
            "security_level": 2,
            "zone": Zone.TSLCD.value,
            "go_live": when(3),
            "horizon_years": 5,
            "growth_pct_per_year": 5.0,
            "workloads": [
                {"name": "mcu", "count": 4, "vcpu": 16, "ram_gb": 32, "disk_gb": 200},
                {"name": "recording", "count": 1, "vcpu": 8, "ram_gb": 16, "disk_gb": 500},
            ],
            "storage_tb": 6.0,
            "dc_bandwidth": [{"network": "tslcd", "mbps": 100}],
            "sites": {
                "network": "tslcd",
                "per_site_mbps": 5.0,
                "admin_units": [PROVINCE_CODE],
                "levels": ["commune"],
                "site_ids": [],
            },
            "own_hardware_cost_vnd": 18_500_000_000,
        },
        {
            "name": "Xây dựng cơ sở dữ liệu đất đai tỉnh Quảng Nam (giai đoạn 2: toàn tỉnh)",
            "agency": agency_names["STNMT"],
            "security_level": 3,
            "zone": Zone.TSLCD.value,
            "go_live": when(6),
            "horizon_years": 5,
            "growth_pct_per_year": 8.0,
            "workloads": [
                {"name": "app", "count": 4, "vcpu": 8, "ram_gb": 32, "disk_gb": 200},
                {"name": "gis", "count": 2, "vcpu": 16, "ram_gb": 64, "disk_gb": 500},
                {"name": "db", "count": 2, "vcpu": 16, "ram_gb": 128, "disk_gb": 2000},
            ],
            "storage_tb": 80.0,
            "dc_bandwidth": [{"network": "tslcd", "mbps": 100}],
            "sites": {
                "network": "tslcd",
                "per_site_mbps": 8.0,
                "admin_units": [PROVINCE_CODE],
                "levels": ["district"],
                "site_ids": [],
            },
            "own_hardware_cost_vnd": 35_000_000_000,
        },
        {
            "name": "Mở rộng IOC: phân tích hình ảnh camera giao thông và an ninh trật tự",
            "agency": agency_names["STTTT"],
            "security_level": 3,
            "zone": Zone.TSLCD.value,
            "go_live": when(4),
            "horizon_years": 5,
            "growth_pct_per_year": 15.0,
            "workloads": [
                {"name": "analytics", "count": 10, "vcpu": 32, "ram_gb": 128, "disk_gb": 200},
                {"name": "vms", "count": 4, "vcpu": 16, "ram_gb": 64, "disk_gb": 500},
            ],
            "storage_tb": 150.0,
            "dc_bandwidth": [
                {"network": "tslcd", "mbps": 800},
                {"network": "internet", "mbps": 100},
            ],
            "sites": {
                "network": "tslcd",
                "per_site_mbps": 8.0,
                "admin_units": ["502", "503", "507"],
                "levels": ["commune"],
                "site_ids": [],
            },
            "own_hardware_cost_vnd": 68_000_000_000,
        },
        {
            "name": "Hệ thống tiếp nhận phản ánh, kiến nghị của người dân và doanh nghiệp",
            "agency": agency_names["VP UBND tỉnh"],
            "security_level": 2,
            "zone": Zone.INTERNET.value,
            "go_live": when(2),
            "horizon_years": 3,
            "growth_pct_per_year": 10.0,
            "workloads": [
                {"name": "web", "count": 2, "vcpu": 4, "ram_gb": 8, "disk_gb": 100},
                {"name": "db", "count": 1, "vcpu": 4, "ram_gb": 16, "disk_gb": 300},
            ],
            "storage_tb": 0.5,
            "dc_bandwidth": [{"network": "internet", "mbps": 20}],
            "own_hardware_cost_vnd": 1_200_000_000,
        },
    ]


def post_reform_specs(today: date, agency_names: dict[str, str]) -> list[dict[str, Any]]:
    """The same projects on the city's structure and agencies (see the module docstring)."""
    video, land, cameras, portal = request_specs(today, agency_names)
    video |= {
        "name": "Triển khai hệ thống họp trực tuyến đến 94 xã, phường, đặc khu thành phố Đà Nẵng",
        "agency": agency_names["VP UBND TP"],
        "sites": video["sites"] | {"admin_units": [CITY_CODE], "levels": ["commune"]},
    }
    land |= {
        "name": "Cơ sở dữ liệu đất đai thành phố Đà Nẵng (giai đoạn 2: 78 xã, phường "
        "thuộc tỉnh Quảng Nam cũ)",
        "agency": agency_names["SNNMT ĐN"],
        "sites": land["sites"] | {"admin_units": [PROVINCE_CODE], "levels": ["commune"]},
    }
    cameras |= {
        "agency": agency_names["SKHCN ĐN"],
        "sites": cameras["sites"] | {"admin_units": ["20335", "20341", "20410"]},
    }
    portal |= {"agency": agency_names["VP UBND TP"]}
    return [video, land, cameras, portal]


def load_requests(ctx: DemoContext) -> None:
    names = {short: agency.name for short, agency in ctx.agencies.items()}
    by_name = {agency.name: agency for agency in ctx.agencies.values()}
    specs = post_reform_specs if ctx.post_reform else request_specs
    for spec in specs(ctx.today, names):
        ctx.session.add(
            ResourceRequest(
                name=spec["name"],
                agency=by_name[spec["agency"]],
                status=RequestStatus.SUBMITTED,
                security_level=spec["security_level"],
                zone=Zone(spec["zone"]),
                go_live=date.fromisoformat(spec["go_live"]),
                horizon_years=spec["horizon_years"],
                growth_pct_per_year=spec["growth_pct_per_year"],
                own_hardware_cost_vnd=spec.get("own_hardware_cost_vnd"),
                spec=spec,
            )
        )
