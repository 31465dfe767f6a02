"""The one-page appraisal, shaped from the request page's view (``request_view``).

The page says what a director signs: the verdict, what the DC provides, what must
be bought and by whom (each bill's total and its largest lines; every line is in the
annex), investment avoided, and the binding resource over the request's horizon.
The binding resource is the first one that runs short, else the charted one with
the least headroom left (relative to its ceiling).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from web.ui.appraisal_chart import ChartWords, binding_chart_svg
from web.ui.formatting import format_month, format_number
from web.ui.request_view import BillRow, BillView, Doc, EvaluationView

BILL_LINES = 3
"""Lines of each bill on the page; the rest are counted and listed in the annex."""
PROVIDED_ROWS = 4


@dataclass(frozen=True)
class ShortBill:
    payer: str
    title: str
    rows: list[BillRow]
    more: int
    total_vnd: float


@dataclass(frozen=True)
class BindingChart:
    resource: str
    label: str
    svg: Markup


@dataclass(frozen=True)
class Appraisal:
    bills: list[ShortBill]
    provided: list[Doc]
    chart: BindingChart | None


def _short(bill: BillView) -> ShortBill:
    rows = sorted(bill.rows, key=lambda r: -r.cost_vnd)
    return ShortBill(bill.payer, bill.title, rows[:BILL_LINES], max(0, len(rows) - BILL_LINES),
                     bill.total_vnd)  # fmt: skip


def _relative_headroom(series: Doc) -> float:
    limit = float(series["limit"])
    loads = [
        (b or 0) + (r or 0) + (d or 0)
        for b, r, d in zip(series["baseline"], series["reserved"], series["demand"], strict=True)
    ]
    return min(limit - x for x in loads) / limit if limit > 0 else float("-inf")


def binding_resource(doc: Doc) -> str | None:
    """The resource key the chart shows (None when the evaluation kept no series)."""
    charted = (doc.get("series") or {}).get("resources") or {}
    short = doc.get("first_shortfall") or {}
    if short.get("resource") in charted:
        return str(short["resource"])
    if not charted:
        return None
    return min(charted, key=lambda key: _relative_headroom(charted[key]))


def _chart(view: EvaluationView) -> BindingChart | None:
    key = binding_resource(view.doc)
    if key is None:
        return None
    series = view.doc["series"]
    row = next((r for r in [*view.resources, *view.links] if r["resource"] == key), None)
    unit = row["unit"] if row else ""
    words = ChartWords(
        load=_("Load with the request (B + R + D)"),
        band80=_("80 % band"),
        band95=_("95 % band"),
        ceiling=_("Ceiling"),
        unit=unit,
        month=format_month,
        number=format_number,
    )
    shortfall = row["first_shortfall_date"] if row else None
    svg = binding_chart_svg(series["steps"], series["resources"][key], words, shortfall)
    return BindingChart(key, view.labels.get(key, key), svg)


def build_appraisal(view: EvaluationView) -> Appraisal:
    provided = [*view.resources, *(r for r in view.links if r.get("carries_dc_demand"))]
    return Appraisal(
        bills=[_short(b) for b in view.bills],
        provided=provided[:PROVIDED_ROWS],
        chart=_chart(view),
    )
