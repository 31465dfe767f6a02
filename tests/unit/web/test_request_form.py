"""The new-request form ↔ the request document: field names to paths and back."""

from __future__ import annotations

import json

from werkzeug.datastructures import MultiDict

from web.ui.request_charts import compute_headroom_series, demand_headroom_figure
from web.ui.request_form import GENERAL, field_errors, parse_request_form


def form(**fields: str | list[str]) -> MultiDict[str, str]:
    items: list[tuple[str, str]] = []
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key.replace("__", "-"), v))
    return MultiDict(items)


def test_numbers_are_typed_and_blank_optional_fields_left_out() -> None:
    parsed = parse_request_form(
        form(
            name=" Cổng ",
            horizon_years="5",
            growth_pct_per_year="2.5",
            storage_tb="",
            own_hardware_cost_vnd="",
            zone="tslcd",
        ),
        "Sở TT&TT",
    )
    doc = parsed.document
    assert doc["name"] == "Cổng" and doc["agency"] == "Sở TT&TT"
    assert doc["horizon_years"] == 5 and doc["growth_pct_per_year"] == 2.5
    assert "storage_tb" not in doc and "own_hardware_cost_vnd" not in doc
    assert "sites" not in doc and "dc_bandwidth" not in doc
    assert doc["workloads"] == []


def test_text_that_is_no_number_is_passed_on_for_the_schema_to_refuse() -> None:
    doc = parse_request_form(form(horizon_years="five"), "A").document
    assert doc["horizon_years"] == "five"


def test_workload_rows_are_ordered_by_index_and_blank_rows_dropped() -> None:
    parsed = parse_request_form(
        form(
            workloads__7__name="db",
            workloads__7__vcpu="8",
            workloads__2__name="web",
            workloads__2__count="2",
            workloads__2__vcpu="4",
            workloads__2__ram_gb="8",
            workloads__4__name="",
            workloads__4__vcpu="",
        ),
        "A",
    )
    assert parsed.document["workloads"] == [
        {"name": "web", "count": 2, "vcpu": 4, "ram_gb": 8},
        {"name": "db", "vcpu": 8},
    ]
    assert [row["name"] for row in parsed.rows] == ["web", "db"]


def test_every_commune_of_the_districts_picked() -> None:
    parsed = parse_request_form(
        form(
            sites_admin_units=["504", "512"],
            sites_level="commune",
            sites_network="tslcd",
            sites_per_site_mbps="2",
            dc_mbps_tslcd="100",
            dc_mbps_internet="",
        ),
        "A",
    )
    assert parsed.document["sites"] == {
        "network": "tslcd",
        "per_site_mbps": 2,
        "admin_units": ["504", "512"],
        "levels": ["commune"],
    }
    assert parsed.document["dc_bandwidth"] == [{"network": "tslcd", "mbps": 100}]


def test_errors_go_to_the_fields_that_show_them() -> None:
    parsed = parse_request_form(form(dc_mbps_tslcd="", dc_mbps_internet="-1"), "A")
    errors = field_errors(
        {
            "name": ["Missing data for required field."],
            "workloads[1].ram_gb": ["Not a valid number."],
            "dc_bandwidth[0].mbps": ["Must be greater than 0."],
            "sites.admin_units[0]": ["unknown admin unit code '1'"],
            "sites.per_site_mbps": ["Missing data for required field."],
            "sites.levels[0]": ["Must be one of: province, district, commune."],
            "cluster": ["unknown cluster 'X'"],
            "_schema": ["a request is a JSON/YAML object"],
        },
        parsed,
    )
    assert set(errors) == {
        "name",
        "workloads-1-ram_gb",
        "dc_mbps_internet",
        "sites_admin_units",
        "sites_per_site_mbps",
        "sites_level",
        GENERAL,
    }
    assert errors[GENERAL] == ["unknown cluster 'X'", "a request is a JSON/YAML object"]


def test_headroom_is_ceiling_less_baseline_and_reservations() -> None:
    resource = {"limit": 70.0, "baseline": [40.0, 50.0, None], "reserved": [5.0, 5.0, 5.0],
                "demand": [20.0, 21.0, 22.0]}  # fmt: skip
    assert compute_headroom_series(resource) == [25.0, 15.0, None]
    figure = json.loads(
        demand_headroom_figure(
            ["2026-03-01", "2026-04-01", "2026-05-01"],
            resource,
            unit="Mbps",
            names=("Dư địa", "Nhu cầu"),
            shortfall_date="2026-04-01",
        )
    )
    assert [trace["name"] for trace in figure["data"]] == ["Dư địa", "Nhu cầu"]
    assert figure["data"][1]["y"] == [20.0, 21.0, 22.0]
    assert figure["layout"]["shapes"][0]["x0"] == "2026-04-01"
