"""Does a device's platform (NetBox's free text) say the same OS as Ansible's facts? Pure.

NetBox platforms are whatever the team typed or slugged — "Ubuntu 22.04",
"ubuntu-22-04", "RHEL 9", "VMware ESXi 8.0" — while Ansible reports
``distribution distribution_version`` ("Ubuntu 22.04.4", "RedHat 9.3"). An audit
must not cry wolf over spelling, so only a clear contradiction counts: the two
name different OS families, or the same family with different major versions.
Anything this module cannot place (a platform like "Linux" or "Juniper") is no
evidence either way.
"""

from __future__ import annotations

import re

# OS family → the words (after lower-casing and splitting on non-alphanumerics) that name it.
FAMILIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "ubuntu": (("ubuntu",),),
    "debian": (("debian",),),
    "redhat": (("redhat",), ("red", "hat"), ("rhel",)),
    "centos": (("centos",),),
    "rocky": (("rocky",),),
    "alma": (("almalinux",), ("alma",)),
    "oracle": (("oraclelinux",), ("oracle", "linux"), ("ol",)),
    "suse": (("sles",), ("suse",), ("opensuse",)),
    "windows": (("windows",),),
    "esxi": (("esxi",), ("vmware", "esx")),
    "freebsd": (("freebsd",),),
}


def identify(text: str) -> tuple[str | None, str | None]:
    """The OS family and major version a platform or distribution names, where it says."""
    words = re.findall(r"[a-z]+|\d+", text.casefold())
    family = next(
        (
            name
            for name, spellings in FAMILIES.items()
            if any(_contains(words, spelling) for spelling in spellings)
        ),
        None,
    )
    major = next((w for w in words if w.isdigit()), None)
    return family, major


def platform_agrees(platform: str, distribution: str) -> bool | None:
    """True or False when both texts name a family, None when either does not."""
    (family, major), (seen_family, seen_major) = identify(platform), identify(distribution)
    if family is None or seen_family is None:
        return None
    if family != seen_family:
        return False
    return major is None or seen_major is None or major == seen_major


def _contains(words: list[str], spelling: tuple[str, ...]) -> bool:
    n = len(spelling)
    return any(tuple(words[i : i + n]) == spelling for i in range(len(words) - n + 1))
