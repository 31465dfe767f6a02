"""Named SNMP credential profiles, read from a configuration file.

Operators keep communities and SNMPv3 keys in one file (YAML or TOML), given by
``--profiles-file`` or ``CMDB_SNMP_PROFILES``; targets refer to a profile by name.
Secrets stay inside ``SnmpProfile``: its repr and ``describe()`` never show them,
so logs, the API and the UI can print a profile safely.

    profiles:
      dc-v2c: {version: 2c, community: s3cret}
      dc-v3:  {version: 3, user: headroom, auth_protocol: sha, auth_key: …,
               priv_protocol: aes, priv_key: …, context: vlan-10}

``context`` is the SNMPv3 context name (an agent serving several instances, e.g.
one per VLAN or virtual router, tells them apart by it). A run may be given several
profiles (``--profile a,b``): on first contact each is tried in order until the agent
answers, and the one that answered is remembered on the device and tried first next
time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cmdb.errors import CmdbError
from discovery.core.normalize import normalize_host
from discovery.records import Target

AUTH_PROTOCOLS = ("md5", "sha", "sha224", "sha256", "sha384", "sha512")
PRIV_PROTOCOLS = ("des", "aes", "aes192", "aes256")
VERSIONS = ("1", "2c", "3")


class ProfileError(CmdbError):
    """A profile file or a profile in it is not usable; the message names no secret."""


@dataclass(frozen=True)
class SnmpProfile:
    name: str
    version: str = "2c"
    community: str | None = field(default=None, repr=False)
    user: str | None = None
    auth_protocol: str | None = None
    auth_key: str | None = field(default=None, repr=False)
    priv_protocol: str | None = None
    priv_key: str | None = field(default=None, repr=False)
    context: str | None = None  # SNMPv3 context name
    ad_hoc: bool = False  # given on the command line, in no file: never remembered

    def describe(self) -> str:
        """What the profile is, for logs and reports: never a community or a key."""
        if self.version != "3":
            return f"{self.name} (SNMPv{self.version}, community ***)"
        level = "authPriv" if self.priv_key else "authNoPriv" if self.auth_key else "noAuthNoPriv"
        context = f", context {self.context}" if self.context else ""
        return f"{self.name} (SNMPv3 user {self.user}, {level}{context})"


def community_profile(community: str) -> SnmpProfile:
    """An ad-hoc v2c profile for ``--community`` on the command line."""
    return SnmpProfile(name="community", version="2c", community=community, ad_hoc=True)


def parse_profile(name: str, raw: Mapping[str, Any]) -> SnmpProfile:
    """One profile from its mapping; checks what pysnmp would otherwise reject late."""
    version = str(raw.get("version", "2c")).lower().removeprefix("v")
    if version not in VERSIONS:
        raise ProfileError(f"profile {name!r}: version must be one of {', '.join(VERSIONS)}")
    if version != "3":
        if raw.get("context"):
            raise ProfileError(f"profile {name!r}: a context name needs SNMPv3")
        if not raw.get("community"):
            raise ProfileError(f"profile {name!r}: SNMPv{version} needs a community")
        return SnmpProfile(name=name, version=version, community=str(raw["community"]))
    return _v3_profile(name, raw)


def _v3_profile(name: str, raw: Mapping[str, Any]) -> SnmpProfile:
    if not raw.get("user"):
        raise ProfileError(f"profile {name!r}: SNMPv3 needs a user")
    auth = str(raw.get("auth_protocol", "sha" if raw.get("auth_key") else "")).lower() or None
    priv = str(raw.get("priv_protocol", "aes" if raw.get("priv_key") else "")).lower() or None
    if auth and auth not in AUTH_PROTOCOLS:
        raise ProfileError(f"profile {name!r}: auth_protocol must be one of {AUTH_PROTOCOLS}")
    if priv and priv not in PRIV_PROTOCOLS:
        raise ProfileError(f"profile {name!r}: priv_protocol must be one of {PRIV_PROTOCOLS}")
    for key in ("auth_key", "priv_key"):
        if raw.get(key) is not None and len(str(raw[key])) < 8:
            raise ProfileError(f"profile {name!r}: {key} must have at least 8 characters")
    if raw.get("priv_key") and not raw.get("auth_key"):
        raise ProfileError(f"profile {name!r}: privacy needs authentication (auth_key)")
    context = raw.get("context")
    if context is not None and (not isinstance(context, str) or len(context) > 32):
        raise ProfileError(f"profile {name!r}: context must be text of at most 32 characters")
    return SnmpProfile(
        name=name,
        version="3",
        user=str(raw["user"]),
        auth_protocol=auth if raw.get("auth_key") else None,
        auth_key=str(raw["auth_key"]) if raw.get("auth_key") else None,
        priv_protocol=priv if raw.get("priv_key") else None,
        priv_key=str(raw["priv_key"]) if raw.get("priv_key") else None,
        context=context or None,
    )


def load_profiles(path: Path) -> dict[str, SnmpProfile]:
    """Every profile of a YAML (``.yaml``/``.yml``) or TOML (``.toml``) file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"cannot read the SNMP profiles file {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"the SNMP profiles file {path} is not valid: {exc}") from None
    profiles = (data or {}).get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, dict) or not profiles:
        raise ProfileError(f"{path}: expected a 'profiles' table of named profiles")
    return {str(n): parse_profile(str(n), raw or {}) for n, raw in profiles.items()}


def pick_profile(profiles: Mapping[str, SnmpProfile], name: str) -> SnmpProfile:
    try:
        return profiles[name]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "none"
        raise ProfileError(f"no SNMP profile named {name!r} (known: {known})") from None


def pick_profiles(profiles: Mapping[str, SnmpProfile], names: str) -> list[SnmpProfile]:
    """``--profile a,b``: the named profiles in the order given (each once)."""
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if not wanted:
        raise ProfileError("--profile names no profile")
    return [pick_profile(profiles, n) for n in dict.fromkeys(wanted)]


def assign_profiles(
    targets: Sequence[Target],
    profiles: Mapping[str, SnmpProfile],
    default: SnmpProfile | Sequence[SnmpProfile] | None,
    remembered: Mapping[Target, str] | None = None,
) -> list[tuple[Target, tuple[SnmpProfile, ...]]]:
    """Each target with the profiles to try in order: its own (a targets file's), else
    the one its agent last answered (when the file still has it) and then the run's;
    none at all is an error."""
    run = (default,) if isinstance(default, SnmpProfile) else tuple(default or ())
    pairs: list[tuple[Target, tuple[SnmpProfile, ...]]] = []
    for t in targets:
        if t.profile:
            pairs.append((t, (pick_profile(profiles, t.profile),)))
            continue
        last = profiles.get((remembered or {}).get(Target(normalize_host(t.host), t.port), ""))
        tried = tuple(dict.fromkeys(p for p in (last, *run) if p is not None))
        if not tried:
            raise ProfileError(
                f"no credentials for {t.address}: give --community, --profile, "
                "or a 'default' profile in the profiles file"
            )
        pairs.append((t, tried))
    return pairs
