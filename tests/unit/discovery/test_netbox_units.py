"""Regions without a national code placed on admin units by name, else kept unmapped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cmdb.choices import AdminLevel, Source
from discovery.core.known import KnownRecord, SourceMark
from discovery.core.observations import RecordKind
from discovery.netbox.mapping import map_admin_unit, map_admin_units, unassigned_unit
from discovery.netbox.records import NbRecord, Ref
from discovery.netbox.units import place_units, unit_name_key

AT = datetime(2026, 12, 7, tzinfo=UTC)
# A slice of Quảng Nam's list: (id, code, name, kind, level, parent id).
TREE = (
    (1, "49", "Tỉnh Quảng Nam", "Tỉnh", "province", None),
    (2, "502", "Thành phố Tam Kỳ", "Thành phố", "district", 1),
    (3, "503", "Thành phố Hội An", "Thành phố", "district", 1),
    (4, "20359", "Xã Tam Thanh", "Xã", "commune", 2),
    (5, "517", "Huyện Núi Thành", "Huyện", "district", 1),
    (6, "20980", "Xã Tam Thạnh", "Xã", "commune", 5),
    (7, "20338", "Phường Phước Hòa", "Phường", "commune", 2),
    (8, "511", "Huyện Phước Sơn", "Huyện", "district", 1),
    (9, "20729", "Xã Phước Hoà", "Xã", "commune", 8),
    (10, "20965", "Thị trấn Núi Thành", "Thị trấn", "commune", 5),
)


def known(netbox_ids: dict[int, str] | None = None) -> list[KnownRecord]:
    marks = netbox_ids or {}
    return [
        KnownRecord(
            uid,
            RecordKind.ADMIN_UNIT,
            name=name,
            values={
                "id": uid,
                "code": code,
                "name": name,
                "kind": kind,
                "level": level,
                "parent_id": parent,
                "valid_to": None,
                "unmapped": False,
            },
            marks=(SourceMark(Source.NETBOX, marks[uid], AT),) if uid in marks else (),
        )
        for uid, code, name, kind, level, parent in TREE
    ]


def region(
    rid: int, name: str, parent: int | None = None, depth: int = 0, **extra: Any
) -> NbRecord:
    obj = {"id": rid, "name": name, "slug": f"r-{rid}", "_depth": depth, **extra}
    if parent is not None:
        obj["parent"] = {"id": parent}
    return map_admin_unit(obj, "region")


def placed(records: list[NbRecord], units: list[KnownRecord] | None = None) -> dict[str, Any]:
    result = place_units(records, known() if units is None else units)
    return {
        r.external_id: r.fields.get("code") or ("unmapped", r.defaults.get("code"))
        for r in result.records
    }


@pytest.mark.parametrize(
    "name",
    ["Tỉnh Quảng Nam", "Quảng Nam", "quang nam", "Quang Nam Province", "QUẢNG NAM", "Quảng-Nam"],
)
def test_names_compare_without_case_diacritics_or_kind_words(name):
    assert unit_name_key(name) == "quang nam"


def test_a_tree_of_any_depth_and_names_finds_the_national_units_below_unmapped_ones():
    records = [
        region(1, "Asia"),
        region(2, "Vietnam", 1, 1),
        region(3, "Quảng Nam", 2, 2),
        region(4, "Tam Ky City", 3, 3),
        region(5, "Tam Thanh", 4, 4),
        region(6, "Data Centre Campus", 4, 4),
    ]
    assert placed(records) == {
        "region:1": ("unmapped", "nb-r1"),
        "region:2": ("unmapped", "nb-r2"),
        "region:3": "49",
        "region:4": "502",
        "region:5": "20359",  # within Tam Kỳ: not Tam Thạnh of Núi Thành
        "region:6": ("unmapped", "nb-r6"),
    }


def test_matched_unit_keeps_the_lists_name_and_place_and_unmapped_one_hangs_under_its_parent():
    result = place_units([region(3, "Quảng Nam"), region(6, "Campus", 3, 1)], known())
    matched, unmapped = result.records
    assert matched.fields == {"code": "49"} and matched.refs == {} and matched.defaults == {}
    assert unmapped.refs == {"parent_id": Ref("admin_units", "region:3")}
    assert unmapped.defaults["unmapped"] is True
    assert unmapped.defaults["level"] == AdminLevel.DISTRICT  # one below its parent's
    assert unmapped.defaults["name"] == "Campus"


def test_a_kind_word_says_the_level_of_an_unmapped_unit():
    result = place_units([region(1, "Xã Không Có"), region(2, "Huyện Mới")], known())
    assert [r.defaults["level"] for r in result.records] == [
        AdminLevel.COMMUNE,
        AdminLevel.DISTRICT,
    ]


def test_exact_spelling_wins_then_a_name_naming_several_units_is_unmapped_with_a_warning():
    records = [region(1, "Xã Tam Thạnh"), region(2, "Phuoc Hoa"), region(3, "Phước Hòa")]
    result = place_units(records, known())
    assert placed(records) == {
        "region:1": "20980",  # the spelling names one unit though "tam thanh" names two
        "region:2": ("unmapped", "nb-r2"),  # without diacritics: Phường Phước Hòa or Xã Phước Hoà
        "region:3": "20338",
    }
    (warning,) = result.warnings
    assert "region:2" in warning and "20338, 20729" in warning


def test_a_kind_word_tells_two_units_of_one_name_apart():
    assert placed([region(1, "Thị trấn Núi Thành"), region(2, "Huyện Núi Thành")]) == {
        "region:1": "20965",
        "region:2": "517",
    }


def test_two_regions_never_share_a_unit():
    records = [region(1, "Hội An"), region(2, "Hoi An City")]
    result = place_units(records, known())
    assert placed(records) == {"region:1": "503", "region:2": ("unmapped", "nb-r2")}
    assert "names the same unit as" in result.warnings[0]


def test_a_unit_another_netbox_object_holds_or_a_code_claims_is_not_taken_by_name():
    units = known({1: "region:77"})  # Quảng Nam is region 77's (a region with its code)
    records = [region(3, "Quảng Nam"), region(4, "Hội An"), region(5, "X", slug="qn-503")]
    result = place_units(records, units)
    assert placed(records, units) == {
        "region:3": ("unmapped", "nb-r3"),
        "region:4": ("unmapped", "nb-r4"),  # 503 is region 5's by its code
        "region:5": "503",
    }
    assert len(result.warnings) == 2


def test_a_region_placed_before_keeps_its_unit_by_its_netbox_id():
    units = known({3: "region:9"})  # region 9 was matched to Hội An by an earlier sync
    result = place_units([region(9, "Renamed in NetBox")], units)
    (record,) = result.records
    assert record.fields == {} and record.refs == {} and record.defaults == {}
    assert not result.warnings


def test_the_unassigned_unit_is_unmapped_and_passes_as_it_is():
    unit = unassigned_unit()
    (record,) = place_units([unit], known()).records
    assert record == unit and record.defaults["unmapped"] is True


def test_placement_does_not_depend_on_the_order_netbox_lists_regions():
    regions = [
        {"id": 1, "name": "Hội An", "slug": "a", "_depth": 0},
        {"id": 2, "name": "Central", "slug": "b", "_depth": 0},
        {"id": 3, "name": "Hoi An", "slug": "c", "_depth": 1, "parent": {"id": 2}},
        {"id": 4, "name": "Hội An", "slug": "d", "_depth": 1, "parent": {"id": 2}},
    ]
    results = set()
    for order in (regions, list(reversed(regions)), regions[2:] + regions[:2]):
        placed = place_units(map_admin_units(order, []), known())
        results.add(tuple((r.external_id, r.fields.get("code")) for r in placed.records))
    assert len(results) == 1
    (only,) = results
    # Two spell it as the unit does; the first of them (depth, then NetBox id) keeps it.
    assert dict(only) == {"region:1": "503", "region:2": None, "region:3": None, "region:4": None}
