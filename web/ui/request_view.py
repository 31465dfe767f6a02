"""A stored evaluation (``Evaluation.to_dict``) shaped for the request pages.

Labels are translated here, where the language is known; numbers stay numbers
for the templates' ``number`` filter. Evaluations stored before their monthly
series were kept (``series`` absent) still render, without charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from web.ui.formatting import format_number
from web.ui.request_charts import demand_headroom_figure

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Chart:
    resource: str
    label: str
    unit: str
    figure: str
    shortfall_date: str | None


@dataclass(frozen=True)
class BillRow:
    """One grouped line of a bill, in the reader's language."""

    text: str
    target: str
    cost_vnd: float


@dataclass(frozen=True)
class BillView:
    payer: str
    title: str
    rows: list[BillRow]
    total_vnd: float
    by_network: dict[str, float]


@dataclass(frozen=True)
class OwnNeedRow:
    """A resource (or like links together) that runs short without the request."""

    date: str
    text: str
    who: str
    cost_vnd: float


@dataclass
class EvaluationView:
    doc: Doc
    labels: dict[str, str]
    resources: list[Doc]
    links: list[Doc]
    failing_links: list[Doc]
    charts: list[Chart] = field(default_factory=list)
    bills: list[BillView] = field(default_factory=list)
    own_needs: list[OwnNeedRow] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return str(self.doc["verdict"])

    @property
    def shortfall_label(self) -> str | None:
        short = self.doc.get("first_shortfall")
        if not short:
            return None
        return self.labels.get(short["resource"], short["resource"])

    @property
    def binding(self) -> str | None:
        """The binding resource and who must act on it, in a sentence (None: nothing binds,
        or an evaluation stored before payers were recorded)."""
        short = self.doc.get("first_shortfall")
        if not short or "payer" not in short:
            return None
        label = self.labels.get(short["resource"]) or _problem_label(short["resource"])
        if short["payer"] == "network":
            text = _(
                "Binding: %(resource)s — the network operator (%(network)s) must act.",
                resource=label,
                network=(short.get("network") or "").upper(),
            )
        else:
            text = _("Binding: %(resource)s — the data centre must act.", resource=label)
        if short.get("without_request"):
            text += " " + _(
                "It runs short then even without this request: the data centre's own need, "
                "not charged to the project."
            )
        return text

    @property
    def avoided_words(self) -> str:
        """Investment avoided, or in words why there is none (never a negative saving)."""
        cost = self.doc["cost"]
        if cost.get("avoided_vnd") is not None:
            return _("%(vnd)s VND", vnd=format_number(cost["avoided_vnd"], 0))
        if cost.get("own_hardware_vnd") is None:
            return _("not shown: the project gave no estimate of its own hardware")
        return _(
            "none: the expansion charged (%(charged)s VND) costs more than the project's own "
            "hardware (%(own)s VND)",
            charged=format_number(cost["expansion_vnd"], 0),
            own=format_number(cost["own_hardware_vnd"], 0),
        )

    @property
    def short_at_go_live(self) -> list[Doc]:
        return [r for r in [*self.resources, *self.links] if (r["shortfall_at_go_live"] or 0) > 0]


def _problem_label(resource: str) -> str:
    """What binds when no load figure does: a problem's key named for a person."""
    kind = resource.split(":", 1)[0]
    if resource.endswith(":vm"):
        return _("a VM larger than any host")
    if kind == "path":
        return _("a target site with no path to the data centre")
    if kind == "uplink":
        return _("the data centre's uplink")
    return _("the placement (no eligible cluster or storage pool)")


def resource_label(row: Doc) -> str:
    """How a person names a resource: "PROD-CL01 · RAM", "Storage SAN-01", "Link …"."""
    kind, name = row["kind"], row["name"]
    if kind == "vcpu":
        return _("%(name)s · vCPU", name=name)
    if kind == "ram":
        return _("%(name)s · RAM", name=name)
    if kind == "storage":
        return _("Storage %(name)s", name=name)
    return _("Link %(name)s", name=name)


def build_labels(rows: list[Doc]) -> dict[str, str]:
    """Resource key → label; a whole cluster (an expansion's target) by its name too."""
    labels = {}
    for row in rows:
        labels[row["resource"]] = resource_label(row)
        if row["kind"] in ("vcpu", "ram"):
            labels[row["resource"].rsplit(":", 1)[0]] = _("Cluster %(name)s", name=row["name"])
    return labels


