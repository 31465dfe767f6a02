"""The request page's reading of an evaluation: bills in words, the old documents too.

Outside a request the texts are English (no translation is active).
"""

from __future__ import annotations

from capacity.evaluate import evaluate_request
from tests.unit.capacity.builders import inventory, request, sites
from web.ui.request_view import build_evaluation_view


def _commune_links_doc() -> dict:
    """x1–x3 at 2 + 10 = 12 > 7 → 20 Mbps each at 9.6 M VND/year; d1 40 + 30 = 70 fits."""
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(10, "s1", "s2", "s3")),
        inventory(d1_used=40),
    )
    return dict(ev.to_dict())


def test_commune_links_are_one_line_on_the_network_bill_and_the_network_binds() -> None:
    view = build_evaluation_view(_commune_links_doc(), level="commune")
    dc, network = view.bills
    assert (dc.payer, dc.rows, dc.total_vnd) == ("dc", [], 0)
    (row,) = network.rows
    assert row.text == "3 commune TSLCD links 10 → 20 Mbps, 9,600,000 VND/year each"
    assert (row.target, row.cost_vnd) == ("3 links", 144_000_000)
    assert view.binding is not None
    assert view.binding.endswith("the network operator (TSLCD) must act.")
    assert view.avoided_words == "not shown: the project gave no estimate of its own hardware"


def test_an_evaluation_stored_before_the_bills_still_reads() -> None:
    doc = _commune_links_doc()
    for key in ("bills", "dc_own_need", "dc_own_need_summary"):
        del doc[key]
    doc["first_shortfall"] = {"resource": "link:x1", "date": "2026-03-01"}
    view = build_evaluation_view(doc)
    assert view.bills == [] and view.own_needs == [] and view.binding is None


def test_a_site_with_no_path_binds_on_the_network_in_words() -> None:
    doc = dict(
        evaluate_request(
            request(workloads=(), storage_tb=0, sites=sites(1, "s1", "nowhere")), inventory()
        ).to_dict()
    )
    assert doc["first_shortfall"]["payer"] == "network"
    binding = build_evaluation_view(doc).binding
    assert binding == (
        "Binding: a target site with no path to the data centre — the network operator "
        "(TSLCD) must act."
    )
