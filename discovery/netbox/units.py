"""NetBox regions and site groups without a national code → admin units, by name (pure).

A stock NetBox has regions named as its users name them ("Asia → Vietnam → Quảng Nam
→ Tam Kỳ", "Quang Nam Province", "Tam Kỳ") and no ``admin_unit_code``. Each such
region is placed, parents first, on the admin unit of the same name (``unit_names``:
without case and the kind words "Tỉnh", "Huyện", "Province", "District", …; as spelled
first, then without diacritics) inside the unit its nearest placed ancestor is, or
anywhere in the tree when no ancestor is placed. Candidates that remain several are
narrowed by the region's kind word and then by being a direct child of that ancestor.

Never a guess, never a merge: a name naming several units, a unit another NetBox
object holds, or one another region of this run names more strongly (found inside a
placed ancestor, then as spelled, then first) leaves the region an
**unmapped unit** (a warning says why), created under its NetBox parent with the code
``nb-r<id>`` (``nb-g<id>`` for a site group) and the flag ``unmapped``, so its sites and
everything below them still sync. A region once placed keeps its record by its NetBox
id on later syncs (the mark): placement is decided once, the same way every time.

A matched unit is the national list's: NetBox states only its code (it finds the unit
by that key); its name and its place in the tree stay the list's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from cmdb.choices import AdminLevel, Source
from discovery.core.keys import in_force
from discovery.core.known import KnownRecord
from discovery.netbox.records import NbRecord
from discovery.netbox.values import admin_kind

UNMAPPED_PREFIX = {"region": "nb-r", "site-group": "nb-g"}
# The unit of the sites NetBox places in no region, group or code.
UNASSIGNED_ID = "unassigned"
UNASSIGNED_CODE = "nb-none"
UNASSIGNED_NAME = "Chưa gán đơn vị hành chính"
CODE_MAX = 10  # AdminUnit.code

# Kind words, as ``unit_name_key`` sees them (no case, no diacritics), longest first, and
# the level each implies ("thanh pho" and "city" are provinces or districts: by the parent).
_KIND_WORDS: tuple[tuple[str, AdminLevel | None], ...] = (
    ("thanh pho", None),
    ("thi tran", AdminLevel.COMMUNE),
    ("thi xa", AdminLevel.DISTRICT),
    ("province", AdminLevel.PROVINCE),
    ("district", AdminLevel.DISTRICT),
    ("commune", AdminLevel.COMMUNE),
    ("phuong", AdminLevel.COMMUNE),
    ("huyen", AdminLevel.DISTRICT),
    ("quan", AdminLevel.DISTRICT),
    ("tinh", AdminLevel.PROVINCE),
    ("city", None),
    ("ward", AdminLevel.COMMUNE),
    ("town", AdminLevel.COMMUNE),
    ("xa", AdminLevel.COMMUNE),
)
_BELOW = {
    AdminLevel.PROVINCE: AdminLevel.DISTRICT,
    AdminLevel.DISTRICT: AdminLevel.COMMUNE,
    AdminLevel.COMMUNE: AdminLevel.COMMUNE,
}


def _words(name: str) -> list[str]:
    """Lower case, NFC, split on spaces and punctuation."""
    text = unicodedata.normalize("NFC", name).casefold()
    return [w for w in re.split(r"[\s\-_.,]+", text) if w]


def _plain(words: list[str]) -> list[str]:
    """The words without diacritics (đ → d): one letter for one letter."""
    decomposed = (unicodedata.normalize("NFD", w.replace("đ", "d")) for w in words)
    return ["".join(c for c in w if not unicodedata.combining(c)) for w in decomposed]


def _split_kind(name: str) -> tuple[str | None, list[str]]:
    """(kind word, the other words) of a name: "Huyện Duy Xuyên" → ("huyen", ["duy",
    "xuyên"]); a trailing English word counts too ("Quang Nam Province")."""
    words = _words(name)
    plain = " ".join(_plain(words))
    for word, _ in _KIND_WORDS:
        size = word.count(" ") + 1
        if len(words) > size and plain.startswith(word + " "):
            return word, words[size:]
        if len(words) > size and plain.endswith(" " + word):
            return word, words[:-size]
    return None, words


def unit_names(name: str) -> tuple[str, str]:
    """The keys two unit names are compared by: as written (without case and kind word),
    then without diacritics ("Tỉnh Quảng Nam" → "quảng nam", "quang nam")."""
    words = _split_kind(name)[1]
    return " ".join(words), " ".join(_plain(words))


def unit_name_key(name: str) -> str:
    """ "Tỉnh Quảng Nam", "Quang Nam Province" and "quảng nam" are one key."""
    return unit_names(name)[1]


def _kind_word(name: str) -> str | None:
    return _split_kind(name)[0]


def _kind_level(word: str | None) -> AdminLevel | None:
    return next((level for w, level in _KIND_WORDS if w == word), None)


@dataclass
class _Tree:
    """The admin units in force the names may match, and who already holds them."""

    units: dict[int, KnownRecord]
    by_name: tuple[dict[str, list[int]], dict[str, list[int]]]  # as written, plain
    held: dict[str, int]  # NetBox id → the unit its mark names
    by_code: dict[str, int]

    @classmethod
    def of(cls, known: Iterable[KnownRecord]) -> _Tree:
        units = {k.id: k for k in known if in_force(k.kind, k.values)}
        by_name: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        held: dict[str, int] = {}
        for unit in units.values():
            if unit.values.get("unmapped"):  # a source's unit: never a name to match
                continue
            for index, key in zip(
                by_name, unit_names(str(unit.values.get("name") or "")), strict=True
            ):
                index.setdefault(key, []).append(unit.id)
            mark = unit.mark(Source.NETBOX)
            if mark is not None and mark.source_id is not None:
                held[mark.source_id] = unit.id
        by_code = {str(u.values.get("code")): u.id for u in units.values()}
        return cls(units, by_name, held, by_code)

    def parent(self, unit_id: int) -> int | None:
        parent = self.units[unit_id].values.get("parent_id")
        return parent if isinstance(parent, int) else None

    def within(self, unit_id: int, ancestor: int) -> bool:
        seen: set[int] = set()
        current: int | None = self.parent(unit_id)
        while current is not None and current not in seen and current in self.units:
            if current == ancestor:
                return True
            seen.add(current)
            current = self.parent(current)
        return False


_NEW = -1  # a record this run creates with a code: the national tree has nothing below it


@dataclass
class Placed:
    """The admin-unit records placed, and a warning for each region left unmapped by
    ambiguity or by a unit another region holds."""

    records: list[NbRecord]
    warnings: list[str]
    levels: dict[str, AdminLevel]  # NetBox id → the level of the unit it is placed on


@dataclass(frozen=True)
class _Match:
    """Where one record goes: a unit (by its mark, code or name) or none, and why not."""

    unit: int | None
    by_name: bool = False
    why: str | None = None
    strength: tuple[bool, bool] = (False, False)  # (inside a placed ancestor, as spelled)


def place_units(records: Sequence[NbRecord], known: Iterable[KnownRecord]) -> Placed:
    """Every admin-unit record with its code decided (see the module docstring).

    Two regions naming one unit: the one found inside a placed ancestor, then the one
    spelled as the unit is, then the first (parents first, then NetBox id) keeps it; the
    other is placed again as unmapped (and so are the regions below it), until no unit
    is named twice."""
    tree = _Tree.of(known)
    claimed = {str(r.fields["code"]) for r in records if "code" in r.fields}
    taken = set(tree.held.values()) | {tree.by_code[c] for c in claimed if c in tree.by_code}
    refused: dict[str, str] = {}  # NetBox id → why it may not have the unit it names
    while True:
        matches = _matches(records, tree, taken, refused)
        clashes = _clashes(records, matches)
        if not clashes:
            return _placed(records, matches, tree)
        refused.update(clashes)


def _matches(
    records: Sequence[NbRecord], tree: _Tree, taken: set[int], refused: dict[str, str]
) -> dict[str, _Match]:
    parents = {r.external_id: _parent_ext(r) for r in records}
    placed: dict[str, int | None] = {}
    matches: dict[str, _Match] = {}
    for record in records:
        ext = record.external_id
        if ext in tree.held:
            match = _Match(tree.held[ext])
        elif "code" in record.fields or "code" in record.defaults:
            match = _Match(tree.by_code.get(str(record.fields.get("code")), _NEW))
        elif ext in refused:
            match = _Match(None, True, refused[ext])
        else:
            anchor = _anchor(ext, parents, placed)
            unit, why, spelled = _match(record, anchor, tree, taken)
            inside = anchor is not None and anchor != _NEW
            match = _Match(unit, True, why, (inside, spelled))
        unmapped = match.unit in tree.units and tree.units[match.unit].values.get("unmapped")
        placed[ext] = None if unmapped else match.unit  # an unmapped unit anchors nothing
        matches[ext] = match
    return matches


def _clashes(records: Sequence[NbRecord], matches: dict[str, _Match]) -> dict[str, str]:
    """The regions that name a unit another region names more strongly, and why."""
    by_unit: dict[int, list[tuple[int, NbRecord]]] = {}
    for order, record in enumerate(records):
        match = matches[record.external_id]
        if match.by_name and match.unit is not None:
            by_unit.setdefault(match.unit, []).append((order, record))
    clashes: dict[str, str] = {}
    for claims in by_unit.values():
        if len(claims) < 2:
            continue
        claims.sort(key=lambda c: (*(not s for s in matches[c[1].external_id].strength), c[0]))
        winner = claims[0][1]
        for _, loser in claims[1:]:
            clashes[loser.external_id] = (
                f"names the same unit as {winner.label} ({winner.external_id})"
            )
    return clashes


def _placed(records: Sequence[NbRecord], matches: dict[str, _Match], tree: _Tree) -> Placed:
    levels: dict[str, AdminLevel] = {}
    out: list[NbRecord] = []
    warnings: list[str] = []
    for record in records:
        ext = record.external_id
        match = matches[ext]
        if not match.by_name:
            placed = _held(record, tree.units.get(match.unit or 0)) if ext in tree.held else record
        elif match.unit is not None:
            placed = _matched(record, str(tree.units[match.unit].values["code"]))
        else:
            if match.why:
                warnings.append(f"{record.label} ({ext}): {match.why}; kept as an unmapped unit")
            placed = _unmapped(record, _unmapped_level(record, _parent_ext(record), levels))
        out.append(placed)
        levels[ext] = _level_of(placed, match.unit, tree)
    return Placed(out, warnings, levels)


def _parent_ext(record: NbRecord) -> str | None:
    ref = record.refs.get("parent_id")
    return ref.external_id if ref is not None else None


def _anchor(ext: str, parents: dict[str, str | None], placed: dict[str, int | None]) -> int | None:
    """The unit of the nearest placed ancestor (``_NEW`` when it is one this run creates)."""
    seen: set[str] = set()
    current = parents.get(ext)
    while current is not None and current not in seen:
        seen.add(current)
        unit = placed.get(current)
        if unit is not None:
            return unit
        current = parents.get(current)
    return None


def _match(
    record: NbRecord, anchor: int | None, tree: _Tree, taken: set[int]
) -> tuple[int | None, str | None, bool]:
    """The one unit the record's name names under ``anchor``, or none and why (a warning);
    and whether it was found as spelled (else without diacritics)."""
    name = str(record.defaults.get("name") or "")
    if anchor == _NEW:
        return None, None, False
    found: list[int] = []
    spelled = True
    for index, key in zip(tree.by_name, unit_names(name), strict=True):  # the spelling first
        found = [u for u in index.get(key, []) if anchor is None or tree.within(u, anchor)]
        if found:
            break
        spelled = False
    free = [u for u in found if u not in taken]
    if found and not free:
        return None, f"its unit {_codes(found, tree)} is held by another NetBox object", False
    word = _kind_word(name)
    for narrow in (
        lambda u: word is None or _kind_word(str(tree.units[u].values.get("name") or "")) == word,
        lambda u: anchor is None or tree.parent(u) == anchor,
    ):
        if len(free) > 1:
            free = [u for u in free if narrow(u)] or free
    if len(free) > 1:
        return None, f"its name names {len(free)} units ({_codes(free, tree)})", False
    return (free[0], None, spelled) if free else (None, None, False)


def _codes(units: Iterable[int], tree: _Tree) -> str:
    return ", ".join(sorted(str(tree.units[u].values.get("code")) for u in units))


def _held(record: NbRecord, unit: KnownRecord | None) -> NbRecord:
    """A region placed before: a national unit it was matched to keeps the list's place;
    an unmapped one follows its NetBox parent."""
    if "code" in record.fields or "code" in record.defaults:
        return record
    if unit is not None and not unit.values.get("unmapped"):
        return replace(record, defaults={}, refs={})
    return _unmapped(record, None)


def _matched(record: NbRecord, code: str) -> NbRecord:
    return replace(
        record, label=f"{code} {record.label}", fields={"code": code}, defaults={}, refs={}
    )


def _unmapped(record: NbRecord, level: AdminLevel | None) -> NbRecord:
    prefix, _, number = record.external_id.partition(":")
    code = f"{UNMAPPED_PREFIX.get(prefix, 'nb-')}{number}"
    if len(code) > CODE_MAX:
        return replace(record, error=f"NetBox id {number} is too long for a unit code ({code})")
    defaults = dict(record.defaults)
    name = str(defaults.get("name") or code)
    level = level or AdminLevel(str(defaults.get("level") or AdminLevel.PROVINCE))
    defaults.update(code=code, level=level, unmapped=True)
    defaults["kind"] = admin_kind(name, level)
    return replace(record, label=f"{code} {record.label}", defaults=defaults)


def _unmapped_level(
    record: NbRecord, parent: str | None, levels: dict[str, AdminLevel]
) -> AdminLevel:
    """Its kind word's level, else one below its parent's, else a province (a root)."""
    word = _kind_word(str(record.defaults.get("name") or ""))
    implied = _kind_level(word)
    if implied is not None:
        return implied
    if parent is None or parent not in levels:
        return AdminLevel.PROVINCE
    return _BELOW[levels[parent]]


def _level_of(record: NbRecord, unit: int | None, tree: _Tree) -> AdminLevel:
    if unit is not None and unit in tree.units:
        return AdminLevel(str(tree.units[unit].values.get("level")))
    level = record.defaults.get("level") or AdminLevel.PROVINCE
    return AdminLevel(str(level))
