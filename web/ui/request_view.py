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

from web.ui.request_charts import demand_headroom_figure

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Chart:
    resource: str
    label: str
    unit: str
    figure: str
    shortfall_date: str | None


@dataclass
class EvaluationView:
    doc: Doc
    labels: dict[str, str]
    resources: list[Doc]
    links: list[Doc]
    failing_links: list[Doc]
    charts: list[Chart] = field(default_factory=list)

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
    def short_at_go_live(self) -> list[Doc]:
        return [r for r in [*self.resources, *self.links] if (r["shortfall_at_go_live"] or 0) > 0]


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


def build_evaluation_view(doc: Doc) -> EvaluationView:
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
