"""An evaluation in plain words for the terminal: the verdict, where, the numbers, the gap.

Reads the evaluation JSON (``Evaluation.to_dict``, also what is stored), so a
fresh answer and a stored one print the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from capacity.evaluation import VERDICT_CANNOT_HOST, VERDICT_HOST, VERDICT_HOST_UNTIL
from web.cli.tables import Column, format_date, format_number, format_table, format_vnd

Doc = Mapping[str, Any]
WIDTH = 100

RESOURCE_COLUMNS = (
    Column("resource", 28),
    Column("unit", 4),
    Column("capacity", 8, right=True),
    Column("ceiling", 7, right=True),
    Column("baseline", 8, right=True),
    Column("reserved", 8, right=True),
    Column("demand", 7, right=True),
    Column("headroom", 8, right=True),
    Column("short from", 10),
)

BILL_COLUMNS = (
    Column("purchase", 60),
    Column("for", 22),
    Column("cost (VND)", 16, right=True),
)

LINK_COLUMNS = (
    Column("link", 34),
    Column("capacity", 8, right=True),
    Column("ceiling", 7, right=True),
    Column("baseline", 8, right=True),
    Column("demand", 7, right=True),
    Column("headroom", 8, right=True),
    Column("short from", 10),
    Column("sites", 5, right=True),
)


def resource_label(row: Doc) -> str:
    """How a person names a resource: "PROD-CL01 ram", "storage SAN-01", "link …"."""
    kind = row["kind"]
    if kind in ("vcpu", "ram"):
        return f"{row['name']} {kind}"
    return f"{kind} {row['name']}"


def _labels(ev: Doc) -> dict[str, str]:
    """Resource key → label; a whole cluster (an expansion's target) by its name too."""
    labels = {}
    for row in [*ev["resources"], *ev["links"]]:
        labels[row["resource"]] = resource_label(row)
        if row["kind"] in ("vcpu", "ram"):
            labels[row["resource"].rsplit(":", 1)[0]] = f"cluster {row['name']}"
    return labels


def verdict_words(ev: Doc) -> str:
    """HOST / HOST UNTIL date (resource) / CANNOT HOST (how much is short), on one line."""
    if ev["verdict"] == VERDICT_HOST:
        return f"HOST — fits at every monthly step until {ev['horizon_end']}"
    if ev["verdict"] == VERDICT_HOST_UNTIL:
        short = ev.get("first_shortfall") or {}
        what = _labels(ev).get(short.get("resource", ""), short.get("resource", "?"))
        return f"HOST UNTIL {ev['until']} ({what})"
    if ev["verdict"] == VERDICT_CANNOT_HOST:
        count = len(_short_at_go_live(ev))
        return f"CANNOT HOST — {count} resource(s) short at go-live" if count else "CANNOT HOST"
    return str(ev["verdict"]).upper()


def who_must_act(ev: Doc) -> str | None:
    """The binding resource and who must act on it: the DC or the network operator."""
    short = ev.get("first_shortfall")
    if not short or "payer" not in short:
        return None
    what = _labels(ev).get(short["resource"], short["resource"])
    if short["payer"] == "network":
        who = f"the network operator ({(short.get('network') or '').upper()}) must act"
    else:
        who = "the DC must act"
    own = "; short even without this request" if short["without_request"] else ""
    return f"{what} from {short['date']}: {who}{own}"


def _short_at_go_live(ev: Doc) -> list[Doc]:
    return [r for r in [*ev["resources"], *ev["links"]] if (r["shortfall_at_go_live"] or 0) > 0]


def _shortfall_lines(ev: Doc, shown: int = 5) -> list[str]:
    rows = _short_at_go_live(ev)
    lines = [
        _cut(f"  {resource_label(r)}: {format_number(r['shortfall_at_go_live'])} {r['unit']}")
        for r in rows[:shown]
    ]
    if len(rows) > shown:
        lines.append(f"  … and {len(rows) - shown} more (tables below)")
    return ["Short at go-live:", *lines] if lines else []


def _vnd(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _cut(line: str, width: int = WIDTH) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _placement(ev: Doc) -> str:
    placement = ev["placement"]
    parts = []
    if placement["cluster"] is not None:
        parts.append(f"cluster {placement['cluster_name'] or placement['cluster']}")
    if placement["storage_pool"] is not None:
        parts.append(f"storage pool {placement['storage_pool_name'] or placement['storage_pool']}")
    return ", ".join(parts) or "nothing to place (or nowhere eligible)"


def _resource_cells(row: Doc) -> list[str]:
    keys = ("capacity", "ceiling", "baseline", "reserved", "demand", "headroom")
    numbers = (row[k] for k in keys)
    return [
        resource_label(row),
        row["unit"],
        *(format_number(n) for n in numbers),
        format_date(row["first_shortfall_date"]),
    ]


def _link_cells(row: Doc) -> list[str]:
    numbers = (row[k] for k in ("capacity", "ceiling", "baseline", "demand", "headroom"))
    return [
        row["name"],
        *(format_number(n) for n in numbers),
        format_date(row["first_shortfall_date"]),
        str(len(row["sites"])),
    ]


def _failing_links(links: Sequence[Doc]) -> list[Doc]:
    failing = [row for row in links if row["first_shortfall_date"] is not None]
    return sorted(failing, key=lambda r: (r["first_shortfall_date"], r["name"].casefold()))


def _line_target(line: Doc, labels: Mapping[str, str]) -> str:
    targets = line["targets"]
    if len(targets) == 1:
        return labels.get(targets[0], targets[0]).removeprefix("link ")
    return f"{len(targets)} links"


def _bill(title: str, bill: Doc, labels: Mapping[str, str]) -> list[str]:
    networks = " · ".join(
        f"{network.upper()} {value:,.0f}" for network, value in bill["by_network"].items()
    )
    head = _cut(
        f"{title}: {format_vnd(bill['total_vnd'])}" + (f" ({networks})" if networks else "")
    )
    if not bill["lines"]:
        return [head + " — nothing to buy"]
    rows = (
        [line["description"], _line_target(line, labels), f"{line['cost_vnd']:,.0f}"]
        for line in bill["lines"]
    )
    return [head, format_table(BILL_COLUMNS, rows)]


def _expansion(ev: Doc) -> list[str]:
    """What the project is charged (with vs without it), on the DC's and the network's bill."""
    expansion, labels = ev["expansion"], _labels(ev)
    lines = [
        f"Expansion to fit until {ev['horizon_end']}, charged to the project: "
        f"{format_vnd(expansion['horizon_cost_vnd'])}",
        f"  (at go-live: {format_vnd(expansion['go_live_cost_vnd'])})",
    ]
    bills = ev.get("bills")
    if bills is not None:
        lines += _bill("DC bill (compute, storage, DC uplinks)", bills["dc"], labels)
        lines += _bill("Network bill (links to the target sites)", bills["network"], labels)
    lines += [_cut(f"Cannot be bought: {what}") for what in expansion["unresolved"]]
    return lines


def _own_need(ev: Doc, shown: int = 8) -> list[str]:
    needs = ev.get("dc_own_need_summary") or []
    if not needs:
        return []
    lines = ["Runs short without this request (the DC's own need, not charged):"]
    lines += [
        _cut(f"  from {n['date']}: {n['description']} ({format_vnd(n['cost_vnd'])})")
        for n in needs[:shown]
    ]
    if len(needs) > shown:
        lines.append(f"  … and {len(needs) - shown} more")
    return lines


def _reservations(ev: Doc, shown: int = 8) -> list[str]:
    """The approved requests holding capacity on the resources this request needs: each
    request, then what it holds (links counted when there are many)."""
    held = ev.get("reservations") or []
    if not held:
        return ["Reserved by approved requests on these resources: none"]
    rows = {r["resource"]: r for r in [*ev["resources"], *ev["links"]]}
    by_request: dict[str, list[Doc]] = {}
    for r in held:
        if r["resource"] in rows:
            by_request.setdefault(r["request"], []).append(r)
    lines = ["Reserved by approved requests on these resources (in 'reserved' above):"]
    for request, items in list(by_request.items())[:shown]:
        lines.append(f"  request {request}:")
        lines += [_cut(f"    {line}") for line in _held(items, rows)]
    if len(by_request) > shown:
        lines.append(f"  … and {len(by_request) - shown} more requests")
    return lines


def _held(items: Sequence[Doc], rows: Mapping[str, Doc]) -> list[str]:
    def one(r: Doc) -> str:
        row = rows[r["resource"]]
        growth = f", +{r['growth_pct_per_year']:g} %/year" if r["growth_pct_per_year"] else ""
        return (
            f"{resource_label(row)}: {format_number(r['d0'])} {row['unit']} "
            f"from {r['start']}{growth}"
        )

    links = [r for r in items if rows[r["resource"]]["kind"] == "link"]
    if len(links) <= 2:
        return [one(r) for r in items]
    total = format_number(sum(r["d0"] for r in links))
    others = [one(r) for r in items if r not in links]
    return [*others, f"{len(links)} links: {total} Mbps in all"]


def _ineligible(ev: Doc) -> list[str]:
    """Each cluster the request may not use, with its reason."""
    return [
        _cut(f"Ineligible: cluster {c['name']}: {c['reason']}")
        for c in ev.get("ineligible_clusters") or []
    ]


def _investment(cost: Doc) -> str:
    if cost.get("avoided_vnd") is not None:
        return f"            investment avoided {_vnd(cost['avoided_vnd'])}"
    note = cost.get("avoided_note") or "unknown"
    return _cut(f"            investment avoided: none — {note}")


def format_evaluation(ev: Doc) -> str:
    cost = ev["cost"]
    failing = _failing_links(ev["links"])
    lines = [
        f"Request:   {ev['request']}",
        f"Verdict:   {verdict_words(ev)}",
        *(_cut(f"Binding:   {line}") for line in [who_must_act(ev)] if line),
        f"Placement: {_placement(ev)}",
        *_ineligible(ev),
        f"Horizon:   {ev['go_live']} → {ev['horizon_end']}",
        *(f"Problem:   {p['resource']}: {p['message']}" for p in ev.get("problems", [])),
        *_shortfall_lines(ev),
        "",
        "Resources at go-live",
        format_table(RESOURCE_COLUMNS, (_resource_cells(r) for r in ev["resources"])),
        *_reservations(ev),
        "",
        f"Links on the paths: {len(ev['links'])}, short at some step: {len(failing)}",
    ]
    if failing:
        lines.append(format_table(LINK_COLUMNS, (_link_cells(r) for r in failing)))
    lines += [
        "",
        *_expansion(ev),
        *_own_need(ev),
        "",
        f"Cost (VND): expansion {_vnd(cost['expansion_vnd'])} · own hardware "
        f"{_vnd(cost['own_hardware_vnd'])}",
        _investment(cost),
    ]
    return "\n".join(lines)
