"""The new-request form: its fields to the request document, and errors back to fields.

The document is the one the API and the CLI take, validated by the same
``RequestSchema``; this module only translates between form field names
(``workloads-0-vcpu``) and document paths (``workloads[0].vcpu``), so the page
shows the API's messages next to the field they are about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

SCALARS = (
    "name",
    "go_live",
    "horizon_years",
    "security_level",
    "zone",
    "growth_pct_per_year",
    "storage_tb",
    "own_hardware_cost_vnd",
)
WORKLOAD_FIELDS = ("name", "count", "vcpu", "ram_gb", "disk_gb")
DC_NETWORKS = ("tslcd", "internet")
"""Networks the DC has uplinks on, one bandwidth field each."""
SITE_FIELDS = {"network": "sites_network", "per_site_mbps": "sites_per_site_mbps"}
ROW_KEY = re.compile(r"^workloads-(\d+)-(\w+)$")
ROW_PATH = re.compile(r"^workloads\[(\d+)\]\.(\w+)$")
GENERAL = "_schema"


@dataclass
class RequestForm:
    """What was typed (to show again) and the document it makes."""

    values: dict[str, str]
    rows: list[dict[str, str]]
    admin_units: list[str]
    document: dict[str, Any] = field(default_factory=dict)
    dc_networks: list[str] = field(default_factory=list)


def parse_request_form(form: MultiDict[str, str], agency: str) -> RequestForm:
    """Read the posted form; blank optional fields are left out of the document, so
    the schema's defaults and "missing" messages apply as they do for the API."""
    values = {key: form.get(key, "").strip() for key in (*SCALARS, "sites_level")}
    values |= {f"dc_mbps_{n}": form.get(f"dc_mbps_{n}", "").strip() for n in DC_NETWORKS}
    values |= {name: form.get(name, "").strip() for name in SITE_FIELDS.values()}
    rows = _rows(form)
    units = [u.strip() for u in form.getlist("sites_admin_units") if u.strip()]
    parsed = RequestForm(values=values, rows=rows, admin_units=units)
    doc: dict[str, Any] = {"agency": agency}
    doc |= {key: _typed(values[key]) for key in SCALARS if values[key] != ""}
    doc["workloads"] = [{k: _typed(v) for k, v in row.items() if v != ""} for row in rows]
    for network in DC_NETWORKS:
        if values[f"dc_mbps_{network}"]:
            parsed.dc_networks.append(network)
            doc.setdefault("dc_bandwidth", []).append(
                {"network": network, "mbps": _typed(values[f"dc_mbps_{network}"])}
            )
    if units or values["sites_per_site_mbps"]:
        sites = {key: _typed(values[name]) for key, name in SITE_FIELDS.items() if values[name]}
        doc["sites"] = sites | {
            "admin_units": units,
            "levels": [values["sites_level"] or "commune"],
        }
    parsed.document = doc
    return parsed


def _rows(form: MultiDict[str, str]) -> list[dict[str, str]]:
    """Workload rows in the order of their index; rows left wholly blank are dropped,
    so removing or never filling a row on the client never makes an error."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = ROW_KEY.match(key)
        if match and match.group(2) in WORKLOAD_FIELDS:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "").strip()
    rows = [found[i] for i in sorted(found)]
    return [
        {name: row.get(name, "") for name in WORKLOAD_FIELDS} for row in rows if any(row.values())
    ]


def _typed(text: str) -> Any:
    """A number when the text is one (the stored document keeps JSON types), else the
    text itself, so the schema reports it as "Not a valid number" rather than this code."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def field_errors(errors: Mapping[str, list[str]], form: RequestForm) -> dict[str, list[str]]:
    """Document paths of a ValidationError → the form fields that show them.

    A path no field answers to (``_schema``, a pinned cluster) goes to the general list.
    """
    out: dict[str, list[str]] = {}
    for path, messages in errors.items():
        out.setdefault(_field_for(path, form), []).extend(messages)
    return out


def _field_for(path: str, form: RequestForm) -> str:
    if path in SCALARS or path == "workloads":
        return path
    if path == "agency":
        return "agency"
    row = ROW_PATH.match(path)
    if row:
        return f"workloads-{row.group(1)}-{row.group(2)}"
    if path.startswith("dc_bandwidth["):
        index = int(path[len("dc_bandwidth[") :].split("]")[0])
        if index < len(form.dc_networks):
            return f"dc_mbps_{form.dc_networks[index]}"
    if path.startswith("sites."):
        key = path.removeprefix("sites.").split("[")[0]
        if key in SITE_FIELDS:
            return SITE_FIELDS[key]
        return "sites_level" if key == "levels" else "sites_admin_units"
    if path == "sites":
        return "sites_admin_units"
    return GENERAL
