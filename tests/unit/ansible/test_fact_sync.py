"""The fact-sync playbook's filters: a failed call as one line, each host's fate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.ansible.collection import fact_sync

BASE = "https://headroom.example"


@pytest.mark.parametrize(
    ("result", "line"),
    [
        (
            {
                "status": -1,
                "msg": "Status code was -1 and not [201]: Request failed: "
                "<urlopen error [Errno 111] Connection refused>",
            },
            f"cannot reach Headroom at {BASE}: [Errno 111] Connection refused",
        ),
        (
            {
                "status": -1,
                "msg": "Status code was -1 and not [200]: Connection failure: timed out",
            },
            f"cannot reach Headroom at {BASE}: Status code was -1 and not [200]: "
            "Connection failure: timed out",
        ),
        (
            {"status": 401, "json": {"message": "invalid or expired token"}},
            f"Headroom at {BASE} refused the token (HTTP 401: invalid or expired token): "
            "check HEADROOM_TOKEN",
        ),
        (
            {
                "status": 400,
                "json": {"message": "invalid input", "errors": {"hosts": ["Too\nmany."]}},
            },
            f"Headroom at {BASE} answered HTTP 400: invalid input (hosts: Too many.)",
        ),
        (
            {"status": 502, "msg": "Bad Gateway"},
            f"Headroom at {BASE} answered HTTP 502: Bad Gateway",
        ),
    ],
)
def test_a_failed_call_is_one_line_that_says_why(result: dict[str, Any], line: str) -> None:
    assert fact_sync.api_error(result, BASE) == line
    assert "\n" not in line


def item(name: str) -> dict[str, Any]:
    return {"host": {"name": name}, "facts": {}}


def test_each_sent_host_is_recorded_refused_or_failed_with_its_batch() -> None:
    batches = {
        "results": [
            {
                "status": 200,
                "item": [item("a"), item("b")],
                "json": {
                    "results": [
                        {"host": "a", "ok": True, "error": None},
                        {"host": "b", "ok": False, "error": "no device or workload known as b"},
                    ]
                },
            },
            {"status": 503, "item": [item("c")], "json": {"message": "busy"}},
            {"status": -1, "item": [item("d")], "msg": "Request failed: <urlopen error boom>"},
        ]
    }
    assert fact_sync.sync_outcomes(batches, BASE) == {
        "a": None,
        "b": "no device or workload known as b",
        "c": f"Headroom at {BASE} answered HTTP 503: busy",
        "d": f"cannot reach Headroom at {BASE}: boom",
    }


def test_no_batch_sent_is_no_outcome() -> None:
    skipped = {"results": [], "skipped": True, "skipped_reason": "No items in the list"}
    assert fact_sync.sync_outcomes(skipped, BASE) == {}
