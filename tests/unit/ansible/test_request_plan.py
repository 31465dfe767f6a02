"""What ``headroom.cmdb.request`` decides to send: file, the differing fields, or nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.unit.ansible.collection import request_plan

STORED: dict[str, Any] = {
    "name": "Portal",
    "agency": "STTTT",
    "go_live": "2027-03-01",
    "horizon_years": 5,
    "workloads": [{"name": "app", "count": 2, "vcpu": 4}],
}


@pytest.mark.parametrize(
    ("document", "changes"),
    [
        ({}, {}),
        ({"agency": "STTTT", "horizon_years": 5}, {}),
        ({"horizon_years": 5.0}, {}),  # 5 and 5.0 are one value in JSON
        ({"go_live": datetime.date(2027, 3, 1)}, {}),  # YAML's date is the stored text
        ({"horizon_years": 7}, {"horizon_years": 7}),
        (
            {"workloads": [{"name": "app", "count": 3, "vcpu": 4}]},
            {"workloads": [{"name": "app", "count": 3, "vcpu": 4}]},
        ),
        ({"storage_tb": 2.0}, {"storage_tb": 2.0}),
    ],
)
def test_only_fields_that_differ_are_sent(
    document: dict[str, Any], changes: dict[str, Any]
) -> None:
    desired = request_plan.desired_document("Portal", document)
    assert request_plan.changed_fields(STORED, desired) == changes


def test_the_name_option_names_the_request_whatever_the_document_says() -> None:
    assert request_plan.desired_document("New", {"name": "Old"})["name"] == "New"


def stored(request_id: int, name: str, agency: str, status: str = "submitted") -> dict[str, Any]:
    return {"id": request_id, "name": name, "status": status,
            "agency": {"name": f"Sở {agency}", "short_name": agency}}  # fmt: skip


def test_a_request_is_found_by_name_within_the_document_s_agency() -> None:
    found = [stored(1, "Portal", "STTTT"), stored(2, "Portal", "STNMT"), stored(3, "Portal2", "X")]
    assert request_plan.pick_request(found, "Portal", "STNMT")["id"] == 2
    assert request_plan.pick_request(found, "Portal", "Sở STTTT")["id"] == 1
    assert request_plan.pick_request(found, "Other", None) is None
    with pytest.raises(ValueError, match=r"several requests are named 'Portal' \(ids 1, 2\)"):
        request_plan.pick_request(found, "Portal", None)


@pytest.mark.parametrize(
    ("status", "refused"),
    [("draft", False), ("submitted", False), ("evaluated", False), ("approved", True),
     ("rejected", True), ("deployed", True)],
)  # fmt: skip
def test_only_a_pending_request_may_be_revised(status: str, refused: bool) -> None:
    why = request_plan.refusal(stored(4, "Portal", "STTTT", status), "revised")
    assert (why is not None) == refused
    if refused:
        assert why == f"request 4 is {status}: it cannot be revised any more"
