"""NetBox values in Headroom's vocabulary: statuses, roles, networks, units (pure).

NetBox stores interface speeds and circuit commit rates in kbps, VM memory and
disk in MB; Headroom names its units (``speed_mbps``, ``ram_gb``). Unknown words
map to ``None`` so the caller decides between a documented default and a failure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from cmdb.bounds import MAX_TAG_LENGTH, MAX_TAGS
from cmdb.choices import AdminLevel, AgencyKind, DeviceRole, Network, SiteKind, Status, Zone
from discovery.netbox.records import HEADROOM_TAG

KBPS_PER_MBPS = 1000
# NetBox's own UI shows VM memory and disk (MB) with 1000 per step (utilities.humanize).
MB_PER_GB = 1000

_STATUS: dict[str, Status] = {
    "active": Status.ACTIVE,
    "planned": Status.PLANNED,
    "staged": Status.PLANNED,
    "provisioning": Status.PLANNED,
    "offline": Status.OFFLINE,
    "inventory": Status.OFFLINE,
    "paused": Status.OFFLINE,
    "failed": Status.FAILED,
    "decommissioning": Status.DECOMMISSIONED,
    "deprovisioning": Status.DECOMMISSIONED,
    "retired": Status.DECOMMISSIONED,
    "decommissioned": Status.DECOMMISSIONED,
}

_ROLE_WORDS: tuple[tuple[str, DeviceRole], ...] = (
    ("switch", DeviceRole.SWITCH),
    ("leaf", DeviceRole.SWITCH),
    ("spine", DeviceRole.SWITCH),
    ("router", DeviceRole.ROUTER),
    ("firewall", DeviceRole.FIREWALL),
    ("fw", DeviceRole.FIREWALL),
    ("load-balancer", DeviceRole.LOAD_BALANCER),
    ("lb", DeviceRole.LOAD_BALANCER),
    ("storage", DeviceRole.STORAGE),
    ("san", DeviceRole.STORAGE),
    ("nas", DeviceRole.STORAGE),
    ("server", DeviceRole.SERVER),
    ("hypervisor", DeviceRole.SERVER),
    ("host", DeviceRole.SERVER),
    ("compute", DeviceRole.SERVER),
)

# Name prefixes of Vietnamese administrative units, longest first.
_UNIT_KINDS: tuple[str, ...] = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)
_LEVEL_BY_DEPTH = (AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE)
_CODE_SLUG = re.compile(r"^(?:qn-)?(\d{2,5})$")


def map_status(value: Any) -> Status | None:
    """A NetBox status (``{"value": …}`` or a plain string) as a Headroom status."""
    if isinstance(value, dict):
        value = value.get("value")
    return _STATUS.get(str(value).lower()) if value else None


def map_role(slug: str | None) -> DeviceRole | None:
    """A device role slug (``core-switch``, ``hypervisor``) as a Headroom role."""
    if not slug:
        return None
    slug = slug.lower()
    if slug in DeviceRole._value2member_map_:
        return DeviceRole(slug)
    words = set(re.split(r"[-_ ]+", slug))
    return next((role for word, role in _ROLE_WORDS if word in words or word == slug), None)


def map_network(*names: str | None) -> Network | None:
    """The first of ``names`` (custom field, slug, name) that names a network."""
    for name in names:
        if not name:
            continue
        words = re.split(r"[-_ ]+", name.lower())
        found = next((Network(w) for w in words if w in Network._value2member_map_), None)
        if found is not None:
            return found
    return None


def map_zones(value: Any) -> list[str]:
    """A zone custom field (one value or a multi-select list) as sorted zone values."""
    items = value if isinstance(value, list) else [value]
    words = {str(v).lower() for v in items if v}
    return sorted(w for w in words if w in Zone._value2member_map_)


def map_tags(obj: dict[str, Any]) -> list[str]:
    """NetBox's ``tags`` (``[{"slug": …, "name": …}]``) as sorted slugs Headroom keeps:
    lowercase ASCII (NetBox allows Unicode slugs; ``vùng-1`` is ``vung-1``), without the
    ``headroom`` marker, at most ``MAX_TAGS``."""
    slugs = {_tag_slug(t.get("slug")) for t in obj.get("tags") or [] if isinstance(t, dict)}
    return sorted(s for s in slugs if s and s != HEADROOM_TAG)[:MAX_TAGS]


def _tag_slug(value: Any) -> str:
    return _NOT_TAG.sub("_", ascii_lower(str(value or ""))).strip("_")[:MAX_TAG_LENGTH]


def ascii_lower(text: str) -> str:
    """Lowercase ASCII: diacritics dropped, ``đ`` → ``d`` (NFKD has no form of it)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


_NOT_TAG = re.compile(r"[^a-z0-9_-]+")


def kbps_to_mbps(kbps: Any) -> int | None:
    return int(kbps) // KBPS_PER_MBPS if kbps else None