def _links_text(line: Doc, level: str | None) -> str:
    """ "126 commune TSLCD links 10 → 20 Mbps" — the site level when the request names one."""
    count, network = line["count"], (line["network"] or "").upper()
    speeds = f"{format_number(line['from_mbps'])} → {format_number(line['to_mbps'])} Mbps"
    args = {"network": network, "speeds": speeds}
    role = line["role"]
    if role == "access" and level == "commune":
        return ngettext(
            "%(num)d commune %(network)s link %(speeds)s",
            "%(num)d commune %(network)s links %(speeds)s",
            count,
            **args,
        )
    if role == "access" and level == "district":
        return ngettext(
            "%(num)d district %(network)s link %(speeds)s",
            "%(num)d district %(network)s links %(speeds)s",
            count,
            **args,
        )
    if role == "access":
        return ngettext(
            "%(num)d %(network)s link of the target sites %(speeds)s",
            "%(num)d %(network)s links of the target sites %(speeds)s",
            count,
            **args,
        )
    if role == "dc_uplink":
        return ngettext(
            "%(num)d %(network)s DC uplink %(speeds)s",
            "%(num)d %(network)s DC uplinks %(speeds)s",
            count,
            **args,
        )
    return ngettext(
        "%(num)d %(network)s link on the paths to the sites %(speeds)s",
        "%(num)d %(network)s links on the paths to the sites %(speeds)s",
        count,
        **args,
    )


def bill_line_text(line: Doc, level: str | None = None) -> str:
    """A bill line in the reader's language; servers and shelves keep the catalogue's name."""
    if line["kind"] != "link_tier":
        return str(line["description"])
    text = _links_text(line, level)
    if line.get("own_mbps") is not None:
        text += " " + _("(%(mbps)s Mbps needed anyway)", mbps=format_number(line["own_mbps"]))
    price = format_number(line["unit_price_vnd"], 0)
    return text + ", " + _("%(price)s VND/year each", price=price)


def _bill_target(line: Doc, labels: dict[str, str]) -> str:
    targets = line["targets"]
    if len(targets) == 1:
        return labels.get(targets[0], targets[0])
    return ngettext("%(num)d link", "%(num)d links", len(targets))


def build_bills(doc: Doc, labels: dict[str, str], level: str | None) -> list[BillView]:
    """The DC's bill and the network operator's (empty for an evaluation stored before)."""
    bills = doc.get("bills") or {}
    titles = {
        "dc": _("Data centre (compute, storage, DC uplinks)"),
        "network": _("Network operator (links to the target sites)"),
    }
    return [
        BillView(
            payer=payer,
            title=title,
            rows=[
                BillRow(bill_line_text(ln, level), _bill_target(ln, labels), ln["cost_vnd"])
                for ln in bills[payer]["lines"]
            ],
            total_vnd=bills[payer]["total_vnd"],
            by_network=dict(bills[payer]["by_network"]),
        )
        for payer, title in titles.items()
        if payer in bills
    ]


def build_own_needs(doc: Doc, level: str | None) -> list[OwnNeedRow]:
    who = {"dc": _("Data centre"), "network": _("Network operator")}
    rows = []
    for need in doc.get("dc_own_need_summary") or []:
        text = need["description"]
        if need["count"] > 1 or need["resources"][0].startswith("link:"):
            first = next(
                (n for n in doc.get("dc_own_need", []) if n["resource"] == need["resources"][0]),
                None,
            )
            if first and first["expansion"]:
                text = _links_text({**first["expansion"][0], "count": need["count"]}, level)
        rows.append(
            OwnNeedRow(need["date"], text, who.get(need["payer"], need["payer"]), need["cost_vnd"])
        )
    return rows


def build_evaluation_view(doc: Doc, level: str | None = None) -> EvaluationView:
    resources, links = list(doc["resources"]), list(doc["links"])
    failing = sorted(
        (r for r in links if r["first_shortfall_date"] is not None),
        key=lambda r: (r["first_shortfall_date"], r["name"].casefold()),
    )
    view = EvaluationView(
        doc=doc,
        labels=build_labels([*resources, *links]),
        resources=resources,
        links=links,
        failing_links=failing,
    )
    view.charts = build_charts(doc, view.labels, {r["resource"]: r for r in [*resources, *links]})
    view.bills = build_bills(doc, view.labels, level)
    view.own_needs = build_own_needs(doc, level)
    return view


def build_charts(doc: Doc, labels: dict[str, str], rows: dict[str, Doc]) -> list[Chart]:
    series = doc.get("series") or {}
    steps = series.get("steps") or []
    names = (_("Headroom left for the request"), _("Demand of the request"))
    charts = []
    for key, values in (series.get("resources") or {}).items():
        row = rows.get(key)
        if row is None:
            continue
        figure = demand_headroom_figure(
            steps,
            values,
            unit=row["unit"],
            names=names,
            shortfall_date=row["first_shortfall_date"],
        )
        charts.append(Chart(key, labels[key], row["unit"], figure, row["first_shortfall_date"]))
    return charts
