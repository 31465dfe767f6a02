"""Which paging a NetBox version gets: cursor (no count, no OFFSET) from 4.6, else offset."""

from __future__ import annotations

import pytest

from discovery.netbox.client import pages_by_cursor


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [("4.7", True), ("4.6", True), ("5.0", True), ("4.5", False), ("3.7", False), ("", False)],
)
def test_cursor_paging_from_netbox_4_6(api_version: str, expected: bool) -> None:
    assert pages_by_cursor(api_version) is expected
