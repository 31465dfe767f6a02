"""A platform contradicts the facts only when it names another OS or another major version."""

from __future__ import annotations

import pytest

from discovery.core.platforms import identify, platform_agrees


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ubuntu 22.04", ("ubuntu", "22")),
        ("ubuntu-22-04", ("ubuntu", "22")),
        ("RHEL 9", ("redhat", "9")),
        ("Red Hat Enterprise Linux 8.6", ("redhat", "8")),
        ("RedHat 9.3", ("redhat", "9")),
        ("VMware ESXi 8.0", ("esxi", "8")),
        ("Microsoft Windows Server 2019 Datacenter", ("windows", "2019")),
        ("Junos", (None, None)),
        ("Linux", (None, None)),
    ],
)
def test_identify(text: str, expected: tuple[str | None, str | None]) -> None:
    assert identify(text) == expected


@pytest.mark.parametrize(
    ("platform", "distribution", "agrees"),
    [
        ("ubuntu-22-04", "Ubuntu 22.04", True),
        ("Ubuntu", "Ubuntu 24.04", True),  # no version declared: nothing to contradict
        ("RHEL 9", "RedHat 9.3", True),
        ("Ubuntu 20.04", "Ubuntu 22.04", False),
        ("CentOS 7", "Rocky 9.2", False),
        ("Windows Server 2019", "Microsoft Windows Server 2022 Standard", False),
        ("Linux", "Debian 12", None),  # says no family: no evidence either way
        ("Debian 12", "Linux", None),
    ],
)
def test_platform_agrees(platform: str, distribution: str, agrees: bool | None) -> None:
    assert platform_agrees(platform, distribution) is agrees
