"""The typed documents at capacity's edges name exactly the keys the code produces.

marshmallow's ``load`` and the generic JSON walk of ``Evaluation.to_dict`` are
untyped, so mypy takes their TypedDicts on trust: these tests are what keep the
declared keys and the real ones from drifting apart.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

import pytest

from capacity.evaluate import evaluate_request
from capacity.evaluation import (
    Assumptions,
    Candidate,
    ClusterAssumptions,
    Cost,
    EvaluationDocument,
    LinkRow,
    Placement,
    PoolAssumptions,
    Problem,
    ResourceRow,
    Shortfall,
)
from cmdb.schemas.request import (
    BandwidthDocument,
    BandwidthSchema,
    RequestDocument,
    RequestSchema,
    SitesDocument,
    SitesSchema,
    WorkloadDocument,
    WorkloadSchema,
    load_request,
)
from tests.unit.capacity.builders import dc, inventory, request, sites, vms


def _keys(document: Any) -> set[str]:
    # NotRequired is invisible at run time under postponed annotations: every key is listed.
    return set(document.__required_keys__) | set(document.__optional_keys__)


@pytest.mark.parametrize(
    ("document", "schema"),
    [
        (RequestDocument, RequestSchema),
        (WorkloadDocument, WorkloadSchema),
        (BandwidthDocument, BandwidthSchema),
        (SitesDocument, SitesSchema),
    ],
)
def test_each_request_document_names_the_fields_of_its_schema(document: Any, schema: Any) -> None:
    assert _keys(document) == set(schema().fields)


def test_a_loaded_request_has_every_key_of_its_document() -> None:
    doc = load_request(
        {
            "name": "x",
            "agency": "y",
            "security_level": 2,
            "zone": "internet",
            "go_live": "2026-03-01",
            "workloads": [{"name": "app", "vcpu": 2, "ram_gb": 4}],
            "dc_bandwidth": [{"network": "internet", "mbps": 10}],
            "sites": {"network": "tslcd", "per_site_mbps": 2, "site_ids": [1]},
        },
        today=date(2026, 1, 15),
    )
    assert set(doc) == _keys(RequestDocument)
    assert set(doc["workloads"][0]) == _keys(WorkloadDocument)
    assert set(doc["dc_bandwidth"][0]) == _keys(BandwidthDocument)
    assert doc["sites"] is not None and set(doc["sites"]) == _keys(SitesDocument)


def _field_names(record: type) -> set[str]:
    return {f.name for f in fields(record)}


def test_the_evaluation_document_has_its_declared_keys_and_records() -> None:
    ev = evaluate_request(
        request(workloads=vms(40, 16), sites=sites(5, "x1", "x2"), dc_bandwidth=dc(10)),
        inventory(),
    ).to_dict()
    assert set(ev) == _keys(EvaluationDocument)
    assert ev["first_shortfall"] is not None and set(ev["first_shortfall"]) == _field_names(
        Shortfall
    )
    assert set(ev["placement"]) == _field_names(Placement)
    assert set(ev["cost"]) == _field_names(Cost)
    assert ev["resources"] and all(set(r) == _field_names(ResourceRow) for r in ev["resources"])
    assert ev["links"] and all(set(r) == _field_names(LinkRow) for r in ev["links"])
    assert ev["candidates"] and all(set(c) == _field_names(Candidate) for c in ev["candidates"])
    assert set(ev["assumptions"]) == _keys(Assumptions)
    assert set(ev["assumptions"]["cluster"]) == _keys(ClusterAssumptions)
    assert set(ev["assumptions"]["storage_pool"]) == _keys(PoolAssumptions)


def test_a_bandwidth_request_has_no_cluster_or_pool_assumptions() -> None:
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(5, "x1", "nowhere")), inventory()
    ).to_dict()
    assert set(ev["assumptions"]) == _keys(Assumptions) - {"cluster", "storage_pool"}
    assert ev["problems"] and all(set(p) == _field_names(Problem) for p in ev["problems"])