_TYPE_SPEED = re.compile(r"^(\d+(?:\.\d+)?)(g|m)?base-")


def interface_speed_mbps(obj: dict[str, Any]) -> int | None:
    """An interface's speed: NetBox's ``speed`` (kbps), else its type's nominal rate
    (``10gbase-x-sfpp`` → 10,000, ``1000base-t`` → 1,000); ``None`` for virtual ports."""
    if obj.get("speed"):
        return kbps_to_mbps(obj["speed"])
    kind = obj.get("type")
    if isinstance(kind, dict):
        kind = kind.get("value")
    match = _TYPE_SPEED.match(str(kind or ""))
    if match is None:
        return None
    rate = float(match.group(1)) * (1000 if match.group(2) == "g" else 1)
    return int(rate) or None


def kbps_to_mbps_float(kbps: Any) -> float | None:
    return float(kbps) / KBPS_PER_MBPS if kbps else None


def mb_to_gb(mb: Any) -> float | None:
    return round(float(mb) / MB_PER_GB, 3) if mb else None


def whole_vcpus(vcpus: Any) -> int | None:
    """NetBox allows fractional vCPUs (``"0.50"``); a workload holds whole ones."""
    return max(1, math.ceil(float(vcpus))) if vcpus else None


def address_only(ip: Any) -> str | None:
    """``{"address": "10.1.2.3/24"}`` or ``"10.1.2.3/24"`` → ``"10.1.2.3"``."""
    if isinstance(ip, dict):
        ip = ip.get("address")
    return str(ip).split("/", 1)[0] if ip else None


def admin_code(obj: dict[str, Any]) -> str | None:
    """A region's or site group's admin-unit code: custom field, else a ``qn-<code>`` slug."""
    code = custom(obj, "admin_unit_code")
    if code:
        return str(code).strip()
    match = _CODE_SLUG.match(str(obj.get("slug") or ""))
    return match.group(1) if match else None


def admin_level(obj: dict[str, Any]) -> AdminLevel:
    """Custom field ``admin_level``, else by depth: root province, then district, commune."""
    level = str(custom(obj, "admin_level") or "").lower()
    if level in AdminLevel._value2member_map_:
        return AdminLevel(level)
    depth = int(obj.get("_depth") or 0)
    return _LEVEL_BY_DEPTH[min(depth, len(_LEVEL_BY_DEPTH) - 1)]


def admin_kind(name: str, level: AdminLevel) -> str:
    """The unit's kind word from its name (``Huyện Duy Xuyên`` → ``Huyện``)."""
    return next((k for k in _UNIT_KINDS if name.startswith(k)), level.value.capitalize())


def agency_kind(obj: dict[str, Any]) -> AgencyKind:
    """Custom field ``agency_kind``, else from the name (Sở…, UBND tỉnh/huyện/xã…)."""
    value = str(custom(obj, "agency_kind") or "").lower()
    if value in AgencyKind._value2member_map_:
        return AgencyKind(value)
    name = str(obj.get("name") or "").lower()
    if name.startswith(("sở", "ban", "văn phòng", "thanh tra")):
        return AgencyKind.DEPARTMENT
    if name.startswith("ubnd"):
        rest = name.removeprefix("ubnd").strip()
        if rest.startswith("tỉnh"):
            return AgencyKind.PROVINCIAL_COMMITTEE
        if rest.startswith(("huyện", "thị xã", "thành phố", "quận")):
            return AgencyKind.DISTRICT_COMMITTEE
        if rest.startswith(("xã", "phường", "thị trấn")):
            return AgencyKind.COMMUNE_COMMITTEE
    return AgencyKind.OTHER


def site_kind(obj: dict[str, Any], unit_level: AdminLevel | None) -> tuple[SiteKind, bool]:
    """Custom field ``site_kind`` (declared), else derived from the admin level (a default)."""
    value = str(custom(obj, "site_kind") or "").lower()
    if value in SiteKind._value2member_map_:
        return SiteKind(value), True
    if unit_level == AdminLevel.COMMUNE:
        return SiteKind.COMMUNE_OFFICE, False
    if unit_level == AdminLevel.DISTRICT:
        return SiteKind.DISTRICT_OFFICE, False
    return SiteKind.AGENCY_OFFICE, False


def custom(obj: dict[str, Any], name: str) -> Any:
    """A custom field's value, ``None`` when NetBox has no such field or it is empty."""
    value = (obj.get("custom_fields") or {}).get(name)
    if isinstance(value, dict):  # NetBox answers a selection as {"value", "label"}
        value = value.get("value")
    if isinstance(value, list):  # and a multi-selection as a list of them
        value = [v.get("value") if isinstance(v, dict) else v for v in value]
    return None if value in ("", []) else value


def nested_id(obj: dict[str, Any], key: str) -> int | None:
    """The id of a nested object (``{"site": {"id": 3, …}}`` → 3)."""
    value = obj.get(key)
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, int) else None
